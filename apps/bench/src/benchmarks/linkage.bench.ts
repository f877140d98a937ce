import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AreaConfig, CloudEvent } from '@hub/kernel';
import { HubRuntime, hubProjections, InitAreaCommand, InitAreaHandler, ProjectionEngine } from '@hub/hub';
import { IdentityProcessor } from '@hub/identity';
import { defaultNoise, simulate } from '@hub/simulation';
import { type BenchContext, type BenchFigure, percentile } from '../bench-context';
import { runModel } from './linkage-model';

/**
 * Issue 8: probabilistic person linking, measured two ways.
 * 1. The model (pure, in memory): N simulated people with the default noise model (typos,
 *    nicknames, swapped day and month, a digit off, missing identifiers, twins, common names),
 *    one record per agency subject; blocking, u from random pairs, m by EM, scoring, decisions,
 *    persons as components of the automatic links. Precision and recall are pairwise over subject
 *    pairs against the simulation's ground truth; the queue is the pairs left for review.
 * 2. The identity processor (PostgreSQL): a hub holding a smaller noisy population; each sample is
 *    one more agency record ingested, then the identity processor's catch-up that indexes, scores
 *    and links it (its transaction committed): the incremental latency.
 */
export async function linkage(context: BenchContext, people = 100_000, incrementalPeople = 3_000, samples = 1000): Promise<BenchFigure[]> {
  const cpuBefore = process.cpuUsage();
  const run = runModel(people, 'linkage-bench');
  const cpu = process.cpuUsage(cpuBefore);
  const allPairs = (run.records * (run.records - 1)) / 2;
  const figures: BenchFigure[] = [
    { name: `model: records (agency subjects) of ${people} people`, value: run.records, unit: 'records' },
    { name: 'model: pairs compared (blocking)', value: run.comparisons, unit: 'pairs', note: `${((run.comparisons / allPairs) * 100).toExponential(2)}% of all ${allPairs.toExponential(2)} pairs` },
    { name: 'model: precision of automatic links (pairwise)', value: round(run.accuracy.precision, 5), unit: 'ratio', target: '>= 0.995', met: run.accuracy.precision >= 0.995 },
    { name: 'model: recall of automatic links (pairwise)', value: round(run.accuracy.recall, 5), unit: 'ratio', target: '>= 0.98', met: run.accuracy.recall >= 0.98 },
    { name: 'model: clerical review queue', value: round((run.reviewPairs / people) * 100, 3), unit: '% of people', target: '< 1', met: run.reviewPairs / people < 0.01, note: `${run.reviewPairs} pairs` },
    { name: `model: linking ${people} people (blocking, training, scoring, clustering)`, value: round(run.linkingSeconds, 1), unit: 's', target: '< 120', met: run.linkingSeconds < 120, note: `CPU ${round((cpu.user + cpu.system) / 1e6, 1)} s for simulation and linking together; EM sessions converged in at most ${run.emIterations} iterations` },
  ];
  const exactOnly = await incremental(context, incrementalPeople, samples, false);
  return [...figures, ...await incremental(context, incrementalPeople, samples, true), ...exactOnly];
}

