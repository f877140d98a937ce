import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BenchFigure, percentile } from '../bench-context';
import { runHubCommand, startHubServe } from '../support/hub-process';

/**
 * Issue 9: embedded default, from `hub serve` starting (a node process, its own PostgreSQL on a
 * data directory initialised before) to the first answered request. The first start of a data
 * directory (initdb) is not timed: that happens once per installation.
 */
export async function embeddedStartup(runs = 5): Promise<BenchFigure[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'hub-bench-start-'));
  const port = 39_000 + Math.floor(Math.random() * 1000);
  const seconds: number[] = [];
  try {
    await runHubCommand({ dataDir }, ['init', '--config', join(__dirname, '..', '..', '..', '..', 'deploy', 'demo', 'area.json')]);
    for (let run = 0; run < runs; run++) {
      const hub = await startHubServe({ dataDir }, port);
      seconds.push(hub.secondsToFirstResponse);
      await hub.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
  seconds.sort((a, b) => a - b);
  const median = Math.round(percentile(seconds, 50) * 100) / 100;
  return [{
    name: 'embedded start to first request, median', value: median, unit: 's', target: '< 3', met: median < 3,
    note: `${runs} starts on an initialised data dir; min ${seconds[0]!.toFixed(2)} s, max ${seconds[seconds.length - 1]!.toFixed(2)} s`,
  }];
}
