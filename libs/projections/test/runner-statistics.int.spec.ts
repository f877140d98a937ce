import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { installSql } from '@hub/database';
import { PostgresEventStore, type StoredEvent } from '@hub/event-store';
import { createTestDatabase, type TestDatabase, waitFor } from '@hub/testing';
import { projectionsSqlFolder } from '../src';
import type { Projection, ProjectionContext } from '../src/projection';
import { ProjectionRunner } from '../src/projection-runner';

/** A projection of one row per event, in a table autovacuum leaves alone: only the runner can analyze it. */
class CountedEvents implements Projection {
  readonly name = 'counted-events';
  readonly version = 1;
  async install(client: PoolClient, schema: string): Promise<void> {
    await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.counted (event_id text PRIMARY KEY, stream_id text NOT NULL) WITH (autovacuum_enabled = false)`);
  }
  async apply(events: readonly StoredEvent[], context: ProjectionContext): Promise<void> {
    await context.client.query(`INSERT INTO ${context.schema}.counted (event_id, stream_id) SELECT * FROM unnest($1::text[], $2::text[])`,
      [events.map((e) => e.eventId), events.map((e) => e.streamId)]);
  }
}

describe('ProjectionRunner: the statistics of a projection\'s tables follow their growth', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    await PostgresEventStore.install(db.database);
    await installSql(db.database, [projectionsSqlFolder]);
    store = new PostgresEventStore(db.database);
  });
  afterAll(async () => db.drop());

  const append = (count: number) => store.append(Array.from({ length: count }, (_, i) => ({
    streamId: `agency-a:s${i % 200}`, expectedVersion: 'any' as const,
    events: [{ eventId: randomUUID(), type: 'test.counted.v1', source: 'agency:agency-a', subject: null, occurredAt: new Date().toISOString(), data: { i } }],
  })));
  const analyzed = async (): Promise<{ last_analyze: Date | null; reltuples: number }> => {
    const { rows } = await db.database.query<{ last_analyze: Date | null; reltuples: number }>(
      `SELECT s.last_analyze, c.reltuples FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.relname = 'counted'`);
    return rows[0]!;
  };

  it('Given 2,500 events applied page by page, Then the runner has analyzed the table (autovacuum is off for it), and says which', async () => {
    const seen: string[][] = [];
    const runner = new ProjectionRunner(db.database, store, new CountedEvents(), {
      clock: { now: () => new Date() }, batchSize: 500, statisticsIntervalMs: 0, onStatistics: (_, tables) => seen.push([...tables]),
    });
    await append(2500);
    await runner.catchUp(60_000);
    // A backend's table counters reach the shared statistics within a second or so of its transactions:
    // the runner's next pages see them.
    await waitFor(async () => {
      await append(1);
      await runner.catchUp(60_000);
      return (await analyzed()).last_analyze !== null;
    }, { timeoutMs: 20_000, what: 'the runner to analyze the grown table' });
    const after = await analyzed();
    expect(after.last_analyze).not.toBeNull();
    expect(after.reltuples).toBeGreaterThanOrEqual(1000);
    expect(seen.flat()).toContain('counted');
  });
});
