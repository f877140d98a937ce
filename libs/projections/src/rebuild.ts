import type { Database } from '@hub/database';
import { type Checkpoint, logStart, type PostgresEventStore, readLog, type ReadPage } from '@hub/event-store';
import type { Clock } from '@hub/kernel';
import { bulkFill } from './bulk-rebuild';
import { deleteCheckpoint, saveCheckpoint } from './checkpoint-store';
import { readAhead } from './read-ahead';
import type { Projection, ProjectionContext } from './projection';
import { ensureRegistered, lockEntry, schemaFor, subscriberFor } from './projection-registry';

export interface RebuildResult {
  readonly projection: string;
  readonly generation: number;
  readonly events: number;
  readonly seconds: number;
}

/**
 * Rebuilds a projection from the whole log into a fresh schema, then swaps it in: readers and the
 * live runner move to the new generation in one transaction, with no downtime. Nothing is appended
 * while rebuilding: decisions already made are in the log. A projection with `bulkRebuild` is filled
 * in bulk (`bulk-rebuild.ts`); the tail that arrives meanwhile is applied page by page under the lock.
 */
export async function rebuildProjection(database: Database, store: PostgresEventStore, projection: Projection, clock: Clock): Promise<RebuildResult> {
  const started = Date.now();
  const current = await ensureRegistered(database, projection);
  const generation = current.generation + 1;
  const schema = schemaFor(projection.name, generation);
  const subscriber = subscriberFor(projection.name, generation);
  await database.transaction(async (client) => {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.query(`CREATE SCHEMA ${schema}`);
    await projection.install(client, schema);
    await setTablesLogged(client, schema, false);
    await deleteCheckpoint(client, subscriber);
  });
  const context = (client: ProjectionContext['client']): ProjectionContext => ({
    client, schema, mode: 'rebuild', now: clock.now(), append: async () => [],
  });
  const types = projection.eventTypes ? { types: projection.eventTypes } : {};
  let checkpoint = logStart;
  let events = 0;
  if (projection.bulkRebuild) {
    ({ checkpoint, events } = await database.transaction(async (client) => {
      const filled = await bulkFill(database, client, projection, schema);
      await saveCheckpoint(client, subscriber, filled.checkpoint);
      return filled;
    }));
  } else {
    // The next page is read (parsed, on another connection) while this one is applied.
    const read = (after: Checkpoint): Promise<ReadPage> => readAhead(database, after, { limit: 2000, ...types });
    let next = read(checkpoint);
    for (;;) {
      const page = await next;
      if (page.events.length === 0 && page.next.globalPosition === checkpoint.globalPosition) break;
      next = read(page.next);
      await database.transaction(async (client) => {
        if (page.events.length > 0) await projection.apply(page.events, context(client));
        await saveCheckpoint(client, subscriber, page.next);
      });
      events += page.events.length;
      checkpoint = page.next;
    }
  }
  // Durable before it is swapped in: one pass that writes each table to the WAL whole, instead of
  // a WAL record per row while rebuilding (a crash before this point loses only the rebuild).
  await database.transaction((client) => setTablesLogged(client, schema, true));
  await database.transaction(async (client) => {
    // Holding the registry row stops the live runner between pages while the tail is applied and the swap made.
    await lockEntry(client, projection.name, 'FOR UPDATE');
    for (;;) {
      const page = await readLog(client, checkpoint, { limit: 2000, ...types });
      if (page.events.length === 0) break;
      await projection.apply(page.events, context(client));
      events += page.events.length;
      checkpoint = page.next;
    }
    await saveCheckpoint(client, subscriber, checkpoint);
    await client.query(
      'UPDATE projections.registry SET generation = $2, active_schema = $3, version = $4, rebuilt_at = statement_timestamp() WHERE name = $1',
      [projection.name, generation, schema, projection.version],
    );
  });
  await database.transaction(async (client) => {
    await client.query(`DROP SCHEMA IF EXISTS ${current.activeSchema} CASCADE`);
    await deleteCheckpoint(client, subscriberFor(projection.name, current.generation));
  });
  return { projection: projection.name, generation, events, seconds: (Date.now() - started) / 1000 };
}

/** Rebuild tables are unlogged while they fill (nothing reads them yet), logged again before the swap. */
async function setTablesLogged(client: ProjectionContext['client'], schema: string, logged: boolean): Promise<void> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT quote_ident(c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY c.relname`,
    [schema],
  );
  for (const { name } of rows) await client.query(`ALTER TABLE ${schema}.${name} SET ${logged ? 'LOGGED' : 'UNLOGGED'}`);
}
