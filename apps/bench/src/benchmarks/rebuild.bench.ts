import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HubRuntime, hubProjections, InitAreaCommand, InitAreaHandler, ProjectionEngine } from '@hub/hub';
import type { AreaConfig, CloudEvent } from '@hub/kernel';
import { simulate } from '@hub/simulation';
import type { BenchContext, BenchFigure } from '../bench-context';
import { hubNodeArgs, repoRoot, runHubCommand } from '../support/hub-process';

const batchSize = 1000;

interface ReplayOutput {
  readonly projections: readonly { projection: string; events: number; seconds: number }[];
}

/**
 * Issue 9: `hub replay` over a log of `events` simulated events (every projection rebuilt into
 * fresh tables, then swapped in), run as its own process so that its peak RSS is the hub's alone.
 * Figures: log events per second of rebuild for the slowest projection and for all of them in
 * turn, and the replay process's peak RSS.
 */
export async function rebuildAndMemory(context: BenchContext, events = 1_000_000): Promise<BenchFigure[]> {
  const area = JSON.parse(readFileSync(join(repoRoot, 'deploy', 'demo', 'area.json'), 'utf8')) as AreaConfig;
  const masterKey = Buffer.alloc(32, 9);
  const databaseUrl = await context.freshDatabase('bench_rebuild');
  const hub = await HubRuntime.open({ location: { kind: 'server', url: databaseUrl }, masterKey });
  let logEvents = 0;
  try {
    await new InitAreaHandler(hub).execute(new InitAreaCommand(area, 'bench'));
    const ingestStarted = performance.now();
    await hub.pipeline.ingestBatches(batches(simulate({ area, people: Math.ceil(events / 3), seed: 'bench-rebuild', from: '2025-01-01', months: 12 }), events), { channel: 'cli' }, () => undefined);
    process.stderr.write(`  (ingested ${events} events in ${Math.round((performance.now() - ingestStarted) / 1000)} s; catching up)\n`);
    await new ProjectionEngine(hub, hubProjections(hub)).catchUp();
    logEvents = Number((await hub.database.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events')).rows[0]!.n);
  } finally {
    await hub.close();
  }
  const replay = await runHubCommand({ databaseUrl, masterKey }, ['replay']);
  const output = JSON.parse(replay.stdout) as ReplayOutput;
  const rebuildSeconds = output.projections.reduce((sum, p) => sum + p.seconds, 0);
  const slowest = output.projections.reduce((a, b) => (a.seconds >= b.seconds ? a : b));
  const slowestRate = Math.round(logEvents / slowest.seconds);
  const allRate = Math.round(logEvents / rebuildSeconds);
  return [
    { name: `projection rebuild, slowest (${slowest.projection})`, value: slowestRate, unit: 'events/s', target: '>= 100000', met: slowestRate >= 100_000, note: `${logEvents} events in the log` },
    {
      name: `projection rebuild, all ${output.projections.length} in turn`, value: allRate, unit: 'events/s',
      note: output.projections.map((p) => `${p.projection} ${Math.round(logEvents / p.seconds)}/s`).join(', '),
    },
    { name: `hub replay peak RSS at ${Math.round(logEvents / 1000)}k events`, value: Math.round(replay.peakRssMiB), unit: 'MiB', target: '<= 512', met: replay.peakRssMiB <= 512,
      note: hubNodeArgs.length > 0 ? `node ${hubNodeArgs.join(' ')} (as the image runs it)` : 'no heap cap' },
  ];
}

/** The first `count` events, in batches of 1,000 as `ingestBatches` takes them. */
export function* batches(events: Iterable<CloudEvent>, count: number): Iterable<{ kind: 'parsed'; value: unknown }[]> {
  let batch: { kind: 'parsed'; value: unknown }[] = [];
  let n = 0;
  for (const event of events) {
    if (n++ >= count) break;
    batch.push({ kind: 'parsed', value: event });
    if (batch.length === batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
