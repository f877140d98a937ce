import type { PoolClient } from 'pg';
import type { Database, Queryable } from '@hub/database';
import type { Projection } from './projection';

export interface RegistryEntry {
  readonly name: string;
  readonly version: number;
  readonly generation: number;
  readonly activeSchema: string;
}

export function schemaFor(name: string, generation: number): string {
  return `proj_${name.replace(/[^a-z0-9]/g, '_')}_g${generation}`;
}

export function subscriberFor(name: string, generation: number): string {
  return `projection:${name}@g${generation}`;
}

/** Registers a projection on first start (generation 1, tables installed); returns the live entry. */
export async function ensureRegistered(database: Database, projection: Projection): Promise<RegistryEntry> {
  return database.transaction(async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`cdp-hub:registry:${projection.name}`]);
    const existing = await readEntry(client, projection.name);
    if (existing) {
      await projection.install(client, existing.activeSchema);
      return existing;
    }
    const schema = schemaFor(projection.name, 1);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await projection.install(client, schema);
    await client.query(
      'INSERT INTO projections.registry (name, version, generation, active_schema) VALUES ($1, $2, 1, $3)',
      [projection.name, projection.version, schema],
    );
    return { name: projection.name, version: projection.version, generation: 1, activeSchema: schema };
  });
}

export async function readEntry(queryable: Queryable, name: string, lock?: 'FOR SHARE' | 'FOR UPDATE'): Promise<RegistryEntry | undefined> {
  const { rows } = await queryable.query<{ name: string; version: number; generation: number; active_schema: string }>(
    `SELECT name, version, generation, active_schema FROM projections.registry WHERE name = $1 ${lock ?? ''}`,
    [name],
  );
  const row = rows[0];
  return row ? { name: row.name, version: row.version, generation: row.generation, activeSchema: row.active_schema } : undefined;
}

/** The schema readers should query for a projection's live read model. */
export async function activeSchemaOf(queryable: Queryable, name: string): Promise<string> {
  const entry = await readEntry(queryable, name);
  if (!entry) throw new Error(`Projection ${name} is not installed`);
  return entry.activeSchema;
}

export async function lockEntry(client: PoolClient, name: string, lock: 'FOR SHARE' | 'FOR UPDATE'): Promise<RegistryEntry> {
  const entry = await readEntry(client, name, lock);
  if (!entry) throw new Error(`Projection ${name} is not installed`);
  return entry;
}
