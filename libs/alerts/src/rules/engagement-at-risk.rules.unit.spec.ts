import { reception, release, retraction, timeline, treatmentStart, deathReport } from '../../../timeline/test/timeline-builder';
import { sweepPerson } from './person-sweep';
import { engagementAtRiskRule } from './engagement-at-risk.rules';

const onlyThisRule = [engagementAtRiskRule];
const sweep = (items: Parameters<typeof timeline>, until: string) => sweepPerson(timeline(...items), until, onlyThisRule);
const raisedOf = (result: ReturnType<typeof sweepPerson>) => result.raised.map((r) => ({ priority: r.trigger.priority, raisedAt: r.raisedAt, day: r.trigger.details.daysLeft }));

describe('ENGAGEMENT_AT_RISK', () => {
  it('Given a cohort release not engaged, When day 7 begins, Then a medium alert is raised at midnight London time', () => {
    const result = sweep([release('2025-03-03')], '2025-03-12T12:00:00Z');
    expect(raisedOf(result)).toEqual([{ priority: 'medium', raisedAt: '2025-03-10T00:00:00.000Z', day: 14 }]);
    expect(result.raised[0]!.trigger).toMatchObject({ code: 'ENGAGEMENT_AT_RISK', purpose: 'continuity-of-care', localAuthority: 'E06000901', occurredOn: '2025-03-10' });
  });

  it('Given still no treatment start, When day 14 begins, Then it is raised again with high priority', () => {
    const result = sweep([release('2025-03-03')], '2025-04-30T00:00:00Z');
    expect(raisedOf(result)).toEqual([
      { priority: 'medium', raisedAt: '2025-03-10T00:00:00.000Z', day: 14 },
      { priority: 'high', raisedAt: '2025-03-17T00:00:00.000Z', day: 7 },
    ]);
    expect(new Set(result.raised.map((r) => r.trigger.alertId)).size).toBe(2);
  });

  it('Given British Summer Time, Then day 7 begins at 23:00 UTC the evening before', () => {
    const result = sweep([release('2025-06-02')], '2025-06-09T00:00:00Z');
    expect(result.raised.map((r) => r.raisedAt)).toEqual(['2025-06-08T23:00:00.000Z']);
  });

  it('Given day 6, Then nothing is raised yet and the next check is due when day 7 begins', () => {
    const result = sweep([release('2025-03-03')], '2025-03-09T23:59:59Z');
    expect(result.raised).toEqual([]);
    expect(result.nextDueAt).toBe('2025-03-10T00:00:00.000Z');
  });

  it('Given a community treatment start on day 5, Then no alert is raised', () => {
    expect(sweep([release('2025-03-03'), treatmentStart('2025-03-08')], '2025-04-30T00:00:00Z').raised).toEqual([]);
  });

  it('Given the day 7 alert, When treatment starts on day 10, Then it resolves itself and day 14 never fires', () => {
    const start = treatmentStart('2025-03-13');
    const result = sweep([release('2025-03-03'), start], '2025-04-30T00:00:00Z');
    expect(raisedOf(result)).toEqual([{ priority: 'medium', raisedAt: '2025-03-10T00:00:00.000Z', day: 14 }]);
    expect(result.resolved).toEqual([{ alertId: result.raised[0]!.trigger.alertId, reason: 'treatment-started', resolvedAt: start.knownAt }]);
  });

  it('Given only a prison-setting start, Then the release is still not engaged', () => {
    expect(sweep([release('2025-03-03'), treatmentStart('2025-03-04', { setting: 'prison' })], '2025-03-11T00:00:00Z').raised).toHaveLength(1);
  });

  it.each([
    ['no referral', { referralProviderId: null }],
    ['no treatment need', { treatmentNeed: false }],
    ['a transfer', { releaseType: 'transfer' }],
    ['a deportation', { releaseType: 'deportation' }],
    ['aged 17 on release', { age: 17 }],
  ])('Given a release with %s (not in the cohort), Then nothing is raised', (_, options) => {
    expect(sweep([release('2025-03-03', options)], '2025-04-30T00:00:00Z').raised).toEqual([]);
  });

  it('Given an unknown age, Then the person counts as an adult', () => {
    expect(sweep([release('2025-03-03', { age: null })], '2025-03-11T00:00:00Z').raised).toHaveLength(1);
  });

  it('Given a recall on day 3, Then nothing is raised (excluded)', () => {
    expect(sweep([release('2025-03-03'), reception('2025-03-06')], '2025-04-30T00:00:00Z').raised).toEqual([]);
  });

  it('Given the day 7 alert, When the person is recalled on day 10, Then it resolves as returned to custody', () => {
    const result = sweep([release('2025-03-03'), reception('2025-03-13')], '2025-04-30T00:00:00Z');
    expect(result.raised).toHaveLength(1);
    expect(result.resolved[0]).toMatchObject({ reason: 'returned-to-custody', resolvedAt: '2025-03-13T09:00:00.000Z' });
  });

  it('Given a death reported on day 4, Then nothing is raised', () => {
    expect(sweep([release('2025-03-03'), deathReport('2025-03-07')], '2025-04-30T00:00:00Z').raised).toEqual([]);
  });

  it('Given a release published late on day 9, Then day 7 fires when it becomes known, and day 14 on time', () => {
    const result = sweep([release('2025-03-03', { knownAt: '2025-03-12T15:00:00Z' })], '2025-04-30T00:00:00Z');
    expect(result.raised.map((r) => r.raisedAt)).toEqual(['2025-03-12T15:00:00.000Z', '2025-03-17T00:00:00.000Z']);
  });

  it('Given a release first known after the 21-day window closed, Then no warning is raised', () => {
    expect(sweep([release('2025-03-03', { knownAt: '2025-03-26T09:00:00Z' })], '2025-04-30T00:00:00Z').raised).toEqual([]);
  });

  it('Given the day 7 alert, When the release is retracted, Then it resolves as retracted and day 14 never fires', () => {
    const released = release('2025-03-03');
    const result = sweep([released, retraction(released, '2025-03-11T10:00:00Z')], '2025-04-30T00:00:00Z');
    expect(result.raised).toHaveLength(1);
    expect(result.resolved).toEqual([{ alertId: result.raised[0]!.trigger.alertId, reason: 'record-retracted', resolvedAt: '2025-03-11T10:00:00.000Z' }]);
  });

  it('routes to the referral provider and, released on licence with no supervision yet, to the area probation service', () => {
    const [raised] = sweep([release('2025-03-03')], '2025-03-11T00:00:00Z').raised;
    expect(raised!.trigger.audience).toMatchObject({ treatmentProviderIds: ['NRP'], areaProbationFallback: true });
    expect(raised!.trigger.details).toMatchObject({ releasedOn: '2025-03-03', referralProviderId: 'NRP' });
  });
});
