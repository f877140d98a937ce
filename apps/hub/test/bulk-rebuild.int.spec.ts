import { AlertProcessor, AlertsProjection } from '@hub/alerts';
import { ReviewProcessor, ReviewQueueProjection } from '@hub/reviews';
import { type Projection, rebuildProjection } from '@hub/projections';
import { CdpEvents, localAuthorities, testPerson } from '../../../test/support/cdp-events';
import { openTestHub, type TestHub } from './support/test-hub';

/** Every row of every table of the projection's active generation, as text, in order. */
async function tablesOf(t: TestHub, name: string): Promise<Record<string, string[]>> {
  const { rows } = await t.hub.database.query<{ active_schema: string }>('SELECT active_schema FROM projections.registry WHERE name = $1', [name]);
  const schema = rows[0]!.active_schema;
  const tables = (await t.hub.database.query<{ name: string }>('SELECT tablename AS name FROM pg_tables WHERE schemaname = $1 ORDER BY 1', [schema])).rows;
  const result: Record<string, string[]> = {};
  for (const { name: table } of tables) {
    result[table] = (await t.hub.database.query<{ row: string }>(`SELECT x::text AS row FROM ${schema}.${table} x ORDER BY 1`)).rows.map((r) => r.row);
  }
  return result;
}

describe('bulk rebuild of the processors and read models', () => {
  let t: TestHub;
  afterEach(async () => t.close());

  it('Given releases, overdoses (a cluster), a retraction and alerts in the log, When the alert processor and the alerts read model are rebuilt in bulk, Then every table equals the page-by-page rebuild', async () => {
    t = await openTestHub();
    const events = new CdpEvents('bulk');
    const people = [1, 2, 3, 4].map((n) => testPerson(20 + n, `Bulk${n}`));
    const overdoses = people.map((p, i) => events.overdose(p, `2025-05-0${i + 1}T02:00:00Z`, { localAuthority: localAuthorities.north }));
    const facts = [
      ...people.map((p) => events.release(p, '2025-04-20')),
      ...overdoses,
      events.treatmentStarted(people[0]!, '2025-05-06'),
      events.retraction(overdoses[3]!, '2025-05-07T00:00:00Z'),
      // The latest fact: releases whose engagement checks still fall due after it.
      ...people.slice(0, 2).map((p) => events.release(p, '2025-05-10', { recordId: `LATE-${p.nomisId}` })),
    ];
    await t.ingest(facts);
    await t.engine.catchUp();
    const { expected, bulk } = await bothRebuilds(t, t.engine.projections.find((p) => p instanceof AlertProcessor)!);

    expect(expected.alert_state!.length).toBeGreaterThan(0);
    expect(expected.person_due!.length).toBeGreaterThan(0);
    expect(expected.overdose_index).toHaveLength(4);
    expect(expected.retractions).toHaveLength(1);
    expect(bulk).toEqual(expected);

    const alerts = await bothRebuilds(t, t.engine.projections.find((p) => p instanceof AlertsProjection)!);
    expect(alerts.expected.alerts!.length).toBeGreaterThan(0);
    expect(alerts.bulk).toEqual(alerts.expected);
  });

  it('Given death reports, an inquest and a retraction in the log, When the review processor and the review queue are rebuilt in bulk, Then their cases, queue and timelines equal the page-by-page rebuild', async () => {
    t = await openTestHub();
    const events = new CdpEvents('bulk-reviews');
    const [ann, bo, cy] = [31, 32, 33].map((n) => testPerson(n, `Review${n}`));
    const reports = [events.deathReport(ann!, '2025-06-01'), events.deathReport(bo!, '2025-06-02'), events.deathReport(cy!, '2025-06-03')];
    // Facts the queue's flags and priority are worked out from, one arriving after the report.
    const history = [events.release(ann!, '2025-05-20'), events.overdose(ann!, '2025-05-25T03:00:00Z'), events.treatmentStarted(bo!, '2025-03-01')];
    await t.ingest([...history, ...reports, events.inquest(bo!, '2025-08-01', false), events.retraction(reports[2]!, '2025-06-05T00:00:00Z'), events.drugTest(ann!, '2025-05-28T10:00:00Z', { opiates: 'positive' })]);
    await t.engine.catchUp();
    const { expected, bulk } = await bothRebuilds(t, t.engine.projections.find((p) => p instanceof ReviewProcessor)!);

    // One case closed by the inquest, one open; the retracted report was gone before its case would have opened.
    expect(expected.cases).toHaveLength(2);
    expect(expected.retractions).toHaveLength(1);
    expect(bulk).toEqual(expected);

    const queue = await bothRebuilds(t, t.engine.projections.find((p) => p instanceof ReviewQueueProjection)!);
    expect(queue.expected.queue).toHaveLength(2);
    // Flags from facts of both people, one known only after the report (the rows are worked out again).
    expect(queue.expected.queue!.join()).toContain('""positiveDtoaLast12Months"": 1');
    expect(queue.expected.queue!.join()).toContain('""inTreatmentAtDeath"": true');
    expect(queue.bulk).toEqual(queue.expected);
  });
});

/** Rebuilds the projection page by page (its `bulkRebuild` hidden), then in bulk: the tables after each. */
async function bothRebuilds(t: TestHub, projection: Projection): Promise<{ expected: Record<string, string[]>; bulk: Record<string, string[]> }> {
  const pageByPage: Projection = Object.assign(Object.create(projection) as Projection, { bulkRebuild: undefined });
  await rebuildProjection(t.hub.database, t.hub.store, pageByPage, t.hub.clock);
  const expected = await tablesOf(t, projection.name);
  await rebuildProjection(t.hub.database, t.hub.store, projection, t.hub.clock);
  return { expected, bulk: await tablesOf(t, projection.name) };
}
