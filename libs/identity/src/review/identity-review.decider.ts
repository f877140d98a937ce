import { DomainError } from '@hub/kernel';
import type { ReviewDecidedData } from '../identity.events';
import type { PairRow } from '../store/identity-store';

export type IdentityReviewDecision = ReviewDecidedData['decision'];

/**
 * A reviewer's decision on a pair (pure): `accept` links a pair waiting for review (or one kept
 * apart); `reject` keeps a waiting pair apart, or unlinks a pair the model or a reviewer linked.
 * Deciding what is already so is refused, so every decision in the log changes something.
 */
export function decideIdentityReview(pair: PairRow | undefined, pairId: string, decision: string, decidedBy: string, note?: string): ReviewDecidedData {
  if (decision !== 'accept' && decision !== 'reject') {
    throw new DomainError('REQUEST.INVALID_DECISION', `decision: ${JSON.stringify(decision)} is not accept or reject`);
  }
  if (!pair) throw new DomainError('IDENTITY.PAIR_NOT_FOUND', `pairId: no scored pair ${JSON.stringify(pairId)}`);
  if (decision === 'accept' && pair.status === 'linked') {
    throw new DomainError('IDENTITY.REVIEW_INVALID_TRANSITION', `pairId: ${pairId} is already linked (by the ${pair.decidedBy}); nothing to accept`);
  }
  if (decision === 'reject' && pair.status === 'apart') {
    throw new DomainError('IDENTITY.REVIEW_INVALID_TRANSITION', `pairId: ${pairId} is already apart (by the ${pair.decidedBy}); nothing to reject`);
  }
  return { pairId, decision, decidedBy, ...(note ? { note } : {}) };
}
