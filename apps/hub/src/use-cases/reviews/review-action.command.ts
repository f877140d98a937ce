import { Command } from '@nestjs/cqrs';
import type { Principal } from '@hub/security';
import type { ReviewStatus } from '@hub/reviews';

export type ReviewAction =
  | { readonly type: 'assign'; readonly assignee: string }
  | { readonly type: 'start' }
  | { readonly type: 'findings'; readonly findings: string; readonly learningPoints: readonly string[] }
  | { readonly type: 'close' };

/** A review panel moves a case along its workflow. */
export class ReviewActionCommand extends Command<{ id: string; status: ReviewStatus }> {
  constructor(readonly principal: Principal, readonly caseId: string, readonly action: ReviewAction) {
    super();
  }
}
