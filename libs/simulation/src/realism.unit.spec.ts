import { ageInCompletedYears, type CloudEvent } from '@hub/kernel';
import { dataOf, daysFrom, optionsFor, run } from './test-support/fixtures';
import { continuityOfCare, currentRecords, groupByPerson } from './test-support/outcomes';

const simulated = run(optionsFor({ people: 2000, seed: 'realism' }));
const current = currentRecords(simulated.events);
const people = groupByPerson(current, simulated.personOf);
const ofType = (type: string) => current.filter((event) => event.type === type).map(dataOf);
const share = (part: number, whole: number) => part / whole;
const releases = ofType('prison.release.recorded.v1');

describe('stories at roughly the national rates (2,000 people, 12 months)', () => {
  it('engages 35-65% of cohort releases in community treatment within 21 days', () => {
    const { cohort, engaged, excluded, notEngaged } = continuityOfCare(people, '2025-12-31');
    expect(cohort).toBeGreaterThan(400);
    expect(share(engaged, cohort)).toBeGreaterThan(0.35);
    expect(share(engaged, cohort)).toBeLessThan(0.65);
    expect(excluded).toBeGreaterThan(0);
    expect(notEngaged).toBeGreaterThan(0);
  });

  it('records a treatment need for about 60% of releases, most of them referred', () => {
    const needs = releases.filter((r) => r['treatmentNeed']);
    expect(share(needs.length, releases.length)).toBeGreaterThan(0.5);
    expect(share(needs.length, releases.length)).toBeLessThan(0.7);
    expect(share(needs.filter((r) => r['referral']).length, needs.length)).toBeGreaterThan(0.75);
    expect(releases.filter((r) => !r['treatmentNeed'] && (r['referral'] || r['substanceGroup']))).toEqual([]);
  });

  it('releases mostly on licence or at sentence end, some remand-ended, a few transfers and deportations', () => {
    const count = (type: string) => releases.filter((r) => r['releaseType'] === type).length;
    expect(share(count('licence') + count('end-of-sentence'), releases.length)).toBeGreaterThan(0.65);
    expect(share(count('remand-ended'), releases.length)).toBeGreaterThan(0.05);
    expect(share(count('transfer') + count('deportation'), releases.length)).toBeGreaterThan(0.01);
    expect(share(count('transfer') + count('deportation'), releases.length)).toBeLessThan(0.1);
  });

  it('issues naloxone to most opiate users on release', () => {
    const opiate = releases.filter((r) => r['substanceGroup'] === 'opiate');
    expect(share(opiate.filter((r) => r['naloxoneIssued']).length, opiate.length)).toBeGreaterThan(0.6);
  });

  it('starts treatment on release day for some, beyond 21 days for some, in prison for a few', () => {
    const delays = [...people.values()].flatMap((events) => {
      const starts = events.filter((e) => e.type === 'treatment.started.v1' && dataOf(e)['setting'] !== 'prison').map((e) => dataOf(e)['startedOn']);
      return events.filter((e) => e.type === 'prison.release.recorded.v1')
        .map((e) => Math.min(...starts.map((s) => daysFrom(dataOf(e)['releasedOn'], s)).filter((d) => d >= 0)));
    });
    expect(delays.filter((d) => d === 0).length).toBeGreaterThan(20);
    expect(delays.filter((d) => d > 21 && Number.isFinite(d)).length).toBeGreaterThan(20);
    expect(ofType('treatment.started.v1').filter((s) => s['setting'] === 'prison').length).toBeGreaterThan(10);
    expect(new Set(ofType('treatment.discharged.v1').map((d) => d['reason']))).toEqual(
      new Set(['completed', 'dropped-out', 'transferred', 'custody', 'died', 'other']));
  });

  it('recalls or remands some people, a few within 21 days of release', () => {
    const reasons = new Set(ofType('prison.reception.recorded.v1').map((r) => r['reason']));
    expect(reasons).toEqual(new Set(['recall', 'remand', 'sentenced']));
    expect(countAfterRelease('prison.reception.recorded.v1', 'receivedOn', 1, 21)).toBeGreaterThan(5);
  });

  it('tests arrestees for opiates and cocaine, about 56% positive', () => {
    const tests = ofType('police.drug-test-on-arrest.recorded.v1');
    const positive = tests.filter((t) => t['results'].some((r: { substance: string; result: string }) => r.substance !== 'other' && r.result === 'positive'));
    expect(tests.length).toBeGreaterThan(500);
    expect(share(positive.length, tests.length)).toBeGreaterThan(0.46);
    expect(share(positive.length, tests.length)).toBeLessThan(0.66);
    expect(tests.filter((t) => t['requiredAssessment'] !== positive.includes(t))).toEqual([]);
    expect(tests.some((t) => !t['triggerOffence'])).toBe(true);
  });

  it('puts people released on licence under probation supervision', () => {
    const starts = ofType('probation.supervision.started.v1');
    expect(share(starts.filter((s) => s['requirement'] === 'licence').length, releases.filter((r) => r['releaseType'] === 'licence').length)).toBeGreaterThan(0.9);
    expect(starts.some((s) => s['drugRehabilitationRequirement'])).toBe(true);
  });

  it('has overdoses more often in the two weeks after release, and repeats within 30 days', () => {
    const perDay = (from: number, to: number) => countAfterRelease('nhs.non-fatal-overdose.recorded.v1', 'occurredAt', from, to) / (to - from + 1);
    expect(perDay(0, 13)).toBeGreaterThan(2 * perDay(14, 83));
    const repeats = [...people.values()].filter((events) => {
      const days = events.filter((e) => e.type === 'nhs.non-fatal-overdose.recorded.v1').map((e) => dataOf(e)['occurredAt'] as string).sort();
      return days.some((day, i) => i > 0 && daysFrom(days[i - 1]!, day) <= 30);
    });
    expect(repeats.length).toBeGreaterThan(3);
  });

  it('has a cluster: 3+ overdoses in one local authority within 72 hours', () => {
    const overdoses = ofType('nhs.non-fatal-overdose.recorded.v1').map((o) => ({ at: Date.parse(o['occurredAt']), authority: o['localAuthority'] }));
    const clustered = overdoses.filter((first) =>
      overdoses.filter((o) => o.authority === first.authority && o.at >= first.at && o.at - first.at <= 72 * 3600_000).length >= 3);
    expect(clustered.length).toBeGreaterThan(0);
  });

  it('has rare deaths, more likely in the first two weeks after release, some with inquests', () => {
    const deaths = ofType('police.suspected-drug-death.reported.v1');
    expect(deaths.length).toBeGreaterThan(5);
    expect(deaths.length).toBeLessThan(0.03 * 2000);
    const perDay = (from: number, to: number) => countAfterRelease('police.suspected-drug-death.reported.v1', 'diedOn', from, to) / (to - from + 1);
    expect(perDay(0, 13)).toBeGreaterThan(perDay(14, 83));
    expect(ofType('coroner.inquest.concluded.v1').length).toBeGreaterThan(0);
  });

  it('has a few people under 18 on release day and some born on 29 February', () => {
    const minors = releases.filter((r) => r['person']['dateOfBirth'] && ageInCompletedYears(r['person']['dateOfBirth'], r['releasedOn']) < 18);
    expect(minors.length).toBeGreaterThan(2);
    expect(current.some((event) => dataOf(event)['person']['dateOfBirth']?.endsWith('-02-29'))).toBe(true);
  });

  it('publishes mostly on the day, some days late', () => {
    const businessDate = (event: CloudEvent) => {
      const data = dataOf(event);
      const field = Object.keys(data).find((key) => /On$|At$/.test(key) && key !== 'referredOn');
      return field ? (data[field] as string) : undefined;
    };
    const lateness = simulated.events.filter((event) => businessDate(event) && !event.type.includes('retracted'))
      .map((event) => daysFrom(businessDate(event)!, event.time));
    expect(lateness.filter((days) => days < 0)).toEqual([]);
    expect(share(lateness.filter((days) => days >= 1).length, lateness.length)).toBeGreaterThan(0.05);
    expect(share(lateness.filter((days) => days >= 1).length, lateness.length)).toBeLessThan(0.4);
  });
});

function countAfterRelease(type: string, field: string, fromDay: number, toDay: number): number {
  let count = 0;
  for (const events of people.values()) {
    const releaseDays = events.filter((e) => e.type === 'prison.release.recorded.v1').map((e) => dataOf(e)['releasedOn'] as string);
    for (const event of events.filter((e) => e.type === type)) {
      const day = dataOf(event)[field] as string;
      if (releaseDays.some((released) => daysFrom(released, day) >= fromDay && daysFrom(released, day) <= toDay)) count++;
    }
  }
  return count;
}
