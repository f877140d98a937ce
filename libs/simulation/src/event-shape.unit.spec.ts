import { deliusCrnPattern, isValidNhsNumber, nomisIdPattern, pncIdPattern } from '@hub/kernel';
import { dataOf, northshire, optionsFor, run } from './test-support/fixtures';
import { specProblems } from './test-support/spec-shape';

const clean = run(optionsFor({ people: 1500, seed: 'shape' }));
const noisy = run(optionsFor({
  people: 1500, seed: 'shape',
  noise: { nameTypo: 0.3, nickname: 0.3, dobTransposed: 0.3, dobDigitOff: 0.3, missingIdentifier: 0.5, twins: 0.2, commonNames: 0.5 },
}));

describe('every generated event follows SPEC sections 1-3', () => {
  it.each([['clean', clean], ['noisy', noisy]])('%s identifiers: envelope, person block and data fields', (_, simulated) => {
    expect(simulated.events.length).toBeGreaterThan(3000);
    const problems = simulated.events.flatMap((event) => specProblems(event, northshire).map((problem) => `${event.type}: ${problem}`));
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('exercises every catalogue type and retractions of several kinds', () => {
    const types = new Set(clean.events.map((event) => event.type));
    expect([...types].filter((type) => !type.endsWith('.record.retracted.v1')).sort()).toEqual([
      'coroner.inquest.concluded.v1', 'nhs.non-fatal-overdose.recorded.v1', 'police.drug-test-on-arrest.recorded.v1',
      'police.suspected-drug-death.reported.v1', 'prison.reception.recorded.v1', 'prison.release.recorded.v1',
      'probation.supervision.ended.v1', 'probation.supervision.started.v1', 'treatment.discharged.v1',
      'treatment.referral.received.v1', 'treatment.started.v1',
    ]);
    expect([...types].filter((type) => type.endsWith('.record.retracted.v1')).length).toBeGreaterThanOrEqual(3);
  });

  it('uses each agency\'s own identifier as the subject', () => {
    const subjectFormat: Record<string, (subject: string) => boolean> = {
      prison: (s) => nomisIdPattern.test(s),
      probation: (s) => deliusCrnPattern.test(s),
      nhs: (s) => isValidNhsNumber(s),
      police: (s) => pncIdPattern.test(s) || /^NSP-\d{6}$/.test(s),
      treatment: (s) => /^(NRP|CDA)-\d{6}$/.test(s),
      coroner: (s) => /^COR-\d{6}$/.test(s),
    };
    const kindOf = new Map(northshire.agencies.map((agency) => [`agency:${agency.id}`, agency]));
    const wrong = clean.events.filter((event) => {
      const agency = kindOf.get(event.source)!;
      const own = { prison: 'nomisId', probation: 'deliusCrn', police: 'pncId', nhs: 'nhsNumber' }[agency.kind as string];
      const person = dataOf(event)['person'];
      const ownMatches = !own || person[own] === undefined || person[own] === event.subject;
      const providerMatches = agency.kind !== 'treatment' || event.subject.startsWith(`${agency.providerId}-`);
      return !subjectFormat[agency.kind]!(event.subject) || !ownMatches || !providerMatches;
    });
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('refers prison leavers to the area\'s providers', () => {
    const providerIds = northshire.agencies.flatMap((agency) => (agency.providerId ? [agency.providerId] : []));
    const referrals = clean.events
      .filter((event) => event.type === 'prison.release.recorded.v1' && dataOf(event)['referral'])
      .map((event) => dataOf(event)['referral']);
    expect(referrals.length).toBeGreaterThan(100);
    expect(referrals.filter((referral) => !providerIds.includes(referral.providerId))).toEqual([]);
  });
});
