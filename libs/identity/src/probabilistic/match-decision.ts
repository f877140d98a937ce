import type { ComparablePerson } from './comparisons';
import type { ScoredPair } from './fellegi-sunter';

/**
 * Thresholds on the match weight (log2 odds): at or above `link` the pair links automatically;
 * at or above `review` (and below `link`) it goes to the clerical review queue; below, it stays apart.
 */
export interface MatchThresholds {
  readonly link: number;
  readonly review: number;
}

/** Defaults measured on the noisy simulation (see libs/identity/README.md, "Benchmark"). */
export const defaultMatchThresholds: MatchThresholds = { link: 6, review: 3 };

export type MatchOutcome = 'link' | 'review' | 'apart';

export interface MatchDecision {
  readonly outcome: MatchOutcome;
  /** Why a pair scoring above `link` was not linked automatically. */
  readonly conflicts: readonly 'different-nhs-numbers'[];
}

/**
 * The decision on a scored pair (pure). Two different valid NHS numbers never link automatically:
 * however high the other evidence, such a pair goes to review (or stays apart below `review`).
 */
export function decideMatch(scored: ScoredPair, a: ComparablePerson, b: ComparablePerson, thresholds: MatchThresholds = defaultMatchThresholds): MatchDecision {
  const conflicts = a.nhsNumber && b.nhsNumber && a.nhsNumber !== b.nhsNumber ? ['different-nhs-numbers' as const] : [];
  if (scored.matchWeight >= thresholds.link && conflicts.length === 0) return { outcome: 'link', conflicts };
  if (scored.matchWeight >= thresholds.review) return { outcome: 'review', conflicts };
  return { outcome: 'apart', conflicts };
}
