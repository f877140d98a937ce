import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from './database';

/**
 * Installs SQL objects from folders of `.sql` files, one object per file, run in name order.
 * Every file is idempotent (IF NOT EXISTS / OR REPLACE), so installing twice is safe; an advisory
 * lock keeps two processes from installing at once.
 */
export async function installSql(database: Database, folders: readonly string[]): Promise<void> {
  const files: string[] = [];
  for (const folder of folders) {
    const names = (await readdir(folder)).filter((name) => name.endsWith('.sql')).sort();
    files.push(...names.map((name) => join(folder, name)));
  }
  await database.transaction(async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('cdp-hub:install-sql'))");
    for (const file of files) {
      const sql = await readFile(file, 'utf8');
      try {
        await client.query(sql);
      } catch (error) {
        throw new Error(`Installing ${file} failed: ${(error as Error).message}`, { cause: error });
      }
    }
  });
}
