import { type Comparison, comparisons, type ComparisonName, type ComparisonVector } from './comparisons';

/**
 * The Fellegi-Sunter model (pure), as Splink uses it: for each comparison level, m = P(level | same
 * person) and u = P(level | different people); a pair's match weight is the log2 prior odds plus,
 * per non-null comparison, log2(m / u) (its Bayes factor), plus the term-frequency adjustment of
 * exact name matches. The match probability is 2^w / (1 + 2^w).
 */
export interface ComparisonParameters {
  readonly m: readonly number[];
  readonly u: readonly number[];
}

export interface FellegiSunterModel {
  /** Prior probability that a compared (blocked) pair is the same person. */
  readonly lambda: number;
  readonly parameters: Readonly<Record<ComparisonName, ComparisonParameters>>;
}

/** Frequency of a normalised name among records (share in [0, 1]); undefined when unknown. */
export type TermFrequency = (comparison: 'givenName' | 'familyName', value: string) => number | undefined;

export interface WeightedComparison {
  readonly comparison: ComparisonName;
  /** The level's name, or `null` when a side lacks the attribute. */
  readonly level: string | null;
  /** log2(m / u) of the level, 0 for null. */
  readonly weight: number;
  /** Term-frequency adjustment added to `weight` (exact name matches), 0 otherwise. */
  readonly termFrequencyAdjustment: number;
}

export interface ScoredPair {
  readonly matchWeight: number;
  readonly matchProbability: number;
  readonly comparisons: readonly WeightedComparison[];
}

const smallest = 1e-6;
const clamp = (p: number) => Math.min(1 - smallest, Math.max(smallest, p));

/**
 * Scores a comparison vector. `values` gives the two records' exact-matching name values, for the
 * term-frequency adjustment: log2(u_exact / tf(value)), so a match on a rare name counts more than
 * on a common one (a frequency below `minimumFrequency` counts as that).
 */
export function scorePair(
  model: FellegiSunterModel, vector: ComparisonVector,
  names?: { readonly givenName?: string; readonly familyName?: string }, termFrequency?: TermFrequency, minimumFrequency = 1e-5,
): ScoredPair {
  let matchWeight = Math.log2(model.lambda / (1 - model.lambda));
  const weighted = comparisons.map((comparison, i): WeightedComparison => {
    const level = vector[i];
    if (level === null || level === undefined) return { comparison: comparison.name, level: null, weight: 0, termFrequencyAdjustment: 0 };
    const { m, u } = model.parameters[comparison.name];
    const weight = Math.log2(clamp(m[level]!) / clamp(u[level]!));
    let termFrequencyAdjustment = 0;
    if (level === comparison.termFrequencyLevel && termFrequency && (comparison.name === 'givenName' || comparison.name === 'familyName')) {
      const value = names?.[comparison.name];
      const frequency = value === undefined ? undefined : termFrequency(comparison.name, value);
      if (frequency !== undefined) termFrequencyAdjustment = Math.log2(clamp(u[level]!) / Math.max(minimumFrequency, frequency));
    }
    matchWeight += weight + termFrequencyAdjustment;
    return { comparison: comparison.name, level: comparison.levels[level]!, weight: round(weight), termFrequencyAdjustment: round(termFrequencyAdjustment) };
  });
  return { matchWeight: round(matchWeight), matchProbability: probabilityOf(matchWeight), comparisons: weighted };
}

export function probabilityOf(matchWeight: number): number {
  const odds = 2 ** matchWeight;
  return Number.isFinite(odds) ? odds / (1 + odds) : 1;
}

