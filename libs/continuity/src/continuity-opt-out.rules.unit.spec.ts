import type { FactOf } from '@hub/timeline';
import { type ContinuityFact, type FactVersion, judgeReleases } from './continuity-facts';
import { adjustCounts, optedOutTest, streamsUsableForBirthDate, withoutOptedOutNhsData } from './continuity-opt-out.rules';
import { countReleases } from './continuity-report';

let position = 0;
function version(provider: string, streamId: string, fact: ContinuityFact): FactVersion {
  position += 1;
  return { key: `${provider}|${fact.kind}|${position}`, streamId, provider, time: '2025-03-03T09:00:00.000Z', recordedAt: '2025-04-01T00:00:00.000Z', position, fact };
}
const release: FactOf<'release'> = {
  kind: 'release', releasedOn: '2025-03-03', prisonId: 'NGI', releaseType: 'licence', destinationLocalAuthority: 'E06000901',
  treatmentNeed: true, substanceGroup: 'opiate', referral: { providerId: 'NTT', referredOn: '2025-02-21' }, naloxoneIssued: true, ageOnRelease: 40,
};
const start: ContinuityFact = { kind: 'treatment-started', startedOn: '2025-03-10', providerId: 'NTT', localAuthority: 'E06000901', setting: 'community', substanceGroup: 'opiate' };
const nhsTrust = 'treatment-nhs-trust';
const charity = 'treatment-corbury-cgl';
const links: Record<string, string> = { 'prison-hmp-northgate:a': 'P-1', 'treatment-nhs-trust:b': 'P-1', 'treatment-corbury-cgl:c': 'P-2', 'prison-hmp-northgate:d': 'P-2' };
const personOf = (stream: string) => links[stream];

describe('continuity of care under the National Data Opt-out (aggregate reporting)', () => {
  const released = version('prison-hmp-northgate', 'prison-hmp-northgate:a', release);
  const startedAtTrust = version(nhsTrust, 'treatment-nhs-trust:b', start);

  it('Given a person whose only start is with an NHS trust, When their NHS number is on the register, Then the start is left out and the release is judged without it', () => {
    const isOptedOut = optedOutTest(new Set(['prison-hmp-northgate:a']), personOf);
    const records = withoutOptedOutNhsData([released, startedAtTrust], [nhsTrust], isOptedOut);
    expect(records).toEqual([released]);
    expect(judgeReleases(records, personOf)[0]!.judgement).toMatchObject({ inCohort: true, outcome: 'open' });
    expect(judgeReleases([released, startedAtTrust], personOf)[0]!.judgement).toMatchObject({ inCohort: true, outcome: 'engaged' });
  });

  it('Given the NHS number only on the NHS record, When the person is linked, Then every record of theirs from NHS bodies is left out', () => {
    const isOptedOut = optedOutTest(new Set(['treatment-nhs-trust:b']), personOf);
    expect(isOptedOut('prison-hmp-northgate:a')).toBe(true);
    expect(withoutOptedOutNhsData([released, startedAtTrust], [nhsTrust], isOptedOut)).toEqual([released]);
  });

  it('Given an opted-out person, When their data comes from a body that is not the NHS (prison, voluntary-sector treatment), Then it stays', () => {
    const startedAtCharity = version(charity, 'treatment-corbury-cgl:c', { ...start, providerId: 'CDA' });
    const isOptedOut = optedOutTest(new Set(['treatment-corbury-cgl:c']), personOf);
    expect(withoutOptedOutNhsData([startedAtCharity], [nhsTrust], isOptedOut)).toEqual([startedAtCharity]);
  });

  it('Given a person not on the register, When reporting, Then their NHS data stays', () => {
    const isOptedOut = optedOutTest(new Set(['prison-hmp-northgate:d']), personOf);
    expect(withoutOptedOutNhsData([released, startedAtTrust], [nhsTrust], isOptedOut)).toEqual([released, startedAtTrust]);
  });

  it('Given no NHS body governed by a respecting agreement, When reporting, Then nothing is left out', () => {
    expect(withoutOptedOutNhsData([released, startedAtTrust], [], () => true)).toEqual([released, startedAtTrust]);
  });

  it('Given an unlinked subject, When its own stream is on the register, Then it alone is opted out', () => {
    const isOptedOut = optedOutTest(new Set(['nhs-corbury-hospital:z']), personOf);
    expect([isOptedOut('nhs-corbury-hospital:z'), isOptedOut('nhs-corbury-hospital:y')]).toEqual([true, false]);
  });

  it('Given an opted-out person, When a release needs a date of birth from linked records, Then their NHS bodies\' records are not read for it', () => {
    const isOptedOut = optedOutTest(new Set(['prison-hmp-northgate:a']), personOf);
    expect(streamsUsableForBirthDate(['prison-hmp-northgate:a', 'treatment-nhs-trust:b'], [nhsTrust], isOptedOut)).toEqual(['prison-hmp-northgate:a']);
  });

  it('Given daily counts, When the opted-out people\'s releases are judged again, Then their contribution is swapped group by group', () => {
    const before = countReleases(judgeReleases([released, startedAtTrust], personOf), ['prisonId'], '2025-06-01');
    const after = countReleases(judgeReleases([released], personOf), ['prisonId'], '2025-06-01');
    const base = [
      { group: { prisonId: 'NGI' }, released: 10, engaged: 7, notEngaged: 2, pending: 0, excluded: 1 },
      { group: { prisonId: 'EFI' }, released: 4, engaged: 2, notEngaged: 2, pending: 0, excluded: 0 },
    ];
    expect(adjustCounts(base, before, after, ['prisonId'])).toEqual([
      { group: { prisonId: 'NGI' }, released: 10, engaged: 6, notEngaged: 3, pending: 0, excluded: 1 },
      { group: { prisonId: 'EFI' }, released: 4, engaged: 2, notEngaged: 2, pending: 0, excluded: 0 },
    ]);
  });
});
