import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HubRuntime, InitAreaCommand, InitAreaHandler, KafkaWorkers, kafkaSettingsFromEnv } from '@hub/hub';
import { ingestReceipts } from '@hub/inbound';
import type { IngestContext, IngestInput } from '@hub/ingest';
import type { AreaConfig, CloudEvent } from '@hub/kernel';
import { HubTopics, KafkaMessageBus, type ReceivedMessage, silentBusLogger } from '@hub/messaging';
import { Outbox } from '@hub/outbox';
import { simulate } from '@hub/simulation';
import { randomTopic, startLocalKafka } from '@hub/testing';
import pino from 'pino';
import type { BenchContext, BenchFigure } from '../bench-context';

const area = (): AreaConfig => JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'deploy', 'demo', 'area.json'), 'utf8')) as AreaConfig;
const quiet = pino({ level: 'error' }, pino.destination(2));
type ReceiptMode = 'none' | 'row per batch' | 'row per event';

/**
 * Issue 4: Kafka in -> stored events/s end to end (agencies' records on the inbound topics, the
 * hub's consumer through the ingest pipeline, receipts into the outbox), what receipts cost the
 * pipeline (interleaved rounds: noise falls on every variant alike), and the outbox relay's rate.
 * KAFKA_BROKERS, else the local broker (deploy/local/kafka.sh).
 */
export async function kafkaIngest(context: BenchContext, events = 50_000, receiptEvents = 20_000): Promise<BenchFigure[]> {
  const brokers = process.env.KAFKA_BROKERS?.split(',') ?? (await startLocalKafka()).brokers;
  const figures: BenchFigure[] = [];
  if (receiptEvents > 0) figures.push(...(await receiptsCost(context, generate(receiptEvents, 'bench-receipts'))));
  if (events > 0) figures.push(...(await endToEnd(context, brokers, generate(events, 'bench-kafka'))));
  return figures;
}

function generate(count: number, seed: string): CloudEvent[] {
  const all: CloudEvent[] = [];
  for (const event of simulate({ area: area(), people: Math.ceil(count / 2), seed, from: '2025-01-01', months: 12 })) {
    all.push(event);
    if (all.length === count) break;
  }
  return all;
}

