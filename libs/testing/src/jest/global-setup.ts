import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Relative import: global setup runs outside Jest's module mapper.
import { startEmbeddedPostgres } from '../../../database/src/embedded-postgres';

declare global {
  // eslint-disable-next-line no-var
  var __hubEmbeddedPostgres: { stop(): Promise<void> } | undefined;
}

/**
 * One PostgreSQL for the run: DATABASE_URL when set (CI's PostgreSQL 15 pass), otherwise an embedded
 * one in a temporary directory. Test files create their own databases on it. PostgreSQL is always
 * required: if it cannot start, the run fails (it never skips).
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.HUB_TEST_SERVER_URL) return;
  if (process.env.DATABASE_URL) {
    process.env.HUB_TEST_SERVER_URL = process.env.DATABASE_URL;
    return;
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'hub-test-pg-'));
  const lines: string[] = [];
  try {
    const postgres = await startEmbeddedPostgres(dataDir, { durable: false, onLog: (line) => lines.push(line) });
    globalThis.__hubEmbeddedPostgres = postgres;
    process.env.HUB_TEST_SERVER_URL = postgres.url;
    process.env.HUB_TEST_PG_DATA_DIR = dataDir;
  } catch (error) {
    throw new Error(`Could not start embedded PostgreSQL for the tests: ${(error as Error).message}\n${lines.slice(-20).join('\n')}`);
  }
}