/** `probabilistic` false: the same with the exact rules only, as a baseline on the same (shared) machine. */
async function incremental(context: BenchContext, people: number, samples: number, probabilistic: boolean): Promise<BenchFigure[]> {
  const area = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'deploy', 'demo', 'area.json'), 'utf8')) as AreaConfig;
  const hub = await HubRuntime.open({ location: { kind: 'server', url: await context.freshDatabase('bench_linkage') }, masterKey: Buffer.alloc(32, 8) });
  const latencies: number[] = [];
  const applies: number[] = [];
  const trips: number[] = [];
  let subjects = 0;
  try {
    await new InitAreaHandler(hub).execute(new InitAreaCommand(area, 'bench'));
    const events: CloudEvent[] = [...simulate({ area, people, seed: 'linkage-incremental', from: '2025-01-01', months: 12, noise: defaultNoise })];
    const held = events.slice(events.length - samples);
    const bulk = events.slice(0, events.length - samples);
    for (let i = 0; i < bulk.length; i += 1000) await hub.pipeline.ingest(bulk.slice(i, i + 1000).map((value) => ({ kind: 'parsed' as const, value })), { channel: 'cli' });
    const projections = hubProjections(hub).map((p) => (p.name === 'identity' && !probabilistic ? new IdentityProcessor({ vault: hub.vault, probabilistic: false }) : p));
    const identity = projections.find((p) => p.name === 'identity')!;
    const engine = new ProjectionEngine(hub, projections);
    await engine.catchUp(['identity']);
    // The processor's own work for the page (index, score, decide, append), inside the catch-up's transaction.
    const apply = identity.apply.bind(identity);
    let applied = 0;
    let roundTrips = 0;
    identity.apply = async (page, ctx) => {
      // Each query on the transaction's client is a round trip to PostgreSQL: counted, as the machine's noise does not change them.
      const client = ctx.client as unknown as { query: (...args: unknown[]) => unknown };
      const query = client.query;
      client.query = (...args: unknown[]) => {
        roundTrips++;
        return query.apply(ctx.client, args);
      };
      const started = performance.now();
      try {
        await apply(page, ctx);
      } finally {
        client.query = query;
        applied += performance.now() - started;
      }
    };
    for (const event of held) {
      await hub.pipeline.ingest([{ kind: 'parsed', value: event }], { channel: 'cli' });
      applied = 0;
      roundTrips = 0;
      const started = performance.now();
      await engine.catchUp(['identity']);
      latencies.push(performance.now() - started);
      applies.push(applied);
      trips.push(roundTrips);
    }
    const { rows } = await hub.database.query<{ n: string }>(`SELECT count(DISTINCT stream_id) AS n FROM event_store.events WHERE source LIKE 'agency:%'`);
    subjects = Number(rows[0]?.n ?? 0);
  } finally {
    await hub.close();
  }
  latencies.sort((a, b) => a - b);
  applies.sort((a, b) => a - b);
  trips.sort((a, b) => a - b);
  const roundTripFigures = (label: string): BenchFigure[] => [
    { name: `${label}: SQL round trips for one new event (identity processor apply, appends included), p50`, value: percentile(trips, 50), unit: 'queries' },
    { name: `${label}: SQL round trips for one new event, p99`, value: percentile(trips, 99), unit: 'queries' },
  ];
  const p99 = percentile(applies, 99);
  if (!probabilistic) {
    return [
      { name: 'baseline, exact rules only: linking one new event, p50', value: round(percentile(applies, 50), 2), unit: 'ms' },
      { name: 'baseline, exact rules only: linking one new event (identity processor apply), p99', value: round(p99, 2), unit: 'ms', note: 'same population and samples, run just before: the machine\'s noise floor' },
      ...roundTripFigures('baseline, exact rules only'),
    ];
  }
  return [
    { name: `processor: linking one new event (identity processor apply: index, open, score, decide, append), p50 (${people} noisy people, ${subjects} subjects in the hub)`, value: round(percentile(applies, 50), 2), unit: 'ms' },
    { name: 'processor: linking one new event (identity processor apply), p99', value: round(p99, 2), unit: 'ms', target: '< 10', met: p99 < 10, note: `${samples} events, each ingested then linked` },
    ...roundTripFigures('processor'),
    { name: 'processor: whole catch-up for one new event (read the log, apply, checkpoint, commit), p50', value: round(percentile(latencies, 50), 2), unit: 'ms' },
    { name: 'processor: whole catch-up for one new event, p99', value: round(percentile(latencies, 99), 2), unit: 'ms', note: 'the projection runner\'s overhead (leader lock, gap-free read, checkpoint) is in this figure and not the processor\'s' },
  ];
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