async function receiptsCost(context: BenchContext, events: readonly CloudEvent[], rounds = 3): Promise<BenchFigure[]> {
  const modes: ReceiptMode[] = ['none', 'row per batch', 'row per event'];
  const runs = new Map<ReceiptMode, IngestRun[]>(modes.map((mode) => [mode, []]));
  for (let round = 0; round < rounds; round++) {
    for (const mode of modes) runs.get(mode)!.push(await ingestRun(context, events, mode));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const rate = (mode: ReceiptMode) => Math.round(median(runs.get(mode)!.map((run) => events.length / (run.totalMs / 1000))));
  // The receipts' own time inside the batch transaction: steadier on a busy machine than a difference of two rates.
  const perBatchMs = (mode: ReceiptMode) => median(runs.get(mode)!.map((run) => run.receiptsMs / run.batches));
  const share = (mode: ReceiptMode) => median(runs.get(mode)!.map((run) => (run.receiptsMs / run.totalMs) * 100));
  const note = `${events.length} events in batches of 1000 (as the consumer sends them), median of ${rounds} interleaved rounds`;
  return [
    { name: 'ingest without receipts', value: rate('none'), unit: 'events/s', note },
    { name: 'ingest with receipts, one outbox row per batch (chosen)', value: rate('row per batch'), unit: 'events/s',
      note: `receipts ${perBatchMs('row per batch').toFixed(1)} ms per batch, ${share('row per batch').toFixed(1)}% of ingest time` },
    { name: 'ingest with receipts, one outbox row per event', value: rate('row per event'), unit: 'events/s',
      note: `receipts ${perBatchMs('row per event').toFixed(1)} ms per batch, ${share('row per event').toFixed(1)}% of ingest time` },
  ];
}

interface IngestRun {
  readonly totalMs: number;
  readonly receiptsMs: number;
  readonly batches: number;
}

async function ingestRun(context: BenchContext, events: readonly CloudEvent[], mode: ReceiptMode): Promise<IngestRun> {
  const hub = await openHub(context, 'bench_receipts');
  let receiptsMs = 0;
  let batches = 0;
  try {
    const started = performance.now();
    for (let offset = 0; offset < events.length; offset += 1000) {
      const batch = events.slice(offset, offset + 1000);
      const records: ReceivedMessage[] = batch.map((event, i) => ({
        topic: `cdp.inbound.${event.source.slice('agency:'.length)}`, partition: 0, offset: String(offset + i), key: event.subject, value: null, headers: {}, timestamp: '0',
      }));
      const ingestContext: IngestContext = {
        channel: 'kafka',
        ...(mode === 'none' ? {} : {
          withinTransaction: async (client, { outcomes, areaId }) => {
            const receiptsStarted = performance.now();
            const receipts = ingestReceipts(records, outcomes, areaId!, new Date());
            if (mode === 'row per batch') await Outbox.enqueue(client, 'bench-agency', receipts);
            else await Outbox.enqueueAll(client, receipts.map((receipt) => ({ agencyId: 'bench-agency', events: [receipt] })));
            receiptsMs += performance.now() - receiptsStarted;
          },
        }),
      };
      await hub.pipeline.ingest(batch.map((value): IngestInput => ({ kind: 'parsed', value })), ingestContext);
      batches += 1;
    }
    return { totalMs: performance.now() - started, receiptsMs, batches };
  } finally {
    await hub.close();
  }
}

async function endToEnd(context: BenchContext, brokers: string[], events: readonly CloudEvent[]): Promise<BenchFigure[]> {
  const hub = await openHub(context, 'bench_kafka');
  const topics = new HubTopics(`${randomTopic('bench')}.cdp`);
  const agencies = new KafkaMessageBus({ brokers, logger: silentBusLogger });
  try {
    await agencies.ensureTopics(area().agencies.map((agency) => topics.inbound(agency.id)), { partitions: 3 });
    const bySource = new Map<string, CloudEvent[]>();
    for (const event of events) bySource.set(event.source, [...(bySource.get(event.source) ?? []), event]);
    let started = performance.now();
    for (const [source, own] of bySource) {
      for (let i = 0; i < own.length; i += 1000) {
        await agencies.publish(topics.inbound(source.slice('agency:'.length)), own.slice(i, i + 1000).map((event) => ({
          key: event.subject, value: JSON.stringify(event), headers: { 'content-type': 'application/cloudevents+json' },
        })));
      }
    }
    const produceMs = performance.now() - started;

    const settings = { ...kafkaSettingsFromEnv({ ...process.env, KAFKA_BROKERS: brokers.join(',') })!, topics };
    const consumer = new KafkaWorkers(hub, settings);
    started = performance.now();
    consumer.start({ inbound: true, relay: false });
    let firstStored: number | undefined;
    for (;;) {
      const done = await count(hub, `SELECT (SELECT count(*) FROM event_store.events WHERE source LIKE 'agency:%') + (SELECT count(*) FROM ingest.rejections) AS n`);
      if (done > 0) firstStored ??= performance.now();
      if (done >= events.length) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const consumed = performance.now();
    await consumer.stop();

    const receipts = await count(hub, 'SELECT coalesce(sum(event_count), 0) AS n FROM outbox.deliveries');
    const relay = new KafkaWorkers(hub, settings);
    const relayStarted = performance.now();
    relay.start({ inbound: false, relay: true });
    while ((await count(hub, 'SELECT count(*) AS n FROM outbox.deliveries WHERE sent_at IS NULL')) > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    const relayMs = performance.now() - relayStarted;
    await relay.stop();

    const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));
    return [
      { name: 'agencies produce to inbound topics', value: rate(events.length, produceMs), unit: 'events/s', note: `${events.length} simulated events, 3 partitions, 1000 per request, acks=all` },
      { name: 'Kafka in -> stored', value: rate(events.length, consumed - firstStored!), unit: 'events/s',
        note: `from the first stored event; partition concurrency ${settings.partitionConcurrency}, receipts in the outbox` },
      { name: 'Kafka in -> stored, including joining the group', value: rate(events.length, consumed - started), unit: 'events/s',
        note: `${((firstStored! - started) / 1000).toFixed(1)} s to the first stored event` },
      { name: 'outbox relay -> outbound topics', value: rate(receipts, relayMs), unit: 'events/s', note: `${receipts} receipts` },
    ];
  } finally {
    await agencies.close();
    await hub.close();
  }
}

async function openHub(context: BenchContext, prefix: string): Promise<HubRuntime> {
  const hub = await HubRuntime.open({ location: { kind: 'server', url: await context.freshDatabase(prefix) }, masterKey: Buffer.alloc(32, 2), logger: quiet });
  await new InitAreaHandler(hub).execute(new InitAreaCommand(area(), 'bench'));
  return hub;
}

async function count(hub: HubRuntime, sql: string): Promise<number> {
  const { rows } = await hub.database.query<{ n: string }>(sql);
  return Number(rows[0]!.n);
}
