import { execFile, spawnSync } from 'node:child_process';
import { KafkaMessageBus, silentBusLogger, type MessageBus } from '..';
import { ensureKafka, randomGroup, randomTopic, type KafkaForTests } from '../../../testing/src/kafka';
import { Inbox } from '../../test/inbox';

jest.setTimeout(120_000);

/** kcat (Debian package `kcat`, librdkafka) is a client no one here wrote. */
describe('interop with kcat', () => {
  let kafka: KafkaForTests = { brokers: [] };
  let kcatMissing: string | undefined;
  let bus: MessageBus | undefined;

  beforeAll(async () => {
    kafka = await ensureKafka();
    if (spawnSync('kcat', ['-V']).error) {
      kcatMissing = 'kcat is not installed (apt-get install -y kcat)';
      if (process.env.HUB_REQUIRE_SERVICES === '1') throw new Error(`HUB_REQUIRE_SERVICES=1 and ${kcatMissing}`);
      console.warn(`!! KCAT INTEROP NOT TESTED: ${kcatMissing}`);
    }
  });

  afterAll(async () => bus?.close());

  const unavailable = () => kafka.skipReason !== undefined || kcatMissing !== undefined;
  const cloudEvent = {
    specversion: '1.0', id: 'c0b9a1e6-1c44-4c1e-9d3a-5f2b7a9c8e01', source: 'agency:prison-hmp-northgate',
    type: 'uk.gov.cdp.release.recorded', subject: 'A1234BC', time: '2026-11-02T09:30:00Z',
    datacontenttype: 'application/json', data: { releasedOn: '2026-11-02' },
  };

  it('receives a CloudEvent that kcat produced, with key and headers', async () => {
    if (unavailable()) return;
    bus = new KafkaMessageBus({ brokers: kafka.brokers, logger: silentBusLogger, maxWaitTimeMs: 250, topicRefreshIntervalMs: 500 });
    const topic = randomTopic('cdp.inbound.kcat');
    const inbox = new Inbox();
    await bus.subscribe({ groupId: randomGroup('kcat'), topics: [topic], fromBeginning: true, handle: inbox.handle });

    await kcat(
      ['-b', kafka.brokers.join(','), '-t', topic, '-P', '-K', '|', '-H', 'ce_source=agency:prison-hmp-northgate', '-H', 'content-type=application/cloudevents+json'],
      `prison-hmp-northgate:A1234BC|${JSON.stringify(cloudEvent)}\n`,
    );
    await inbox.waitForDistinct(1, 60_000);

    const [message] = inbox.firstDeliveries();
    expect(message?.key).toBe('prison-hmp-northgate:A1234BC');
    expect(JSON.parse(message?.value?.toString() ?? 'null')).toEqual(cloudEvent);
    expect(message?.headers).toEqual({ ce_source: 'agency:prison-hmp-northgate', 'content-type': 'application/cloudevents+json' });
  });

  it('publishes what kcat reads back, key, value and headers intact', async () => {
    if (unavailable()) return;
    bus ??= new KafkaMessageBus({ brokers: kafka.brokers, logger: silentBusLogger });
    const topic = randomTopic('cdp.outbound.kcat');
    await bus.publish(topic, [{ key: 'alert-1', value: JSON.stringify(cloudEvent), headers: { ce_type: cloudEvent.type } }]);

    const output = await kcat(['-b', kafka.brokers.join(','), '-t', topic, '-C', '-o', 'beginning', '-c', '1', '-e', '-f', '%k\t%h\t%s\n'], '');
    expect(output.trimEnd().split('\t')).toEqual(['alert-1', `ce_type=${cloudEvent.type}`, JSON.stringify(cloudEvent)]);
  });
});

function kcat(args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('kcat', args, { timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`kcat ${args.join(' ')} failed: ${stderr}`)) : resolve(stdout),
    );
    child.stdin?.end(input);
  });
}
