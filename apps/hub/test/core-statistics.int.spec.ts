import { waitFor } from '@hub/testing';
import { CdpEvents, testPerson } from '../../../test/support/cdp-events';
import { openTestHub, type TestHub } from './support/test-hub';

/** The log and the subjects' keys grow with every event: the live engine keeps their statistics (autovacuum may be off). */
describe('ProjectionEngine: statistics of the hub\'s own growing tables', () => {
  let t: TestHub;
  const events = new CdpEvents('stats');

  beforeAll(async () => {
    t = await openTestHub();
    // Only the engine can analyze them here.
    for (const table of ['event_store.events', 'security.subject_keys']) await t.hub.database.query(`ALTER TABLE ${table} SET (autovacuum_enabled = false)`);
  });
  afterAll(async () => t.close());

  const lastAnalyze = async (schema: string, table: string): Promise<Date | null> => {
    const { rows } = await t.hub.database.query<{ last_analyze: Date | null }>(
      'SELECT last_analyze FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = $2', [schema, table]);
    return rows[0]!.last_analyze;
  };

  it('Given 1,500 releases of 1,500 people ingested, When the engine checks, Then the log and the key table are analyzed', async () => {
    expect(await lastAnalyze('event_store', 'events')).toBeNull();
    for (let batch = 0; batch < 3; batch++) {
      await t.ingest(Array.from({ length: 500 }, (_, i) => events.release(testPerson(batch * 500 + i, `Family${batch * 500 + i}`), '2025-03-03')));
    }
    // A backend's table counters reach the shared statistics a little after its transactions end.
    await waitFor(async () => {
      await t.engine.keepCoreStatistics();
      return (await lastAnalyze('event_store', 'events')) !== null;
    }, { timeoutMs: 20_000, intervalMs: 500, what: 'the engine to analyze the log' });
    expect(await lastAnalyze('security', 'subject_keys')).not.toBeNull();
  });
});
