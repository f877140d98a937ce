import { Command, Query } from '@nestjs/cqrs';
import type { IdentityReviewDecision, PresentedPair } from '@hub/identity';
import type { Principal } from '@hub/security';

/** The clerical review queue of person links. */
export class ListIdentityReviewsQuery extends Query<PresentedPair[]> {
  constructor(readonly principal: Principal) {
    super();
  }
}

/** A reviewer accepts (links) or rejects (keeps apart, or unlinks) a scored pair. */
export class DecideIdentityReviewCommand extends Command<{ pairId: string; decision: IdentityReviewDecision }> {
  constructor(readonly principal: Principal, readonly pairId: string, readonly decision: string, readonly note?: string) {
    super();
  }
}
