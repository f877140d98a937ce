import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { WrongExpectedVersionError } from '@hub/event-store';
import { assertNever, DomainError, londonDateOf } from '@hub/kernel';
import {
  decideReviewCase, evolveReviewCase, initialReviewCaseState, type ReviewCaseCommand, ReviewQueries, reviewEventFromStored, type ReviewStatus,
  reviewStoreTypes, reviewStreamId,
} from '@hub/reviews';
import { ReadAccessService } from '../../access/read-access.service';
import { HubRuntime } from '../../runtime/hub-runtime';
import { ReviewActionCommand, type ReviewAction } from './review-action.command';
import { presentReview, reviewPurpose } from './review-disclosure';

/** Checks the caller may review the case, loads its stream, decides, appends at the version read. */
@CommandHandler(ReviewActionCommand)
export class ReviewActionHandler implements ICommandHandler<ReviewActionCommand> {
  constructor(private readonly hub: HubRuntime, private readonly access: ReadAccessService) {}

  async execute({ principal, caseId, action }: ReviewActionCommand): Promise<{ id: string; status: ReviewStatus }> {
    const auth = await this.access.authorize(principal, reviewPurpose);
    const review = await new ReviewQueries(this.hub.database).get(caseId, londonDateOf(this.hub.clock.now()));
    if (!review || !presentReview(review, auth)) throw new DomainError('REVIEW.NOT_FOUND', `id: no review case ${JSON.stringify(caseId)} for ${auth.recipient}`);
    const streamId = reviewStreamId(caseId);
    const stored = await this.hub.store.readStream(streamId);
    const state = stored.map(reviewEventFromStored).reduce((s, e) => (e ? evolveReviewCase(s, e) : s), initialReviewCaseState);
    const at = this.hub.clock.now().toISOString();
    const events = decideReviewCase(commandOf(action, caseId, auth.recipient, at), state);
    await this.hub.store.append([{
      streamId, expectedVersion: stored.length,
      events: events.map((event) => ({ eventId: randomUUID(), type: reviewStoreTypes[event.type], source: 'hub', subject: null, occurredAt: at, data: event.data, metadata: { by: auth.recipient } })),
    }]).catch((error: unknown) => {
      if (error instanceof WrongExpectedVersionError) throw new DomainError('REVIEW.CONFLICT', `id: case ${JSON.stringify(caseId)} changed while this was decided; read it again`);
      throw error;
    });
    return { id: caseId, status: events.reduce(evolveReviewCase, state).status as ReviewStatus };
  }
}

function commandOf(action: ReviewAction, caseId: string, by: string, at: string): ReviewCaseCommand {
  switch (action.type) {
    case 'assign': return { type: 'AssignCase', data: { caseId, assignee: action.assignee, by, at } };
    case 'start': return { type: 'StartReview', data: { caseId, by, at } };
    case 'findings': return { type: 'RecordFindings', data: { caseId, findings: action.findings, learningPoints: action.learningPoints, by, at } };
    case 'close': return { type: 'CloseCase', data: { caseId, by, at } };
    default: return assertNever(action, 'review action');
  }
}
