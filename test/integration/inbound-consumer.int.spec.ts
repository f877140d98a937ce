import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InboundConsumer } from '@hub/inbound';
import type { CloudEvent } from '@hub/kernel';
import { HubTopics, InProcessMessageBus, type MessageBus, type ReceivedMessage, silentBusLogger } from '@hub/messaging';
import { waitFor } from '@hub/testing';
import { InitAreaCommand, InitAreaHandler } from '@hub/hub';
import { areaFile, continuityBasicFile, publishToInbound, readNdjson, structuredRecord } from '../support/kafka-scenario';
import { countAgencyEvents } from '../support/stored-events';
import { openTestHub, type TestHub } from '../support/kafka-test-hub';

jest.setTimeout(60_000);

interface OutboxEvent {
  readonly agency_id: string;
  readonly event: CloudEvent<Record<string, unknown>>;
}

async function outboxEvents(test: TestHub, type: string): Promise<OutboxEvent[]> {
  const { rows } = await test.db.database.query<OutboxEvent>(
    `SELECT d.agency_id, e AS event FROM outbox.deliveries d, json_array_elements(d.events) e WHERE e->>'type' = $1 ORDER BY d.position`, [type],
  );
  return rows;
}

/** The inbound consumer on the in-process bus, against a real PostgreSQL: the same rules as on Kafka. */
describe('inbound consumer', () => {
  let test: TestHub;
  const topics = new HubTopics('test.cdp');

  beforeAll(async () => {
    test = await openTestHub({ prefix: 'inbound' });
  });
  afterAll(async () => test.close());

  it('re-delivers a batch whose rejections could not be published; what it had stored counts once', async () => {
    const bus = new InProcessMessageBus({ logger: silentBusLogger, defaultPartitions: 1, redeliveryBackoff: { initialMs: 10, maxMs: 50 } });
    let failures = 1;
    const rejectedTopic = topics.rejected('treatment-northshire-recovery');
    const flaky: MessageBus = {
      publish: (topic, messages) => (topic === rejectedTopic && failures-- > 0 ? Promise.reject(new Error('broker unavailable')) : bus.publish(topic, messages)),
      subscribe: (options) => bus.subscribe(options),
      ensureTopics: (names, options) => bus.ensureTopics(names, options),
      close: () => bus.close(),
    };
    const rejected: ReceivedMessage[] = [];
    await bus.subscribe({ groupId: 'agency', topics: [rejectedTopic], fromBeginning: true, handle: async (batch) => void rejected.push(...batch) });
    const consumer = new InboundConsumer({ bus: flaky, pipeline: test.hub.pipeline, topics, clock: test.hub.clock, logger: silentBusLogger });
    await consumer.start();

    const treatment = readNdjson(continuityBasicFile).filter((event) => event.source === 'agency:treatment-northshire-recovery');
    const stray = { ...readNdjson(continuityBasicFile).find((event) => event.source === 'agency:police-northshire')!, id: randomUUID() };
    await bus.publish(topics.inbound('treatment-northshire-recovery'), [...treatment, stray].map(structuredRecord));

    await waitFor(() => rejected.length >= 1, { what: 'the rejection, published on the second delivery' });
    await consumer.stop();
    await bus.close();
    expect(failures).toBe(-1);
    expect(await countAgencyEvents(test.db.database)).toBe(treatment.length);
    expect(rejected.map((m) => m.headers.cdp_rejection_code)).toEqual(['SOURCE_MISMATCH']);

    const receipts = (await outboxEvents(test, 'hub.ingest.receipt.v1')).map((row) => row.event);
    const outcomesOf = (id: string) => receipts.filter((r) => r.data.eventId === id).map((r) => r.data.outcome);
    // First delivery: accepted; the re-delivery meets the stored events as duplicates.
    for (const event of treatment) expect(outcomesOf(event.id)).toEqual(['accepted', 'duplicate']);
    // The rejection is receipted twice under one id: receivers drop the repeat by key.
    const strayReceipts = receipts.filter((r) => r.data.eventId === stray.id);
    expect(strayReceipts.map((r) => r.data.outcome)).toEqual(['rejected', 'rejected']);
    expect(new Set(strayReceipts.map((r) => r.id)).size).toBe(1);
  });

  it('writes no receipts when told not to, and reports each batch\'s outcomes', async () => {
    const bus = new InProcessMessageBus({ logger: silentBusLogger, defaultPartitions: 1 });
    const other = new HubTopics('other.cdp');
    const consumer = new InboundConsumer({ bus, pipeline: test.hub.pipeline, topics: other, clock: test.hub.clock, receipts: false, logger: silentBusLogger });
    const summaries: unknown[] = [];
    const withSummary = new InboundConsumer({ bus, pipeline: test.hub.pipeline, topics: other, clock: test.hub.clock, receipts: false, groupId: 'second', onBatch: (s) => void summaries.push(s) });
    await consumer.start();
    await withSummary.start();
    const before = (await outboxEvents(test, 'hub.ingest.receipt.v1')).length;
    // Northgate's releases under Eastfield's name: NGI is not Eastfield's prison, so NOT_PERMITTED.
    const prison = readNdjson(continuityBasicFile).filter((event) => event.source === 'agency:prison-hmp-northgate').slice(0, 3);
    await publishToInbound(bus, other, prison.map((event) => ({ ...event, id: randomUUID(), source: 'agency:prison-hmp-eastfield' })));
    await waitFor(() => summaries.length >= 1, { what: 'a batch summary' });
    await consumer.stop();
    await withSummary.stop();
    await bus.close();
    expect(summaries).toEqual([{ agencyId: 'prison-hmp-eastfield', topic: other.inbound('prison-hmp-eastfield'), partition: 0, accepted: 0, duplicates: 0, rejected: 3 }]);
    expect((await outboxEvents(test, 'hub.ingest.receipt.v1')).length).toBe(before);
  });
});

