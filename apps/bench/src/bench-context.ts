import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { type EmbeddedPostgres, startEmbeddedPostgres, withDatabaseName } from '@hub/database';

/** One PostgreSQL for a whole bench run (durable, as in production), with a fresh database per benchmark. */
export class BenchContext {
  private constructor(readonly serverUrl: string, readonly serverLabel: string, private readonly embedded?: EmbeddedPostgres) {}

  static async open(): Promise<BenchContext> {
    if (process.env.DATABASE_URL) return new BenchContext(process.env.DATABASE_URL, 'PostgreSQL at DATABASE_URL');
    const dir = await mkdtemp(join(tmpdir(), 'hub-bench-pg-'));
    const embedded = await startEmbeddedPostgres(dir, { durable: true });
    return new BenchContext(embedded.url, 'embedded PostgreSQL 18 (fsync on)', embedded);
  }

  async freshDatabase(prefix: string): Promise<string> {
    const name = `${prefix}_${randomBytes(4).toString('hex')}`;
    const client = new Client({ connectionString: this.serverUrl });
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    await client.end();
    return withDatabaseName(this.serverUrl, name);
  }

  async close(): Promise<void> {
    await this.embedded?.stop();
  }
}

export interface BenchFigure {
  readonly name: string;
  readonly value: number | null;
  readonly unit: string;
  /** e.g. '>= 0.6'; absent when the figure has no target. */
  readonly target?: string;
  readonly met?: boolean;
  readonly note?: string;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}
