import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '@hub/database';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..', '..', '..');
export const sharedDir = resolve(repoRoot, '..', 'shared');
const hubBin = resolve(repoRoot, 'bin', 'hub.js');
const projectorBin = resolve(repoRoot, 'bin', 'projector.js');

export interface HubResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  json<T = unknown>(): T;
}

/** A hub on its own test database: the flags and environment every CLI call of one test uses. */
export interface HubTarget {
  readonly databaseUrl: string;
  readonly env: NodeJS.ProcessEnv;
}

export function hubTarget(databaseUrl: string): HubTarget {
  return { databaseUrl, env: { HUB_MASTER_KEY: randomBytes(32).toString('base64url'), HUB_LOG_LEVEL: 'warn' } };
}

/** Runs the built `hub` CLI as a user would, on the target's database. */
export function runHub(target: HubTarget, args: readonly string[], options: { input?: string; timeoutMs?: number } = {}): Promise<HubResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [hubBin, '--database-url', target.databaseUrl, ...args], {
      env: { ...process.env, ...target.env }, stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hub ${args.join(' ')} timed out\n${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? -1, stdout, stderr, json: <T>() => JSON.parse(stdout) as T });
    });
    child.stdin.end(options.input ?? '');
  });
}

export interface RunningHub {
  readonly url: string;
  readonly process: ChildProcess;
  /** Everything it wrote to stdout and stderr so far (its logs): for failure messages. */
  output(): string;
  /** SIGTERM, and wait for it to exit. */
  stop(): Promise<void>;
  /** SIGKILL: it dies mid-work, as in a crash, with nothing flushed or committed. */
  kill(): Promise<void>;
}

/** Starts `hub serve` on a free port and waits until /health answers. */
export async function startHubServer(target: HubTarget, extraEnv: NodeJS.ProcessEnv = {}): Promise<RunningHub> {
  const port = await freePort();
  return startService('hub serve', [hubBin, '--database-url', target.databaseUrl, 'serve', '--port', String(port)], port, { ...target.env, ...extraEnv });
}

/**
 * Starts the projector (`bin/projector.js`, or a `script` that calls `startProjector` its own way)
 * with its health endpoint on a free port, and waits until it answers.
 */
export async function startProjector(target: HubTarget, extraEnv: NodeJS.ProcessEnv = {}, options: { script?: string } = {}): Promise<RunningHub> {
  const port = await freePort();
  const env = { ...target.env, DATABASE_URL: target.databaseUrl, PROJECTOR_PORT: String(port), ...extraEnv };
  return startService('projector', [options.script ?? projectorBin], port, env);
}

async function startService(name: string, args: readonly string[], port: number, env: NodeJS.ProcessEnv): Promise<RunningHub> {
  const child = spawn(process.execPath, [...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-200_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const signal = (name: NodeJS.Signals) => async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not answer within 60 s:\n${output}`);
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  return { url, process: child, output: () => output, stop: signal('SIGTERM'), kill: signal('SIGKILL') };
}
