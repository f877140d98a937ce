import { freePort } from '@hub/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InfrastructureError } from '@hub/kernel';
import { KafkaMessageBus, silentBusLogger, type MessageBus } from '..';
import { ensureKafka, randomGroup, randomTopic, startLocalKafka, stopLocalKafka, type LocalKafkaOptions } from '../../../testing/src/kafka';
import { Inbox, waitUntil } from '../../test/inbox';

jest.setTimeout(240_000);

/** A broker of this test's own (own ports, own data dir): restarting it disturbs no other test. */
describe('Kafka adapter across a broker restart', () => {
  let broker: LocalKafkaOptions | undefined;
  let brokers: string[] = [];
  let bus: MessageBus | undefined;

  beforeAll(async () => {
    // Same availability rule as every Kafka test: required => fail, else skip loudly.
    if ((await ensureKafka()).skipReason) return;
    broker = { port: await freePort(), controllerPort: await freePort(), dataDir: mkdtempSync(join(tmpdir(), 'kafka-restart-')) };
    ({ brokers } = await startLocalKafka(broker));
  });

  afterAll(async () => {
    await bus?.close();
    if (broker) {
      await stopLocalKafka(broker);
      rmSync(broker.dataDir!, { recursive: true, force: true });
    }
  });

  it('reconnects the consumer and the producer; every acknowledged message is delivered', async () => {
    if (!broker) return;
    bus = new KafkaMessageBus({
      brokers, logger: silentBusLogger, publishTimeoutMs: 5_000, maxWaitTimeMs: 250,
      redeliveryBackoff: { initialMs: 100, maxMs: 1_000 },
    });
    const topic = randomTopic('restart');
    await bus.ensureTopics([topic], { partitions: 2 });
    const inbox = new Inbox();
    await bus.subscribe({ groupId: randomGroup('restart'), topics: [topic], fromBeginning: true, handle: inbox.handle });

    // A relay-like publisher: one message at a time, retrying the same one on retriable errors.
    const acknowledged: string[] = [];
    const retriableFailures: InfrastructureError[] = [];
    let publishing = true;
    const publisher = (async () => {
      for (let seq = 0; publishing; ) {
        try {
          await bus!.publish(topic, [{ key: `subject-${seq % 5}`, value: `event-${seq}` }]);
          acknowledged.push(`event-${seq++}`);
        } catch (error) {
          if (!(error instanceof InfrastructureError) || !error.retriable) throw error;
          retriableFailures.push(error);
        }
      }
    })();

    await waitUntil(() => inbox.firstDeliveries().length >= 50, 60_000, '50 delivered before the restart');
    await stopLocalKafka(broker);
    const ackedWhileDown = acknowledged.length;
    await startLocalKafka(broker);
    await waitUntil(() => acknowledged.length >= ackedWhileDown + 50, 90_000, '50 more acknowledged after the restart');
    publishing = false;
    await publisher;

    await waitUntil(() => acknowledged.every((v) => inbox.values().includes(v)), 90_000, 'every acknowledged message delivered',
      () => `missing ${acknowledged.filter((v) => !inbox.values().includes(v)).length} of ${acknowledged.length}`);
    // The publisher retried each failed message until acknowledged: nothing else can arrive.
    expect(inbox.values().filter((v) => !acknowledged.includes(v))).toEqual([]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(ackedWhileDown + 50);
    if (process.env.KAFKA_RESTART_STATS) {
      console.log({ acknowledged: acknowledged.length, deliveries: inbox.received.length, retriableFailures: retriableFailures.length });
    }
  });
});
