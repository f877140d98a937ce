import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AreaConfig, type CloudEvent, InfrastructureError } from '@hub/kernel';
import { HubTopics, KafkaMessageBus, type ReceivedMessage, silentBusLogger } from '@hub/messaging';
import { simulate } from '@hub/simulation';
import { freePort, ensureKafka, type LocalKafkaOptions, randomGroup, randomTopic, startLocalKafka, stopLocalKafka, waitFor } from '@hub/testing';
import { KafkaWorkers } from '@hub/hub';
import { agencyOf, areaFile, structuredRecord } from '../support/kafka-scenario';
import { storedAgencyEvents } from '../support/stored-events';
import { openTestHub, type TestHub } from '../support/kafka-test-hub';

jest.setTimeout(300_000);

/**
 * The broker stops and starts again while agencies publish and the hub consumes and relays
 * (a broker of this test's own): the hub reconnects, stores every acknowledged event once, and
 * every receipt still goes out.
 */
describe('the hub across a broker restart', () => {
  let broker: LocalKafkaOptions | undefined;
  let brokers: string[] = [];
  let test: TestHub | undefined;
  let workers: KafkaWorkers | undefined;
  let agencies: KafkaMessageBus | undefined;

  beforeAll(async () => {
    if ((await ensureKafka()).skipReason) return;
    broker = { port: await freePort(), controllerPort: await freePort(), dataDir: mkdtempSync(join(tmpdir(), 'hub-broker-restart-')) };
    ({ brokers } = await startLocalKafka(broker));
    test = await openTestHub({ prefix: 'broker_restart' });
  });

  afterAll(async () => {
    await workers?.stop();
    await agencies?.close();
    await test?.close();
    if (broker) {
      await stopLocalKafka(broker);
      rmSync(broker.dataDir!, { recursive: true, force: true });
    }
  });

  it('reconnects, loses nothing and stores nothing twice', async () => {
    if (!broker || !test) return;
    const area = JSON.parse(readFileSync(areaFile, 'utf8')) as AreaConfig;
    const events: CloudEvent[] = [...simulate({ area, people: 800, seed: 'broker-restart', from: '2025-01-01', months: 6 })];
    const topics = new HubTopics(`${randomTopic('restart')}.cdp`);
    workers = new KafkaWorkers(test.hub, {
      brokers, topics, clientId: 'hub-under-test', inboundPartitions: 2, partitionConcurrency: 2, sessionTimeoutMs: 6_000, ssl: false,
    });
    workers.start({ inbound: true, relay: true });

    // The agencies: publish in small chunks, retrying a chunk until the broker acknowledges it.
    agencies = new KafkaMessageBus({ brokers, logger: silentBusLogger, publishTimeoutMs: 5_000, maxWaitTimeMs: 250, topicRefreshIntervalMs: 1_000 });
    const receipts: ReceivedMessage[] = [];
    await agencies.subscribe({
      groupId: randomGroup('agencies'), topics: [new RegExp(`^${topics.prefix.replace(/\./g, '\\.')}\\.outbound\\.`)], fromBeginning: true,
      handle: async (batch) => void receipts.push(...batch),
    });
    const acknowledged = new Set<string>();
    let retries = 0;
    const publishing = (async () => {
      for (let start = 0; start < events.length; start += 20) {
        const chunk = events.slice(start, start + 20);
        for (;;) {
          try {
            await agencies!.publish(topics.inbound(agencyOf(chunk[0]!)), chunk.filter((e) => agencyOf(e) === agencyOf(chunk[0]!)).map(structuredRecord));
            const rest = chunk.filter((e) => agencyOf(e) !== agencyOf(chunk[0]!));
            for (const agency of new Set(rest.map(agencyOf))) {
              await agencies!.publish(topics.inbound(agency), rest.filter((e) => agencyOf(e) === agency).map(structuredRecord));
            }
            chunk.forEach((e) => acknowledged.add(e.id));
            break;
          } catch (error) {
            if (!(error instanceof InfrastructureError) || !error.retriable) throw error;
            retries += 1;
          }
        }
      }
    })();

    const stored = async () => (await storedAgencyEvents(test!.db.database)).length;
    await waitFor(async () => (await stored()) >= 300, { timeoutMs: 120_000, what: '300 events stored before the restart' });
    await stopLocalKafka(broker);
    const storedWhileDown = await stored();
    await startLocalKafka(broker);
    await publishing;
    expect(acknowledged.size).toBe(events.length);
    expect(storedWhileDown).toBeLessThan(events.length);

    await waitFor(async () => (await stored()) >= events.length, { timeoutMs: 180_000, intervalMs: 200, what: `all ${events.length} events stored after the restart` });
    const rows = await storedAgencyEvents(test.db.database);
    expect(rows.map((row) => row.event_id).sort()).toEqual(events.map((e) => e.id).sort());

    const acceptedReceipts = () => new Set(receipts.map((m) => JSON.parse(m.value!.toString()) as CloudEvent<{ eventId: string; outcome: string }>)
      .filter((r) => r.data.outcome === 'accepted').map((r) => r.data.eventId));
    await waitFor(() => acceptedReceipts().size >= events.length, { timeoutMs: 120_000, what: 'an accepted receipt for every event' });
    if (process.env.KAFKA_RESTART_STATS) console.log({ events: events.length, storedWhileDown, publishRetries: retries, receiptRecords: receipts.length });
  });
});
