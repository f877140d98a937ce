import { randomUUID } from 'node:crypto';
import { installSql } from '@hub/database';
import { HubTopics, InProcessMessageBus, type MessageBus, type ReceivedMessage, silentBusLogger } from '@hub/messaging';
import { createTestDatabase, type TestDatabase, waitFor } from '@hub/testing';
import { nameBasedId, Outbox, outboundEvent, type OutboundEvent, outboxSqlFolder, OutboxRelay } from '@hub/outbox';

jest.setTimeout(60_000);

const topics = new HubTopics('test.cdp');

function notice(n: number, agency = 'probation-northshire'): OutboundEvent {
  return outboundEvent({
    id: nameBasedId(`test-notice:${agency}:${n}`), areaId: 'northshire', type: 'hub.test.notice.v1',
    time: '2026-11-02T09:30:00.000Z', data: { n },
  });
}

/** Everything published to one topic, read back through a consumer group from the beginning. */
async function collect(bus: MessageBus, topic: string): Promise<ReceivedMessage[]> {
  const received: ReceivedMessage[] = [];
  await bus.subscribe({ groupId: `reader-${randomUUID()}`, topics: [topic], fromBeginning: true, handle: async (batch) => void received.push(...batch) });
  return received;
}

const numbers = (messages: readonly ReceivedMessage[]) => messages.map((m) => (JSON.parse(m.value!.toString()) as OutboundEvent).data.n);

