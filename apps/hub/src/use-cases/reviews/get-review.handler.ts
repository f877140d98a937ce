import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DomainError, londonDateOf } from '@hub/kernel';
import { ReviewQueries } from '@hub/reviews';
import { ReadAccessService } from '../../access/read-access.service';
import { HubRuntime } from '../../runtime/hub-runtime';
import { GetReviewQuery, type PresentedReviewCase } from './get-review.query';
import { presentReview, presentTimeline, recordReviewDisclosure, requireReviewPurpose } from './review-disclosure';

@QueryHandler(GetReviewQuery)
export class GetReviewHandler implements IQueryHandler<GetReviewQuery> {
  constructor(private readonly hub: HubRuntime, private readonly access: ReadAccessService) {}

  async execute({ principal, purpose, caseId }: GetReviewQuery): Promise<PresentedReviewCase> {
    requireReviewPurpose(purpose);
    const auth = await this.access.authorize(principal, purpose);
    const review = await new ReviewQueries(this.hub.database).get(caseId, londonDateOf(this.hub.clock.now()));
    const visible = review && presentReview(review, auth, await this.access.erasedAmong([review.personRef]));
    if (!review || !visible) throw new DomainError('REVIEW.NOT_FOUND', `id: no review case ${JSON.stringify(caseId)} for ${auth.recipient}`);
    const timeline = presentTimeline(review.timeline, review.personRef, auth);
    for (const { grant, fields } of timeline.byClause.values()) await recordReviewDisclosure(this.access, auth, grant, [review.personRef], [...fields]);
    return { ...visible.review, reportedOn: review.reportedOn, findings: review.findings, learningPoints: review.learningPoints, timeline: timeline.entries };
  }
}
