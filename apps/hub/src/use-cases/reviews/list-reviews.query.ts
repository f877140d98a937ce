import { Query } from '@nestjs/cqrs';
import type { Purpose } from '@hub/kernel';
import type { ReviewStatusFilter } from '@hub/reviews';
import type { Principal } from '@hub/security';
import type { PresentedReview } from './review-disclosure';

/** The DRD review queue as the caller may see it. */
export class ListReviewsQuery extends Query<PresentedReview[]> {
  constructor(readonly principal: Principal, readonly purpose: Purpose, readonly status: ReviewStatusFilter | undefined) {
    super();
  }
}
