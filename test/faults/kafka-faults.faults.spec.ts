import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CloudEvent, InfrastructureError } from '@hub/kernel';
import { HubTopics, KafkaMessageBus, silentBusLogger } from '@hub/messaging';
import {
  createTestDatabase, ensureKafka, hubTarget, type HubTarget, type LocalKafkaOptions, randomTopic, runHub, type RunningHub, startHubServer, startLocalKafka,
  stopLocalKafka, type TestDatabase, waitFor,
} from '@hub/testing';
import { expectConsistentHub } from './support/consistency';
import { agencyOf, area, areaFile, simulatedEvents } from './support/load';

/** Agencies publishing to their inbound topics, each chunk retried until the broker acknowledges it. */
async function publishAcknowledged(bus: KafkaMessageBus, topics: HubTopics, events: readonly CloudEvent[], acknowledged: Set<string>, chunk = 20): Promise<void> {
  for (let start = 0; start < events.length; start += chunk) {
    const part = events.slice(start, start + chunk);
    for (const agency of new Set(part.map(agencyOf))) {
      const own = part.filter((e) => agencyOf(e) === agency);
      for (;;) {
        try {
          await bus.publish(topics.inbound(agency), own.map((e) => ({ key: e.subject, value: JSON.stringify(e), headers: { 'content-type': 'application/cloudevents+json' } })));
          own.forEach((e) => acknowledged.add(e.id));
          break;
        } catch (error) {
          if (!(error instanceof InfrastructureError) || !error.retriable) throw error;
        }
      }
    }
  }
}

const storedCount = async (db: TestDatabase) =>
  Number((await db.database.query<{ n: string }>(`SELECT count(*) AS n FROM event_store.events WHERE source LIKE 'agency:%'`)).rows[0]!.n);

describe('Kafka faults while agencies publish', () => {
  const servers: RunningHub[] = [];
  const buses: KafkaMessageBus[] = [];
  const databases: TestDatabase[] = [];

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.kill()));
    await Promise.all(buses.map((bus) => bus.close()));
    await Promise.all(databases.map((db) => db.drop()));
  });

  async function hubFor(prefix: string): Promise<{ db: TestDatabase; target: HubTarget }> {
    const db = await createTestDatabase(prefix);
    databases.push(db);
    const target = hubTarget(db.url);
    expect((await runHub(target, ['init', '--config', areaFile])).code).toBe(0);
    return { db, target };
  }

  /** A broker of this test's own (never the shared one): stopped and started again under load. */
  it('the broker stopped and started again: the hub reconnects and stores every acknowledged event once', async () => {
    const broker: LocalKafkaOptions = { port: await freePort(), controllerPort: await freePort(), dataDir: mkdtempSync(join(tmpdir(), 'faults-broker-')) };
    try {
      const { brokers } = await startLocalKafka(broker);
      const { db, target } = await hubFor('faults_broker_restart');
      const events = simulatedEvents('faults-broker-restart', 600);
      const topics = new HubTopics(`${randomTopic('faults-restart')}.cdp`);
      const bus = new KafkaMessageBus({ brokers, logger: silentBusLogger, publishTimeoutMs: 5_000 });
      buses.push(bus);
      await bus.ensureTopics(area().agencies.map((a) => topics.inbound(a.id)), { partitions: 2 });
      const server = await startHubServer(target, { KAFKA_BROKERS: brokers.join(','), HUB_KAFKA_TOPIC_PREFIX: topics.prefix, HUB_KAFKA_SESSION_TIMEOUT_MS: '6000' });
      servers.push(server);

      const acknowledged = new Set<string>();
      const publishing = publishAcknowledged(bus, topics, events, acknowledged);
      await waitFor(async () => (await storedCount(db)) >= 200, { timeoutMs: 120_000, intervalMs: 20, what: '200 events stored before the stop' });
      await stopLocalKafka(broker);
      const storedWhileDown = await storedCount(db);
      await startLocalKafka(broker);
      await publishing;
      expect(acknowledged.size).toBe(events.length);
      expect(storedWhileDown).toBeLessThan(events.length);
      await waitFor(async () => (await storedCount(db)) >= events.length, {
        timeoutMs: 180_000, intervalMs: 200, what: `all ${events.length} events stored after the restart (hub log: ${server.output().slice(-1500)})`,
      });
      expect(server.process.exitCode).toBeNull();
      await server.stop();
      await expectConsistentHub(db.url, target.env.HUB_MASTER_KEY!, { accepted: acknowledged });
    } finally {
      await stopLocalKafka(broker).catch(() => undefined);
      rmSync(broker.dataDir!, { recursive: true, force: true });
    }
  });

  /** A second hub process joins the consumer group while records flow, then leaves (SIGTERM): two rebalances. */
  it('a consumer group rebalance (a member joins, then leaves) loses nothing and stores nothing twice', async () => {
    const kafka = await ensureKafka();
    if (kafka.skipReason) return;
    const { db, target } = await hubFor('faults_rebalance');
    const events = simulatedEvents('faults-rebalance', 900);
    const topics = new HubTopics(`${randomTopic('faults-rebalance')}.cdp`);
    const bus = new KafkaMessageBus({ brokers: kafka.brokers, logger: silentBusLogger });
    buses.push(bus);
    await bus.ensureTopics(area().agencies.map((a) => topics.inbound(a.id)), { partitions: 3 });
    const env = { KAFKA_BROKERS: kafka.brokers.join(','), HUB_KAFKA_TOPIC_PREFIX: topics.prefix, HUB_KAFKA_SESSION_TIMEOUT_MS: '6000', HUB_LOG_LEVEL: 'info' };
    const first = await startHubServer(target, env);
    servers.push(first);

    const acknowledged = new Set<string>();
    const third = Math.floor(events.length / 3);
    await publishAcknowledged(bus, topics, events.slice(0, third), acknowledged);
    const publishing = publishAcknowledged(bus, topics, events.slice(third), acknowledged, 5);
    await waitFor(async () => (await storedCount(db)) >= third / 2, { timeoutMs: 120_000, intervalMs: 20, what: 'the first member consuming' });
    const second = await startHubServer(target, { ...env, HUB_ROLE: 'api' });
    servers.push(second);
    const storedAtJoin = await storedCount(db);
    // The newcomer gets partitions and stores some events itself before it leaves.
    await waitFor(async () => (await storedCount(db)) >= storedAtJoin + 100, { timeoutMs: 120_000, intervalMs: 20, what: 'events stored after the join' });
    await second.stop();
    await publishing;
    await waitFor(async () => (await storedCount(db)) >= events.length, {
      timeoutMs: 180_000, intervalMs: 200, what: `all ${events.length} events stored (first member's log: ${first.output().slice(-1500)})`,
    });
    expect(storedAtJoin).toBeLessThan(events.length);
    await first.stop();
    await expectConsistentHub(db.url, target.env.HUB_MASTER_KEY!, { accepted: acknowledged });
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
