import type { PoolClient } from 'pg';
import { createTestDatabase, type TestDatabase } from '@hub/testing';
import { analyzeGrownTables, installIdentityTables } from '../src/store/identity-tables';

/** Statistics of the identity tables as a catch-up grows them (the planner's row estimates depend on them). */
describe('identity tables: statistics kept up with their growth', () => {
  let db: TestDatabase;
  let client: PoolClient;
  const schema = 'identity_statistics';

  beforeAll(async () => {
    db = await createTestDatabase();
    client = await db.database.pool.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    await installIdentityTables(client, schema);
    // What is tested is the processor's own analyze, not autovacuum's (which could pass by meanwhile).
    for (const table of ['identity_keys', 'identity_records']) await client.query(`ALTER TABLE ${schema}.${table} SET (autovacuum_enabled = false)`);
  });
  afterAll(async () => {
    client.release();
    await db.drop();
  });

  const lastAnalyze = async (table: string): Promise<Date | null> => {
    const { rows } = await client.query<{ last_analyze: Date | null }>(
      'SELECT last_analyze FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = $2', [schema, table],
    );
    return rows[0]!.last_analyze;
  };
  /** This backend's pending table counters reach the shared statistics at the end of the next transaction. */
  const flushCounters = async () => {
    await client.query('SELECT pg_stat_force_next_flush()');
    await client.query('SELECT 1');
  };
  const addKeys = async (from: number, count: number) => {
    await client.query(
      `INSERT INTO ${schema}.identity_keys (stream_id, key, qualifier, rule)
       SELECT 'agency:s' || i, 'probable:k' || i, '', 'probable:dob-initial' FROM generate_series($1::int, $2::int) i`, [from, from + count - 1],
    );
    await flushCounters();
  };

  it('Given a table never analyzed that grew by fewer than 1,000 rows, Then it is left to autovacuum', async () => {
    await addKeys(1, 900);
    await analyzeGrownTables(client, schema);
    expect(await lastAnalyze('identity_keys')).toBeNull();
  });

  it('Given a table that grew past 1,000 rows from empty, Then it is analyzed, and the planner then counts its rows', async () => {
    await addKeys(901, 1200);
    await analyzeGrownTables(client, schema);
    expect(await lastAnalyze('identity_keys')).not.toBeNull();
    expect(await lastAnalyze('identity_records')).toBeNull();
    const { rows } = await client.query<{ reltuples: number }>(`SELECT reltuples FROM pg_class WHERE oid = '${schema}.identity_keys'::regclass`);
    expect(rows[0]!.reltuples).toBe(2100);
  });

  it('Given a table analyzed at 2,100 rows, When it grows by less than that again, Then it is not analyzed again; When it has more than doubled, Then it is', async () => {
    const first = await lastAnalyze('identity_keys');
    await addKeys(2101, 2000);
    await analyzeGrownTables(client, schema);
    expect(await lastAnalyze('identity_keys')).toEqual(first);
    await addKeys(4101, 1200);
    await analyzeGrownTables(client, schema);
    expect((await lastAnalyze('identity_keys'))!.getTime()).toBeGreaterThan(first!.getTime());
  });
});