/** The weight for a probability (the inverse of `probabilityOf`). */
export function weightOf(probability: number): number {
  return Math.log2(probability / (1 - probability));
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/**
 * u-probabilities from random pairs (almost all different people): the share of each level among
 * the pairs where the comparison is not null, with one pseudo-count per level so none is zero.
 */
export function estimateU(vectors: Iterable<ComparisonVector>): Record<ComparisonName, number[]> {
  const counts = comparisons.map((c) => c.levels.map(() => 1));
  for (const vector of vectors) {
    vector.forEach((level, i) => {
      if (level !== null) counts[i]![level]!++;
    });
  }
  return perComparison((_, i) => normalise(counts[i]!));
}

function normalise(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((n) => n / total);
}

export interface ExpectationMaximisationResult {
  readonly model: FellegiSunterModel;
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * Trains m (and lambda) by expectation-maximisation on the comparison vectors of blocked pairs,
 * with u fixed (estimated from random pairs, as Splink does). Vectors are grouped by pattern first,
 * so each iteration costs the number of distinct patterns, not of pairs. Converges when no
 * parameter moves more than `tolerance`.
 */
export function trainByExpectationMaximisation(
  vectors: Iterable<ComparisonVector>, start: FellegiSunterModel,
  options: {
    readonly maxIterations?: number; readonly tolerance?: number; readonly fixedU?: boolean;
    /** Comparisons this session leaves out (those its blocking rule fixes): their parameters stay as they start. */
    readonly ignore?: readonly ComparisonName[];
  } = {},
): ExpectationMaximisationResult {
  const { maxIterations = 100, tolerance = 1e-6, fixedU = true } = options;
  const ignored = comparisons.map((c) => options.ignore?.includes(c.name) ?? false);
  const patterns = new Map<string, { vector: ComparisonVector; count: number }>();
  for (const full of vectors) {
    const vector = full.map((level, i) => (ignored[i] ? null : level));
    const key = vector.map((l) => (l === null ? '-' : l)).join(',');
    const held = patterns.get(key);
    if (held) held.count++;
    else patterns.set(key, { vector, count: 1 });
  }
  const groups = [...patterns.values()];
  let model = start;
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const mCounts = comparisons.map((c) => c.levels.map(() => 0));
    const uCounts = comparisons.map((c) => c.levels.map(() => 0));
    let matches = 0;
    let total = 0;
    for (const { vector, count } of groups) {
      let pm = model.lambda;
      let pu = 1 - model.lambda;
      vector.forEach((level, i) => {
        if (level === null) return;
        const { m, u } = model.parameters[comparisons[i]!.name];
        pm *= clamp(m[level]!);
        pu *= clamp(u[level]!);
      });
      const posterior = pm / (pm + pu);
      matches += posterior * count;
      total += count;
      vector.forEach((level, i) => {
        if (level === null) return;
        mCounts[i]![level]! += posterior * count;
        uCounts[i]![level]! += (1 - posterior) * count;
      });
    }
    const next: FellegiSunterModel = {
      lambda: clamp(matches / Math.max(1, total)),
      parameters: perComparison((c, i) => {
        const previous = model.parameters[c.name];
        const m = mCounts[i]!.reduce((a, b) => a + b, 0) > 0 ? normalise(mCounts[i]!.map((n) => n + 1e-3)) : [...previous.m];
        const u = fixedU || uCounts[i]!.reduce((a, b) => a + b, 0) === 0 ? [...previous.u] : normalise(uCounts[i]!.map((n) => n + 1e-3));
        return { m, u };
      }),
    };
    const moved = Math.max(Math.abs(next.lambda - model.lambda), ...comparisons.flatMap((c) =>
      next.parameters[c.name].m.map((value, l) => Math.abs(value - model.parameters[c.name].m[l]!))));
    model = next;
    if (moved < tolerance) return { model, iterations: iteration, converged: true };
  }
  return { model, iterations: maxIterations, converged: false };
}

/** Starting m values for EM (Splink's habit: most mass on the most similar level), with given u. */
export function startingModel(u: Readonly<Record<ComparisonName, readonly number[]>>, lambda = 0.1): FellegiSunterModel {
  return {
    lambda,
    parameters: perComparison((c) => {
      const rest = 0.1 / (c.levels.length - 1);
      return { m: c.levels.map((_, l) => (l === 0 ? 0.9 : rest)), u: [...u[c.name]] };
    }),
  };
}

/** A value per comparison, by name. */
export function perComparison<T>(valueOf: (comparison: Comparison, index: number) => T): Record<ComparisonName, T> {
  return Object.fromEntries(comparisons.map((c, i) => [c.name, valueOf(c, i)])) as unknown as Record<ComparisonName, T>;
}
