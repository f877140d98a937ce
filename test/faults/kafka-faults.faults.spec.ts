import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Admin, AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import { type CloudEvent, InfrastructureError } from '@hub/kernel';
import { HubTopics, KafkaMessageBus, silentBusLogger } from '@hub/messaging';
import {
  freePort, createTestDatabase, ensureKafka, hubTarget, type HubTarget, type LocalKafkaOptions, randomTopic, runHub, type RunningHub, startHubServer, startLocalKafka,
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

  /**
   * A second hub process joins the consumer group while records flow, then leaves (SIGTERM) while
   * records flow: two rebalances. The join is observed on the broker (the group is stable with both
   * members holding partitions), not guessed from how many events happen to be stored by then.
   */
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
    const group = new GroupWatcher(kafka.brokers, `${topics.prefix}.hub.ingest`);
    const first = await startHubServer(target, env);
    servers.push(first);

    const acknowledged = new Set<string>();
    const third = Math.floor(events.length / 3);
    await publishAcknowledged(bus, topics, events.slice(0, third), acknowledged);
    await waitFor(async () => (await storedCount(db)) >= third, { timeoutMs: 120_000, intervalMs: 20, what: 'the first member consuming' });

    try {
      // Join: records keep flowing until the group has settled with both members holding partitions.
      let joined = false;
      const duringJoin = publishPaced(bus, topics, events.slice(third, 2 * third), acknowledged, () => joined);
      const second = await startHubServer(target, { ...env, HUB_ROLE: 'api' });
      servers.push(second);
      await waitFor(async () => (await group.membersWithPartitions()) === 2, { timeoutMs: 120_000, intervalMs: 100, what: 'both members holding partitions' });
      joined = true;
      await duringJoin;
      await waitFor(async () => (await storedCount(db)) >= 2 * third, { timeoutMs: 120_000, intervalMs: 20, what: 'the events published during the join stored' });

      // Leave: the second member stops while records flow.
      let left = false;
      const duringLeave = publishPaced(bus, topics, events.slice(2 * third), acknowledged, () => left);
      await waitFor(async () => (await storedCount(db)) >= 2 * third + 20, { timeoutMs: 120_000, intervalMs: 20, what: 'events stored before the leave' });
      await second.stop();
      left = true;
      await duringLeave;
      expect(await group.membersWithPartitions()).toBeLessThanOrEqual(1);
    } finally {
      await group.close();
    }
    await waitFor(async () => (await storedCount(db)) >= events.length, {
      timeoutMs: 180_000, intervalMs: 200, what: `all ${events.length} events stored (first member's log: ${first.output().slice(-1500)})`,
    });
    expect(acknowledged.size).toBe(events.length);
    await first.stop();
    await expectConsistentHub(db.url, target.env.HUB_MASTER_KEY!, { accepted: acknowledged });
  });
});

/** Publishes in small chunks with a pause between them until `done()`, then the rest at once: records keep flowing through a rebalance. */
async function publishPaced(bus: KafkaMessageBus, topics: HubTopics, events: readonly CloudEvent[], acknowledged: Set<string>, done: () => boolean): Promise<void> {
  const chunk = 5;
  for (let start = 0; start < events.length; start += chunk) {
    await publishAcknowledged(bus, topics, events.slice(start, start + chunk), acknowledged, chunk);
    if (!done()) await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The consumer group as the broker sees it. */
class GroupWatcher {
  private readonly admin: Admin;
  private connected: Promise<void> | undefined;

  constructor(brokers: readonly string[], private readonly groupId: string) {
    this.admin = new Kafka({ clientId: 'faults-group-watcher', brokers: [...brokers], logLevel: logLevel.NOTHING }).admin();
  }

  /** Members of a stable group that hold at least one partition (0 while the group rebalances). */
  async membersWithPartitions(): Promise<number> {
    this.connected ??= this.admin.connect();
    await this.connected;
    const { groups } = await this.admin.describeGroups([this.groupId]);
    const group = groups[0];
    if (!group || group.state !== 'Stable') return 0;
    return group.members.filter((member) => {
      const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
      return decoded !== null && Object.values(decoded.assignment).some((partitions) => partitions.length > 0);
    }).length;
  }

  async close(): Promise<void> {
    await this.admin.disconnect().catch(() => undefined);
  }
}
