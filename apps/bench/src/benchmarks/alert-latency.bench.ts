import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { activeSchemaOf } from '@hub/projections';
import { appendedChannel } from '@hub/event-store';
import type { AreaConfig, CloudEvent } from '@hub/kernel';
import { HubRuntime, hubProjections, InitAreaCommand, InitAreaHandler, ProjectionEngine } from '@hub/hub';
import { deterministicId } from '@hub/timeline';
import { type BenchContext, type BenchFigure, percentile } from '../bench-context';

const warmUp = 20;
const ambulance = 'nhs-northshire-ambulance';

/**
 * Issue 6: from an overdose accepted by the hub to its OVERDOSE_NOT_IN_TREATMENT alert stored in the
 * log (the event the outbox relays) and readable in the alerts read model (what GET /v1/alerts and
 * the stream serve), with the hub's projections running live as in `hub serve`. One overdose at a
 * time, each the ambulance service's first record of a person the hub already knows (a release and a
 * past treatment episode, linked by name and date of birth): the identity processor links the new
 * subject to that person, then the alert processor decides, so linking is part of the figure.
 */
export async function alertLatency(context: BenchContext, samples = 300): Promise<BenchFigure[]> {
  const area = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'deploy', 'demo', 'area.json'), 'utf8')) as AreaConfig;
  const hub = await HubRuntime.open({ location: { kind: 'server', url: await context.freshDatabase('bench_alerts') }, masterKey: Buffer.alloc(32, 6) });
  await new InitAreaHandler(hub).execute(new InitAreaCommand(area, 'bench'));
  const engine = new ProjectionEngine(hub, hubProjections(hub), { idlePollMs: 250 });
  const listener = new Client({ connectionString: hub.database.url });
  await listener.connect();
  await listener.query(`LISTEN ${appendedChannel}`);
  let wake: () => void = () => undefined;
  listener.on('notification', () => wake());
  const stored: number[] = [];
  const readable: number[] = [];
  try {
    const total = warmUp + samples;
    await prepare(hub, total);
    await engine.startLive();
    await engine.catchUp();
    const alertsSchema = await activeSchemaOf(hub.database, 'alerts');
    for (let n = 0; n < total; n++) {
      const overdose = overdoseOf(n);
      const alertId = deterministicId('OVERDOSE_NOT_IN_TREATMENT', `${ambulance}|nhs.non-fatal-overdose.recorded.v1|${(overdose.data as { recordId: string }).recordId}`);
      const [outcome] = await hub.pipeline.ingest([{ kind: 'parsed', value: overdose }], { channel: 'http' });
      const accepted = performance.now();
      if (outcome?.status !== 'accepted') throw new Error(`overdose ${n} was not accepted: ${JSON.stringify(outcome)}`);
      const storedAt = await until(() => exists(hub, `SELECT 1 FROM event_store.events WHERE stream_id = $1`, [`alert-${alertId}`]), (w) => (wake = w));
      const readableAt = await until(() => exists(hub, `SELECT 1 FROM ${alertsSchema}.alerts WHERE alert_id = $1`, [alertId]), (w) => (wake = w));
      if (n >= warmUp) {
        stored.push(storedAt - accepted);
        readable.push(readableAt - accepted);
      }
    }
  } finally {
    await engine.stop();
    await listener.end();
    await hub.close();
  }
  stored.sort((a, b) => a - b);
  readable.sort((a, b) => a - b);
  const ms = (value: number) => Math.round(value * 10) / 10;
  const p99 = percentile(stored, 99);
  return [
    { name: 'alert latency: accepted -> alert stored, p50', value: ms(percentile(stored, 50)), unit: 'ms', note: `${samples} overdoses, one at a time, projections live` },
    { name: 'alert latency: accepted -> alert stored, p99', value: ms(p99), unit: 'ms', target: '<= 100', met: p99 <= 100 },
    { name: 'alert latency: accepted -> in the alerts read model, p50', value: ms(percentile(readable, 50)), unit: 'ms' },
    { name: 'alert latency: accepted -> in the alerts read model, p99', value: ms(percentile(readable, 99)), unit: 'ms' },
  ];
}

/** People with a release and a finished treatment episode, linked by the identity processor (name and date of birth). */
async function prepare(hub: HubRuntime, people: number): Promise<void> {
  const events: CloudEvent[] = [];
  for (let n = 0; n < people; n++) {
    events.push(fact('prison-hmp-northgate', 'prison.release.recorded.v1', nomisOf(n), '2025-01-06T09:00:00Z', {
      recordId: `REL-${n}`, person: { nomisId: nomisOf(n), ...benchPerson(n) }, releasedOn: '2025-01-06', prisonId: 'NGI',
      releaseType: 'end-of-sentence', destinationLocalAuthority: 'E06000901', treatmentNeed: false, substanceGroup: null, referral: null, naloxoneIssued: true,
    }));
    events.push(fact('treatment-northshire-recovery', 'treatment.discharged.v1', `NRP-${n}`, '2025-01-20T09:00:00Z', {
      recordId: `TD-${n}`, person: benchPerson(n), dischargedOn: '2025-01-20', providerId: 'NRP', reason: 'dropped-out',
    }));
  }
  for (let i = 0; i < events.length; i += 1000) await hub.pipeline.ingest(events.slice(i, i + 1000).map((value) => ({ kind: 'parsed' as const, value })), { channel: 'cli' });
}

function overdoseOf(n: number): CloudEvent {
  const at = new Date(Date.parse('2025-03-01T00:00:00Z') + n * 3_600_000 * 7).toISOString();
  return fact(ambulance, 'nhs.non-fatal-overdose.recorded.v1', `NAS-${n}`, at, {
    recordId: `OD-${n}`, person: benchPerson(n), occurredAt: at,
    localAuthority: ['E06000901', 'E06000902', 'E06000903'][n % 3], setting: 'ambulance', suspectedSubstances: ['heroin'], naloxoneAdministered: true,
  });
}

function fact(agencyId: string, type: string, subject: string, time: string, data: Record<string, unknown>): CloudEvent {
  return { specversion: '1.0', id: randomUUID(), source: `agency:${agencyId}`, type, subject, time, datacontenttype: 'application/json', data };
}

/**
 * A person per sample, with a date of birth of their own (37 days apart: about ten per year). All
 * sharing one date of birth and near-identical names made every person a candidate for every other
 * in the linking model's blocks: a pathological area, not the one this figure is about.
 */
function benchPerson(n: number): { givenName: string; familyName: string; dateOfBirth: string } {
  const dateOfBirth = new Date(Date.parse('1960-01-01T00:00:00Z') + n * 37 * 86_400_000).toISOString().slice(0, 10);
  return { givenName: 'Sam', familyName: `Bench${n}`, dateOfBirth };
}

function nomisOf(n: number): string {
  return `B${String(n).padStart(4, '0')}BC`;
}

async function exists(hub: HubRuntime, sql: string, params: unknown[]): Promise<boolean> {
  return ((await hub.database.query(sql, params)).rowCount ?? 0) > 0;
}

/** Resolves with the time the probe first holds, checking again on every append notification (and every 5 ms). */
async function until(probe: () => Promise<boolean>, onWake: (wake: () => void) => void): Promise<number> {
  const deadline = performance.now() + 30_000;
  for (;;) {
    if (await probe()) return performance.now();
    if (performance.now() > deadline) throw new Error('the alert did not appear within 30 s');
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5);
      onWake(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
