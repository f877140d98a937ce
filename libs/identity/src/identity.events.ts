import type { LinkRuleName } from './matching/linking.rules';
import type { FellegiSunterModel } from './probabilistic/fellegi-sunter';

/**
 * The identity contract (docs/DEVELOPING.md decision 3): hub events, source `hub`, that say which
 * person each agency subject stream belongs to. Projections follow people only through
 * subject-assigned events, in log order. No identifier, name or date of birth ever appears here:
 * subjects are their (blind) stream ids, persons their pseudonymous personRefs.
 */
export const subjectAssignedType = 'hub.identity.subject-assigned.v1';
export const personsMergedType = 'hub.identity.persons-merged.v1';
/** Probabilistic linking (issue 8): a pair of subjects linked or unlinked, a pair put to clerical review, a reviewer's decision. */
export const pairLinkedType = 'hub.identity.pair-linked.v1';
export const pairUnlinkedType = 'hub.identity.pair-unlinked.v1';
export const reviewRequestedType = 'hub.identity.review-requested.v1';
export const reviewDecidedType = 'hub.identity.review-decided.v1';
export const pairEventTypes = [pairLinkedType, pairUnlinkedType, reviewRequestedType] as const;
/** The model's parameters, trained on the hub's own records (`hub identity train`): later decisions use them. */
export const modelTrainedType = 'hub.identity.model-trained.v1';
export const identityModelStreamId = 'identity-model';
export const identityEventTypes = [subjectAssignedType, personsMergedType, ...pairEventTypes, reviewDecidedType, modelTrainedType] as const;

/**
 * Why a subject's person changed: the rule that linked it, `new-subject` (a person of its own),
 * `merge` (its person was merged into an older one), `unlinked` (the records that linked it were
 * corrected or retracted).
 */
export type AssignmentReason = LinkRuleName | 'new-subject' | 'merge' | 'unlinked';

/** Which rules linked, and to which subject streams: never the values compared. */
export interface LinkEvidence {
  readonly rules: readonly LinkRuleName[];
  readonly linkedSubjects: readonly string[];
}

export interface SubjectAssignedData {
  readonly subjectStream: string;
  readonly personRef: string;
  readonly previousPersonRef: string | null;
  readonly reason: AssignmentReason;
  readonly evidence: LinkEvidence;
}

export interface PersonsMergedData {
  readonly survivingPersonRef: string;
  readonly mergedPersonRef: string;
  readonly reason: LinkRuleName | 'merge';
  readonly evidence: LinkEvidence;
}

/** The stream of a person's identity events. */
export function identityStreamId(personRef: string): string {
  return `identity:${personRef}`;
}

/** A comparison of a scored pair as events and reviewers see it: the level and its weight, never the values compared. */
export interface PairComparison {
  readonly comparison: string;
  readonly level: string | null;
  readonly weight: number;
  readonly termFrequencyAdjustment: number;
}

/** A scored pair of subject streams (sorted), named by `pairId` (pseudonymous, from the two streams). */
export interface ScoredPairData {
  readonly pairId: string;
  readonly subjects: readonly [string, string];
  readonly matchWeight: number;
  readonly matchProbability: number;
  readonly comparisons: readonly PairComparison[];
}

/** `decidedBy`: `model` (the weight passed the upper threshold) or `reviewer` (an accepted review). */
export interface PairLinkedData extends ScoredPairData {
  readonly decidedBy: 'model' | 'reviewer';
}

export interface PairUnlinkedData {
  readonly pairId: string;
  readonly subjects: readonly [string, string];
  /** `model`: the records changed and the weight fell (a link undone, or a pair taken off the review queue); `reviewer`: a reviewer kept them apart. */
  readonly decidedBy: 'model' | 'reviewer';
}

/** Between the thresholds, or above with a conflicting strong identifier (`conflicts`). */
export interface ReviewRequestedData extends ScoredPairData {
  readonly conflicts: readonly string[];
}

/** A reviewer's decision on a pair (appended by `hub identity review accept|reject` or `POST /v1/identity/reviews/{pairId}/accept|reject`). */
export interface ReviewDecidedData {
  readonly pairId: string;
  /** `accept`: link the pair (or keep it linked); `reject`: keep it apart (unlinking it if linked). */
  readonly decision: 'accept' | 'reject';
  /** Who decided (agency id of the token, `hub-admin` for the administrator). */
  readonly decidedBy: string;
  readonly note?: string;
}

/** The stream of a pair's probabilistic linking events and reviews. */
export function pairStreamId(pairId: string): string {
  return `identity-pair:${pairId}`;
}

/** Aggregate parameters only (m and u per comparison level, lambda): no record, value or subject. */
export interface ModelTrainedData {
  readonly model: FellegiSunterModel;
  /** Agency subjects whose current records trained it. */
  readonly records: number;
  readonly sessions: readonly { readonly blockedOn: string; readonly iterations: number; readonly converged: boolean }[];
}