describe('outbox relay', () => {
  let db: TestDatabase;
  let bus: InProcessMessageBus;
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    await installSql(db.database, [outboxSqlFolder]);
    await installSql(db.database, [outboxSqlFolder]); // installing twice is safe
  });
  beforeEach(async () => {
    bus = new InProcessMessageBus({ logger: silentBusLogger });
    await db.database.query('TRUNCATE outbox.deliveries');
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
    await bus.close();
  });
  afterAll(async () => db.drop());

  function relay(overrides: Partial<ConstructorParameters<typeof OutboxRelay>[0]> = {}): OutboxRelay {
    const started = new OutboxRelay({ database: db.database, bus, topics, logger: silentBusLogger, idlePollMs: 50, standbyPollMs: 100, ...overrides });
    relays.push(started);
    started.start();
    return started;
  }

  it('relays what a committed transaction enqueued, in order, keyed by hub event id, and marks it sent', async () => {
    const received = await collect(bus, topics.outbound('probation-northshire'));
    relay();
    await db.database.transaction(async (client) => {
      await Outbox.enqueue(client, 'probation-northshire', [notice(1), notice(2)]);
      await Outbox.enqueue(client, 'probation-northshire', notice(3));
    });
    await waitFor(() => received.length >= 3, { what: 'three outbound events' });
    expect(numbers(received)).toEqual([1, 2, 3]);
    const [first] = received;
    expect(first!.key).toBe(nameBasedId('test-notice:probation-northshire:1'));
    expect(first!.headers['content-type']).toMatch(/^application\/cloudevents\+json/);
    expect(JSON.parse(first!.value!.toString())).toEqual({
      specversion: '1.0', id: first!.key, source: 'hub:northshire', type: 'hub.test.notice.v1',
      time: '2026-11-02T09:30:00.000Z', datacontenttype: 'application/json', data: { n: 1 },
    });
    await waitFor(async () => (await unsent(db)) === 0, { what: 'rows marked sent' });
  });

  it('never relays what a rolled-back transaction enqueued', async () => {
    const received = await collect(bus, topics.outbound('police-northshire'));
    relay();
    await expect(db.database.transaction(async (client) => {
      await Outbox.enqueue(client, 'police-northshire', notice(1, 'police-northshire'));
      throw new Error('the change it announced failed');
    })).rejects.toThrow('the change it announced failed');
    await db.database.transaction((client) => Outbox.enqueue(client, 'police-northshire', notice(2, 'police-northshire')));
    await waitFor(() => received.length >= 1, { what: 'the committed event' });
    expect(numbers(received)).toEqual([2]);
  });

  it('keeps commit order per agency: a row committed later is not sent before an earlier transaction ends', async () => {
    const received = await collect(bus, topics.outbound('nhs-northshire'));
    const manual = new OutboxRelay({ database: db.database, bus, topics, logger: silentBusLogger });
    relays.push(manual);
    const early = await db.database.pool.connect();
    try {
      await early.query('BEGIN');
      await Outbox.enqueue(early, 'nhs-northshire', notice(1, 'nhs-northshire'));
      await db.database.transaction((client) => Outbox.enqueue(client, 'nhs-northshire', notice(2, 'nhs-northshire')));
      // The later transaction has committed, but the earlier one is still open: nothing may go out yet.
      expect(await manual.relayOnce()).toBe(0);
      await early.query('COMMIT');
    } finally {
      early.release();
    }
    expect(await manual.relayOnce()).toBe(2);
    await waitFor(() => received.length >= 2, { what: 'both events' });
    expect(numbers(received)).toEqual([1, 2]);
  });

  it('keeps a row unsent while the broker refuses it, and sends it once the broker is back', async () => {
    let refusing = true;
    const flaky: MessageBus = {
      publish: (topic, messages) => (refusing ? Promise.reject(new Error('broker unavailable')) : bus.publish(topic, messages)),
      subscribe: (options) => bus.subscribe(options),
      ensureTopics: (names, options) => bus.ensureTopics(names, options),
      close: () => bus.close(),
    };
    const received = await collect(bus, topics.outbound('coroner-northshire'));
    const manual = new OutboxRelay({ database: db.database, bus: flaky, topics, logger: silentBusLogger });
    relays.push(manual);
    await db.database.transaction((client) => Outbox.enqueue(client, 'coroner-northshire', notice(1, 'coroner-northshire')));
    await expect(manual.relayOnce()).rejects.toThrow('broker unavailable');
    expect(await unsent(db)).toBe(1);
    refusing = false;
    expect(await manual.relayOnce()).toBe(1);
    await waitFor(() => received.length >= 1, { what: 'the event after the broker came back' });
    expect(numbers(received)).toEqual([1]);
    expect(await unsent(db)).toBe(0);
  });

  it('deletes sent rows once they are older than the retention period', async () => {
    const received = await collect(bus, topics.outbound('la-northshire-public-health'));
    const agency = 'la-northshire-public-health';
    await db.database.transaction((client) => Outbox.enqueue(client, agency, notice(1, agency)));
    relay({ retentionMs: 0 });
    await waitFor(() => received.length >= 1, { what: 'the event' });
    await waitFor(async () => (await db.database.query('SELECT 1 FROM outbox.deliveries')).rows.length === 0, { what: 'the sent row pruned' });
  });

  it('has one active relay; when its connection goes, the standby takes over and nothing is lost', async () => {
    const received = await collect(bus, topics.outbound('treatment-northshire-recovery'));
    const first = relay();
    await waitFor(() => first.isLeader, { what: 'a leader' });
    const second = relay();
    const agency = 'treatment-northshire-recovery';
    for (let n = 1; n <= 50; n++) await db.database.transaction((client) => Outbox.enqueue(client, agency, notice(n, agency)));
    await waitFor(() => received.length >= 50, { what: 'the first 50 events' });
    expect(second.isLeader).toBe(false);

    // The leader's process goes away (it will not come back) and its database session dies with it.
    const leaderGone = first.stop();
    await db.database.query(
      `SELECT pg_terminate_backend(l.pid) FROM pg_locks l WHERE l.locktype = 'advisory' AND l.objid = hashtext('cdp-hub:outbox-relay')::oid AND l.granted`,
    );
    await leaderGone;
    for (let n = 51; n <= 100; n++) await db.database.transaction((client) => Outbox.enqueue(client, agency, notice(n, agency)));
    await waitFor(() => second.isLeader, { what: 'the standby to take over', timeoutMs: 20_000 });
    await waitFor(() => new Set(numbers(received)).size >= 100, { what: 'all 100 events', timeoutMs: 20_000 });
    // At least once, in order: dropping repeats of an id leaves 1..100 in sequence.
    const firstSeen = [...new Set(numbers(received))];
    expect(firstSeen).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });
});

async function unsent(db: TestDatabase): Promise<number> {
  const { rows } = await db.database.query<{ n: string }>('SELECT count(*) AS n FROM outbox.deliveries WHERE sent_at IS NULL');
  return Number(rows[0]!.n);
}
