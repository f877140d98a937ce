import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ContinuityQueries, continuityProjectionName, countReleases, type ReportRequest, StoreLinkedBirthDates } from '@hub/continuity';
import { type AreaConfig, type CloudEvent, londonDateOf } from '@hub/kernel';
import { activeSchemaOf } from '@hub/projections';
import { sharedDir } from '@hub/testing';
import { CdpEvents, testPerson, type TestPerson } from '../../../test/support/cdp-events';
import { openTestHub, type TestHub } from './support/test-hub';

const area = JSON.parse(readFileSync(resolve(sharedDir, 'scenarios', 'area.json'), 'utf8')) as AreaConfig;
const wholeYear: ReportRequest = { from: '2025-01-01', to: '2025-12-31', groupBy: [], disclosure: 'none' };

describe('continuity projection on PostgreSQL', () => {
  let t: TestHub;
  const e = new CdpEvents('continuity-int');
  const facts = new Map<TestPerson, CloudEvent[]>();
  const ada = testPerson(51, 'Abernathy');
  const ben = testPerson(52, 'Brightwater');
  const cai = testPerson(53, 'Cheltenham');
  const dee = testPerson(54, 'Dunmore');
  const eli = testPerson(55, 'Ellsworth', { dateOfBirth: '2007-03-10' });
  const fay = testPerson(56, 'Fairweather');

  const ingest = async (person: TestPerson, events: CloudEvent[]) => {
    const outcomes = await t.ingest(events);
    expect(outcomes.map((o) => (o.status === 'accepted' ? o.status : JSON.stringify(o)))).toEqual(events.map(() => 'accepted'));
    facts.set(person, [...(facts.get(person) ?? []), ...events]);
  };
  /** Every projection but the identity processor catches up: the facts arrive, their links not yet. */
  const catchUpFacts = async () => t.engine.catchUp(t.engine.projections.map((p) => p.name).filter((name) => name !== 'identity'));
  /** The identity processor links everything ingested so far (the links arrive after the facts). */
  const link = async () => t.engine.catchUp(['identity']);
  const queries = () => new ContinuityQueries(t.hub.database, new StoreLinkedBirthDates(t.hub.store, t.hub.vault, t.hub.database));
  const report = async (asOf?: string) => {
    await catchUpFacts();
    return queries().report({ ...wholeYear, groupBy: ['month'], ...(asOf ? { asOf } : {}) }, { now: t.hub.clock.now() });
  };
  const statuses = async () => {
    const schema = await activeSchemaOf(t.hub.database, continuityProjectionName);
    const { rows } = await t.hub.database.query<{ person_ref: string | null; released_on: string; in_cohort: boolean; outcome: string | null; reason: string | null }>(
      `SELECT person_ref, released_on::text, in_cohort, outcome, reason FROM ${schema}.releases`,
    );
    // personRefs are the identity processor's: shown as the test person whose release it linked.
    const nameOf = new Map<string, string>();
    for (const [person, events] of facts) {
      const ref = await t.personRefOf(events.find((event) => event.type === 'prison.release.recorded.v1')!);
      if (ref) nameOf.set(ref, `person-${person.familyName.toLowerCase()}`);
    }
    return rows.map((r) => `${r.person_ref === null ? 'null' : nameOf.get(r.person_ref) ?? r.person_ref} ${r.released_on} ${r.in_cohort ? r.outcome : 'not in cohort'}${r.reason ? ` (${r.reason})` : ''}`).sort();
  };

  beforeAll(async () => {
    t = await openTestHub({ area });
  });
  afterAll(async () => t.close());

  it('judges releases as facts and links arrive in any order', async () => {
    // Ada: the treatment start arrives before the release; linked afterwards.
    await ingest(ada, [e.treatmentStarted(ada, '2025-03-10')]);
    await ingest(ada, [e.release(ada, '2025-03-03')]);
    await catchUpFacts();
    expect(await statuses()).toEqual(['null 2025-03-03 open']);
    await link();
    // Ben: released twice, one start engages both overlapping windows.
    await ingest(ben, [e.release(ben, '2025-03-01'), e.release(ben, '2025-03-12'), e.treatmentStarted(ben, '2025-03-20')]);
    await link();
    // Cai: discharged as died on day 4.
    await ingest(cai, [e.release(cai, '2025-04-01'), e.treatmentDischarged(cai, '2025-04-05', 'died')]);
    await link();
    // Eli: 17 on release day, so not in the cohort.
    await ingest(eli, [e.release(eli, '2025-03-05')]);
    await link();
    await t.engine.catchUp();
    expect(await statuses()).toEqual([
      'person-abernathy 2025-03-03 engaged', 'person-brightwater 2025-03-01 engaged', 'person-brightwater 2025-03-12 engaged',
      'person-cheltenham 2025-04-01 excluded (died)', 'person-ellsworth 2025-03-05 not in cohort (under-18)',
    ]);
  });

  it('keeps a past report unchanged while corrections, retractions and links arrive later', async () => {
    const before = await report();
    expect(before.rows).toEqual([
      { group: { month: '2025-03' }, released: 3, engaged: 3, notEngaged: 0, pending: 0, excluded: 0, rate: 1 },
      { group: { month: '2025-04' }, released: 1, engaged: 0, notEngaged: 0, pending: 0, excluded: 1, rate: null },
    ]);
    const asOf = before.asOf;
    expect(await report(asOf)).toEqual(before);

    // Ada's start is retracted; Ben's second release is corrected to May; Dee and Fay are released, started, linked late; Fay's recall arrives.
    const [adaStart] = facts.get(ada)!;
    await ingest(ada, [e.retraction(adaStart!, '2025-03-20T00:00:00Z')]);
    await ingest(ben, [e.release(ben, '2025-05-12', { recordId: `REL-${ben.nomisId}-2025-03-12`, time: '2025-05-12T09:00:00Z' })]);
    await ingest(dee, [e.release(dee, '2025-04-10'), e.treatmentStarted(dee, '2025-04-12', { provider: 'cda' })]);
    await ingest(fay, [e.release(fay, '2025-04-02'), e.reception(fay, '2025-04-04'), e.treatmentStarted(fay, '2025-04-06')]);
    const middle = await report();
    expect(await report(asOf)).toEqual(before);
    await link();
    const after = await report();
    expect(after).not.toEqual(middle);
    expect(await report(asOf)).toEqual(before);
    expect(await report(middle.asOf)).toEqual(middle);
    expect(await statuses()).toEqual([
      'person-abernathy 2025-03-03 open', 'person-brightwater 2025-03-01 engaged', 'person-brightwater 2025-05-12 open',
      'person-cheltenham 2025-04-01 excluded (died)', 'person-dunmore 2025-04-10 engaged', 'person-ellsworth 2025-03-05 not in cohort (under-18)',
      'person-fairweather 2025-04-02 excluded (re-custody)',
    ]);
    expect(after.rows).toEqual([
      { group: { month: '2025-03' }, released: 2, engaged: 1, notEngaged: 1, pending: 0, excluded: 0, rate: 0.5 },
      { group: { month: '2025-04' }, released: 3, engaged: 1, notEngaged: 0, pending: 0, excluded: 2, rate: 1 },
      { group: { month: '2025-05' }, released: 1, engaged: 0, notEngaged: 1, pending: 0, excluded: 0, rate: 0 },
    ]);
  });

  it('gives the same counts from the maintained aggregate as from judging the stored facts again', async () => {
    await t.engine.catchUp();
    const now = new Date();
    const schema = await activeSchemaOf(t.hub.database, continuityProjectionName);
    const judged = await queries().judgedAsOf(schema, wholeYear.from, wholeYear.to, now.toISOString());
    const byGroup = (a: { group: object }, b: { group: object }) => JSON.stringify(a.group).localeCompare(JSON.stringify(b.group));
    const recomputed = countReleases(judged, ['month', 'prisonId'], londonDateOf(now)).sort(byGroup);
    const maintained = await queries().report({ ...wholeYear, groupBy: ['month', 'prisonId'] }, { now });
    expect(recomputed.length).toBeGreaterThan(1);
    expect(maintained.rows.map(({ rate: _rate, ...counts }) => counts).sort(byGroup)).toEqual(recomputed);
  });

  it('filters by the providers whose releases the caller may see', async () => {
    const none = await queries().report(wholeYear, { now: t.hub.clock.now(), providers: ['prison-hmp-eastfield'] });
    expect(none.rows).toEqual([{ group: {}, released: 0, engaged: 0, notEngaged: 0, pending: 0, excluded: 0, rate: null }]);
  });

  it('takes the age from a linked record when the release has no date of birth, from when the link arrives', async () => {
    const gus = testPerson(57, 'Gresham', { dateOfBirth: '2007-08-01' });
    const release = e.release(gus, '2025-06-02');
    // The prison records the CRN (which links the supervision) but no date of birth.
    const person = (release.data as { person: { dateOfBirth?: string; deliusCrn?: string } }).person;
    delete person.dateOfBirth;
    person.deliusCrn = gus.deliusCrn;
    await ingest(gus, [release, e.supervisionStarted(gus, '2025-06-03')]);
    const june = (r: Awaited<ReturnType<typeof report>>) => r.rows.find((row) => row.group.month === '2025-06');
    const unlinked = await report();
    expect(june(unlinked)).toMatchObject({ released: 1, notEngaged: 1 });
    await link();
    expect(june(await report())).toBeUndefined();
    expect(await statuses()).toContain('person-gresham 2025-06-02 not in cohort (under-18)');
    expect(await report(unlinked.asOf)).toEqual(unlinked);
    const linked = await report();
    await ingest(gus, [e.retraction(facts.get(gus)![1]!, '2025-06-20T00:00:00Z')]);
    expect(june(await report())).toMatchObject({ released: 1, notEngaged: 1 });
    expect(await report(linked.asOf)).toEqual(linked);
  });

  it('rebuilds from the log into fresh tables with identical results', async () => {
    const before = { statuses: await statuses(), report: (await report()).rows };
    const results = await t.engine.rebuild();
    expect(results.map((r) => r.projection)).toContain(continuityProjectionName);
    expect(await activeSchemaOf(t.hub.database, continuityProjectionName)).toMatch(/_g2$/);
    expect({ statuses: await statuses(), report: (await report()).rows }).toEqual(before);
  });
});
