import type { StoredEvent } from '@hub/event-store';
import type { BulkRebuild, BulkRebuildContext } from '@hub/projections';
import { TimelineBulkLoad } from '@hub/timeline';
import { evolveReviewCase, initialReviewCaseState, type ReviewCaseState } from '../review-case/review-case.decider';
import { reviewEventFromStored } from '../review-case/review-case.events';

/**
 * The review processor's rebuild in bulk, leaving the tables as its page-by-page rebuild does: the
 * timelines written with COPY as the log is read, the cases folded with the decider's `evolve`
 * from the review events in the log (as `CaseStateRepository.apply` does) and written at the end.
 * In rebuild mode the processor decides nothing: its decisions are in the log.
 */
export class ReviewRebuild implements BulkRebuild {
  private readonly timelines: TimelineBulkLoad;
  private readonly cases = new Map<string, ReviewCaseState>();

  constructor(private readonly context: BulkRebuildContext) {
    this.timelines = new TimelineBulkLoad(context.copy);
  }

  async apply(events: readonly StoredEvent[]): Promise<void> {
    await this.timelines.apply(events);
    for (const stored of events) {
      const event = reviewEventFromStored(stored);
      if (!event) continue;
      const before = this.cases.get(event.data.caseId) ?? initialReviewCaseState;
      const after = evolveReviewCase(before, event);
      if (after !== before && after.status !== 'none') this.cases.set(event.data.caseId, after);
    }
  }

  async finish(): Promise<void> {
    await this.timelines.finish();
    const opened = [...this.cases.values()].flatMap((state) => (state.status === 'none' ? [] : [state]));
    await this.context.copy('cases', ['case_id', 'report_keys', 'state'], opened.map((state) => [state.caseId, state.reports.map((r) => r.recordKey), JSON.stringify(state)]));
  }
}
