import { TimelineView } from '@hub/timeline';
import {
  deathReport, drugTest, overdose, referral, release, supervisionEnd, supervisionStart, timeline, treatmentDischarge, treatmentStart, reception,
} from '../../../timeline/test/timeline-builder';
import { reviewFlags, reviewPriority, twelveMonthsBefore } from './review-flags';
import { reviewTimeline } from './review-timeline';

const diedOn = '2025-06-15';
const assess = (...items: Parameters<typeof timeline>) => {
  const view = TimelineView.of(timeline(deathReport(diedOn), ...items));
  const { flags } = reviewFlags(view, diedOn);
  return { flags, priority: reviewPriority(view, diedOn, flags) };
};

describe('DRD review flags and priority', () => {
  it('Given a release 10 days before death with a referral and no treatment start, Then P1 with the release flags', () => {
    expect(assess(release('2025-06-05'), referral('2025-06-06'))).toEqual({
      priority: 'P1',
      flags: {
        knownToTreatment: true, inTreatmentAtDeath: false, releasedWithin28Days: true, releasedWithin12Weeks: true,
        nearMissesLast12Months: 0, positiveDtoaLast12Months: 0, underProbationSupervision: false,
      },
    });
  });

  it('Given an open treatment episode at death, Then P1 (in treatment at death); a discharge on the day of death still counts', () => {
    expect(assess(treatmentStart('2024-01-10'))).toMatchObject({ priority: 'P1', flags: { inTreatmentAtDeath: true, knownToTreatment: true } });
    expect(assess(treatmentStart('2024-01-10'), treatmentDischarge(diedOn, { reason: 'died' }))).toMatchObject({ priority: 'P1', flags: { inTreatmentAtDeath: true } });
  });

  it('Given a near miss 80 days before death, Then P1; 100 days before, Then P2 (known in the last 12 months)', () => {
    expect(assess(overdose('2025-03-27T10:00:00Z'))).toMatchObject({ priority: 'P1', flags: { nearMissesLast12Months: 1 } });
    expect(assess(overdose('2025-03-07T10:00:00Z'))).toMatchObject({ priority: 'P2', flags: { nearMissesLast12Months: 1 } });
  });

  it('Given a release 60 days before death, Then P2 released within 12 weeks but not 28 days', () => {
    expect(assess(release('2025-04-16'))).toMatchObject({ priority: 'P2', flags: { releasedWithin28Days: false, releasedWithin12Weeks: true } });
  });

  it('Given positive drug tests and probation supervision, Then they are counted and flagged (P2)', () => {
    const result = assess(drugTest('2025-01-10T12:00:00Z', { opiates: 'positive' }), drugTest('2025-02-10T12:00:00Z', { cocaine: 'negative' }), supervisionStart('2024-03-01'));
    expect(result).toMatchObject({ priority: 'P2', flags: { positiveDtoaLast12Months: 1, underProbationSupervision: true } });
  });

  it('Given supervision that ended before death and contact only 14 months earlier, Then P3', () => {
    expect(assess(supervisionStart('2024-01-01'), supervisionEnd('2024-04-01'), treatmentDischarge('2024-04-10'))).toMatchObject({
      priority: 'P3', flags: { underProbationSupervision: false, knownToTreatment: true, inTreatmentAtDeath: false },
    });
  });

  it('Given nobody knew the person, Then P3', () => {
    expect(assess()).toMatchObject({ priority: 'P3', flags: { knownToTreatment: false, nearMissesLast12Months: 0 } });
  });

  it('counts 12 months from the day after the same date a year earlier', () => {
    expect(twelveMonthsBefore('2025-06-15')).toBe('2024-06-16');
    expect(twelveMonthsBefore('2024-02-29')).toBe('2023-03-01');
    expect(assess(overdose('2024-06-16T10:00:00Z')).flags.nearMissesLast12Months).toBe(1);
    expect(assess(overdose('2024-06-15T10:00:00Z')).flags.nearMissesLast12Months).toBe(0);
  });

  it('lists the 12-month multi-agency timeline in date order, without free text or person data', () => {
    const view = TimelineView.of(timeline(deathReport(diedOn), referral('2025-06-06'), release('2025-06-05'), reception('2024-01-01')));
    const entries = reviewTimeline(view, diedOn);
    expect(entries.map((e) => [e.on, e.type])).toEqual([
      ['2025-06-05', 'prison.release.recorded.v1'], ['2025-06-06', 'treatment.referral.received.v1'], ['2025-06-15', 'police.suspected-drug-death.reported.v1'],
    ]);
    expect(entries[0]!.fields).toMatchObject({ releasedOn: '2025-06-05', referralProviderId: 'NRP' });
    expect(JSON.stringify(entries)).not.toMatch(/circumstances|givenName|dateOfBirth/);
  });
});
