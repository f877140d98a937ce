import { Query } from '@nestjs/cqrs';
import type { Purpose } from '@hub/kernel';
import type { Principal } from '@hub/security';
import type { PresentedPendingEngagement } from './pending-engagements.handler';

/** A treatment provider's worklist: people released to it whose engagement window is open and who have not engaged. */
export class PendingEngagementsQuery extends Query<PresentedPendingEngagement[]> {
  constructor(readonly principal: Principal, readonly purpose: Purpose) {
    super();
  }
}
