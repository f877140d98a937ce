import { londonDateOf } from '@hub/kernel';
import type { FactOf } from '@hub/timeline';
import { countReleases } from './continuity-report';
import { type ContinuityFact, currentVersions, type FactVersion, judgeReleases, personsWithoutBirthDate, type RetractionMark } from './continuity-facts';

let position = 0;
function version(key: string, streamId: string, fact: ContinuityFact, at: { time?: string; recordedAt?: string } = {}): FactVersion {
  position += 1;
  return {
    key, streamId, provider: key.split('|')[0]!, time: at.time ?? '2025-03-03T09:00:00.000Z',
    recordedAt: at.recordedAt ?? `2025-04-01T00:00:${String(position % 60).padStart(2, '0')}.000Z`, position, fact,
  };
}
const releaseFact = (overrides: Partial<FactOf<'release'>> = {}): FactOf<'release'> => ({
  kind: 'release', releasedOn: '2025-03-03', prisonId: 'NGI', releaseType: 'licence', destinationLocalAuthority: 'E06000901',
  treatmentNeed: true, substanceGroup: 'opiate', referral: { providerId: 'NRP', referredOn: '2025-02-21' }, naloxoneIssued: true, ageOnRelease: 40,
  ...overrides,
});
const start = (startedOn: string, setting = 'community'): ContinuityFact => ({
  kind: 'treatment-started', startedOn, providerId: 'NRP', localAuthority: 'E06000901', setting, substanceGroup: 'opiate',
});
const REL = 'prison-hmp-northgate|prison.release.recorded.v1|REL-1';
const TS = 'treatment-northshire-recovery|treatment.started.v1|TS-1';

function outcomes(records: FactVersion[], links: Record<string, string>) {
  return judgeReleases(records, (stream) => links[stream]).map((j) => ({ key: j.key, personRef: j.personRef, judgement: j.judgement }));
}

describe('current versions and linkage', () => {
  it('Given a correction of the same recordId, when read, then the latest by time wins (ties by arrival)', () => {
    const first = version(REL, 'prison:a', releaseFact({ releasedOn: '2025-03-03' }), { time: '2025-03-03T09:00:00Z' });
    const corrected = version(REL, 'prison:a', releaseFact({ releasedOn: '2025-03-04' }), { time: '2025-03-04T09:00:00Z' });
    const older = version(REL, 'prison:a', releaseFact({ releasedOn: '2025-03-01' }), { time: '2025-03-01T09:00:00Z' });
    expect(currentVersions([first, corrected, older], []).map((v) => (v.fact as FactOf<'release'>).releasedOn)).toEqual(['2025-03-04']);
    const tie = version(REL, 'prison:a', releaseFact({ releasedOn: '2025-03-05' }), { time: '2025-03-04T09:00:00Z' });
    expect(currentVersions([first, corrected, tie], []).map((v) => (v.fact as FactOf<'release'>).releasedOn)).toEqual(['2025-03-05']);
  });

  it('Given a retraction, whichever arrives first, then the record counts for nothing', () => {
    const record = version(REL, 'prison:a', releaseFact());
    const retraction: RetractionMark = { targetKey: REL, recordedAt: '2025-03-01T00:00:00Z', position: 0 };
    expect(currentVersions([record], [retraction])).toEqual([]);
  });

  it('Given facts that arrived after the instant asked about, then they are left out (as of)', () => {
    const record = version(REL, 'prison:a', releaseFact(), { recordedAt: '2025-03-03T10:00:00Z' });
    const correction = version(REL, 'prison:a', releaseFact({ prisonId: 'EFI' }), { time: '2025-03-05T00:00:00Z', recordedAt: '2025-03-05T10:00:00Z' });
    const retraction: RetractionMark = { targetKey: REL, recordedAt: '2025-03-06T10:00:00Z', position: 99 };
    expect(currentVersions([record, correction], [retraction], '2025-03-04T00:00:00Z').map((v) => (v.fact as FactOf<'release'>).prisonId)).toEqual(['NGI']);
    expect(currentVersions([record, correction], [retraction], '2025-03-05T12:00:00Z').map((v) => (v.fact as FactOf<'release'>).prisonId)).toEqual(['EFI']);
    expect(currentVersions([record, correction], [retraction], '2025-03-06T12:00:00Z')).toEqual([]);
  });

  it('Given a treatment start on another agency\'s subject, when no link names both, then the release is not engaged; once linked, it is', () => {
    const records = [version(REL, 'prison:a', releaseFact()), version(TS, 'treatment:b', start('2025-03-10'))];
    expect(outcomes(records, {})[0]).toMatchObject({ personRef: null, judgement: { outcome: 'open' } });
    expect(outcomes(records, { 'prison:a': 'p1', 'treatment:b': 'p1' })[0]).toMatchObject({ personRef: 'p1', judgement: { outcome: 'engaged', on: '2025-03-10' } });
  });

  it('Given a treatment start that arrived before the release, then it still engages the release', () => {
    const records = [version(TS, 'treatment:b', start('2025-03-10')), version(REL, 'prison:a', releaseFact())];
    expect(outcomes(records, { 'prison:a': 'p1', 'treatment:b': 'p1' })[0]!.judgement).toMatchObject({ outcome: 'engaged' });
  });

  it('Given two releases of one person and one start in both windows, then both are engaged', () => {
    const records = [
      version(REL, 'prison:a', releaseFact({ releasedOn: '2025-03-03' })),
      version(`${REL}b`, 'prison:c', releaseFact({ releasedOn: '2025-03-15' })),
      version(TS, 'treatment:b', start('2025-03-20')),
    ];
    const judged = outcomes(records, { 'prison:a': 'p1', 'prison:c': 'p1', 'treatment:b': 'p1' });
    expect(judged.map((j) => j.judgement)).toEqual([
      { inCohort: true, outcome: 'engaged', on: '2025-03-20' }, { inCohort: true, outcome: 'engaged', on: '2025-03-20' },
    ]);
  });

  it('Given a discharge with reason died in the window, then the release is excluded; another reason does not exclude', () => {
    const died = (reason: string): ContinuityFact => ({ kind: 'treatment-discharged', dischargedOn: '2025-03-10', providerId: 'NRP', reason });
    const judge = (reason: string) => outcomes([version(REL, 'prison:a', releaseFact()), version(TS, 'treatment:b', died(reason))], { 'prison:a': 'p', 'treatment:b': 'p' })[0]!.judgement;
    expect(judge('died')).toEqual({ inCohort: true, outcome: 'excluded', reason: 'died', on: '2025-03-10' });
    expect(judge('dropped-out')).toEqual({ inCohort: true, outcome: 'open' });
  });
});

