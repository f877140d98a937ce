/**
 * Produce and consume CloudEvent-sized messages with each Kafka client, against a real broker.
 *   npm run bench -w @hub/messaging
 * Env: BENCH_MESSAGES (100000), BENCH_BATCH (1000), BENCH_CLIENTS (kafkajs-port,kafkajs-raw,
 * platformatic,confluent), BENCH_CLIENTS_DIR (where optional clients are installed),
 * KAFKA_BROKERS (else the local broker is started with deploy/local/kafka.sh).
 */
import { Kafka, logLevel } from 'kafkajs';
import { randomGroup, randomTopic, startLocalKafka } from '../../testing/src/kafka';
import type { BenchClient } from './bench-client';
import { cloudEventMessages } from './cloud-events';
import { confluentClient } from './clients/confluent.client';
import { kafkajsPortClient } from './clients/kafkajs-port.client';
import { kafkajsRawClient } from './clients/kafkajs-raw.client';
import { platformaticClient } from './clients/platformatic.client';

const factories: Record<string, (brokers: string[]) => BenchClient | string | Promise<BenchClient | string>> = {
  'kafkajs-port': kafkajsPortClient,
  'kafkajs-raw': kafkajsRawClient,
  platformatic: platformaticClient,
  confluent: confluentClient,
};

async function main(): Promise<void> {
  const count = Number(process.env.BENCH_MESSAGES ?? 100_000);
  const batchSize = Number(process.env.BENCH_BATCH ?? 1_000);
  const chosen = (process.env.BENCH_CLIENTS ?? Object.keys(factories).join(',')).split(',');
  const brokers = process.env.KAFKA_BROKERS?.split(',') ?? (await startLocalKafka()).brokers;
  const messages = cloudEventMessages(count);
  const megabytes = messages.reduce((sum, m) => sum + Buffer.byteLength(m.value) + Buffer.byteLength(m.key), 0) / 1e6;
  console.log(`${count} messages, ${(megabytes * 1e6 / count).toFixed(0)} bytes average, ${batchSize} per produce request, broker ${brokers.join(',')}, node ${process.version}\n`);
  console.log('| client | produce msg/s | consume msg/s | consume incl. group join | first message after |');
  console.log('|---|---|---|---|---|');

  for (const name of chosen) {
    const factory = factories[name];
    if (!factory) throw new Error(`Unknown client ${name}; choose from ${Object.keys(factories).join(', ')}`);
    let client: BenchClient | string;
    try {
      client = await factory(brokers);
    } catch (error) {
      client = `fails to start: ${(error as Error).message.split('\n')[0]}`;
    }
    if (typeof client === 'string') {
      console.log(`| ${name} | ${client} | | | |`);
      continue;
    }
    try {
      const topic = randomTopic(`bench.${name}`);
      await createTopic(brokers, topic, 3);
      const produceStarted = performance.now();
      await client.produce(topic, messages, batchSize);
      const produceMs = performance.now() - produceStarted;
      const timing = await client.consume(topic, randomGroup(`bench.${name}`), count);
      const steadyMs = timing.totalMs - timing.firstMessageMs;
      console.log(`| ${client.name} | ${rate(count, produceMs)} | ${rate(count, steadyMs)} | ${rate(count, timing.totalMs)} | ${timing.firstMessageMs.toFixed(0)} ms |`);
    } catch (error) {
      console.log(`| ${client.name} | failed: ${(error as Error).message.split('\n')[0]} | | | |`);
    } finally {
      await Promise.resolve()
        .then(() => client.close())
        .catch(() => undefined);
    }
  }
}

async function createTopic(brokers: string[], topic: string, partitions: number): Promise<void> {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions }] });
  await admin.disconnect();
}

function rate(count: number, ms: number): string {
  return Math.round((count / ms) * 1000).toLocaleString('en-GB');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
