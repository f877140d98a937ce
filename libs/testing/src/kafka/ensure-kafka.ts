import { startLocalKafka } from './local-kafka';

export interface KafkaForTests {
  /** Bootstrap addresses; empty when no broker could be had. */
  readonly brokers: string[];
  /** Set when Kafka is unavailable and not required: the test returns early, loudly. */
  readonly skipReason?: string;
}

let pending: Promise<KafkaForTests> | undefined;

/**
 * A broker for integration tests: `KAFKA_BROKERS` when set, otherwise the local broker
 * started by `deploy/local/kafka.sh` (left running for the next run). When neither works and
 * `HUB_REQUIRE_SERVICES=1`, this throws: the test fails, it is never skipped.
 */
export function ensureKafka(): Promise<KafkaForTests> {
  pending ??= locateKafka();
  return pending;
}

async function locateKafka(): Promise<KafkaForTests> {
  const configured = process.env.KAFKA_BROKERS?.split(',').map((b) => b.trim()).filter(Boolean) ?? [];
  if (configured.length > 0) return { brokers: configured };
  try {
    const { brokers } = await startLocalKafka();
    // Child processes of the test (and later calls) use the same broker.
    process.env.KAFKA_BROKERS = brokers.join(',');
    return { brokers };
  } catch (error) {
    const reason = `no Kafka broker: KAFKA_BROKERS is not set and the local broker did not start (${
      error instanceof Error ? error.message : String(error)
    })`;
    if (process.env.HUB_REQUIRE_SERVICES === '1') {
      throw new Error(`HUB_REQUIRE_SERVICES=1 and ${reason}`, { cause: error });
    }
    console.warn(`\n${'!'.repeat(78)}\n!! KAFKA TESTS NOT RUN: ${reason}\n!! Set HUB_REQUIRE_SERVICES=1 to make this a failure.\n${'!'.repeat(78)}\n`);
    return { brokers: [], skipReason: reason };
  }
}
