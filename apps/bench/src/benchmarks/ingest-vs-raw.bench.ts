import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from '@hub/database';
import { contentHashOf, PostgresEventStore } from '@hub/event-store';
import type { IngestInput } from '@hub/ingest';
import type { AreaConfig, CloudEvent } from '@hub/kernel';
import { HubRuntime, InitAreaCommand, InitAreaHandler } from '@hub/hub';
import { simulate } from '@hub/simulation';
import type { BenchContext, BenchFigure } from '../bench-context';

const batchSize = 1000;
const segments = 4;

/**
 * Issue 2: the whole ingest pipeline (validation, agreements, sealing, idempotent append) against
 * raw batched INSERTs of the same rows into the same PostgreSQL. Interleaved in segments so that
 * machine noise falls on both alike; the figure is the ratio of their rates.
 */
export async function ingestVersusRawInsert(context: BenchContext, events = 200_000): Promise<BenchFigure[]> {
  const area = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'deploy', 'demo', 'area.json'), 'utf8')) as AreaConfig;
  const all = [...take(simulate({ area, people: Math.ceil(events / 3), seed: 'bench-ingest', from: '2025-01-01', months: 12 }), events)];
  const lines = all.map((event) => JSON.stringify(event));

  const pipelineHub = await HubRuntime.open({ location: { kind: 'server', url: await context.freshDatabase('bench_pipeline') }, masterKey: Buffer.alloc(32, 1) });
  await new InitAreaHandler(pipelineHub).execute(new InitAreaCommand(area, 'bench'));
  const rawDatabase = new Database(await context.freshDatabase('bench_raw'));
  await PostgresEventStore.install(rawDatabase);

  let pipelineMs = 0;
  let rawMs = 0;
  let accepted = 0;
  const perSegment = Math.ceil(lines.length / segments);
  const positions = new Map<string, number>();
  for (let s = 0; s < segments; s++) {
    const slice = lines.slice(s * perSegment, (s + 1) * perSegment);
    rawMs += await timed(() => rawInsert(rawDatabase, slice.map((line) => JSON.parse(line) as CloudEvent), positions));
    pipelineMs += await timed(() => pipelineHub.pipeline.ingestBatches(batchesOf(slice), { channel: 'cli' }, (outcomes) => {
      accepted += outcomes.filter((o) => o.status === 'accepted').length;
    }));
  }
  await pipelineHub.close();
  await rawDatabase.close();
  const pipelineRate = (lines.length / pipelineMs) * 1000;
  const rawRate = (lines.length / rawMs) * 1000;
  const ratio = pipelineRate / rawRate;
  return [
    { name: 'ingest pipeline', value: Math.round(pipelineRate), unit: 'events/s', note: `${accepted} of ${lines.length} accepted, batches of ${batchSize}` },
    { name: 'raw batched INSERT, same rows', value: Math.round(rawRate), unit: 'rows/s', note: `batches of ${batchSize}` },
    { name: 'pipeline / raw insert', value: round(ratio, 2), unit: 'ratio', target: '>= 0.6', met: ratio >= 0.6 },
  ];
}

/** The baseline: the same envelope fields into the same table, one multi-row INSERT per 1,000, no checks. */
async function rawInsert(database: Database, events: readonly CloudEvent[], positions: Map<string, number>): Promise<void> {
  for (let i = 0; i < events.length; i += batchSize) {
    const chunk = events.slice(i, i + batchSize);
    const values: unknown[] = [];
    const tuples = chunk.map((event) => {
      const streamId = `${event.source}:${event.subject}`;
      const position = (positions.get(streamId) ?? 0) + 1;
      positions.set(streamId, position);
      const base = values.length;
      values.push(event.id, streamId, position, event.type, event.source, event.subject, event.time, contentHashOf(event), JSON.stringify(event.data));
      return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, $${base + 6}, $${base + 7}, $${base + 8}, $${base + 9}::jsonb)`;
    });
    await database.query(
      `INSERT INTO event_store.events (event_id, stream_id, stream_position, type, source, subject, occurred_at, content_hash, data) VALUES ${tuples.join(', ')}`,
      values,
    );
  }
}

/** From text, as the CLI and HTTP receive it: parsing is part of the pipeline's cost. */
function* batchesOf(lines: readonly string[]): Iterable<IngestInput[]> {
  for (let i = 0; i < lines.length; i += batchSize) yield lines.slice(i, i + batchSize).map((line) => ({ kind: 'parsed', value: JSON.parse(line) }));
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

function* take<T>(items: Iterable<T>, count: number): Iterable<T> {
  let n = 0;
  for (const item of items) {
    if (n++ >= count) return;
    yield item;
  }
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
