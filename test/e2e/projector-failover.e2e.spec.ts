import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AreaConfig, CloudEvent } from '@hub/kernel';
import { HubTopics, KafkaMessageBus, type ReceivedMessage, silentBusLogger } from '@hub/messaging';
import { simulate } from '@hub/simulation';
import {
  createTestDatabase, ensureKafka, hubTarget, type HubTarget, type KafkaForTests, randomGroup, randomTopic, repoRoot, runHub, type RunningHub,
  startProjector, type TestDatabase, waitFor,
} from '@hub/testing';
import { areaFile } from '../support/kafka-scenario';

jest.setTimeout(300_000);

/** The projector as bin/projector.js runs it, plus a projection counting how often each event is applied. */
const projectorWithCounter = resolve(repoRoot, 'test', 'fixtures', 'projector-with-counter.js');

interface ProjectorHealth {
  readonly projections: { name: string; leader: boolean }[];
  readonly outboxRelay: 'leader' | 'standby' | 'off';
}

async function health(projector: RunningHub): Promise<ProjectorHealth> {
  return (await fetch(`${projector.url}/health`)).json() as Promise<ProjectorHealth>;
}
const leads = (h: ProjectorHealth, name: string) => h.projections.some((p) => p.name === name && p.leader);

/**
 * Two projectors on one database: one leads each projection and the outbox relay, the other
 * stands by. The leader is killed (SIGKILL) mid-log; the standby takes over, applies the rest,
 * nothing twice, and relays what was enqueued after the death.
 */
