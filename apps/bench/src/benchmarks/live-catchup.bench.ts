import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { HubRuntime, hubProjections, InitAreaCommand, InitAreaHandler } from '@hub/hub';
import type { AreaConfig, CloudEvent } from '@hub/kernel';
import { ensureRegistered, ProjectionRunner } from '@hub/projections';
import { simulate } from '@hub/simulation';
import type { BenchContext, BenchFigure } from '../bench-context';
import { repoRoot } from '../support/hub-process';
import { batches } from './rebuild.bench';

/**
 * Issue 9 (soak: lag under 1 s at 500 events/s): how fast each projection follows the log in live
 * mode. Ingests `events` simulated events (the soak's population: rounds of 2000 people over six
 * months), then catches each projection up in turn, in the hub's dependency order, with the live
 * runner (pages of 500, one transaction per page, processors appending), timing it and counting
 * its SQL round trips. The slowest projection bounds the rate the hub can sustain.
 * `BENCH_LIVE_UNTIL=<projection>` stops after that projection (e.g. `identity`, to time it alone).
 */
export async function liveCatchUp(context: BenchContext, events = 20_000): Promise<BenchFigure[]> {
  const area = JSON.parse(readFileSync(join(repoRoot, '..', 'shared', 'scenarios', 'area.json'), 'utf8')) as AreaConfig;
  const databaseUrl = await context.freshDatabase('bench_live');
  const hub = await HubRuntime.open({ location: { kind: 'server', url: databaseUrl }, masterKey: Buffer.alloc(32, 7) });
  const rows: { name: string; rate: number; seconds: number; queriesPerEvent: number; pages: number }[] = [];
  let logEvents = 0;
  try {
    await new InitAreaHandler(hub).execute(new InitAreaCommand(area, 'bench'));
    await hub.pipeline.ingestBatches(batches(soakEvents(area), events), { channel: 'cli' }, () => undefined);
    const queries = countQueries();
    const all = hubProjections(hub);
    const until = all.findIndex((p) => p.name === process.env.BENCH_LIVE_UNTIL);
    for (const projection of until >= 0 ? all.slice(0, until + 1) : all) {
      let pages = 0;
      const runner = new ProjectionRunner(hub.database, hub.store, projection, { clock: hub.clock, batchSize: 500, onProgress: () => (pages += 1) });
      // Registration (installing the tables) is not part of following the log; nor is the tick.
      await ensureRegistered(hub.database, projection);
      const before = queries.count;
      const started = performance.now();
      await runner.catchUp(600_000, { tick: false });
      const seconds = (performance.now() - started) / 1000;
      logEvents = Number((await hub.database.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events')).rows[0]!.n);
      rows.push({ name: projection.name, seconds, rate: Math.round(logEvents / seconds), queriesPerEvent: (queries.count - before) / logEvents, pages });
      if (process.env.BENCH_LIVE_SQL) process.stderr.write(`${queries.report()}\n`);
      queries.reset();
      process.stderr.write(`  ${projection.name}: ${logEvents} log events in ${seconds.toFixed(1)} s, ${pages} pages, ${((queries.count - before) / logEvents).toFixed(2)} SQL round trips per event\n`);
    }
  } finally {
    await hub.close();
  }
  const slowest = rows.reduce((a, b) => (a.rate <= b.rate ? a : b));
  return [
    {
      name: `live projections, slowest (${slowest.name})`, value: slowest.rate, unit: 'log events/s',
      // No target here: the soak's 500 events/s needs every projection together, and ingest, on the same cores.
      note: `${logEvents} events in the log, pages of 500; ${slowest.queriesPerEvent.toFixed(2)} SQL round trips per event; all in turn ${Math.round(logEvents / rows.reduce((sum, r) => sum + r.seconds, 0))}/s`,
    },
    {
      name: 'live projections, each', value: null, unit: '',
      note: rows.map((r) => `${r.name} ${r.rate}/s (${r.queriesPerEvent.toFixed(2)} SQL/event)`).join(', '),
    },
  ];
}

/** The soak's stream: one simulated population after another (2000 people over six months), each with its own seed. */
function* soakEvents(area: AreaConfig): Iterable<CloudEvent> {
  for (let round = 0; ; round++) yield* simulate({ area, people: 2000, seed: `soak-${round}`, from: '2025-01-01', months: 6 });
}

/**
 * Counts every query sent by any pg client of this process (the runner's pool and its locks); with
 * BENCH_LIVE_SQL=1, also the time spent waiting for each statement (by its first words), on stderr.
 */
function countQueries(): { readonly count: number; report(): string; reset(): void } {
  const byStatement = new Map<string, { n: number; ms: number }>();
  const counter = {
    count: 0,
    report: () => [...byStatement].sort(([, a], [, b]) => b.ms - a.ms).slice(0, 12).map(([sql, { n, ms }]) => `    ${Math.round(ms)} ms ${n}x ${sql}`).join('\n'),
    reset: () => byStatement.clear(),
  };
  const original = Client.prototype.query;
  Client.prototype.query = function (this: Client, ...args: unknown[]) {
    counter.count += 1;
    const result = (original as (...a: unknown[]) => unknown).apply(this, args);
    if (process.env.BENCH_LIVE_SQL && typeof args[0] === 'string' && result instanceof Promise) {
      const key = args[0].replace(/\s+/g, ' ').trim().slice(0, 90);
      const started = performance.now();
      const done = () => {
        const entry = byStatement.get(key) ?? { n: 0, ms: 0 };
        byStatement.set(key, { n: entry.n + 1, ms: entry.ms + performance.now() - started });
      };
      result.then(done, done);
    }
    return result;
  } as typeof Client.prototype.query;
  return counter;
}
