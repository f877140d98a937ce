import type { MessageBus, ReceivedMessage, Subscription } from '../src';
import { randomGroup, randomTopic } from '../../testing/src/kafka';
import { Inbox, waitUntil } from './inbox';

export interface BusContractSetup {
  /** A new bus on the system under test (each test closes the buses it made). */
  readonly createBus: () => Promise<MessageBus>;
  /** Set when the adapter cannot run here (and is not required): tests return early. */
  readonly skipReason?: () => string | undefined;
  /** Longest wait for a delivery (group joins on a real broker take seconds). */
  readonly deliveryTimeoutMs: number;
}

/** The behaviour every MessageBus adapter must have. Call from a spec with the adapter's setup. */
export function describeMessageBusContract(adapterName: string, setup: BusContractSetup): void {
  describe(`MessageBus contract: ${adapterName}`, () => {
    const buses: MessageBus[] = [];
    const subscriptions: Subscription[] = [];
    const timeout = setup.deliveryTimeoutMs;
    const skipped = () => setup.skipReason?.() !== undefined;

    async function newBus(): Promise<MessageBus> {
      const bus = await setup.createBus();
      buses.push(bus);
      return bus;
    }

    async function subscribe(bus: MessageBus, options: Parameters<MessageBus['subscribe']>[0]): Promise<Subscription> {
      const subscription = await bus.subscribe(options);
      subscriptions.push(subscription);
      return subscription;
    }

    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
      await Promise.all(buses.splice(0).map((b) => b.close()));
    });

    it('delivers every message, in order for each key, all of a key on one partition', async () => {
      if (skipped()) return;
      const bus = await newBus();
      const topic = randomTopic('contract.order');
      await bus.ensureTopics([topic], { partitions: 3 });
      const keys = ['subject-a', 'subject-b', 'subject-c', 'subject-d', 'subject-e'];
      const perKey = 40;
      const messages = Array.from({ length: perKey }, (_, seq) => keys.map((key) => ({ key, value: `${key}:${seq}` }))).flat();
      await bus.publish(topic, messages.slice(0, 100));
      await bus.publish(topic, messages.slice(100));

      const inbox = new Inbox();
      await subscribe(bus, { groupId: randomGroup(), topics: [topic], fromBeginning: true, handle: inbox.handle });
      await inbox.waitForDistinct(messages.length, timeout);

      for (const key of keys) {
        const ofKey = inbox.firstDeliveries().filter((m) => m.key === key);
        expect(ofKey.map((m) => m.value?.toString())).toEqual(Array.from({ length: perKey }, (_, seq) => `${key}:${seq}`));
        expect(new Set(ofKey.map((m) => m.partition)).size).toBe(1);
      }
    });

    it('delivers a batch again when the handler fails, and skips nothing after it', async () => {
      if (skipped()) return;
      const bus = await newBus();
      const topic = randomTopic('contract.redeliver');
      await bus.ensureTopics([topic], { partitions: 1 });
      await bus.publish(topic, Array.from({ length: 10 }, (_, i) => ({ key: 'one-subject', value: `m${i}` })));

      let failuresLeft = 2;
      const attemptsOfM5: number[] = [];
      const handled: string[] = [];
      await subscribe(bus, {
        groupId: randomGroup(), topics: [topic], fromBeginning: true,
        handle: async (batch) => {
          const values = batch.map((m) => m.value?.toString() ?? '');
          if (values.includes('m5')) {
            attemptsOfM5.push(Date.now());
            if (failuresLeft-- > 0) throw new Error('downstream store unavailable');
          }
          handled.push(...values);
        },
      });
      await waitUntil(() => handled.includes('m9'), timeout, 'm9 handled');

      expect(attemptsOfM5.length).toBe(3);
      // What was handled successfully is the topic in order, with nothing missing.
      const distinct = handled.filter((v, i) => handled.indexOf(v) === i);
      expect(distinct).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
      expect(handled.indexOf('m5')).toBeLessThan(handled.indexOf('m6'));
    });

    it('resumes a group from its committed offset after stop and subscribe again', async () => {
      if (skipped()) return;
      const bus = await newBus();
      const topic = randomTopic('contract.resume');
      const groupId = randomGroup();
      await bus.ensureTopics([topic], { partitions: 2 });
      await bus.publish(topic, Array.from({ length: 10 }, (_, i) => ({ key: `k${i % 4}`, value: `first-${i}` })));

      const first = new Inbox();
      const firstRun = await subscribe(bus, { groupId, topics: [topic], fromBeginning: true, handle: first.handle });
      await first.waitForDistinct(10, timeout);
      await firstRun.stop();

      await bus.publish(topic, Array.from({ length: 10 }, (_, i) => ({ key: `k${i % 4}`, value: `second-${i}` })));
      const second = new Inbox();
      await subscribe(bus, { groupId, topics: [topic], fromBeginning: true, handle: second.handle });
      await second.waitForDistinct(10, timeout);

      const values = second.values();
      expect(values.filter((v) => v.startsWith('first-'))).toEqual([]);
      expect(new Set(values)).toEqual(new Set(Array.from({ length: 10 }, (_, i) => `second-${i}`)));
    });

    it('gives every group all the messages', async () => {
      if (skipped()) return;
      const bus = await newBus();
      const topic = randomTopic('contract.groups');
      const published = Array.from({ length: 30 }, (_, i) => ({ key: `k${i % 3}`, value: `event-${i}` }));
      await bus.publish(topic, published);

      const [alerts, audit] = [new Inbox(), new Inbox()];
      await subscribe(bus, { groupId: randomGroup('alerts'), topics: [topic], fromBeginning: true, handle: alerts.handle });
      await subscribe(bus, { groupId: randomGroup('audit'), topics: [topic], fromBeginning: true, handle: audit.handle });
      await Promise.all([alerts.waitForDistinct(30, timeout), audit.waitForDistinct(30, timeout)]);

      const expected = new Set(published.map((m) => m.value));
      expect(new Set(alerts.values())).toEqual(expected);
      expect(new Set(audit.values())).toEqual(expected);
    });

    it('subscribes by pattern, including topics created after subscribing', async () => {
      if (skipped()) return;
      const bus = await newBus();
      const area = randomTopic('contract.area').replace(/[.-]/g, '_');
      const [inboundPrison, inboundProbation, outbound] = [`${area}.inbound.prison`, `${area}.inbound.probation`, `${area}.outbound.prison`];
      await bus.publish(inboundPrison, [{ key: 'p1', value: 'released' }]);
      await bus.publish(outbound, [{ key: 'p1', value: 'alert' }]);

      const inbox = new Inbox();
      const pattern = new RegExp(`^${area}\\.inbound\\.`);
      await subscribe(bus, { groupId: randomGroup(), topics: [pattern], fromBeginning: true, handle: inbox.handle });
      await bus.publish(inboundProbation, [{ key: 'p1', value: 'supervision-started' }]);
      await inbox.waitForDistinct(2, timeout);

      expect(inbox.firstDeliveries().map((m) => [m.topic, m.value?.toString()]).sort()).toEqual([
        [inboundPrison, 'released'], [inboundProbation, 'supervision-started'],
      ]);
    });

    it('delivers from a named topic that is created after subscribing', async () => {
      if (skipped()) return;
      const bus = await newBus();
      const topic = randomTopic('contract.later');
      const inbox = new Inbox();
      await subscribe(bus, { groupId: randomGroup(), topics: [topic], fromBeginning: false, handle: inbox.handle });
      await bus.publish(topic, [{ key: 'k', value: 'first-ever' }]);
      await inbox.waitForDistinct(1, timeout);
      expect(inbox.values()).toEqual(['first-ever']);
    });

    it('carries keys, headers and null values unchanged', async () => {
      if (skipped()) return;
      const bus = await newBus();
      const topic = randomTopic('contract.headers');
      const headers = { ce_specversion: '1.0', ce_type: 'uk.gov.cdp.release.recorded', 'rejection-message': 'naïve café ✓' };
      await bus.publish(topic, [
        { key: 'prison-hmp-northgate:A1234BC', value: Buffer.from([0, 1, 2, 255]), headers },
        { key: null, value: null },
      ]);

      const inbox = new Inbox();
      await subscribe(bus, { groupId: randomGroup(), topics: [topic], fromBeginning: true, handle: inbox.handle });
      await inbox.waitForDistinct(2, timeout);

      const [withHeaders, empty] = sortByValue(inbox.firstDeliveries());
      expect(withHeaders?.key).toBe('prison-hmp-northgate:A1234BC');
      expect(withHeaders?.value).toEqual(Buffer.from([0, 1, 2, 255]));
      expect(withHeaders?.headers).toEqual(headers);
      expect(withHeaders?.topic).toBe(topic);
      expect(Number(withHeaders?.timestamp)).toBeGreaterThan(0);
      expect(empty?.key).toBeNull();
      expect(empty?.value).toBeNull();
      expect(empty?.headers).toEqual({});
    });
  });
}

function sortByValue(messages: ReceivedMessage[]): ReceivedMessage[] {
  return [...messages].sort((a, b) => (a.value === null ? 1 : 0) - (b.value === null ? 1 : 0));
}