describe('age from a linked record', () => {
  it('Given a release without a date of birth and a linked record born 17 years before, then not in the cohort', () => {
    const records = [version(REL, 'prison:a', releaseFact({ ageOnRelease: null }))];
    const judged = judgeReleases(records, () => 'p1', new Map([['p1', '2008-02-29']]));
    expect(judged[0]!.judgement).toEqual({ inCohort: false, cohortExclusion: 'under-18' });
    expect(personsWithoutBirthDate(records, () => 'p1')).toEqual(['p1']);
  });
  it('Given the release\'s own date of birth, then a linked one is not used', () => {
    const records = [version(REL, 'prison:a', releaseFact({ ageOnRelease: 30 }))];
    expect(judgeReleases(records, () => 'p1', new Map([['p1', '2010-01-01']]))[0]!.judgement).toMatchObject({ inCohort: true });
    expect(personsWithoutBirthDate(records, () => 'p1')).toEqual([]);
  });
});

describe('corrections and retractions moving a release in or out of engagement', () => {
  const linked = { 'prison:a': 'p1', 'treatment:b': 'p1' };
  const judgeCurrent = (versions: FactVersion[], retractions: RetractionMark[] = []) =>
    outcomes(currentVersions(versions, retractions), linked)[0]!.judgement;

  it('Given a start on 25 March and a release on 3 March corrected to 5 March, then the start on day 20 engages it', () => {
    const released = version(REL, 'prison:a', releaseFact({ releasedOn: '2025-03-03' }), { time: '2025-03-03T09:00:00Z' });
    const started = version(TS, 'treatment:b', start('2025-03-25'));
    expect(judgeCurrent([released, started])).toEqual({ inCohort: true, outcome: 'open' });
    const corrected = version(REL, 'prison:a', releaseFact({ releasedOn: '2025-03-05' }), { time: '2025-03-06T09:00:00Z' });
    expect(judgeCurrent([released, started, corrected])).toEqual({ inCohort: true, outcome: 'engaged', on: '2025-03-25' });
  });

  it('Given a start on 24 March engaging a release on 3 March, when the release is corrected to 2 March, then the start (day 22) no longer counts', () => {
    const released = version(REL, 'prison:a', releaseFact({ releasedOn: '2025-03-03' }), { time: '2025-03-03T09:00:00Z' });
    const started = version(TS, 'treatment:b', start('2025-03-24'));
    expect(judgeCurrent([released, started])).toMatchObject({ outcome: 'engaged' });
    const corrected = version(REL, 'prison:a', releaseFact({ releasedOn: '2025-03-02' }), { time: '2025-03-04T09:00:00Z' });
    expect(judgeCurrent([released, started, corrected])).toEqual({ inCohort: true, outcome: 'open' });
  });

  it('Given a correction with an earlier time than the record it corrects, then it does not win, whichever arrived last', () => {
    const released = version(REL, 'prison:a', releaseFact({ releasedOn: '2025-03-03' }), { time: '2025-03-03T09:00:00Z' });
    const stale = version(REL, 'prison:a', releaseFact({ releasedOn: '2025-02-01' }), { time: '2025-03-01T09:00:00Z' });
    const started = version(TS, 'treatment:b', start('2025-03-10'));
    expect(judgeCurrent([released, stale, started])).toMatchObject({ outcome: 'engaged' });
  });

  it('Given a start corrected from day 5 to day 30, then it no longer engages the release', () => {
    const released = version(REL, 'prison:a', releaseFact());
    const started = version(TS, 'treatment:b', start('2025-03-08'), { time: '2025-03-08T09:00:00Z' });
    const moved = version(TS, 'treatment:b', start('2025-04-02'), { time: '2025-04-02T09:00:00Z' });
    expect(judgeCurrent([released, started, moved])).toEqual({ inCohort: true, outcome: 'open' });
  });

  it('Given the only start is retracted, then the release is not engaged; a retracted recall no longer excludes', () => {
    const released = version(REL, 'prison:a', releaseFact());
    const started = version(TS, 'treatment:b', start('2025-03-08'));
    const retractStart: RetractionMark = { targetKey: TS, recordedAt: '2025-04-02T00:00:00Z', position: 1000 };
    expect(judgeCurrent([released, started], [retractStart])).toEqual({ inCohort: true, outcome: 'open' });
    const RECALL = 'prison-hmp-northgate|prison.reception.recorded.v1|REC-1';
    const recall = version(RECALL, 'prison:a', { kind: 'reception', receivedOn: '2025-03-06', prisonId: 'NGI', reason: 'recall' });
    expect(judgeCurrent([released, recall])).toMatchObject({ outcome: 'excluded', reason: 're-custody' });
    expect(judgeCurrent([released, recall], [{ targetKey: RECALL, recordedAt: '2025-04-02T00:00:00Z', position: 1001 }])).toEqual({ inCohort: true, outcome: 'open' });
  });

  it('Given a release without treatment need corrected to have one, then it joins the cohort', () => {
    const released = version(REL, 'prison:a', releaseFact({ treatmentNeed: false }), { time: '2025-03-03T09:00:00Z' });
    expect(judgeCurrent([released])).toEqual({ inCohort: false, cohortExclusion: 'no-treatment-need' });
    const corrected = version(REL, 'prison:a', releaseFact({ treatmentNeed: true }), { time: '2025-03-03T10:00:00Z' });
    expect(judgeCurrent([released, corrected])).toEqual({ inCohort: true, outcome: 'open' });
  });
});

describe('pending or not engaged by the Europe/London date of the instant asked about', () => {
  const summerRelease = version(REL, 'prison:a', releaseFact({ releasedOn: '2025-06-02' }));
  const count = (instant: string) => countReleases(judgeReleases([summerRelease], () => 'p1'), [], londonDateOf(new Date(instant)))[0]!;

  it('Given day 21 (23 June) late in the evening UTC, when it is already 24 June in London (BST), then not engaged', () => {
    expect(count('2025-06-23T22:59:59Z')).toMatchObject({ pending: 1, notEngaged: 0 });
    expect(count('2025-06-23T23:00:00Z')).toMatchObject({ pending: 0, notEngaged: 1 });
  });
});
