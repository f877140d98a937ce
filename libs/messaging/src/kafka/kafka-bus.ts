import { Kafka, Partitioners, logLevel, type Admin, type Producer, type SASLOptions } from 'kafkajs';
import { InfrastructureError } from '@hub/kernel';
import { defaultRedeliveryBackoff, type BackoffOptions } from '../backoff';
import { consoleBusLogger, type BusLogger } from '../bus-logger';
import type { BusMessage, MessageBus, SubscribeOptions, Subscription } from '../message-bus.port';
import { assertTopicName } from '../topic-pattern';
import { toInfrastructureError, withDeadline } from './kafka-errors';
import { kafkajsLogCreator } from './kafka-logging';
import { toKafkaMessage } from './kafka-messages';
import { KafkaSubscription } from './kafka-subscription';

/** Username and password authentication over TLS (SASL PLAIN or SCRAM), as managed Kafka services require. */
export interface KafkaCredentials {
  readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  readonly username: string;
  readonly password: string;
}

export interface KafkaBusOptions {
  readonly brokers: ReadonlyArray<string>;
  readonly clientId?: string;
  /** TLS to the brokers (default off: the local broker is plaintext). */
  readonly ssl?: boolean;
  readonly sasl?: KafkaCredentials;
  readonly logger?: BusLogger;
  /** kafkajs's own log lines below this level are dropped (default WARN). */
  readonly kafkajsLogLevel?: logLevel;
  readonly redeliveryBackoff?: BackoffOptions;
  /** A publish not acknowledged by then fails with a retriable error (default 30 s). */
  readonly publishTimeoutMs?: number;
  /** How often topic patterns are matched again (default 30 s). */
  readonly topicRefreshIntervalMs?: number;
  /** How long `subscribe` waits for the group to be live (default 60 s). */
  readonly subscribeTimeoutMs?: number;
  /** Fetch long-poll: longest wait for new messages (default 1 s). */
  readonly maxWaitTimeMs?: number;
  readonly sessionTimeoutMs?: number;
  /** Partitions handled at once per subscription; each stays in order (default 1). */
  readonly partitionConcurrency?: number;
}

/** The server-mode bus: Apache Kafka through kafkajs, idempotent producer with acks=all. */
export class KafkaMessageBus implements MessageBus {
  private readonly kafka: Kafka;
  private readonly logger: BusLogger;
  private readonly subscriptions = new Set<KafkaSubscription>();
  private producer: Promise<Producer> | undefined;
  private admin: Promise<Admin> | undefined;
  private closed = false;

  constructor(private readonly options: KafkaBusOptions) {
    this.logger = options.logger ?? consoleBusLogger;
    this.kafka = new Kafka({
      clientId: options.clientId ?? 'cdp-hub',
      brokers: [...options.brokers],
      ...(options.ssl ? { ssl: true } : {}),
      ...(options.sasl ? { sasl: saslOptions(options.sasl) } : {}),
      logLevel: options.kafkajsLogLevel ?? logLevel.WARN,
      logCreator: kafkajsLogCreator(this.logger),
      retry: { initialRetryTime: 300, maxRetryTime: 10_000, retries: 10 },
    });
  }

  async publish(topic: string, messages: ReadonlyArray<BusMessage>): Promise<void> {
    this.assertOpen();
    assertTopicName(topic);
    if (messages.length === 0) return;
    try {
      const producer = await this.connectedProducer();
      const sent = producer.send({ topic, acks: -1, messages: messages.map(toKafkaMessage) });
      await withDeadline(sent, this.options.publishTimeoutMs ?? 30_000, `publish to ${topic}`);
    } catch (error) {
      throw toInfrastructureError(`publish to ${topic}`, error);
    }
  }

  async ensureTopics(topics: ReadonlyArray<string>, options: { partitions?: number } = {}): Promise<void> {
    this.assertOpen();
    topics.forEach(assertTopicName);
    try {
      const admin = await this.connectedAdmin();
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t));
      if (missing.length === 0) return;
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions: options.partitions ?? -1 })),
      });
    } catch (error) {
      if ((error as { type?: string }).type === 'TOPIC_ALREADY_EXISTS') return;
      throw toInfrastructureError(`creating topics ${topics.join(', ')}`, error);
    }
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    this.assertOpen();
    const subscription = new KafkaSubscription(options, {
      kafka: this.kafka,
      admin: () => this.connectedAdmin(),
      logger: this.logger,
      redeliveryBackoff: this.options.redeliveryBackoff ?? defaultRedeliveryBackoff,
      topicRefreshIntervalMs: this.options.topicRefreshIntervalMs ?? 30_000,
      liveTimeoutMs: this.options.subscribeTimeoutMs ?? 60_000,
      maxWaitTimeMs: this.options.maxWaitTimeMs ?? 1_000,
      sessionTimeoutMs: this.options.sessionTimeoutMs ?? 30_000,
      partitionConcurrency: this.options.partitionConcurrency ?? 1,
    });
    try {
      await subscription.start();
    } catch (error) {
      await subscription.stop();
      throw toInfrastructureError(`subscribing group ${options.groupId}`, error);
    }
    this.subscriptions.add(subscription);
    return {
      stop: async () => {
        this.subscriptions.delete(subscription);
        await subscription.stop();
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.subscriptions.clear();
    const producer = this.producer;
    const admin = this.admin;
    this.producer = this.admin = undefined;
    await Promise.all([
      producer?.then((p) => p.disconnect()).catch(() => undefined),
      admin?.then((a) => a.disconnect()).catch(() => undefined),
    ]);
  }

  private connectedProducer(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      this.producer = producer.connect().then(() => producer);
      this.producer.catch(() => (this.producer = undefined));
    }
    return this.producer;
  }

  private connectedAdmin(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      this.admin = admin.connect().then(() => admin);
      this.admin.catch(() => (this.admin = undefined));
    }
    return this.admin;
  }

  private assertOpen(): void {
    if (this.closed) throw new InfrastructureError('The Kafka message bus is closed', false);
  }
}

/** kafkajs types SASL per mechanism: a union it can narrow. */
function saslOptions({ mechanism, username, password }: KafkaCredentials): SASLOptions {
  if (mechanism === 'plain') return { mechanism, username, password };
  if (mechanism === 'scram-sha-256') return { mechanism, username, password };
  return { mechanism, username, password };
}
