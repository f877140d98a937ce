import type { ScoredPair } from './fellegi-sunter';
import { decideMatch } from './match-decision';

const scoring = (matchWeight: number): ScoredPair => ({ matchWeight, matchProbability: 0, comparisons: [] });
const thresholds = { link: 8, review: 2 };

describe('the decision on a scored pair', () => {
  it('Given a weight at or above the upper threshold, Then the pair links automatically', () => {
    expect(decideMatch(scoring(8), {}, {}, thresholds)).toEqual({ outcome: 'link', conflicts: [] });
  });

  it('Given a weight between the thresholds, Then the pair goes to clerical review', () => {
    expect(decideMatch(scoring(7.9), {}, {}, thresholds).outcome).toBe('review');
    expect(decideMatch(scoring(2), {}, {}, thresholds).outcome).toBe('review');
  });

  it('Given a weight below the lower threshold, Then the pair stays apart', () => {
    expect(decideMatch(scoring(1.9), {}, {}, thresholds).outcome).toBe('apart');
  });

  it('Given two different valid NHS numbers and a very high weight, Then never an automatic link: review, naming the conflict', () => {
    expect(decideMatch(scoring(40), { nhsNumber: '9434765919' }, { nhsNumber: '9434765870' }, thresholds))
      .toEqual({ outcome: 'review', conflicts: ['different-nhs-numbers'] });
  });

  it('Given the same NHS number, or one side without one, Then no conflict', () => {
    expect(decideMatch(scoring(40), { nhsNumber: '9434765919' }, { nhsNumber: '9434765919' }, thresholds).outcome).toBe('link');
    expect(decideMatch(scoring(40), { nhsNumber: '9434765919' }, {}, thresholds).outcome).toBe('link');
  });
});