describe('projector failover', () => {
  let kafka: KafkaForTests = { brokers: [] };
  let db: TestDatabase;
  let target: HubTarget;
  let dir: string;
  const projectors: RunningHub[] = [];
  let bus: KafkaMessageBus | undefined;

  beforeAll(async () => {
    kafka = await ensureKafka();
    if (kafka.skipReason) return;
    dir = mkdtempSync(join(tmpdir(), 'projector-failover-'));
    db = await createTestDatabase('failover');
    target = hubTarget(db.url);
    expect((await runHub(target, ['init', '--config', areaFile])).code).toBe(0);
  });

  afterAll(async () => {
    await Promise.all(projectors.map((p) => p.kill()));
    await bus?.close();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('hands every projection and the relay to the standby when the leader dies; nothing is applied twice or lost', async () => {
    if (kafka.skipReason) return;
    const area = JSON.parse(readFileSync(areaFile, 'utf8')) as AreaConfig;
    const events: CloudEvent[] = [...simulate({ area, people: 1500, seed: 'projector-failover', from: '2025-01-01', months: 6 })];
    const half = Math.floor(events.length / 2);
    const write = (name: string, part: CloudEvent[]) => {
      writeFileSync(join(dir, name), part.map((e) => JSON.stringify(e)).join('\n') + '\n');
      return join(dir, name);
    };
    const topics = new HubTopics(`${randomTopic('failover')}.cdp`);
    const env = { KAFKA_BROKERS: kafka.brokers.join(','), HUB_KAFKA_TOPIC_PREFIX: topics.prefix, HUB_LOG_LEVEL: 'info' };

    const first = await startProjector(target, env, { script: projectorWithCounter });
    projectors.push(first);
    await waitFor(async () => { const h = await health(first); return leads(h, 'test-applied-counter') && h.outboxRelay === 'leader'; }, { what: 'the first projector to lead' });
    const second = await startProjector(target, env, { script: projectorWithCounter });
    projectors.push(second);
    expect(await health(second)).toMatchObject({ outboxRelay: 'standby', projections: expect.arrayContaining([{ name: 'test-applied-counter', leader: false }]) });

    expect((await runHub(target, ['ingest', write('first-half.ndjson', events.slice(0, half))], { timeoutMs: 120_000 })).code).toBe(0);
    const appliedAtKill = await waitFor(async () => { const n = await applied(db); return n >= 500 && n; }, { timeoutMs: 60_000, intervalMs: 10, what: '500 events applied' });
    await first.kill();
    expect(appliedAtKill).toBeLessThan(half);

    // After the death: more events, and an agreement change whose notices go through the outbox.
    expect((await runHub(target, ['ingest', write('second-half.ndjson', events.slice(half))], { timeoutMs: 120_000 })).code).toBe(0);
    const revised = { ...area, agreements: area.agreements.map((a) => ({ ...a, title: `${a.title} (revised)` })) };
    writeFileSync(join(dir, 'area-revised.json'), JSON.stringify(revised));
    expect((await runHub(target, ['init', '--config', join(dir, 'area-revised.json')])).json()).toMatchObject({ recorded: 1 });

    await waitFor(async () => { const h = await health(second); return h.projections.every((p) => p.leader) && h.outboxRelay === 'leader'; }, {
      timeoutMs: 60_000, what: `the standby to lead everything (its log: ${second.output().slice(-1500)})`,
    });
    // Processors (identity links, alerts) append as they go: settled when every projection is at
    // the head of the log and the counter has applied every event in it.
    const inLog = await waitFor(async () => {
      const size = await logSize(db);
      return (await applied(db)) === size && (await projectionsBehind(db)).length === 0 && size === (await logSize(db)) && size;
    }, { timeoutMs: 120_000, intervalMs: 200, what: 'every projection at the head of the log' });

    const { rows } = await db.database.query<{ times: number; pid: number; n: string }>(
      'SELECT times, pid, count(*) AS n FROM proj_test_applied_counter_g1.applied GROUP BY 1, 2 ORDER BY 2',
    );
    expect(rows.filter((row) => row.times !== 1)).toEqual([]);
    expect(rows.map((row) => row.pid).sort()).toEqual([first.process.pid, second.process.pid].sort());
    expect(rows.reduce((sum, row) => sum + Number(row.n), 0)).toBe(inLog);

    // The revision, enqueued after the leader died, reached every party through the new relay.
    bus = new KafkaMessageBus({ brokers: kafka.brokers, logger: silentBusLogger, maxWaitTimeMs: 250, topicRefreshIntervalMs: 500 });
    const received: ReceivedMessage[] = [];
    await bus.subscribe({ groupId: randomGroup('parties'), topics: [new RegExp(`^${topics.prefix.replace(/\./g, '\\.')}\\.outbound\\.`)], fromBeginning: true, handle: async (b) => void received.push(...b) });
    const revisionTopics = () => new Set(received.filter((m) => (JSON.parse(m.value!.toString()) as CloudEvent).data.change === 'hub.agreement.revised.v1').map((m) => m.topic));
    const parties = new Set(area.agreements.flatMap((a) => a.purposes.flatMap((p) => [...p.providers, ...p.recipients])));
    await waitFor(() => revisionTopics().size >= parties.size, { timeoutMs: 60_000, what: 'the revision notice on every party\'s outbound topic' });
    expect(revisionTopics()).toEqual(new Set([...parties].map((agency) => topics.outbound(agency))));
  });
});

async function applied(db: TestDatabase): Promise<number> {
  const { rows } = await db.database.query<{ n: string }>('SELECT count(*) AS n FROM proj_test_applied_counter_g1.applied').catch(() => ({ rows: [{ n: '0' }] }));
  return Number(rows[0]!.n);
}

/** Subscribers of registered projections whose checkpoint is short of the log's head. */
async function projectionsBehind(db: TestDatabase): Promise<string[]> {
  const { rows } = await db.database.query<{ name: string }>(
    `SELECT r.name FROM projections.registry r LEFT JOIN event_store.checkpoints c ON c.subscriber = 'projection:' || r.name || '@g' || r.generation
     WHERE c.subscriber IS NULL OR (c.transaction_id, c.global_position) < (
       SELECT transaction_id, global_position FROM event_store.events ORDER BY transaction_id DESC, global_position DESC LIMIT 1)`,
  );
  return rows.map((row) => row.name);
}

async function logSize(db: TestDatabase): Promise<number> {
  const { rows } = await db.database.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events');
  return Number(rows[0]!.n);
}
