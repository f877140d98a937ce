import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { CloudEvent } from '@hub/kernel';
import { HubTopics, KafkaMessageBus, type ReceivedMessage, silentBusLogger } from '@hub/messaging';
import {
  createTestDatabase, ensureKafka, hubTarget, type HubTarget, type KafkaForTests, randomGroup, randomTopic, runHub, type RunningHub,
  startHubServer, type TestDatabase, waitFor,
} from '@hub/testing';
import { areaFile, continuityBasicFile, publishToInbound, readNdjson, structuredRecord } from '../support/kafka-scenario';
import { kcat, kcatMissing } from '../support/kcat';
import { countAgencyEvents, storedAgencyEvents } from '../support/stored-events';

jest.setTimeout(180_000);

/** `hub serve` with KAFKA_BROKERS: agencies publish to their inbound topics; the hub stores, rejects and answers. */
describe('hub serve consuming the inbound topics', () => {
  let kafka: KafkaForTests = { brokers: [] };
  let viaCli: TestDatabase;
  let viaKafka: TestDatabase;
  let hub: RunningHub | undefined;
  let bus: KafkaMessageBus;
  let topics: HubTopics;
  let cliTarget: HubTarget;
  let kafkaTarget: HubTarget;
  const outbound: ReceivedMessage[] = [];
  const rejected: ReceivedMessage[] = [];

  beforeAll(async () => {
    kafka = await ensureKafka();
    if (kafka.skipReason) return;
    [viaCli, viaKafka] = await Promise.all([createTestDatabase('kafka_cli'), createTestDatabase('kafka_bus')]);
    // One master key for both: the same subject gets the same stream id in either store.
    cliTarget = hubTarget(viaCli.url);
    kafkaTarget = { databaseUrl: viaKafka.url, env: cliTarget.env };
    for (const target of [cliTarget, kafkaTarget]) expect((await runHub(target, ['init', '--config', areaFile])).code).toBe(0);
    topics = new HubTopics(`${randomTopic('e2e')}.cdp`);
    bus = new KafkaMessageBus({ brokers: kafka.brokers, logger: silentBusLogger, maxWaitTimeMs: 250, topicRefreshIntervalMs: 500 });
    hub = await startHubServer(kafkaTarget, { KAFKA_BROKERS: kafka.brokers.join(','), HUB_KAFKA_TOPIC_PREFIX: topics.prefix });
    // What the agencies get back: receipts (and agreement changes) on outbound, rejections on rejected.
    // Patterns: topics created later are picked up and read from their beginning.
    await bus.subscribe({ groupId: randomGroup('agency-outbound'), topics: [new RegExp(`^${topics.prefix.replace(/\./g, '\\.')}\\.outbound\\.`)], fromBeginning: true, handle: async (batch) => void outbound.push(...batch) });
    await bus.subscribe({ groupId: randomGroup('agency-rejected'), topics: [new RegExp(`^${topics.prefix.replace(/\./g, '\\.')}\\.rejected\\.`)], fromBeginning: true, handle: async (batch) => void rejected.push(...batch) });
  });

  afterAll(async () => {
    await hub?.stop();
    await bus?.close();
    await viaCli?.drop();
    await viaKafka?.drop();
  });

  const unavailable = () => kafka.skipReason !== undefined;
  const receipts = () => outbound.map((m) => JSON.parse(m.value!.toString()) as CloudEvent<{ eventId: string | null; outcome: string; code?: string }>)
    .filter((event) => event.type === 'hub.ingest.receipt.v1');

  it('stores the continuity-basic scenario published to the inbound topics exactly as `hub ingest` stores it', async () => {
    if (unavailable()) return;
    const cli = await runHub(cliTarget, ['ingest', continuityBasicFile]);
    expect(cli.json()).toMatchObject({ accepted: 25, duplicates: 0, rejected: 0 });

    const scenario = readNdjson(continuityBasicFile);
    await publishToInbound(bus, topics, scenario);
    await waitFor(async () => (await countAgencyEvents(viaKafka.database)) >= scenario.length, {
      timeoutMs: 90_000, what: `${scenario.length} events stored from Kafka (hub log: ${hub!.output().slice(-2000)})`,
    });
    expect(await storedAgencyEvents(viaKafka.database)).toEqual(await storedAgencyEvents(viaCli.database));
    const { rows } = await viaKafka.database.query<{ channel: string; n: string }>(
      `SELECT metadata->>'channel' AS channel, count(*) AS n FROM event_store.events WHERE source LIKE 'agency:%' GROUP BY 1`,
    );
    expect(rows).toEqual([{ channel: 'kafka', n: String(scenario.length) }]);

    // Each publishing agency gets an accepted receipt per event on its outbound topic.
    await waitFor(() => receipts().filter((r) => r.data.outcome === 'accepted').length >= scenario.length, { timeoutMs: 60_000, what: 'receipts' });
    expect(receipts().filter((r) => r.data.outcome === 'accepted').map((r) => r.data.eventId).sort()).toEqual(scenario.map((e) => e.id).sort());

    // The same report from either store: the scenario's expected rows, whichever way the events came in.
    const expected = JSON.parse(readFileSync(continuityBasicFile.replace(/\.ndjson$/, '.expected.json'), 'utf8')) as { command: string; rows: unknown[] };
    const reportArgs = expected.command.split(' ').slice(1);
    const viaCliReport = (await runHub(cliTarget, reportArgs)).json<{ rows: unknown[] }>();
    const viaKafkaReport = (await runHub(kafkaTarget, reportArgs)).json<{ rows: unknown[] }>();
    expect(viaKafkaReport.rows).toEqual(expected.rows);
    expect(viaKafkaReport.rows).toEqual(viaCliReport.rows);
  });

  it('puts an event published on another agency\'s topic on that topic\'s rejected topic, with SOURCE_MISMATCH, and stores nothing', async () => {
    if (unavailable()) return;
    const police = readNdjson(continuityBasicFile).find((event) => event.source === 'agency:police-northshire')!;
    const stray = { ...police, id: randomUUID() };
    const record = structuredRecord(stray);
    await bus.publish(topics.inbound('prison-hmp-northgate'), [record]);

    const bounced = await waitFor(() => rejected.find((m) => m.value?.toString() === record.value), { timeoutMs: 60_000, what: 'the rejected record' });
    expect(bounced.topic).toBe(topics.rejected('prison-hmp-northgate'));
    expect(bounced.key).toBe(stray.subject);
    expect(bounced.headers).toMatchObject({
      cdp_rejection_code: 'SOURCE_MISMATCH',
      cdp_rejection_message: '/source: "agency:police-northshire" does not match the publisher, agency "prison-hmp-northgate"',
      cdp_rejection_pointer: '/source',
      cdp_original_topic: topics.inbound('prison-hmp-northgate'),
      'content-type': 'application/cloudevents+json',
    });
    const { rows } = await viaKafka.database.query('SELECT 1 FROM event_store.events WHERE event_id = $1', [stray.id]);
    expect(rows).toEqual([]);
    const receipt = await waitFor(() => receipts().find((r) => r.data.eventId === stray.id), { timeoutMs: 60_000, what: 'the rejection receipt' });
    expect(receipt.data).toMatchObject({ outcome: 'rejected', code: 'SOURCE_MISMATCH' });
    expect(outbound.find((m) => m.key === receipt.id)?.topic).toBe(topics.outbound('prison-hmp-northgate'));
  });

  it('stores CloudEvents that kcat publishes from the shell, in structured and in binary mode', async () => {
    if (unavailable() || kcatMissing()) return;
    const structured = probationStart('X100001', 'SUP-K1');
    const binary = probationStart('X100002', 'SUP-K2');
    const brokers = kafka.brokers.join(',');
    const topic = topics.inbound('probation-northshire');
    await kcat(['-b', brokers, '-t', topic, '-P', '-k', structured.subject, '-H', 'content-type=application/cloudevents+json'], JSON.stringify(structured));
    const { data, ...attributes } = binary;
    const headers = Object.entries({ ...attributes, datacontenttype: undefined }).filter(([, v]) => v !== undefined).flatMap(([name, value]) => ['-H', `ce_${name}=${value}`]);
    await kcat(['-b', brokers, '-t', topic, '-P', '-k', binary.subject, ...headers, '-H', 'content-type=application/json'], JSON.stringify(data));

    const stored = await waitFor(async () => {
      const { rows } = await viaKafka.database.query<{ event_id: string; type: string; channel: string }>(
        `SELECT event_id, type, metadata->>'channel' AS channel FROM event_store.events WHERE event_id = ANY($1) ORDER BY event_id`, [[structured.id, binary.id]],
      );
      return rows.length === 2 && rows;
    }, { timeoutMs: 60_000, what: 'both kcat events stored' });
    expect(stored).toEqual([structured, binary].map((e) => ({ event_id: e.id, type: e.type, channel: 'kafka' })).sort((a, b) => a.event_id.localeCompare(b.event_id)));
  });
});

function probationStart(crn: string, recordId: string): CloudEvent {
  return {
    specversion: '1.0', id: randomUUID(), source: 'agency:probation-northshire', type: 'probation.supervision.started.v1',
    subject: crn, time: '2026-11-02T09:30:00Z', datacontenttype: 'application/json',
    data: {
      recordId, person: { deliusCrn: crn, givenName: 'Kit', familyName: 'Catte', dateOfBirth: '1990-05-01' },
      startedOn: '2026-11-02', localAuthority: 'E06000901', requirement: 'licence', drugRehabilitationRequirement: false,
    },
  };
}
