import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AreaConfig, CloudEvent } from '@hub/kernel';
import { HubTopics, KafkaMessageBus, silentBusLogger } from '@hub/messaging';
import { simulate } from '@hub/simulation';
import {
  createTestDatabase, ensureKafka, hubTarget, type KafkaForTests, randomTopic, runHub, type RunningHub, startHubServer, type TestDatabase, waitFor,
} from '@hub/testing';
import { areaFile, publishToInbound } from '../support/kafka-scenario';
import { countAgencyEvents, storedAgencyEvents } from '../support/stored-events';

jest.setTimeout(300_000);

/**
 * The hub's consumer dies mid-stream (SIGKILL: no shutdown, no commit) and starts again: every
 * record is re-read from the last committed offset, and every event ends up stored exactly once.
 */
describe('hub serve killed while consuming, then restarted', () => {
  let kafka: KafkaForTests = { brokers: [] };
  let viaCli: TestDatabase;
  let viaKafka: TestDatabase;
  let hub: RunningHub | undefined;
  let bus: KafkaMessageBus | undefined;
  let dir: string;

  beforeAll(async () => {
    kafka = await ensureKafka();
    if (kafka.skipReason) return;
    dir = mkdtempSync(join(tmpdir(), 'kafka-crash-'));
    [viaCli, viaKafka] = await Promise.all([createTestDatabase('crash_cli'), createTestDatabase('crash_bus')]);
  });

  afterAll(async () => {
    await hub?.kill();
    await bus?.close();
    await viaCli?.drop();
    await viaKafka?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('stores every event exactly once, the same as `hub ingest`, with one accepted receipt per event', async () => {
    if (kafka.skipReason) return;
    const area = JSON.parse(readFileSync(areaFile, 'utf8')) as AreaConfig;
    const events: CloudEvent[] = [...simulate({ area, people: 2000, seed: 'consumer-crash', from: '2025-01-01', months: 6 })];
    const file = join(dir, 'events.ndjson');
    writeFileSync(file, events.map((event) => JSON.stringify(event)).join('\n') + '\n');
    // One master key for both: the same subject gets the same stream id in either store.
    const cliTarget = hubTarget(viaCli.url);
    const kafkaTarget = { databaseUrl: viaKafka.url, env: cliTarget.env };
    for (const target of [cliTarget, kafkaTarget]) expect((await runHub(target, ['init', '--config', areaFile])).code).toBe(0);
    const reference = (await runHub(cliTarget, ['ingest', file], { timeoutMs: 120_000 })).json<{ accepted: number; rejected: number }>();
    expect(reference.accepted).toBeGreaterThan(4000);

    // Everything is on the topics before the hub starts, so the kill lands in the middle of the backlog.
    const topics = new HubTopics(`${randomTopic('crash')}.cdp`);
    bus = new KafkaMessageBus({ brokers: kafka.brokers, logger: silentBusLogger });
    await bus.ensureTopics(area.agencies.map((agency) => topics.inbound(agency.id)), { partitions: 3 });
    await publishToInbound(bus, topics, events);
    const serveEnv = { KAFKA_BROKERS: kafka.brokers.join(','), HUB_KAFKA_TOPIC_PREFIX: topics.prefix,
      // The killed member's partitions are reassigned when its session times out: the broker's minimum, to keep the test short.
      HUB_KAFKA_SESSION_TIMEOUT_MS: '6000' };

    hub = await startHubServer(kafkaTarget, serveEnv);
    // Killed a third of the way in: some batches' offsets are committed, the one in hand is not.
    const storedAtKill = await waitFor(async () => {
      const stored = await countAgencyEvents(viaKafka.database);
      return stored >= reference.accepted / 3 && stored;
    }, { timeoutMs: 90_000, intervalMs: 5, what: `the first stored events (hub log: ${hub.output().slice(-2000)})` });
    await hub.kill();
    const afterKill = await countAgencyEvents(viaKafka.database);
    expect(storedAtKill).toBeLessThan(reference.accepted);
    expect(afterKill).toBeLessThan(reference.accepted);

    hub = await startHubServer(kafkaTarget, serveEnv);
    await waitFor(async () => (await countAgencyEvents(viaKafka.database)) >= reference.accepted && (await rejectionCount(viaKafka)) >= reference.rejected, {
      timeoutMs: 180_000, intervalMs: 200, what: `${reference.accepted} events stored after the restart (hub log: ${hub.output().slice(-2000)})`,
    });
    expect(await storedAgencyEvents(viaKafka.database)).toEqual(await storedAgencyEvents(viaCli.database));

    // One accepted receipt per event: a record re-read after the crash met its own earlier append as a duplicate.
    const { rows } = await viaKafka.database.query<{ event_id: string; n: string }>(
      `SELECT e->'data'->>'eventId' AS event_id, count(*) AS n FROM outbox.deliveries d, json_array_elements(d.events) e
       WHERE e->'data'->>'outcome' = 'accepted' GROUP BY 1`,
    );
    expect(rows.length).toBe(reference.accepted);
    expect(rows.filter((row) => row.n !== '1')).toEqual([]);
    if (process.env.KAFKA_CRASH_STATS) {
      const { rows: [redelivered] } = await viaKafka.database.query<{ n: string }>(
        `SELECT count(*) AS n FROM outbox.deliveries d, json_array_elements(d.events) e WHERE e->'data'->>'outcome' = 'duplicate'`);
      console.log({ events: events.length, storedAtKill, afterKill, accepted: reference.accepted, redeliveredAsDuplicates: redelivered?.n });
    }
  });
});

async function rejectionCount(db: TestDatabase): Promise<number> {
  const { rows } = await db.database.query<{ n: string }>('SELECT count(*) AS n FROM ingest.rejections');
  return Number(rows[0]!.n);
}
