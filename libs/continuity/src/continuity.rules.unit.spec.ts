import { ageInCompletedYears } from '@hub/kernel';
import { judgeRelease, type PersonFacts, type ReleaseFacts, statusOn } from './continuity.rules';

const release = (overrides: Partial<ReleaseFacts> = {}): ReleaseFacts => ({
  releasedOn: '2025-03-03', releaseType: 'licence', treatmentNeed: true, referral: { providerId: 'NRP' }, ageOnRelease: 40, ...overrides,
});
const nothingElse: PersonFacts = { treatmentStarts: [], receptions: [], deaths: [] };
const person = (overrides: Partial<PersonFacts>): PersonFacts => ({ ...nothingElse, ...overrides });
const community = (startedOn: string) => ({ startedOn, setting: 'community' });

/** Given a release and the person's other records, when judged and seen on `today`, then the status. */
function statusOf(given: ReleaseFacts, facts: PersonFacts, today = '2025-06-01'): string {
  const judgement = judgeRelease(given, facts);
  return judgement.inCohort ? statusOn(judgement, given.releasedOn, today) : `not in cohort: ${judgement.cohortExclusion}`;
}

describe('continuity of care rules (SPEC section 5)', () => {
  describe('cohort', () => {
    it('Given no treatment need, then the release is not in the cohort', () => {
      expect(statusOf(release({ treatmentNeed: false }), nothingElse)).toBe('not in cohort: no-treatment-need');
    });
    it('Given no referral, then the release is not in the cohort', () => {
      expect(statusOf(release({ referral: null }), nothingElse)).toBe('not in cohort: no-referral');
    });
    it.each(['transfer', 'deportation'])('Given a %s, then the release is not in the cohort', (releaseType) => {
      expect(statusOf(release({ releaseType }), nothingElse)).toBe(`not in cohort: ${releaseType}`);
    });
    it.each(['licence', 'end-of-sentence', 'remand-ended'])('Given a %s release, then it is in the cohort', (releaseType) => {
      expect(statusOf(release({ releaseType }), nothingElse)).toBe('not-engaged');
    });
    it('Given a person aged 17 on release day, then not in the cohort; aged 18, in it', () => {
      expect(statusOf(release({ ageOnRelease: 17 }), nothingElse)).toBe('not in cohort: under-18');
      expect(statusOf(release({ ageOnRelease: 18 }), nothingElse)).toBe('not-engaged');
    });
    it('Given no known date of birth, then the person counts as an adult', () => {
      expect(statusOf(release({ ageOnRelease: null }), nothingElse)).toBe('not-engaged');
    });
    it('Given a 29 February birthday, then the 18th birthday falls on 1 March in a common year', () => {
      expect(ageInCompletedYears('2008-02-29', '2026-02-28')).toBe(17);
      expect(ageInCompletedYears('2008-02-29', '2026-03-01')).toBe(18);
      expect(statusOf(release({ releasedOn: '2026-02-28', ageOnRelease: ageInCompletedYears('2008-02-29', '2026-02-28') }), nothingElse))
        .toBe('not in cohort: under-18');
      expect(statusOf(release({ releasedOn: '2026-03-01', ageOnRelease: ageInCompletedYears('2008-02-29', '2026-03-01') }), nothingElse, '2026-03-02'))
        .toBe('pending');
    });
  });

  describe('engagement', () => {
    it('Given a community start on release day (day 0), then engaged', () => {
      expect(statusOf(release(), person({ treatmentStarts: [community('2025-03-03')] }))).toBe('engaged');
    });
    it('Given a start on day 21, then engaged (inclusive)', () => {
      expect(statusOf(release(), person({ treatmentStarts: [community('2025-03-24')] }))).toBe('engaged');
    });
    it('Given a start on day 22 only, then not engaged once the window has closed', () => {
      expect(statusOf(release(), person({ treatmentStarts: [community('2025-03-25')] }))).toBe('not-engaged');
    });
    it('Given a start the day before release, then it does not count', () => {
      expect(statusOf(release(), person({ treatmentStarts: [community('2025-03-02')] }))).toBe('not-engaged');
    });
    it('Given only a start in setting prison, then not engaged', () => {
      expect(statusOf(release(), person({ treatmentStarts: [{ startedOn: '2025-03-08', setting: 'prison' }] }))).toBe('not-engaged');
    });
    it.each(['inpatient', 'residential'])('Given a start in setting %s, then engaged', (setting) => {
      expect(statusOf(release(), person({ treatmentStarts: [{ startedOn: '2025-03-08', setting }] }))).toBe('engaged');
    });
  });

  describe('pending and not engaged, by the date the report is as of', () => {
    it('Given no start and today is day 21, then pending', () => {
      expect(statusOf(release(), nothingElse, '2025-03-24')).toBe('pending');
    });
    it('Given no start and today is day 22, then not engaged', () => {
      expect(statusOf(release(), nothingElse, '2025-03-25')).toBe('not-engaged');
    });
    it('Given a start already in the window, then engaged even while the window is open', () => {
      expect(statusOf(release(), person({ treatmentStarts: [community('2025-03-05')] }), '2025-03-06')).toBe('engaged');
    });
  });

  describe('exclusions', () => {
    it('Given a reception (recall) on day 3 and a start on day 6, then excluded for re-custody', () => {
      const judgement = judgeRelease(release(), person({ receptions: [{ receivedOn: '2025-03-06' }], treatmentStarts: [community('2025-03-09')] }));
      expect(judgement).toEqual({ inCohort: true, outcome: 'excluded', reason: 're-custody', on: '2025-03-06' });
    });
    it('Given a reception on release day (day 0), then it does not exclude (day 1..21 only)', () => {
      expect(statusOf(release(), person({ receptions: [{ receivedOn: '2025-03-03' }] }))).toBe('not-engaged');
    });
    it('Given a reception on day 22, then it does not exclude', () => {
      expect(statusOf(release(), person({ receptions: [{ receivedOn: '2025-03-25' }] }))).toBe('not-engaged');
    });
    it('Given a drug-death report on day 4, then excluded as died', () => {
      expect(judgeRelease(release(), person({ deaths: [{ diedOn: '2025-03-07' }] }))).toEqual({ inCohort: true, outcome: 'excluded', reason: 'died', on: '2025-03-07' });
    });
    it('Given a death on release day (day 0), then excluded', () => {
      expect(statusOf(release(), person({ deaths: [{ diedOn: '2025-03-03' }] }))).toBe('excluded');
    });
    it('Given a start on day 2 and a recall on day 9, then engaged', () => {
      expect(statusOf(release(), person({ treatmentStarts: [community('2025-03-05')], receptions: [{ receivedOn: '2025-03-12' }] }))).toBe('engaged');
    });
    it('Given a start on the same day as the death, then engaged (on or before that day)', () => {
      expect(statusOf(release(), person({ treatmentStarts: [community('2025-03-07')], deaths: [{ diedOn: '2025-03-07' }] }))).toBe('engaged');
    });
    it('Given a recall on day 5 and a death on day 10, then the first (re-custody) is the reason', () => {
      const judgement = judgeRelease(release(), person({ receptions: [{ receivedOn: '2025-03-08' }], deaths: [{ diedOn: '2025-03-13' }] }));
      expect(judgement).toMatchObject({ outcome: 'excluded', reason: 're-custody', on: '2025-03-08' });
    });
    it('Given a death after the window, then it does not exclude', () => {
      expect(statusOf(release(), person({ deaths: [{ diedOn: '2025-03-25' }] }))).toBe('not-engaged');
    });
    it('Given an exclusion while the window is still open, then excluded at once (not pending)', () => {
      expect(statusOf(release(), person({ receptions: [{ receivedOn: '2025-03-06' }] }), '2025-03-07')).toBe('excluded');
    });
  });

  describe('edges of the exclusion window (day 1..21 for a reception, 0..21 for a death)', () => {
    it('Given a reception on day 1, then excluded for re-custody', () => {
      expect(judgeRelease(release(), person({ receptions: [{ receivedOn: '2025-03-04' }] })))
        .toEqual({ inCohort: true, outcome: 'excluded', reason: 're-custody', on: '2025-03-04' });
    });
    it('Given a reception on day 21, then excluded for re-custody', () => {
      expect(judgeRelease(release(), person({ receptions: [{ receivedOn: '2025-03-24' }] })))
        .toEqual({ inCohort: true, outcome: 'excluded', reason: 're-custody', on: '2025-03-24' });
    });
    it('Given a death on day 21, then excluded; on day 22 or the day before release, not', () => {
      expect(statusOf(release(), person({ deaths: [{ diedOn: '2025-03-24' }] }))).toBe('excluded');
      expect(statusOf(release(), person({ deaths: [{ diedOn: '2025-03-25' }] }))).toBe('not-engaged');
      expect(statusOf(release(), person({ deaths: [{ diedOn: '2025-03-02' }] }))).toBe('not-engaged');
    });
    it('Given a start and a reception both on day 1, then engaged (a start on the day of the exclusion counts)', () => {
      expect(judgeRelease(release(), person({ treatmentStarts: [community('2025-03-04')], receptions: [{ receivedOn: '2025-03-04' }] })))
        .toEqual({ inCohort: true, outcome: 'engaged', on: '2025-03-04' });
    });
    it('Given a death on day 0 and a start on day 0, then engaged', () => {
      expect(statusOf(release(), person({ treatmentStarts: [community('2025-03-03')], deaths: [{ diedOn: '2025-03-03' }] }))).toBe('engaged');
    });
    it('Given a recall on day 1 and a start on day 2, then excluded: only a start on or before the exclusion counts', () => {
      expect(statusOf(release(), person({ treatmentStarts: [community('2025-03-05')], receptions: [{ receivedOn: '2025-03-04' }] }))).toBe('excluded');
    });
    it('Given a death and a reception on the same day, then excluded as died', () => {
      expect(judgeRelease(release(), person({ receptions: [{ receivedOn: '2025-03-10' }], deaths: [{ diedOn: '2025-03-10' }] })))
        .toMatchObject({ outcome: 'excluded', reason: 'died' });
    });
    it('Given a start in prison setting on day 1 and a recall on day 5, then excluded (the prison start does not qualify)', () => {
      expect(statusOf(release(), person({ treatmentStarts: [{ startedOn: '2025-03-04', setting: 'prison' }], receptions: [{ receivedOn: '2025-03-08' }] })))
        .toBe('excluded');
    });
  });

  describe('age on release day', () => {
    it('Given the 18th birthday exactly on releasedOn, then in the cohort; the day before, not', () => {
      expect(statusOf(release({ ageOnRelease: ageInCompletedYears('2007-03-03', '2025-03-03') }), nothingElse)).toBe('not-engaged');
      expect(statusOf(release({ releasedOn: '2025-03-02', ageOnRelease: ageInCompletedYears('2007-03-03', '2025-03-02') }), nothingElse))
        .toBe('not in cohort: under-18');
    });
  });

  describe('each release on its own', () => {
    it('Given two releases whose windows overlap and one start in both, then both are engaged', () => {
      const facts = person({ treatmentStarts: [community('2025-03-20')] });
      expect(statusOf(release({ releasedOn: '2025-03-03' }), facts)).toBe('engaged');
      expect(statusOf(release({ releasedOn: '2025-03-15' }), facts)).toBe('engaged');
    });
  });
});
