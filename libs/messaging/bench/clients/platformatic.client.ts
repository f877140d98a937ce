import { pathToFileURL } from 'node:url';
import { countdown, resolveOptional, type BenchClient, type ConsumeTiming } from '../bench-client';

/* eslint-disable @typescript-eslint/no-explicit-any -- an optional, untyped-here dependency */

/** @platformatic/kafka (ESM only; declares Node >= 22.22). Not a dependency: see BENCH_CLIENTS_DIR. */
export async function platformaticClient(brokers: string[]): Promise<BenchClient | string> {
  const resolved = resolveOptional('@platformatic/kafka');
  if (!resolved) return 'not installed';
  const kafka: any = await import(pathToFileURL(resolved).href);
  const { version } = require(resolved.replace(/dist[/\\]index\.js$/, 'package.json')) as { version: string };
  const producer = new kafka.Producer({
    clientId: 'bench', bootstrapBrokers: brokers, serializers: kafka.stringSerializers, idempotent: true, acks: -1,
  });
  return {
    name: `@platformatic/kafka ${version}`,
    async produce(topic, messages, batchSize) {
      for (let i = 0; i < messages.length; i += batchSize) {
        await producer.send({ messages: messages.slice(i, i + batchSize).map((m) => ({ topic, key: m.key, value: m.value })) });
      }
    },
    async consume(topic, groupId, count): Promise<ConsumeTiming> {
      const counter = countdown(count);
      const consumer = new kafka.Consumer({
        groupId, clientId: 'bench', bootstrapBrokers: brokers, deserializers: kafka.stringDeserializers, maxWaitTime: 250,
      });
      const stream = await consumer.consume({ topics: [topic], mode: kafka.MessagesStreamModes.EARLIEST, autocommit: true });
      stream.on('data', () => counter.onMessages(1));
      const timing = await counter.done;
      await stream.close();
      await consumer.close();
      return timing;
    },
    close: () => producer.close(),
  };
}
