import { type BlockingRuleName, blockingKeysOf, keysWithinCap, maximumBlockSize } from './blocking';
import { compare, type ComparablePerson, type ComparisonName, type ComparisonVector } from './comparisons';
import {
  estimateU, type FellegiSunterModel, perComparison, scorePair, startingModel, type ScoredPair,
  type TermFrequency, trainByExpectationMaximisation,
} from './fellegi-sunter';
import { decideMatch, defaultMatchThresholds, type MatchDecision, type MatchThresholds } from './match-decision';

/**
 * Linking a whole population in memory (pure): blocking, u from random pairs, m by EM, scoring and
 * decisions, then persons as connected components of the automatic links. The benchmark measures
 * the model this way; the identity processor scores the same pairs one subject at a time.
 */
export interface LinkageRecord {
  readonly id: string;
  readonly person: ComparablePerson;
}

/**
 * Every pair of records sharing a key of the given blocking rules (all by default), once each
 * (`i < j`), with oversized blocks replaced by their tighter keys (`keysWithinCap`, sizes over the
 * whole population).
 */
export function candidatePairs(records: readonly LinkageRecord[], rules?: readonly BlockingRuleName[], cap = maximumBlockSize): [number, number][] {
  const keysOf = records.map((record) => blockingKeysOf(record.person).filter((key) => !rules || (rules as readonly string[]).includes(key.rule)));
  const sizes = new Map<string, number>();
  for (const keys of keysOf) for (const key of keys) for (const k of [key, ...(key.tighter ?? [])]) sizes.set(k.value, (sizes.get(k.value) ?? 0) + 1);
  const blocks = new Map<string, number[]>();
  keysOf.forEach((keys, index) => {
    for (const key of keysWithinCap(keys, (k) => sizes.get(k.value) ?? 0, cap)) {
      const block = blocks.get(key.value);
      if (block) block.push(index);
      else blocks.set(key.value, [index]);
    }
  });
  const seen = new Set<number>();
  const pairs: [number, number][] = [];
  const n = records.length;
  for (const block of blocks.values()) {
    for (let x = 0; x < block.length; x++) {
      for (let y = x + 1; y < block.length; y++) {
        const [i, j] = block[x]! < block[y]! ? [block[x]!, block[y]!] : [block[y]!, block[x]!];
        const id = i * n + j;
        if (seen.has(id)) continue;
        seen.add(id);
        pairs.push([i, j]);
      }
    }
  }
  return pairs;
}

/** Share of records with each normalised given and family name. */
export function termFrequenciesOf(people: readonly ComparablePerson[]): TermFrequency {
  const counts = { givenName: new Map<string, number>(), familyName: new Map<string, number>() };
  for (const person of people) {
    for (const field of ['givenName', 'familyName'] as const) {
      const value = person[field];
      if (value) counts[field].set(value, (counts[field].get(value) ?? 0) + 1);
    }
  }
  const total = Math.max(1, people.length);
  return (field, value) => {
    const count = counts[field].get(value);
    return count === undefined ? undefined : count / total;
  };
}

/** A small seeded generator (mulberry32), so training is reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Comparison vectors of random pairs (almost all different people), for u. */
export function randomPairVectors(people: readonly ComparablePerson[], count: number, seed = 1): ComparisonVector[] {
  if (people.length < 2) return [];
  const random = seededRandom(seed);
  const vectors: ComparisonVector[] = [];
  for (let k = 0; k < count; k++) {
    const i = Math.floor(random() * people.length);
    let j = Math.floor(random() * (people.length - 1));
    if (j >= i) j++;
    vectors.push(compare(people[i]!, people[j]!));
  }
  return vectors;
}

export interface TrainedModel {
  readonly model: FellegiSunterModel;
  /** EM sessions: the comparisons each estimated, its iterations and whether it converged. */
  readonly sessions: readonly { readonly blockedOn: string; readonly iterations: number; readonly converged: boolean }[];
}

const identifierRules: readonly BlockingRuleName[] = ['nhs-number', 'pnc-id', 'nomis-number', 'crn'];
const identifierComparisons: readonly ComparisonName[] = ['nhsNumber', 'pncId', 'nomisId', 'deliusCrn'];

/**
 * Trains a model on the records themselves, as Splink does. u: from random pairs. m: by EM in two
 * sessions, each on the pairs of one kind of blocking rule and leaving out the comparisons that
 * rule fixes (a blocked attribute always agrees, so it would teach EM nothing but a bias): pairs
 * sharing an identifier train the names, date of birth, sex and postcode district; pairs sharing a
 * date of birth and initial train the family name, sex, postcode district and identifiers. Each m is
 * the mean over the sessions that estimated it. lambda (the prior that two random records are the
 * same person): pairs the exact rules link, over all pairs, allowing that the exact rules find
 * `deterministicRecall` of the true pairs.
 */