describe('inbound consumer and records the database cannot hold', () => {
  let test: TestHub;
  beforeAll(async () => {
    test = await openTestHub({ prefix: 'inbound_nul' });
  });
  afterAll(async () => test.close());

  it('rejects a record with U+0000 in its text (PostgreSQL cannot store it) instead of stalling the partition on it', async () => {
    const bus = new InProcessMessageBus({ logger: silentBusLogger, defaultPartitions: 1, redeliveryBackoff: { initialMs: 10, maxMs: 50 } });
    const topics = new HubTopics('nul.cdp');
    const consumer = new InboundConsumer({ bus, pipeline: test.hub.pipeline, topics, clock: test.hub.clock, logger: silentBusLogger });
    const rejected: ReceivedMessage[] = [];
    await bus.subscribe({ groupId: 'agency', topics: [topics.rejected('prison-hmp-northgate')], fromBeginning: true, handle: async (batch) => void rejected.push(...batch) });
    await consumer.start();
    const [first, second] = readNdjson(continuityBasicFile).filter((event) => event.source === 'agency:prison-hmp-northgate');
    const poisoned = { ...first!, data: { ...first!.data, recordId: 'REL-\u0000' } };
    await bus.publish(topics.inbound('prison-hmp-northgate'), [structuredRecord(poisoned)]);
    await bus.publish(topics.inbound('prison-hmp-northgate'), [structuredRecord(second!)]);
    await waitFor(async () => (await countAgencyEvents(test.db.database)) === 1, { what: 'the record after the poisoned one stored' });
    await consumer.stop();
    await bus.close();
    expect(rejected.map((m) => [m.headers.cdp_rejection_code, m.headers.cdp_rejection_pointer])).toEqual([['SCHEMA_INVALID', '/data/recordId']]);
  });
});

describe('hub init', () => {
  let test: TestHub;
  beforeAll(async () => {
    test = await openTestHub({ prefix: 'init_outbox' });
  });
  afterAll(async () => test.close());

  it('tells every party of the agreement, in the same transaction as the change, and nothing when the file is loaded again', async () => {
    const notices = await outboxEvents(test, 'hub.agreement.changed.v1');
    const area = JSON.parse(readFileSync(areaFile, 'utf8')) as { agreements: { id: string; purposes: { providers: string[]; recipients: string[] }[] }[] };
    const parties = new Set(area.agreements.flatMap((a) => a.purposes.flatMap((p) => [...p.providers, ...p.recipients])));
    expect(new Set(notices.map((n) => n.agency_id))).toEqual(parties);
    const { rows } = await test.db.database.query<{ event_id: string }>(`SELECT event_id FROM event_store.events WHERE type = 'hub.agreement.registered.v1'`);
    expect(new Set(notices.map((n) => n.event.id))).toEqual(new Set(rows.map((row) => row.event_id)));
    expect(notices.find((n) => n.agency_id === 'ldis-northshire')!.event.data).toMatchObject({
      agreementId: 'dsa-northshire-cdp', status: 'active', providesFor: [], receivesFor: ['near-miss-alerting', 'aggregate-reporting'],
    });

    await new InitAreaHandler(test.hub).execute(new InitAreaCommand(JSON.parse(readFileSync(areaFile, 'utf8')), 'test'));
    expect(await outboxEvents(test, 'hub.agreement.changed.v1')).toHaveLength(notices.length);
  });
});
