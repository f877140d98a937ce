import {
  corrected, overdose, release, retraction, supervisionStart, timeline, treatmentDischarge, treatmentStart,
} from '../../../timeline/test/timeline-builder';
import { sweepPerson } from './person-sweep';
import { overdoseNotInTreatmentRule, postReleaseOverdoseRule, repeatOverdoseRule } from './overdose.rules';

const until = '2026-01-01T00:00:00Z';
const overdoseRules = [postReleaseOverdoseRule, overdoseNotInTreatmentRule, repeatOverdoseRule];
const codes = (items: Parameters<typeof timeline>) => sweepPerson(timeline(...items), until, overdoseRules).raised.map((r) => r.trigger.code).sort();

describe('POST_RELEASE_OVERDOSE and OVERDOSE_NOT_IN_TREATMENT', () => {
  it('Given a release on day 0 and no treatment, When the person overdoses on day 5, Then both alerts are raised when the overdose is known', () => {
    const released = release('2025-03-03', { releaseType: 'end-of-sentence' });
    const nearMiss = overdose('2025-03-08T22:15:00Z');
    const result = sweepPerson(timeline(released, nearMiss), '2025-03-09T00:00:00Z', [postReleaseOverdoseRule, overdoseNotInTreatmentRule]);
    expect(result.raised.map((r) => [r.trigger.code, r.trigger.priority, r.raisedAt])).toEqual([
      ['POST_RELEASE_OVERDOSE', 'high', nearMiss.knownAt],
      ['OVERDOSE_NOT_IN_TREATMENT', 'medium', nearMiss.knownAt],
    ]);
    const postRelease = result.raised[0]!.trigger;
    expect(postRelease.triggers.map((t) => t.type)).toEqual(['nhs.non-fatal-overdose.recorded.v1', 'prison.release.recorded.v1']);
    expect(postRelease.details).toMatchObject({ overdoseAt: '2025-03-08T22:15:00.000Z', releasedOn: '2025-03-03', localAuthority: 'E06000901' });
    expect(postRelease.audience).toMatchObject({ treatmentProviderIds: ['NRP'], probation: [], areaProbationFallback: false });
  });

  it.each([
    ['day 28', '2025-03-31T10:00:00Z', true],
    ['day 29', '2025-04-01T10:00:00Z', false],
    ['the day before release', '2025-03-02T10:00:00Z', false],
  ])('Given an overdose on %s after release, Then POST_RELEASE_OVERDOSE fires: %s', (_, at, fires) => {
    expect(codes([release('2025-03-03'), overdose(at)]).includes('POST_RELEASE_OVERDOSE')).toBe(fires);
  });

  it('Given a transfer to another prison, Then an overdose 5 days later is not post-release', () => {
    expect(codes([release('2025-03-03', { releaseType: 'transfer' }), overdose('2025-03-08T10:00:00Z')])).not.toContain('POST_RELEASE_OVERDOSE');
  });

  it('Given supervision by probation, Then probation is named alongside the treatment provider', () => {
    const [raised] = sweepPerson(timeline(release('2025-03-03'), supervisionStart('2025-03-03'), overdose('2025-03-08T10:00:00Z')), until, [postReleaseOverdoseRule]).raised;
    expect(raised!.trigger.audience).toMatchObject({ probation: ['probation-northshire'], treatmentProviderIds: ['NRP'] });
  });

  it('Given both alerts, When community treatment starts after the overdose, Then both resolve as treatment started', () => {
    const start = treatmentStart('2025-03-10');
    const result = sweepPerson(timeline(release('2025-03-03'), overdose('2025-03-08T10:00:00Z'), start), until, [postReleaseOverdoseRule, overdoseNotInTreatmentRule]);
    expect(result.resolved.map((r) => [r.reason, r.resolvedAt])).toEqual([['treatment-started', start.knownAt], ['treatment-started', start.knownAt]]);
  });

  it('Given an open community episode on the day, Then OVERDOSE_NOT_IN_TREATMENT does not fire', () => {
    expect(codes([treatmentStart('2025-01-10'), overdose('2025-03-08T10:00:00Z')])).toEqual([]);
  });

  it('Given the episode was discharged before the overdose, Then OVERDOSE_NOT_IN_TREATMENT fires and names that provider', () => {
    const result = sweepPerson(timeline(treatmentStart('2025-01-10'), treatmentDischarge('2025-02-20'), overdose('2025-03-08T10:00:00Z')), until, [overdoseNotInTreatmentRule]);
    expect(result.raised).toHaveLength(1);
    expect(result.raised[0]!.trigger.audience.treatment).toEqual(['treatment-northshire-recovery']);
  });

  it('Given nobody in treatment ever saw the person, Then the area treatment providers are asked', () => {
    const [raised] = sweepPerson(timeline(overdose('2025-03-08T10:00:00Z')), until, [overdoseNotInTreatmentRule]).raised;
    expect(raised!.trigger.audience.areaTreatmentFallback).toBe(true);
  });

  it('Given the alert, When a start dated before the overdose is reported late, Then it resolves (the person was in treatment)', () => {
    const lateStart = treatmentStart('2025-03-01', { knownAt: '2025-03-12T09:00:00Z' });
    const result = sweepPerson(timeline(overdose('2025-03-08T10:00:00Z'), lateStart), until, [overdoseNotInTreatmentRule]);
    expect(result.raised).toHaveLength(1);
    expect(result.resolved).toEqual([expect.objectContaining({ reason: 'treatment-started', resolvedAt: '2025-03-12T09:00:00.000Z' })]);
  });

  it('Given the alerts, When the overdose record is retracted, Then they resolve as retracted', () => {
    const nearMiss = overdose('2025-03-08T10:00:00Z');
    const result = sweepPerson(timeline(release('2025-03-03'), nearMiss, retraction(nearMiss, '2025-03-09T10:00:00Z')), until, [postReleaseOverdoseRule, overdoseNotInTreatmentRule]);
    expect(result.raised).toHaveLength(2);
    expect(result.resolved.map((r) => r.reason)).toEqual(['record-retracted', 'record-retracted']);
  });

  it('Given POST_RELEASE_OVERDOSE, When the release date is corrected to 40 days earlier, Then it resolves as the condition ended', () => {
    const released = release('2025-03-03');
    const result = sweepPerson(timeline(released, overdose('2025-03-08T10:00:00Z'), corrected(released, { releasedOn: '2025-01-27' }, '2025-03-10T09:00:00Z')), until, [postReleaseOverdoseRule]);
    expect(result.resolved).toEqual([expect.objectContaining({ reason: 'condition-ended', resolvedAt: '2025-03-10T09:00:00.000Z' })]);
  });
});