export function trainModel(records: readonly LinkageRecord[], options: { readonly randomPairs?: number; readonly seed?: number; readonly deterministicRecall?: number } = {}): TrainedModel {
  const people = records.map((r) => r.person);
  const u = estimateU(randomPairVectors(people, options.randomPairs ?? 100_000, options.seed ?? 1));
  const start = startingModel(u);
  const sessionsSpec: { blockedOn: string; rules: readonly BlockingRuleName[]; ignore: readonly ComparisonName[] }[] = [
    { blockedOn: 'a shared identifier', rules: identifierRules, ignore: identifierComparisons },
    { blockedOn: 'date of birth and initial', rules: ['dob-initial'], ignore: ['dateOfBirth', 'givenName'] },
  ];
  const sessions = sessionsSpec.map((spec) => {
    const pairs = candidatePairs(records, spec.rules);
    return { spec, pairs: pairs.length, result: trainByExpectationMaximisation(pairs.map(([i, j]) => compare(people[i]!, people[j]!)), start, { ignore: spec.ignore }) };
  });
  const parameters = perComparison((c) => {
    const estimated = sessions.filter((s) => !s.spec.ignore.includes(c.name) && s.pairs > 0);
    const m = estimated.length === 0 ? [...start.parameters[c.name].m]
      : c.levels.map((_, l) => estimated.reduce((sum, s) => sum + s.result.model.parameters[c.name].m[l]!, 0) / estimated.length);
    return { m: floored(m), u: [...u[c.name]] };
  });
  let deterministic = 0;
  for (const [i, j] of candidatePairs(records)) if (linkedByExactRules(people[i]!, people[j]!)) deterministic++;
  const allPairs = (records.length * (records.length - 1)) / 2;
  const lambda = Math.min(0.5, Math.max(1e-9, deterministic / Math.max(1, allPairs) / (options.deterministicRecall ?? 0.9)));
  return {
    model: { lambda, parameters },
    sessions: sessions.map((s) => ({ blockedOn: s.spec.blockedOn, iterations: s.result.iterations, converged: s.result.converged })),
  };
}

/** No level is impossible for a match: an m below `minimumM` counts as that (identifiers are mistyped too), renormalised. */
const minimumM = 0.001;
function floored(m: readonly number[]): number[] {
  const raised = m.map((p) => Math.max(minimumM, p));
  const total = raised.reduce((a, b) => a + b, 0);
  return raised.map((p) => p / total);
}

/** The exact rules on comparable records: a shared valid identifier, or the same names and date of birth. */
function linkedByExactRules(a: ComparablePerson, b: ComparablePerson): boolean {
  if (identifierComparisons.some((id) => a[id] && a[id] === b[id])) return true;
  return !!a.familyName && a.familyName === b.familyName && !!a.givenName && a.givenName === b.givenName && !!a.dateOfBirth && a.dateOfBirth === b.dateOfBirth
    && (!a.sex || !b.sex || a.sex === b.sex);
}

export interface DecidedPair {
  readonly a: string;
  readonly b: string;
  readonly scored: ScoredPair;
  readonly decision: MatchDecision;
}

export interface LinkageResult {
  /** Pairs compared (sharing a blocking key). */
  readonly comparisons: number;
  readonly links: readonly DecidedPair[];
  readonly reviews: readonly DecidedPair[];
  /** Record id -> cluster (the smallest record id of its connected component of links). */
  readonly clusterOf: ReadonlyMap<string, string>;
}

export function linkRecords(
  records: readonly LinkageRecord[], model: FellegiSunterModel,
  options: { readonly thresholds?: MatchThresholds; readonly termFrequency?: TermFrequency; readonly pairs?: readonly [number, number][] } = {},
): LinkageResult {
  const thresholds = options.thresholds ?? defaultMatchThresholds;
  const termFrequency = options.termFrequency ?? termFrequenciesOf(records.map((r) => r.person));
  const pairs = options.pairs ?? candidatePairs(records);
  const links: DecidedPair[] = [];
  const reviews: DecidedPair[] = [];
  const parent = records.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const inBand: { i: number; j: number; decided: DecidedPair }[] = [];
  for (const [i, j] of pairs) {
    const [a, b] = [records[i]!, records[j]!];
    const scored = scorePair(model, compare(a.person, b.person), namesInCommon(a.person, b.person), termFrequency);
    const decision = decideMatch(scored, a.person, b.person, thresholds);
    if (decision.outcome === 'apart') continue;
    const decided = { a: a.id, b: b.id, scored, decision };
    if (decision.outcome === 'review') {
      inBand.push({ i, j, decided });
      continue;
    }
    links.push(decided);
    const [ri, rj] = [find(i), find(j)];
    if (ri !== rj) parent[Math.max(ri, rj)] = Math.min(ri, rj);
  }
  // A reviewer sees a pair only when the automatic links leave its records apart, once per pair of persons (the best-scoring pair).
  const best = new Map<string, DecidedPair>();
  for (const { i, j, decided } of inBand) {
    const [ri, rj] = [find(i), find(j)];
    if (ri === rj) continue;
    const key = ri < rj ? `${ri}:${rj}` : `${rj}:${ri}`;
    const held = best.get(key);
    if (!held || decided.scored.matchWeight > held.scored.matchWeight) best.set(key, decided);
  }
  reviews.push(...best.values());
  const clusterOf = new Map(records.map((record, i) => [record.id, records[find(i)]!.id]));
  return { comparisons: pairs.length, links, reviews, clusterOf };
}

/** The name values two records share exactly (for term-frequency adjustment). */
export function namesInCommon(a: ComparablePerson, b: ComparablePerson): { givenName?: string; familyName?: string } {
  return {
    ...(a.givenName && a.givenName === b.givenName ? { givenName: a.givenName } : {}),
    ...(a.familyName && a.familyName === b.familyName ? { familyName: a.familyName } : {}),
  };
}
