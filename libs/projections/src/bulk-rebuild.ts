import type { PoolClient } from 'pg';
import type { Database } from '@hub/database';
import { type Checkpoint, logStart, type ReadPage } from '@hub/event-store';
import { copyRows } from './bulk-copy';
import type { Projection } from './projection';
import { readAhead } from './read-ahead';

/**
 * Pages of the log a bulk rebuild folds at a time: large enough that round trips do not count, small
 * enough to keep the heap small. Two pages are in flight (one folded, the next being read), and what
 * a page allocates (rows, parsed JSON, decrypted copies) lives until its fold ends, so V8 promotes it
 * and sizes the heap from it: at 10,000 the alert processor's peak RSS was 70-100 MiB higher, for a
 * speed within the machine's noise (`libs/projections/README.md`).
 */
export const bulkPageSize = 4_000;

/**
 * Fills a fresh generation's tables through the projection's `bulkRebuild`, in one transaction:
 * secondary indexes are dropped first (each row is then one append to its heap and primary key),
 * the log is read in large pages (the next page is read while this one is folded), and the indexes
 * are built once at the end, then the derived rows are written. Returns where the log was read up to.
 */
export async function bulkFill(database: Database, client: PoolClient, projection: Projection, schema: string): Promise<{ checkpoint: Checkpoint; events: number }> {
  const indexes = await dropSecondaryIndexes(client, schema);
  const fold = projection.bulkRebuild!({ client, schema, copy: (table, columns, rows) => copyRows(client, `${schema}.${table}`, columns, rows) });
  const types = projection.eventTypes ? { types: projection.eventTypes } : {};
  const read = (after: Checkpoint): Promise<ReadPage> => readAhead(database, after, { limit: bulkPageSize, ...types });
  let checkpoint = logStart;
  let events = 0;
  let next = read(checkpoint);
  for (;;) {
    const page = await next;
    if (page.events.length === 0) break;
    next = read(page.next);
    await fold.apply(page.events);
    events += page.events.length;
    checkpoint = page.next;
  }
  // A type-filtered read may have moved past events of other types: start the tail from there.
  checkpoint = (await next).next;
  await fold.finish();
  await client.query("SET LOCAL maintenance_work_mem = '128MB'");
  for (const definition of indexes) await client.query(definition);
  for (const { name } of (await client.query<{ name: string }>(
    `SELECT quote_ident(c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`, [schema],
  )).rows) await client.query(`ANALYZE ${schema}.${name}`);
  await fold.derive?.();
  return { checkpoint, events };
}

/** Drops the schema's indexes that no constraint owns; returns their definitions, to build them again. */
async function dropSecondaryIndexes(client: PoolClient, schema: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string; definition: string }>(
    `SELECT quote_ident(ic.relname) AS name, pg_get_indexdef(i.indexrelid) AS definition
     FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace
     WHERE n.nspname = $1 AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
     ORDER BY ic.relname`,
    [schema],
  );
  for (const { name } of rows) await client.query(`DROP INDEX ${schema}.${name}`);
  return rows.map((row) => row.definition);
}
