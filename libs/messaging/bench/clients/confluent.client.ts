import { countdown, resolveOptional, type BenchClient, type ConsumeTiming } from '../bench-client';

/* eslint-disable @typescript-eslint/no-explicit-any -- an optional, untyped-here dependency */

/** @confluentinc/kafka-javascript (librdkafka, native build) through its KafkaJS-style API. */
export function confluentClient(brokers: string[]): BenchClient | string {
  const resolved = resolveOptional('@confluentinc/kafka-javascript');
  if (!resolved) return 'not installed';
  let library: any;
  let version = '';
  try {
    library = require(resolved);
    version = (require(resolved.replace(/lib[/\\]index\.js$/, 'package.json')) as { version: string }).version;
  } catch (error) {
    return `installed but does not load: ${(error as Error).message.split('\n')[0]}`;
  }
  const { Kafka, logLevel } = library.KafkaJS;
  const kafka = new Kafka({ kafkaJS: { clientId: 'bench', brokers, logLevel: logLevel.ERROR } });
  const producer = kafka.producer({ kafkaJS: { idempotent: true, acks: -1 } });
  let connected = false;
  return {
    name: `@confluentinc/kafka-javascript ${version} (librdkafka ${library.librdkafkaVersion ?? '?'})`,
    async produce(topic, messages, batchSize) {
      if (!connected) await producer.connect();
      connected = true;
      for (let i = 0; i < messages.length; i += batchSize) await producer.send({ topic, messages: messages.slice(i, i + batchSize) });
    },
    async consume(topic, groupId, count): Promise<ConsumeTiming> {
      const counter = countdown(count);
      // Its KafkaJS-style eachBatch hands over 32 messages by default; the others get up to ~1000.
      const consumer = kafka.consumer({ kafkaJS: { groupId, fromBeginning: true, autoCommit: true }, 'js.consumer.max.batch.size': 1000 });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic] });
      await consumer.run({ eachBatch: async ({ batch }: any) => counter.onMessages(batch.messages.length) });
      const timing = await counter.done;
      await consumer.disconnect();
      return timing;
    },
    close: () => producer.disconnect(),
  };
}
