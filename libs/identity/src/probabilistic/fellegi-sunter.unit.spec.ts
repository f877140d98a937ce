import { comparisons, type ComparisonVector } from './comparisons';
import {
  estimateU, type FellegiSunterModel, perComparison, probabilityOf, scorePair, startingModel, trainByExpectationMaximisation, weightOf,
} from './fellegi-sunter';
import { seededRandom } from './linkage';

/** A model where every comparison's "most similar" level is 10x likelier among matches. */
const truth: FellegiSunterModel = {
  lambda: 0.3,
  parameters: perComparison((c) => {
    const m = c.levels.map((_, l) => (l === 0 ? 0.8 : 0.2 / (c.levels.length - 1)));
    const u = c.levels.map((_, l) => (l === 0 ? 0.08 : 0.92 / (c.levels.length - 1)));
    return { m, u };
  }),
};

function draw(probabilities: readonly number[], random: () => number): number {
  let r = random();
  for (let level = 0; level < probabilities.length; level++) {
    r -= probabilities[level]!;
    if (r <= 0) return level;
  }
  return probabilities.length - 1;
}

function sample(model: FellegiSunterModel, pairs: number, seed: number): ComparisonVector[] {
  const random = seededRandom(seed);
  return Array.from({ length: pairs }, () => {
    const match = random() < model.lambda;
    return comparisons.map((c) => draw(match ? model.parameters[c.name].m : model.parameters[c.name].u, random));
  });
}

describe('expectation-maximisation', () => {
  it('Given pairs drawn from a known model, When EM trains m from a neutral start with u known, Then it converges to the true m and lambda', () => {
    const vectors = sample(truth, 20_000, 7);
    const result = trainByExpectationMaximisation(vectors, startingModel(perComparison((c) => truth.parameters[c.name].u), 0.5));
    expect(result.converged).toBe(true);
    expect(result.iterations).toBeLessThan(100);
    expect(result.model.lambda).toBeCloseTo(0.3, 1);
    for (const c of comparisons) expect(result.model.parameters[c.name].m[0]).toBeCloseTo(0.8, 1);
  });

  it('Given a session that leaves a comparison out, Then its m stays at the start', () => {
    const start = startingModel(perComparison((c) => truth.parameters[c.name].u));
    const result = trainByExpectationMaximisation(sample(truth, 2000, 8), start, { ignore: ['dateOfBirth'] });
    expect(result.model.parameters.dateOfBirth.m).toEqual(start.parameters.dateOfBirth.m);
    expect(result.model.parameters.familyName.m).not.toEqual(start.parameters.familyName.m);
  });
});

describe('u from random pairs', () => {
  it('Given random pairs, Then u is the share of each level among the non-null ones (one pseudo-count per level)', () => {
    const u = estimateU([[0, 4, 4, 0, 1, null, null, null, null], [4, 4, 4, 1, 1, null, null, null, null]]);
    expect(u.givenName).toEqual([2 / 7, 1 / 7, 1 / 7, 1 / 7, 2 / 7]);
    expect(u.nhsNumber).toEqual([0.5, 0.5]);
  });
});

describe('match weight and term-frequency adjustment', () => {
  const model = truth;
  const exactNames: ComparisonVector = [0, 0, null, null, null, null, null, null, null];

  it('Given a vector, Then the weight is the prior log-odds plus log2(m/u) per non-null comparison', () => {
    const scored = scorePair(model, exactNames);
    expect(scored.matchWeight).toBeCloseTo(Math.log2(0.3 / 0.7) + 2 * Math.log2(0.8 / 0.08), 2);
    expect(scored.matchProbability).toBeCloseTo(probabilityOf(scored.matchWeight), 4);
    expect(scored.comparisons.find((c) => c.comparison === 'dateOfBirth')).toEqual({ comparison: 'dateOfBirth', level: null, weight: 0, termFrequencyAdjustment: 0 });
  });

  it('Given an exact match on a rare family name and on a common one, Then the rare one weighs more, by log2(u_exact / frequency)', () => {
    const frequency = (_: string, value: string) => (value === 'smith' ? 0.4 : 0.001);
    const common = scorePair(model, exactNames, { givenName: 'sam', familyName: 'smith' }, frequency);
    const rare = scorePair(model, exactNames, { givenName: 'sam', familyName: 'thornley' }, frequency);
    expect(rare.matchWeight).toBeGreaterThan(common.matchWeight);
    expect(rare.comparisons[1]!.termFrequencyAdjustment).toBeCloseTo(Math.log2(0.08 / 0.001), 2);
    expect(common.comparisons[1]!.termFrequencyAdjustment).toBeCloseTo(Math.log2(0.08 / 0.4), 2);
  });

  it('Given a name that is not an exact match, Then no term-frequency adjustment applies', () => {
    const scored = scorePair(model, [1, 1, null, null, null, null, null, null, null], { familyName: 'smith' }, () => 0.4);
    expect(scored.comparisons.every((c) => c.termFrequencyAdjustment === 0)).toBe(true);
  });

  it('probabilityOf and weightOf are inverses', () => {
    expect(weightOf(probabilityOf(5.5))).toBeCloseTo(5.5, 9);
  });
});
