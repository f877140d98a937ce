import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler, type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { WrongExpectedVersionError } from '@hub/event-store';
import { decideIdentityReview, IdentityQueries, type PresentedPair, pairStreamId, reviewDecidedType } from '@hub/identity';
import { DomainError } from '@hub/kernel';
import { HubRuntime } from '../../runtime/hub-runtime';
import { requireIdentityReviewer } from './identity-review.access';
import { DecideIdentityReviewCommand, ListIdentityReviewsQuery } from './identity-review.messages';

@QueryHandler(ListIdentityReviewsQuery)
export class ListIdentityReviewsHandler implements IQueryHandler<ListIdentityReviewsQuery> {
  constructor(private readonly hub: HubRuntime) {}

  async execute({ principal }: ListIdentityReviewsQuery): Promise<PresentedPair[]> {
    requireIdentityReviewer(principal);
    return new IdentityQueries(this.hub.database).reviewQueue();
  }
}

/**
 * Appends the reviewer's decision (`hub.identity.review-decided.v1`) to the pair's stream at the
 * version read; the identity processor then links or splits the persons and says so with
 * subject-assigned events, which the projections follow.
 */
@CommandHandler(DecideIdentityReviewCommand)
export class DecideIdentityReviewHandler implements ICommandHandler<DecideIdentityReviewCommand> {
  constructor(private readonly hub: HubRuntime) {}

  async execute({ principal, pairId, decision, note }: DecideIdentityReviewCommand) {
    requireIdentityReviewer(principal);
    return appendIdentityReviewDecision(this.hub, pairId, decision, principal.agencyId, note);
  }
}

export async function appendIdentityReviewDecision(hub: HubRuntime, pairId: string, decision: string, decidedBy: string, note?: string) {
  const pair = await new IdentityQueries(hub.database).pair(pairId);
  const data = decideIdentityReview(pair, pairId, decision, decidedBy, note);
  const streamId = pairStreamId(pairId);
  const version = (await hub.store.readStream(streamId)).length;
  await hub.store.append([{
    streamId, expectedVersion: version,
    events: [{ eventId: randomUUID(), type: reviewDecidedType, source: 'hub', subject: null, occurredAt: hub.clock.now().toISOString(), data, metadata: { by: decidedBy } }],
  }]).catch((error: unknown) => {
    if (error instanceof WrongExpectedVersionError) throw new DomainError('IDENTITY.REVIEW_CONFLICT', `pairId: ${pairId} changed while this was decided; read it again`);
    throw error;
  });
  return { pairId, decision: data.decision };
}
