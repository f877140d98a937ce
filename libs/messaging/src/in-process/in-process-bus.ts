import { InfrastructureError } from '@hub/kernel';
import { defaultRedeliveryBackoff, type BackoffOptions } from '../backoff';
import { consoleBusLogger, type BusLogger } from '../bus-logger';
import type { BusMessage, MessageBus, SubscribeOptions, Subscription } from '../message-bus.port';
import { assertTopicName } from '../topic-pattern';
import { ChangeSignal, InProcessTopic } from './in-process-log';
import { InProcessGroup, InProcessMember } from './in-process-group';

export interface InProcessBusOptions {
  /** Partitions of a topic created on first use (as Kafka's `num.partitions`). */
  readonly defaultPartitions?: number;
  readonly maxBatchSize?: number;
  readonly redeliveryBackoff?: BackoffOptions;
  readonly logger?: BusLogger;
  readonly now?: () => number;
}

/**
 * The embedded default: topics in memory, consumer groups with committed offsets, the same
 * ordering and re-delivery rules as the Kafka adapter. Nothing survives the process.
 */
export class InProcessMessageBus implements MessageBus {
  private readonly topics = new Map<string, InProcessTopic>();
  private readonly groups = new Map<string, InProcessGroup>();
  private readonly subscriptions = new Set<Subscription>();
  private readonly signal = new ChangeSignal();
  private readonly defaultPartitions: number;
  private readonly now: () => number;
  private readonly groupContext;
  private closed = false;

  constructor(options: InProcessBusOptions = {}) {
    this.defaultPartitions = options.defaultPartitions ?? 3;
    this.now = options.now ?? Date.now;
    this.groupContext = {
      signal: this.signal,
      isClosed: () => this.closed,
      maxBatchSize: options.maxBatchSize ?? 100,
      redeliveryBackoff: options.redeliveryBackoff ?? defaultRedeliveryBackoff,
      logger: options.logger ?? consoleBusLogger,
    };
  }

  async publish(topic: string, messages: ReadonlyArray<BusMessage>): Promise<void> {
    this.assertOpen();
    const log = this.topic(topic, this.defaultPartitions);
    const now = this.now();
    for (const message of messages) log.append(message, now);
    this.signal.notify();
  }

  async ensureTopics(topics: ReadonlyArray<string>, options: { partitions?: number } = {}): Promise<void> {
    this.assertOpen();
    for (const name of topics) this.topic(name, options.partitions ?? this.defaultPartitions);
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    this.assertOpen();
    let group = this.groups.get(options.groupId);
    if (!group) {
      group = new InProcessGroup(options.groupId, this.groupContext);
      this.groups.set(options.groupId, group);
    }
    const member = new InProcessMember(options);
    group.join(member);
    this.signal.notify();
    group.reconcile(this.topics.values());
    const joined = group;
    const subscription: Subscription = {
      stop: async () => {
        if (member.stopped) return;
        joined.leave(member);
        this.subscriptions.delete(subscription);
        this.signal.notify();
        await member.idle();
        // Partitions it served go to the group's remaining members.
        joined.reconcile(this.topics.values());
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.closed = true;
    this.signal.notify();
  }

  private topic(name: string, partitions: number): InProcessTopic {
    let topic = this.topics.get(name);
    if (!topic) {
      assertTopicName(name);
      topic = new InProcessTopic(name, partitions);
      this.topics.set(name, topic);
      for (const group of this.groups.values()) group.reconcile([topic]);
    }
    return topic;
  }

  private assertOpen(): void {
    if (this.closed) throw new InfrastructureError('The in-process message bus is closed', false);
  }
}
