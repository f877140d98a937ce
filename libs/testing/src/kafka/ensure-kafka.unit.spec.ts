import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KafkaForTests } from './ensure-kafka';

/** Each case loads ensure-kafka afresh: it remembers its answer per process. */
function freshEnsureKafka(): () => Promise<KafkaForTests> {
  let ensure: () => Promise<KafkaForTests> = () => Promise.reject(new Error('not loaded'));
  jest.isolateModules(() => {
    ensure = (require('./ensure-kafka') as typeof import('./ensure-kafka')).ensureKafka;
  });
  return ensure;
}

describe('ensureKafka', () => {
  const saved = { ...process.env };
  let occupied: Server | undefined;
  let cacheDir: string | undefined;

  afterEach(async () => {
    process.env = { ...saved };
    if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
    await new Promise<void>((resolve) => (occupied ? occupied.close(() => resolve()) : resolve()));
    occupied = undefined;
  });

  /** The script refuses a port something else listens on: a broker that cannot start. */
  async function makeLocalBrokerImpossible(): Promise<void> {
    occupied = createServer();
    await new Promise<void>((resolve) => occupied!.listen(0, '127.0.0.1', resolve));
    const address = occupied.address();
    delete process.env.KAFKA_BROKERS;
    // A data dir of its own: never the one of a broker already running (CI exports its own
    // KAFKA_DATA_DIR, and the script would wait on, then kill, that broker). The jar cache is
    // left alone: the port check comes before any resolution.
    delete process.env.KAFKA_CONTROLLER_PORT;
    cacheDir = mkdtempSync(join(tmpdir(), 'ensure-kafka-'));
    process.env.KAFKA_DATA_DIR = cacheDir;
    process.env.KAFKA_PORT = String(typeof address === 'object' && address ? address.port : 0);
  }

  it('uses KAFKA_BROKERS when set', async () => {
    process.env.KAFKA_BROKERS = 'kafka-1:9092, kafka-2:9092';
    await expect(freshEnsureKafka()()).resolves.toEqual({ brokers: ['kafka-1:9092', 'kafka-2:9092'] });
  });

  it('fails, never skips, when services are required and no broker can start', async () => {
    await makeLocalBrokerImpossible();
    process.env.HUB_REQUIRE_SERVICES = '1';
    await expect(freshEnsureKafka()()).rejects.toThrow(/HUB_REQUIRE_SERVICES=1 and no Kafka broker.*in use/s);
  }, 60_000);

  it('returns a skip reason, and says so loudly, when not required', async () => {
    await makeLocalBrokerImpossible();
    delete process.env.HUB_REQUIRE_SERVICES;
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const kafka = await freshEnsureKafka()();
    expect(kafka.brokers).toEqual([]);
    expect(kafka.skipReason).toMatch(/in use/);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('KAFKA TESTS NOT RUN'));
    warn.mockRestore();
  }, 60_000);
});
