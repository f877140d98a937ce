import type { PoolClient } from 'pg';
import { createTestDatabase, type TestDatabase } from '@hub/testing';
import { analyzeGrownTables } from '../src/table-statistics';

/** Statistics of a projection's tables as they grow (the planner's row estimates depend on them). */
describe('analyzeGrownTables: statistics kept up with the tables\' growth', () => {
  let db: TestDatabase;
  let client: PoolClient;
  const schema = 'table_statistics';

  beforeAll(async () => {
    db = await createTestDatabase();
    client = await db.database.pool.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    // What is tested is the hub's own analyze, not autovacuum's (which could pass by meanwhile).
    for (const table of ['keys', 'records']) {
      await client.query(`CREATE TABLE ${schema}.${table} (stream_id text NOT NULL, key text NOT NULL) WITH (autovacuum_enabled = false)`);
    }
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
  const addRows = async (table: string, from: number, count: number) => {
    await client.query(
      `INSERT INTO ${schema}.${table} (stream_id, key) SELECT 'agency:s' || i, 'probable:k' || i FROM generate_series($1::int, $2::int) i`, [from, from + count - 1],
    );
    await flushCounters();
  };

  it('Given a table never analyzed that grew by fewer than 1,000 rows, Then it is left alone', async () => {
    await addRows('keys', 1, 900);
    expect(await analyzeGrownTables(client, schema)).toEqual([]);
    expect(await lastAnalyze('keys')).toBeNull();
  });

  it('Given a table that grew past 1,000 rows from empty, Then it is analyzed, and the planner then counts its rows', async () => {
    await addRows('keys', 901, 1200);
    expect(await analyzeGrownTables(client, schema)).toEqual(['keys']);
    expect(await lastAnalyze('keys')).not.toBeNull();
    expect(await lastAnalyze('records')).toBeNull();
    const { rows } = await client.query<{ reltuples: number }>(`SELECT reltuples FROM pg_class WHERE oid = '${schema}.keys'::regclass`);
    expect(rows[0]!.reltuples).toBe(2100);
  });

  it('Given a table analyzed at 2,100 rows, When it grows by less than that again, Then it is not analyzed again; When it has more than doubled, Then it is', async () => {
    const first = await lastAnalyze('keys');
    await addRows('keys', 2101, 2000);
    await analyzeGrownTables(client, schema);
    expect(await lastAnalyze('keys')).toEqual(first);
    await addRows('keys', 4101, 1200);
    await analyzeGrownTables(client, schema);
    expect((await lastAnalyze('keys'))!.getTime()).toBeGreaterThan(first!.getTime());
  });

  it('Given tables named, Then only those are looked at', async () => {
    await addRows('records', 1, 1500);
    expect(await analyzeGrownTables(client, schema, ['keys'])).toEqual([]);
    expect(await lastAnalyze('records')).toBeNull();
    expect(await analyzeGrownTables(client, schema, ['records'])).toEqual(['records']);
  });
});
