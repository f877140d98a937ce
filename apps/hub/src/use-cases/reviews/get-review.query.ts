import { Query } from '@nestjs/cqrs';
import type { Purpose } from '@hub/kernel';
import type { TimelineEntry } from '@hub/reviews';
import type { Principal } from '@hub/security';
import type { PresentedReview } from './review-disclosure';

export type PresentedReviewCase = PresentedReview & {
  readonly reportedOn: string;
  readonly findings: string | null;
  readonly learningPoints: readonly string[];
  /** The 12-month multi-agency timeline, in date order, as the drd-review agreement permits. */
  readonly timeline: readonly TimelineEntry[];
};

export class GetReviewQuery extends Query<PresentedReviewCase> {
  constructor(readonly principal: Principal, readonly purpose: Purpose, readonly caseId: string) {
    super();
  }
}
