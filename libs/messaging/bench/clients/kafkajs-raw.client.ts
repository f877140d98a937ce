import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { countdown, type BenchClient, type ConsumeTiming } from '../bench-client';

/** kafkajs 2.2.4 used directly (auto-commit), to show what the port costs. */
export function kafkajsRawClient(brokers: string[]): BenchClient {
  const kafka = new Kafka({ clientId: 'bench', brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  let connected = false;
  return {
    name: 'kafkajs 2.2.4 direct (auto-commit)',
    async produce(topic, messages, batchSize) {
      if (!connected) await producer.connect();
      connected = true;
      for (let i = 0; i < messages.length; i += batchSize) {
        await producer.send({ topic, acks: -1, messages: messages.slice(i, i + batchSize) });
      }
    },
    async consume(topic, groupId, count): Promise<ConsumeTiming> {
      const counter = countdown(count);
      const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 250 });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({ eachBatch: async ({ batch }) => counter.onMessages(batch.messages.length) });
      const timing = await counter.done;
      await consumer.disconnect();
      return timing;
    },
    close: () => producer.disconnect(),
  };
}
