import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { londonDateOf } from '@hub/kernel';
import { ReviewQueries } from '@hub/reviews';
import { ReadAccessService } from '../../access/read-access.service';
import { HubRuntime } from '../../runtime/hub-runtime';
import { ListReviewsQuery } from './list-reviews.query';
import { type PresentedReview, presentReview, recordReviewDisclosure, requireReviewPurpose } from './review-disclosure';

@QueryHandler(ListReviewsQuery)
export class ListReviewsHandler implements IQueryHandler<ListReviewsQuery> {
  constructor(private readonly hub: HubRuntime, private readonly access: ReadAccessService) {}

  async execute({ principal, purpose, status }: ListReviewsQuery): Promise<PresentedReview[]> {
    requireReviewPurpose(purpose);
    const auth = await this.access.authorize(principal, purpose);
    const reviews = await new ReviewQueries(this.hub.database).list({ status, today: londonDateOf(this.hub.clock.now()) });
    const erased = await this.access.erasedAmong(reviews.map((r) => r.personRef));
    const visible = reviews.flatMap((r) => presentReview(r, auth, erased) ?? []);
    const byClause = new Map<string, typeof visible>();
    for (const v of visible) byClause.set(v.grant.clause, [...(byClause.get(v.grant.clause) ?? []), v]);
    for (const group of byClause.values()) {
      await recordReviewDisclosure(this.access, auth, group[0]!.grant, group.map((v) => v.review.personRef), ['personRef', 'diedOn', ...Object.keys(group[0]!.review.flags)]);
    }
    return visible.map((v) => v.review);
  }
}
