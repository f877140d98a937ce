import { KafkaMessageBus, silentBusLogger } from '..';
import { ensureKafka, type KafkaForTests } from '../../../testing/src/kafka';
import { describeMessageBusContract } from '../../test/message-bus.contract';

jest.setTimeout(120_000);

let kafka: KafkaForTests = { brokers: [] };
beforeAll(async () => {
  kafka = await ensureKafka();
});

describeMessageBusContract('kafka (kafkajs)', {
  createBus: async () =>
    new KafkaMessageBus({
      brokers: kafka.brokers,
      logger: silentBusLogger,
      redeliveryBackoff: { initialMs: 100, maxMs: 1_000 },
      topicRefreshIntervalMs: 1_000,
      maxWaitTimeMs: 250,
    }),
  skipReason: () => kafka.skipReason,
  deliveryTimeoutMs: 60_000,
});
