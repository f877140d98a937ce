import { KafkaMessageBus, silentBusLogger } from '../../src';
import { countdown, type BenchClient, type ConsumeTiming } from '../bench-client';

/** kafkajs 2.2.4 through our MessageBus port: idempotent producer, commit after each batch. */
export function kafkajsPortClient(brokers: string[]): BenchClient {
  const bus = new KafkaMessageBus({ brokers, logger: silentBusLogger, maxWaitTimeMs: 250 });
  return {
    name: 'kafkajs 2.2.4 via MessageBus port',
    async produce(topic, messages, batchSize) {
      for (let i = 0; i < messages.length; i += batchSize) await bus.publish(topic, messages.slice(i, i + batchSize));
    },
    async consume(topic, groupId, count): Promise<ConsumeTiming> {
      const counter = countdown(count);
      const subscription = await bus.subscribe({
        groupId, topics: [topic], fromBeginning: true, handle: async (batch) => counter.onMessages(batch.length),
      });
      const timing = await counter.done;
      await subscription.stop();
      return timing;
    },
    close: () => bus.close(),
  };
}
