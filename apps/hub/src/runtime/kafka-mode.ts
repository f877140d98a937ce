import { InboundConsumer } from '@hub/inbound';
import { type BusLogger, describeError, HubTopics, type KafkaCredentials, KafkaMessageBus } from '@hub/messaging';
import { OutboxRelay } from '@hub/outbox';
import type { HubRuntime } from './hub-runtime';
import type { Logger } from './logger';

/** Server mode's Kafka settings, from the environment. Absent when `KAFKA_BROKERS` is not set. */
export interface KafkaSettings {
  readonly brokers: string[];
  readonly topics: HubTopics;
  readonly clientId: string;
  /** Partitions of the inbound and rejected topics the hub creates for configured agencies. */
  readonly inboundPartitions: number;
  /** Inbound partitions one process ingests at once, each in order. */
  readonly partitionConcurrency: number;
  /** How long the group waits for a silent member before giving its partitions to another (a crashed process). */
  readonly sessionTimeoutMs: number;
  /** KAFKA_SSL=true: TLS to the brokers. */
  readonly ssl: boolean;
  /** KAFKA_SASL_MECHANISM (plain, scram-sha-256, scram-sha-512), KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD. */
  readonly sasl?: KafkaCredentials;
}

export function kafkaSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): KafkaSettings | undefined {
  const brokers = (env.KAFKA_BROKERS ?? '').split(',').map((broker) => broker.trim()).filter(Boolean);
  if (brokers.length === 0) return undefined;
  return {
    brokers,
    topics: new HubTopics(env.HUB_KAFKA_TOPIC_PREFIX || 'cdp'),
    clientId: env.HUB_KAFKA_CLIENT_ID || 'cdp-hub',
    inboundPartitions: positive(env.HUB_KAFKA_INBOUND_PARTITIONS, 3, 'HUB_KAFKA_INBOUND_PARTITIONS'),
    partitionConcurrency: positive(env.HUB_KAFKA_PARTITION_CONCURRENCY, 2, 'HUB_KAFKA_PARTITION_CONCURRENCY'),
    sessionTimeoutMs: positive(env.HUB_KAFKA_SESSION_TIMEOUT_MS, 30_000, 'HUB_KAFKA_SESSION_TIMEOUT_MS'),
    ssl: env.KAFKA_SSL === 'true' || env.KAFKA_SSL === '1',
    ...saslFromEnv(env),
  };
}

function saslFromEnv(env: NodeJS.ProcessEnv): { sasl?: KafkaCredentials } {
  const mechanism = env.KAFKA_SASL_MECHANISM;
  if (!mechanism) return {};
  if (mechanism !== 'plain' && mechanism !== 'scram-sha-256' && mechanism !== 'scram-sha-512') {
    throw new Error(`KAFKA_SASL_MECHANISM: ${JSON.stringify(mechanism)} is not one of plain, scram-sha-256, scram-sha-512`);
  }
  if (!env.KAFKA_SASL_USERNAME || !env.KAFKA_SASL_PASSWORD) throw new Error('KAFKA_SASL_MECHANISM is set: KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are needed too');
  return { sasl: { mechanism, username: env.KAFKA_SASL_USERNAME, password: env.KAFKA_SASL_PASSWORD } };
}

/** pino behind the bus port's small logger. */
export function busLoggerFor(logger: Logger, component: string): BusLogger {
  const child = logger.child({ component });
  return {
    info: (message, fields) => child.info(fields ?? {}, message),
    warn: (message, fields) => child.warn(fields ?? {}, message),
    error: (message, fields) => child.error(fields ?? {}, message),
  };
}

export function createKafkaBus(settings: KafkaSettings, logger: Logger): KafkaMessageBus {
  return new KafkaMessageBus({
    brokers: settings.brokers,
    clientId: settings.clientId,
    ssl: settings.ssl,
    ...(settings.sasl ? { sasl: settings.sasl } : {}),
    logger: busLoggerFor(logger, 'kafka'),
    partitionConcurrency: settings.partitionConcurrency,
    sessionTimeoutMs: settings.sessionTimeoutMs,
    // New agencies' inbound topics are picked up within this (and read from their first record).
    topicRefreshIntervalMs: 10_000,
  });
}

