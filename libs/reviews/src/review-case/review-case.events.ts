import type { LocalDate } from '@hub/kernel';

/** A death report a case rests on (several when the same death was reported again). */
export interface CaseReport {
  readonly recordKey: string;
  readonly provider: string;
  /** When the hub learnt of the report. */
  readonly reportedAt: string;
}

export type ReviewOutcome = 'reviewed' | 'not-drug-related' | 'withdrawn' | 'merged';

export type ReviewCaseEvent =
  | { readonly type: 'CaseOpened'; readonly data: { readonly caseId: string; readonly personRef: string; readonly diedOn: LocalDate; readonly report: CaseReport; readonly reportedOn: LocalDate; readonly dueOn: LocalDate } }
  | { readonly type: 'ReportJoined'; readonly data: { readonly caseId: string; readonly report: CaseReport } }
  | { readonly type: 'CaseAssigned'; readonly data: { readonly caseId: string; readonly assignee: string; readonly by: string; readonly at: string } }
  | { readonly type: 'ReviewStarted'; readonly data: { readonly caseId: string; readonly by: string; readonly at: string } }
  | { readonly type: 'FindingsRecorded'; readonly data: { readonly caseId: string; readonly findings: string; readonly learningPoints: readonly string[]; readonly by: string; readonly at: string } }
  | {
      readonly type: 'CaseClosed';
      readonly data: {
        readonly caseId: string; readonly outcome: ReviewOutcome; readonly by: string; readonly at: string;
        /** not-drug-related: the inquest that concluded so; merged: the case it joined. */
        readonly inquestRecordKey?: string; readonly mergedInto?: string;
      };
    };

export const reviewStoreTypes = {
  CaseOpened: 'hub.review.case-opened.v1',
  ReportJoined: 'hub.review.report-joined.v1',
  CaseAssigned: 'hub.review.assigned.v1',
  ReviewStarted: 'hub.review.started.v1',
  FindingsRecorded: 'hub.review.findings-recorded.v1',
  CaseClosed: 'hub.review.closed.v1',
} as const satisfies Record<ReviewCaseEvent['type'], string>;

export const reviewStoreTypeList: readonly string[] = Object.values(reviewStoreTypes);

const byStoreType = new Map<string, ReviewCaseEvent['type']>(Object.entries(reviewStoreTypes).map(([name, type]) => [type, name as ReviewCaseEvent['type']]));

export function reviewEventFromStored(stored: { readonly type: string; readonly data: unknown }): ReviewCaseEvent | undefined {
  const type = byStoreType.get(stored.type);
  return type ? ({ type, data: stored.data } as ReviewCaseEvent) : undefined;
}

export function reviewStreamId(caseId: string): string {
  return `review-${caseId}`;
}
