import type { Queryable } from '@hub/database';
import { DomainError, type LocalDate } from '@hub/kernel';
import { readEntry } from '@hub/projections';
import { TimelineStore, TimelineView } from '@hub/timeline';
import { type OpenedCase, type ReviewStatus, reviewStatuses } from '../review-case/review-case.decider';
import type { FlagSources, ReviewFlags, ReviewPriority } from '../review-case/review-flags';
import { reviewTimeline, type TimelineEntry } from '../review-case/review-timeline';

export const reviewStatusFilters = ['open', 'closed', 'all', 'assigned', 'in-review'] as const;
export type ReviewStatusFilter = (typeof reviewStatusFilters)[number];

const statusesOf: Record<ReviewStatusFilter, readonly ReviewStatus[]> = {
  open: ['open', 'assigned', 'in-review'], closed: ['closed'], all: reviewStatuses, assigned: ['assigned'], 'in-review': ['in-review'],
};

/** The flags of SPEC section 7, and whether the case is past its due date. */
export type QueueFlags = ReviewFlags & { readonly overdue: boolean };

export interface ReviewCaseView {
  readonly id: string;
  readonly personRef: string;
  readonly diedOn: LocalDate;
  readonly priority: ReviewPriority;
  readonly status: ReviewStatus;
  readonly dueOn: LocalDate;
  readonly flags: QueueFlags;
  readonly flagSources: FlagSources;
  readonly reportedOn: LocalDate;
  readonly reports: OpenedCase['reports'];
  readonly assignee: string | null;
  readonly findings: string | null;
  readonly learningPoints: readonly string[];
  readonly outcome: OpenedCase['outcome'];
}

export function parseReviewStatus(value: unknown): ReviewStatusFilter | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !(reviewStatusFilters as readonly string[]).includes(value)) {
    throw new DomainError('REQUEST.INVALID_FILTER', `status: ${JSON.stringify(value)} is not one of ${reviewStatusFilters.join(', ')}`);
  }
  return value as ReviewStatusFilter;
}

interface Row {
  case_id: string; person_ref: string; died_on: string; priority: ReviewPriority; status: ReviewStatus; due_on: string;
  flags: ReviewFlags; flag_sources: FlagSources; state: OpenedCase;
}

/** Reads the queue. `today` (Europe/London, from the hub's clock) decides what is overdue. */
export class ReviewQueries {
  constructor(private readonly database: Queryable) {}

  async list(options: { status?: ReviewStatusFilter; today: LocalDate }): Promise<ReviewCaseView[]> {
    const schema = (await readEntry(this.database, 'review-queue'))?.activeSchema;
    if (!schema) return [];
    const { rows } = await this.database.query<Row>(
      `SELECT q.case_id, q.person_ref, q.died_on, q.priority, q.status, q.due_on, q.flags, q.flag_sources, c.state
       FROM ${schema}.queue q JOIN ${schema}.cases c USING (case_id)
       WHERE q.listed AND q.status = ANY($1::text[]) ORDER BY q.priority, q.due_on, q.case_id`,
      [statusesOf[options.status ?? 'all']],
    );
    return rows.map((row) => toView(row, options.today));
  }

  async get(caseId: string, today: LocalDate): Promise<(ReviewCaseView & { timeline: TimelineEntry[] }) | undefined> {
    const schema = (await readEntry(this.database, 'review-queue'))?.activeSchema;
    if (!schema) return undefined;
    const { rows } = await this.database.query<Row>(
      `SELECT q.case_id, q.person_ref, q.died_on, q.priority, q.status, q.due_on, q.flags, q.flag_sources, c.state
       FROM ${schema}.queue q JOIN ${schema}.cases c USING (case_id) WHERE q.listed AND q.case_id = $1`, [caseId],
    );
    const row = rows[0];
    if (!row) return undefined;
    const view = TimelineView.of(await new TimelineStore(schema).load(this.database, row.person_ref));
    return { ...toView(row, today), timeline: reviewTimeline(view, row.died_on) };
  }
}

function toView(row: Row, today: LocalDate): ReviewCaseView {
  const { state } = row;
  return {
    id: row.case_id, personRef: row.person_ref, diedOn: row.died_on, priority: row.priority, status: row.status, dueOn: row.due_on,
    flags: { ...row.flags, overdue: row.status !== 'closed' && today > row.due_on }, flagSources: row.flag_sources,
    reportedOn: state.reportedOn, reports: state.reports, assignee: state.assignee, findings: state.findings, learningPoints: state.learningPoints,
    outcome: state.outcome,
  };
}

/** SPEC section 8: exactly these fields, flags in the order of section 7 (then `overdue`). */
export function toCliReview(review: ReviewCaseView) {
  const f = review.flags;
  return {
    id: review.id, personRef: review.personRef, diedOn: review.diedOn, priority: review.priority, status: review.status, dueOn: review.dueOn,
    flags: {
      knownToTreatment: f.knownToTreatment, inTreatmentAtDeath: f.inTreatmentAtDeath, releasedWithin28Days: f.releasedWithin28Days,
      releasedWithin12Weeks: f.releasedWithin12Weeks, nearMissesLast12Months: f.nearMissesLast12Months, positiveDtoaLast12Months: f.positiveDtoaLast12Months,
      underProbationSupervision: f.underProbationSupervision, overdue: f.overdue,
    },
  };
}