/**
 * Creates the configured agencies' topics that do not exist yet (inbound and rejected with
 * `inboundPartitions`, outbound with one partition so each agency's events are totally ordered).
 * Where the cluster's operators create topics themselves this finds them all and does nothing.
 */
export async function ensureAgencyTopics(hub: HubRuntime, bus: KafkaMessageBus, settings: KafkaSettings): Promise<void> {
  const agencies = [...(await hub.directories.current()).agencies.keys()];
  if (agencies.length === 0) return;
  const { topics } = settings;
  await bus.ensureTopics(agencies.flatMap((id) => [topics.inbound(id), topics.rejected(id)]), { partitions: settings.inboundPartitions });
  await bus.ensureTopics(agencies.map((id) => topics.outbound(id)), { partitions: 1 });
}

/** The inbound consumer of one hub process; all processes share the group. */
export function createInboundConsumer(hub: HubRuntime, bus: KafkaMessageBus, settings: KafkaSettings): InboundConsumer {
  const log = hub.logger.child({ component: 'inbound' });
  return new InboundConsumer({
    bus, pipeline: hub.pipeline, topics: settings.topics, clock: hub.clock, logger: busLoggerFor(hub.logger, 'inbound'),
    onBatch: (summary) => log.debug(summary, 'inbound batch stored'),
  });
}

export function createOutboxRelay(hub: HubRuntime, bus: KafkaMessageBus, settings: KafkaSettings): OutboxRelay {
  return new OutboxRelay({ database: hub.database, bus, topics: settings.topics, logger: busLoggerFor(hub.logger, 'outbox-relay'), idlePollMs: 500 });
}

/** Logs and swallows: used on shutdown paths, where one failure must not stop the rest. */
export async function quietly(logger: Logger, what: string, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    logger.warn({ error: describeError(error) }, `${what} failed`);
  }
}

function positive(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${name}: ${JSON.stringify(value)} is not a positive whole number`);
  return parsed;
}

/**
 * The Kafka side of one process: the inbound consumer (API processes) and/or the outbox relay
 * (the projector, or the single all-in-one process). Starting never blocks on the broker: the
 * consumer is retried in the background until it joins, so the API serves meanwhile.
 */
export class KafkaWorkers {
  private readonly bus: KafkaMessageBus;
  private consumer: InboundConsumer | undefined;
  private relay: OutboxRelay | undefined;
  private starting: Promise<void> | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;

  constructor(private readonly hub: HubRuntime, private readonly settings: KafkaSettings) {
    this.bus = createKafkaBus(settings, hub.logger);
  }

  /** Whether this process's outbox relay is the active one; undefined when it runs no relay. */
  get relayIsLeader(): boolean | undefined {
    return this.relay?.isLeader;
  }

  start(parts: { inbound: boolean; relay: boolean }): void {
    if (parts.relay) {
      this.relay = createOutboxRelay(this.hub, this.bus, this.settings);
      this.relay.start();
    }
    if (parts.inbound) this.starting = this.startConsumer();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.starting;
    const log = this.hub.logger;
    await quietly(log, 'stopping the inbound consumer', async () => this.consumer?.stop());
    await quietly(log, 'stopping the outbox relay', async () => this.relay?.stop());
    await quietly(log, 'closing the Kafka connection', () => this.bus.close());
  }

  private async startConsumer(): Promise<void> {
    const log = this.hub.logger.child({ component: 'inbound' });
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        // Where operators create topics and the hub may not, the consumer still starts.
        await ensureAgencyTopics(this.hub, this.bus, this.settings).catch((error: unknown) =>
          log.warn({ error: describeError(error) }, 'could not create the agencies\' topics; consuming those that exist'));
        const consumer = createInboundConsumer(this.hub, this.bus, this.settings);
        await consumer.start();
        this.consumer = consumer;
        return;
      } catch (error) {
        const retryInMs = Math.min(30_000, 500 * 2 ** Math.min(attempt, 6));
        log.error({ attempt, retryInMs, error: describeError(error) }, 'inbound consumer could not start; retrying');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, retryInMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }
}
