import { InProcessMessageBus, silentBusLogger } from '..';
import { describeMessageBusContract } from '../../test/message-bus.contract';

describeMessageBusContract('in-process', {
  createBus: async () =>
    new InProcessMessageBus({ logger: silentBusLogger, redeliveryBackoff: { initialMs: 20, maxMs: 200 }, maxBatchSize: 7 }),
  deliveryTimeoutMs: 5_000,
});
