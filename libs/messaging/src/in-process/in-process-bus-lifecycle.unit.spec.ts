import { InfrastructureError } from '@hub/kernel';
import { InProcessMessageBus, silentBusLogger, type ReceivedMessage } from '..';
import { waitUntil } from '../../test/inbox';

const quickRetry = { initialMs: 10, maxMs: 50 };

describe('InProcessMessageBus lifecycle', () => {
  it('stop waits for the batch in hand and commits it, so a new member does not get it again', async () => {
    const bus = new InProcessMessageBus({ logger: silentBusLogger, defaultPartitions: 1 });
    await bus.publish('cdp.inbound.prison', [{ key: 'a', value: 'first' }]);
    let release: () => void = () => undefined;
    const seenByFirst: string[] = [];
    const first = await bus.subscribe({
      groupId: 'ingest', topics: ['cdp.inbound.prison'], fromBeginning: true,
      handle: async (batch) => {
        seenByFirst.push(...batch.map((m) => String(m.value)));
        await new Promise<void>((resolve) => (release = resolve));
      },
    });
    await waitUntil(() => seenByFirst.length === 1, 1_000, 'first delivery');

    const stopping = first.stop();
    release();
    await stopping;

    const seenBySecond: string[] = [];
    await bus.publish('cdp.inbound.prison', [{ key: 'a', value: 'second' }]);
    await bus.subscribe({
      groupId: 'ingest', topics: ['cdp.inbound.prison'], fromBeginning: true,
      handle: async (batch) => void seenBySecond.push(...batch.map((m) => String(m.value))),
    });
    await waitUntil(() => seenBySecond.length === 1, 1_000, 'second delivery');
    expect(seenBySecond).toEqual(['second']);
    await bus.close();
  });

  it('shares partitions between members of one group: each message handled once', async () => {
    const bus = new InProcessMessageBus({ logger: silentBusLogger, defaultPartitions: 4 });
    const handledBy = new Map<string, string>();
    const member = (name: string) => async (batch: ReadonlyArray<ReceivedMessage>) => {
      for (const m of batch) handledBy.set(String(m.value), handledBy.has(String(m.value)) ? 'twice' : name);
    };
    await bus.subscribe({ groupId: 'projector', topics: ['events'], fromBeginning: true, handle: member('one') });
    await bus.subscribe({ groupId: 'projector', topics: ['events'], fromBeginning: true, handle: member('two') });
    await bus.publish('events', Array.from({ length: 40 }, (_, i) => ({ key: `subject-${i}`, value: `e${i}` })));
    await waitUntil(() => handledBy.size === 40, 1_000, '40 messages');

    expect([...handledBy.values()]).not.toContain('twice');
    expect(new Set(handledBy.values())).toEqual(new Set(['one', 'two']));
    await bus.close();
  });

  it('keeps re-delivering while the handler fails, and stop ends the retries', async () => {
    const bus = new InProcessMessageBus({ logger: silentBusLogger, redeliveryBackoff: quickRetry });
    let attempts = 0;
    const subscription = await bus.subscribe({
      groupId: 'alerts', topics: ['cdp.outbound.probation'], fromBeginning: true,
      handle: async () => {
        attempts++;
        throw new Error('webhook down');
      },
    });
    await bus.publish('cdp.outbound.probation', [{ key: 'p', value: 'alert' }]);
    await waitUntil(() => attempts >= 4, 1_000, 'four attempts');
    await subscription.stop();
    const afterStop = attempts;
    await bus.publish('cdp.outbound.probation', [{ key: 'p', value: 'another' }]);
    expect(attempts).toBe(afterStop);
    await bus.close();
  });

  it('refuses to publish once closed, with a non-retriable infrastructure error', async () => {
    const bus = new InProcessMessageBus({ logger: silentBusLogger });
    await bus.close();
    const failure = bus.publish('events', [{ value: 'late' }]);
    await expect(failure).rejects.toBeInstanceOf(InfrastructureError);
    await expect(failure).rejects.toMatchObject({ retriable: false });
  });
});