describe('REPEAT_OVERDOSE', () => {
  it('Given an overdose, When a second follows within 30 days, Then the second raises REPEAT_OVERDOSE (high)', () => {
    const second = overdose('2025-03-20T10:00:00Z');
    const result = sweepPerson(timeline(treatmentStart('2025-01-01'), overdose('2025-03-01T10:00:00Z'), second), until, [repeatOverdoseRule]);
    expect(result.raised.map((r) => [r.trigger.priority, r.raisedAt, r.trigger.details.overdoseAt])).toEqual([['high', second.knownAt, second.fact.occurredAt]]);
  });

  it('Given a third within 30 days of the second, Then it raises its own alert', () => {
    expect(codes([treatmentStart('2025-01-01'), overdose('2025-03-01T10:00:00Z'), overdose('2025-03-20T10:00:00Z'), overdose('2025-04-15T10:00:00Z')]))
      .toEqual(['REPEAT_OVERDOSE', 'REPEAT_OVERDOSE']);
  });

  it('Given 31 days between overdoses, Then no REPEAT_OVERDOSE', () => {
    expect(codes([treatmentStart('2025-01-01'), overdose('2025-03-01T10:00:00Z'), overdose('2025-04-01T10:00:01Z')])).toEqual([]);
  });

  it('Given the alert, When the first overdose is retracted, Then it resolves', () => {
    const first = overdose('2025-03-01T10:00:00Z');
    const result = sweepPerson(timeline(treatmentStart('2025-01-01'), first, overdose('2025-03-20T10:00:00Z'), retraction(first, '2025-03-21T09:00:00Z')), until, [repeatOverdoseRule]);
    expect(result.resolved.map((r) => r.reason)).toEqual(['record-retracted']);
  });
});
