import { AlertQueries, type AlertView } from '@hub/alerts';
import { type AreaConfig, ManualClock } from '@hub/kernel';
import { waitFor } from '@hub/testing';
import { CdpEvents, testPerson } from '../../../test/support/cdp-events';
import { demoArea, openTestHub, type TestHub } from './support/test-hub';

/** The demo area, except that near-miss alerts may not go to the Corbury treatment service. */
const areaWithoutCorburyAlerts: AreaConfig = {
  ...demoArea,
  agreements: demoArea.agreements.map((agreement) => ({
    ...agreement,
    purposes: agreement.purposes.map((p) => (p.purpose === 'near-miss-alerting' ? { ...p, recipients: p.recipients.filter((r) => r !== 'treatment-corbury-cgl') } : p)),
  })),
};

const summary = (alerts: readonly AlertView[]) => alerts.map((a) => ({ code: a.code, priority: a.priority, status: a.status, recipients: a.recipients })).sort((a, b) => a.code.localeCompare(b.code));

describe('alert processor on PostgreSQL', () => {
  let t: TestHub;
  afterEach(async () => t.close());

  it('Given a release on day 0 and an overdose on day 5 with no treatment, Then POST_RELEASE_OVERDOSE and OVERDOSE_NOT_IN_TREATMENT go only to the agencies the agreement names', async () => {
    t = await openTestHub({ area: areaWithoutCorburyAlerts });
    const events = new CdpEvents('day5');
    const jo = testPerson(1, 'Okafor');
    const facts = [events.release(jo, '2025-03-03', { releaseType: 'end-of-sentence' }), events.overdose(jo, '2025-03-08T22:10:00Z')];
    expect((await t.ingest(facts)).map((o) => o.status)).toEqual(['accepted', 'accepted']);
    await t.engine.catchUp();
    const personRef = await t.personRefOf(facts[0]!);
    expect(personRef).toMatch(/^P-[0-9A-Z]{12}$/);
    expect(await t.personRefOf(facts[1]!)).toBe(personRef);
    const alerts = (await new AlertQueries(t.hub.database).list()).filter((a) => a.code !== 'ENGAGEMENT_AT_RISK');
    expect(summary(alerts)).toEqual([
      // The area fallback asked both treatment services; the agreement names only the Northshire one.
      { code: 'OVERDOSE_NOT_IN_TREATMENT', priority: 'medium', status: 'open', recipients: ['treatment-northshire-recovery'] },
      // End of sentence: no probation supervision, so only the provider the prison referred to.
      { code: 'POST_RELEASE_OVERDOSE', priority: 'high', status: 'open', recipients: ['treatment-northshire-recovery'] },
    ]);
    expect(alerts.every((a) => a.personRef === personRef && a.raisedAt === '2025-03-08T22:10:00.000Z')).toBe(true);
    expect(alerts[0]!.grants[0]).toMatchObject({ clause: 'dsa-northshire-cdp v1 / near-miss-alerting' });
  });

  it('raises each alert once: catching up again, ingesting the same facts again and rebuilding change nothing', async () => {
    t = await openTestHub();
    const events = new CdpEvents('idem');
    const kim = testPerson(2, 'Brandt');
    const facts = [events.release(kim, '2025-03-03'), events.overdose(kim, '2025-03-05T01:00:00Z'), events.overdose(kim, '2025-03-20T01:00:00Z'), events.drugTest(kim, '2025-04-01T10:00:00Z', { opiates: 'positive' })];
    await t.ingest(facts);
    await t.engine.catchUp();
    const first = await new AlertQueries(t.hub.database).list();
    expect(first.map((a) => a.code).sort()).toEqual([
      'DTOA_POSITIVE_NOT_IN_TREATMENT', 'ENGAGEMENT_AT_RISK', 'ENGAGEMENT_AT_RISK', 'OVERDOSE_NOT_IN_TREATMENT', 'OVERDOSE_NOT_IN_TREATMENT',
      'POST_RELEASE_OVERDOSE', 'POST_RELEASE_OVERDOSE', 'REPEAT_OVERDOSE',
    ]);
    expect((await t.ingest(facts)).every((o) => o.status === 'duplicate')).toBe(true);
    await t.engine.catchUp();
    await t.engine.rebuild();
    await t.engine.catchUp();
    expect(await new AlertQueries(t.hub.database).list()).toEqual(first);
    const { rows } = await t.hub.database.query<{ n: string }>(`SELECT count(*) AS n FROM event_store.events WHERE type = 'hub.alert.raised.v1'`);
    expect(Number(rows[0]!.n)).toBe(first.length);
  });

  it('decides the same alerts whether the facts arrive together or one at a time (linked as they arrive)', async () => {
    const events = new CdpEvents('order');
    const ann = testPerson(3, 'Ashworth');
    const facts = [events.release(ann, '2025-03-03'), events.treatmentStarted(ann, '2025-03-13'), events.overdose(ann, '2025-03-15T03:00:00Z'), events.overdose(ann, '2025-03-16T03:00:00Z', { recordId: 'SECOND' })];
    const comparable = (alerts: readonly AlertView[]) => alerts.map((a) => ({ id: a.id, status: a.status, raisedAt: a.raisedAt, resolution: a.resolution }));

    // The hub's clock reads just after the last fact: a live hub would have ticked through those days.
    const clock = new ManualClock(facts[facts.length - 1]!.time);
    t = await openTestHub({ clock });
    await t.ingest(facts);
    await t.engine.catchUp();
    const linkedLate = comparable(await new AlertQueries(t.hub.database).list());
    await t.close();

    const liveClock = new ManualClock(facts[0]!.time);
    t = await openTestHub({ clock: liveClock });
    for (const fact of facts) {
      liveClock.set(fact.time);
      await t.ingest([fact]);
      await t.engine.catchUp();
    }
    expect(comparable(await new AlertQueries(t.hub.database).list())).toEqual(linkedLate);
    // Day 7 fired before the start on day 10 was known, and resolved when it was; day 14 never fired.
    expect(linkedLate.filter((a) => a.resolution?.reason === 'treatment-started')).toHaveLength(1);
  });

  it('Given alerts for a person, When a correction moves the overdose to another person who was in treatment, Then they resolve', async () => {
    t = await openTestHub();
    const events = new CdpEvents('unlink');
    const one = testPerson(5, 'Mortimer');
    const other = testPerson(6, 'Mortimer-Other');
    const released = events.release(one, '2025-03-03', { treatmentNeed: false });
    const nearMiss = events.overdose(one, '2025-03-08T22:10:00Z');
    const otherStart = events.treatmentStarted(other, '2025-02-01');
    await t.ingest([released, nearMiss, otherStart]);
    await t.engine.catchUp();
    expect(await t.personRefOf(nearMiss)).toBe(await t.personRefOf(released));
    expect(await t.personRefOf(otherStart)).not.toBe(await t.personRefOf(released));
    const queries = new AlertQueries(t.hub.database);
    expect(summary(await queries.list()).map((a) => [a.code, a.status])).toEqual([['OVERDOSE_NOT_IN_TREATMENT', 'open'], ['POST_RELEASE_OVERDOSE', 'open']]);
    // The ambulance service corrects its record: the patient was the other person (same record, later time).
    const corrected = { ...nearMiss, id: `${nearMiss.id}-corrected`, time: '2025-03-09T08:00:00Z', data: { ...nearMiss.data, person: { nhsNumber: other.nhsNumber, givenName: other.givenName, familyName: other.familyName, dateOfBirth: other.dateOfBirth, sex: other.sex } } };
    expect((await t.ingest([corrected])).map((o) => o.status)).toEqual(['accepted']);
    await t.engine.catchUp();
    expect(await t.personRefOf(nearMiss)).toBe(await t.personRefOf(otherStart));
    expect((await queries.list()).map((a) => [a.code, a.status, a.resolution?.reason]).sort()).toEqual([
      ['OVERDOSE_NOT_IN_TREATMENT', 'resolved', 'condition-ended'], ['POST_RELEASE_OVERDOSE', 'resolved', 'condition-ended'],
    ]);
  });

  it('fires ENGAGEMENT_AT_RISK from the hub\'s clock at day 7 and day 14, and resolves it when treatment starts', async () => {
    const clock = new ManualClock('2025-03-03T10:00:00Z');
    t = await openTestHub({ clock });
    const events = new CdpEvents('clock');
    const lee = testPerson(4, 'Lindqvist');
    const released = events.release(lee, '2025-03-03');
    await t.ingest([released]);
    await t.engine.startLive();
    const queries = new AlertQueries(t.hub.database);
    clock.set('2025-03-09T23:59:00Z');
    await waitFor(async () => (await t.hub.database.query(`SELECT 1 FROM proj_alert_processor_g1.person_due`)).rowCount === 1, { what: 'the release to be scheduled' });
    expect(await queries.list()).toEqual([]);
    clock.set('2025-03-10T00:00:30Z');
    const day7 = await waitFor(async () => (await queries.list())[0], { what: 'the day 7 alert' });
    expect(day7).toMatchObject({ code: 'ENGAGEMENT_AT_RISK', priority: 'medium', status: 'open', raisedAt: '2025-03-10T00:00:00.000Z', recipients: ['treatment-northshire-recovery', 'probation-northshire'] });
    clock.set('2025-03-17T08:00:00Z');
    await waitFor(async () => (await queries.list()).length === 2, { what: 'the day 14 alert' });
    clock.set('2025-03-18T11:00:00Z');
    await t.ingest([events.treatmentStarted(lee, '2025-03-18')]);
    const resolved = await waitFor(async () => {
      const alerts = await queries.list({ status: 'closed' });
      return alerts.length === 2 ? alerts : undefined;
    }, { what: 'both warnings to resolve' });
    expect(resolved.map((a) => [a.priority, a.resolution?.reason])).toEqual([['medium', 'treatment-started'], ['high', 'treatment-started']]);
  });
});
