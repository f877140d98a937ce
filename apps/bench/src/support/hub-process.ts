import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..', '..', '..');
const hubBin = join(repoRoot, 'bin', 'hub.js');

/** Where a bench hub keeps its data: a server database (with its master key) or an embedded data dir. */
export type HubStorage = { readonly databaseUrl: string; readonly masterKey: Buffer } | { readonly dataDir: string };

function storageArgs(storage: HubStorage): string[] {
  return 'dataDir' in storage ? ['--data-dir', storage.dataDir] : ['--database-url', storage.databaseUrl];
}

function storageEnv(storage: HubStorage): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HUB_LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.HUB_DATA_DIR;
  if ('masterKey' in storage) env.HUB_MASTER_KEY = storage.masterKey.toString('base64url');
  return env;
}

/**
 * Node flags for the `hub` processes a benchmark runs: by default the image's heap cap
 * (deploy/Dockerfile: NODE_OPTIONS=--max-old-space-size=384), so RSS is measured as deployed;
 * `BENCH_HUB_NODE_ARGS` overrides them ('' for none).
 */
export const hubNodeArgs = (process.env.BENCH_HUB_NODE_ARGS ?? '--max-old-space-size=384').split(' ').filter(Boolean);

/** Runs a `hub` command to completion; resolves with stdout, its wall time and the process's peak RSS. */
export function runHubCommand(storage: HubStorage, args: readonly string[]): Promise<{ stdout: string; seconds: number; peakRssMiB: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = execFile('node', [...hubNodeArgs, hubBin, ...storageArgs(storage), ...args], { env: storageEnv(storage), maxBuffer: 64 * 2 ** 20 }, (error, stdout, stderr) => {
      clearInterval(sampler);
      if (error) reject(new Error(`hub ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve({ stdout, seconds: (performance.now() - started) / 1000, peakRssMiB });
    });
    let peakRssMiB = 0;
    const sampler = setInterval(() => {
      const peak = peakRssOf(child);
      if (peak !== undefined) peakRssMiB = Math.max(peakRssMiB, peak);
    }, 100);
  });
}

/** Peak resident set (VmHWM) of a running process, in MiB; undefined once it has gone. */
export function peakRssOf(child: ChildProcess): number | undefined {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** `hub serve` as a child process; resolves once /health answers 200, with the time that took. */
export async function startHubServe(storage: HubStorage, port: number, extraEnv: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; secondsToFirstResponse: number; stop: () => Promise<void> }> {
  const started = performance.now();
  const child = spawn('node', [hubBin, ...storageArgs(storage), 'serve', '--port', String(port)], { env: { ...storageEnv(storage), ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = started + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`hub serve exited with ${child.exitCode}:\n${stderr}`);
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status === 200, () => false);
    if (ok) return { child, secondsToFirstResponse: (performance.now() - started) / 1000, stop };
    if (performance.now() > deadline) {
      await stop();
      throw new Error(`hub serve did not answer /health within 60 s:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
