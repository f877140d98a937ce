import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { backoffDelayMs, waitInSlices, type BackoffOptions } from '../backoff';
import { describeError, type BusLogger } from '../bus-logger';
import type { SubscribeOptions, Subscription } from '../message-bus.port';
import { matchesAny } from '../topic-pattern';
import { toInfrastructureError, withDeadline } from './kafka-errors';
import { fromKafkaMessage } from './kafka-messages';

export interface KafkaSubscriptionSettings {
  readonly kafka: Kafka;
  readonly admin: () => Promise<Admin>;
  readonly logger: BusLogger;
  readonly redeliveryBackoff: BackoffOptions;
  /** How often patterns are matched against the broker's topics again. */
  readonly topicRefreshIntervalMs: number;
  readonly liveTimeoutMs: number;
  readonly maxWaitTimeMs: number;
  readonly sessionTimeoutMs: number;
  readonly partitionConcurrency: number;
}

/**
 * One kafkajs consumer in a group, replaced by a new one when a pattern starts to match a new
 * topic, or when kafkajs gives up on a crash. Offsets are committed after the handler only.
 */
export class KafkaSubscription implements Subscription {
  private consumer: Consumer | undefined;
  private topics = new Set<string>();
  /** Topics created after the subscription started: read from their beginning. */
  private readonly discovered = new Set<string>();
  private readonly failures = new Map<string, number>();
  private refreshTimer: NodeJS.Timeout | undefined;
  private replacing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: SubscribeOptions, private readonly settings: KafkaSubscriptionSettings) {}

  async start(): Promise<void> {
    const topics = await this.existingMatchingTopics();
    if (topics.size > 0) await this.replaceConsumer(topics);
    // Patterns, and names of topics that do not exist yet, are looked up again periodically.
    const complete = this.options.topics.every((t) => typeof t === 'string' && topics.has(t));
    if (!complete) {
      this.refreshTimer = setInterval(() => void this.refreshTopics(), this.settings.topicRefreshIntervalMs);
      this.refreshTimer.unref();
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.refreshTimer);
    await this.replacing.catch(() => undefined);
    // disconnect waits for the batch in hand (which commits), then leaves the group.
    await this.consumer?.disconnect().catch((error: unknown) =>
      this.settings.logger.warn('consumer disconnect failed', { groupId: this.options.groupId, error: describeError(error) }),
    );
    this.consumer = undefined;
  }

  /** Subscribing to a missing topic fails in kafkajs: only existing topics are subscribed. */
  private async existingMatchingTopics(): Promise<Set<string>> {
    const admin = await this.settings.admin();
    const existing = await admin.listTopics().catch((error: unknown) => {
      throw toInfrastructureError('listing topics', error);
    });
    return new Set(existing.filter((t) => !t.startsWith('__') && matchesAny(t, this.options.topics)));
  }

  private async refreshTopics(): Promise<void> {
    if (this.stopped) return;
    try {
      const topics = await this.existingMatchingTopics();
      const added = [...topics].filter((t) => !this.topics.has(t));
      if (added.length === 0 || this.stopped) return;
      if (this.options.topics.every((t) => typeof t === 'string' && topics.has(t))) {
        clearInterval(this.refreshTimer);
      }
      for (const topic of added) this.discovered.add(topic);
      this.settings.logger.info('new topics match the subscription', { groupId: this.options.groupId, added });
      await this.replaceConsumer(topics).catch((error: unknown) => this.restartLater(error));
    } catch (error) {
      this.settings.logger.warn('topic refresh failed; trying again later', {
        groupId: this.options.groupId, error: describeError(error),
      });
    }
  }

  /** After a failed (re)start or a crash kafkajs will not recover from: try again, for as long as it takes. */
  private restartLater(cause: unknown, attempt = 1): void {
    if (this.stopped) return;
    const delayMs = backoffDelayMs(this.settings.redeliveryBackoff, attempt);
    this.settings.logger.error('consumer is down; starting a new one', {
      groupId: this.options.groupId, attempt, retryInMs: delayMs, error: describeError(cause),
    });
    setTimeout(() => {
      this.replaceConsumer(this.topics).catch((error: unknown) => this.restartLater(error, attempt + 1));
    }, delayMs).unref();
  }

  /** Serialised: the old consumer finishes its batch and leaves before the new one joins. */
  private replaceConsumer(topics: Set<string>): Promise<void> {
    const next = this.replacing.catch(() => undefined).then(async () => {
      if (this.stopped) return;
      await this.consumer?.disconnect().catch(() => undefined);
      this.consumer = undefined;
      this.topics = topics;
      this.consumer = await this.startConsumer([...topics]);
    });
    this.replacing = next;
    return next;
  }

  private async startConsumer(topics: string[]): Promise<Consumer> {
    const consumer = this.settings.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: this.settings.sessionTimeoutMs,
      maxWaitTimeInMs: this.settings.maxWaitTimeMs,
      retry: { initialRetryTime: 300, maxRetryTime: 10_000, retries: 10 },
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (this.stopped) return;
      const fields = { groupId: this.options.groupId, error: describeError(payload.error) };
      if (payload.restart) return this.settings.logger.warn('consumer crashed; kafkajs restarts it', fields);
      this.restartLater(payload.error);
    });
    const live = this.whenLive(consumer);
    try {
      await consumer.connect();
      const fromStart = topics.filter((t) => this.discovered.has(t));
      const others = topics.filter((t) => !this.discovered.has(t));
      if (others.length) await consumer.subscribe({ topics: others, fromBeginning: this.options.fromBeginning ?? false });
      if (fromStart.length) await consumer.subscribe({ topics: fromStart, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.settings.partitionConcurrency,
        eachBatch: (payload) => this.handleBatch(payload),
      });
      await withDeadline(live, this.settings.liveTimeoutMs, `joining group ${this.options.groupId}`);
      return consumer;
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw toInfrastructureError(`subscribing group ${this.options.groupId}`, error);
    }
  }

  /** Live = joined the group and finished a fetch, so every partition's position is resolved. */
  private whenLive(consumer: Consumer): Promise<void> {
    return new Promise((resolve) => {
      let joined = false;
      const offJoin = consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
      const offFetch = consumer.on(consumer.events.FETCH, () => {
        if (!joined) return;
        offJoin();
        offFetch();
        resolve();
      });
    });
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, isRunning, isStale, heartbeat } = payload;
    if (batch.messages.length === 0 || !isRunning() || isStale()) return;
    const { topic, partition } = batch;
    const key = `${topic}/${partition}`;
    const received = batch.messages.map((m) => fromKafkaMessage(topic, partition, m));
    // Heartbeats while a slow handler works keep the group from declaring this member dead.
    const beat = setInterval(() => void heartbeat().catch(() => undefined), 3_000);
    try {
      await this.options.handle(received);
      const next = (BigInt(batch.lastOffset()) + 1n).toString();
      await payload.commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset: next }] }] });
      payload.resolveOffset(batch.lastOffset());
      this.failures.delete(key);
    } catch (error) {
      // Not resolved: the next fetch starts again at this batch's first offset.
      const failures = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, failures);
      const delayMs = backoffDelayMs(this.settings.redeliveryBackoff, failures);
      this.settings.logger.warn('handler or commit failed; the batch will be delivered again', {
        groupId: this.options.groupId, topic, partition, offset: batch.firstOffset(),
        attempt: failures, retryInMs: delayMs, error: describeError(error),
      });
      await waitInSlices(delayMs, {
        sliceMs: 1_000, shouldStop: () => !isRunning() || isStale(), tick: () => heartbeat().catch(() => undefined),
      });
    } finally {
      clearInterval(beat);
    }
  }
}

