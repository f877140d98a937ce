import { resolve } from 'node:path';

/** Where the hub's PostgreSQL is: a server URL, or an embedded cluster in a data directory. */
export type StorageLocation = { readonly kind: 'server'; readonly url: string } | { readonly kind: 'embedded'; readonly dataDir: string };

export const defaultDataDir = '.hub-data';

/** Flags win over environment (`DATABASE_URL`, `HUB_DATA_DIR`); with none, the embedded default in ./.hub-data. */
export function resolveStorageLocation(
  flags: { databaseUrl?: string; dataDir?: string },
  env: NodeJS.ProcessEnv = process.env,
): StorageLocation {
  if (flags.databaseUrl) return { kind: 'server', url: flags.databaseUrl };
  if (flags.dataDir) return { kind: 'embedded', dataDir: resolve(flags.dataDir) };
  if (env.DATABASE_URL) return { kind: 'server', url: env.DATABASE_URL };
  return { kind: 'embedded', dataDir: resolve(env.HUB_DATA_DIR || defaultDataDir) };
}

/** The same server, another database (test isolation: one database per test file). */
export function withDatabaseName(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
