/**
 * The bus port: topics of ordered partitions, consumer groups with committed offsets.
 * Adapters: Kafka (server mode) and in-process (embedded default). Both pass one contract
 * suite (`libs/messaging/test/message-bus.contract.ts`).
 *
 * Guarantees every adapter keeps:
 * - `publish` resolves only when the messages are durably accepted (Kafka: acks=all).
 * - Messages with the same key go to the same partition, and a partition is delivered in order.
 * - At-least-once: a group's offset is committed only after `handle` resolves. When `handle`
 *   throws, the same batch is delivered again after a backoff; nothing is skipped.
 * - Failures are `InfrastructureError`s (from `@hub/kernel`) that say whether they are `retriable`.
 */

/** Header values are UTF-8 text (CloudEvents binary mode `ce_*`, rejection codes). */
export type BusHeaders = Readonly<Record<string, string>>;

export interface BusMessage {
  /** Partitioning key: same key, same partition, same order. */
  readonly key?: string | null;
  readonly value: Buffer | string | null;
  readonly headers?: BusHeaders;
}

export interface ReceivedMessage {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offsets are 64-bit: kept as a decimal string. */
  readonly offset: string;
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers: BusHeaders;
  /** Broker (or in-process) append time, milliseconds since the epoch. */
  readonly timestamp: string;
}

export interface SubscribeOptions {
  readonly groupId: string;
  /**
   * Names, or patterns such as `/^cdp\.inbound\./`. A topic that appears after `subscribe`
   * (a name that did not exist yet, or a new match) is read from its first message.
   */
  readonly topics: ReadonlyArray<string | RegExp>;
  /** Where a group with no committed offset starts: the first message, or new ones only. */
  readonly fromBeginning?: boolean;
  /**
   * Receives one batch of one partition, in offset order. Resolving commits the batch;
   * throwing re-delivers the same batch after a backoff.
   */
  readonly handle: (batch: ReadonlyArray<ReceivedMessage>) => Promise<void>;
}

export interface Subscription {
  /** Waits for the batch in hand, commits it, and leaves the group. */
  stop(): Promise<void>;
}

export interface MessageBus {
  publish(topic: string, messages: ReadonlyArray<BusMessage>): Promise<void>;
  /** Resolves once the subscription is live: messages published afterwards will be delivered. */
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /** Creates missing topics (existing ones are left alone). */
  ensureTopics(topics: ReadonlyArray<string>, options?: { partitions?: number }): Promise<void>;
  /** Stops every subscription and releases connections. */
  close(): Promise<void>;
}

export const MESSAGE_BUS = Symbol('MessageBus');
