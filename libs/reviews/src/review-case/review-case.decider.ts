import { addDays, assertNever, DomainError, type LocalDate, londonDateOf } from '@hub/kernel';
import type { CaseReport, ReviewCaseEvent, ReviewOutcome } from './review-case.events';

/** SPEC section 7: a review is due 28 days after the death was reported. */
export const reviewDueDays = 28;

export const reviewStatuses = ['open', 'assigned', 'in-review', 'closed'] as const;
export type ReviewStatus = (typeof reviewStatuses)[number];

export interface OpenedCase {
  readonly status: ReviewStatus;
  readonly caseId: string;
  readonly personRef: string;
  readonly diedOn: LocalDate;
  readonly reports: readonly CaseReport[];
  readonly reportedOn: LocalDate;
  readonly dueOn: LocalDate;
  readonly assignee: string | null;
  readonly findings: string | null;
  readonly learningPoints: readonly string[];
  readonly outcome: ReviewOutcome | null;
  readonly closedAt: string | null;
  readonly mergedInto: string | null;
}

export type ReviewCaseState = { readonly status: 'none' } | OpenedCase;

export const initialReviewCaseState: ReviewCaseState = { status: 'none' };

export type ReviewCaseCommand =
  | { readonly type: 'OpenCase'; readonly data: { readonly caseId: string; readonly personRef: string; readonly diedOn: LocalDate; readonly report: CaseReport } }
  | { readonly type: 'JoinReport'; readonly data: { readonly caseId: string; readonly report: CaseReport } }
  | { readonly type: 'AssignCase'; readonly data: { readonly caseId: string; readonly assignee: string; readonly by: string; readonly at: string } }
  | { readonly type: 'StartReview'; readonly data: { readonly caseId: string; readonly by: string; readonly at: string } }
  | { readonly type: 'RecordFindings'; readonly data: { readonly caseId: string; readonly findings: string; readonly learningPoints: readonly string[]; readonly by: string; readonly at: string } }
  | { readonly type: 'CloseCase'; readonly data: { readonly caseId: string; readonly by: string; readonly at: string } }
  | { readonly type: 'CloseNotDrugRelated'; readonly data: { readonly caseId: string; readonly inquestRecordKey: string; readonly at: string } }
  | { readonly type: 'WithdrawCase'; readonly data: { readonly caseId: string; readonly at: string } }
  | { readonly type: 'MergeCase'; readonly data: { readonly caseId: string; readonly into: string; readonly at: string } };

const hubActor = 'hub';
const maxTextLength = 20_000;

/**
 * The DRD review case: opened by the first report of a death, joined by later reports of it;
 * open -> assigned -> in-review -> closed with findings and learning points. An inquest finding
 * the death not drug related closes it from any open state; a case whose every report was
 * retracted is withdrawn; a case found to be another case's death (people linked later) merges.
 */
export function decideReviewCase(command: ReviewCaseCommand, state: ReviewCaseState): ReviewCaseEvent[] {
  switch (command.type) {
    case 'OpenCase': {
      if (state.status !== 'none') return [];
      const { report } = command.data;
      const reportedOn = londonDateOf(new Date(report.reportedAt));
      return [{ type: 'CaseOpened', data: { ...command.data, reportedOn, dueOn: addDays(reportedOn, reviewDueDays) } }];
    }
    case 'JoinReport': {
      const opened = requireCase(state, command.data.caseId);
      return opened.reports.some((r) => r.recordKey === command.data.report.recordKey) ? [] : [{ type: 'ReportJoined', data: command.data }];
    }
    case 'AssignCase': {
      const opened = requireStatus(state, command.data.caseId, ['open', 'assigned'], 'be assigned');
      const assignee = requiredText('assignee', command.data.assignee, 200);
      return opened.assignee === assignee && opened.status === 'assigned' ? [] : [{ type: 'CaseAssigned', data: { ...command.data, assignee } }];
    }
    case 'StartReview':
      requireStatus(state, command.data.caseId, ['assigned'], 'start (assign it first)');
      return [{ type: 'ReviewStarted', data: command.data }];
    case 'RecordFindings': {
      requireStatus(state, command.data.caseId, ['in-review'], 'record findings (start the review first)');
      const findings = requiredText('findings', command.data.findings, maxTextLength);
      const learningPoints = command.data.learningPoints.map((point, i) => requiredText(`learningPoints/${i}`, point, maxTextLength));
      return [{ type: 'FindingsRecorded', data: { ...command.data, findings, learningPoints } }];
    }
    case 'CloseCase': {
      const opened = requireStatus(state, command.data.caseId, ['in-review'], 'close (review it first)');
      if (opened.findings === null) throw new DomainError('REVIEW.FINDINGS_REQUIRED', `caseId: case ${JSON.stringify(opened.caseId)} has no findings yet; record findings and learning points before closing`);
      return [{ type: 'CaseClosed', data: { caseId: opened.caseId, outcome: 'reviewed', by: command.data.by, at: command.data.at } }];
    }
    case 'CloseNotDrugRelated':
      return isOpen(state) ? [{ type: 'CaseClosed', data: { caseId: state.caseId, outcome: 'not-drug-related', by: hubActor, at: command.data.at, inquestRecordKey: command.data.inquestRecordKey } }] : [];
    case 'WithdrawCase':
      return isOpen(state) ? [{ type: 'CaseClosed', data: { caseId: state.caseId, outcome: 'withdrawn', by: hubActor, at: command.data.at } }] : [];
    case 'MergeCase':
      return isOpen(state) ? [{ type: 'CaseClosed', data: { caseId: state.caseId, outcome: 'merged', by: hubActor, at: command.data.at, mergedInto: command.data.into } }] : [];
    default:
      return assertNever(command, 'review case command');
  }
}

export function evolveReviewCase(state: ReviewCaseState, event: ReviewCaseEvent): ReviewCaseState {
  switch (event.type) {
    case 'CaseOpened':
      if (state.status !== 'none') return state;
      return {
        status: 'open', caseId: event.data.caseId, personRef: event.data.personRef, diedOn: event.data.diedOn, reports: [event.data.report],
        reportedOn: event.data.reportedOn, dueOn: event.data.dueOn, assignee: null, findings: null, learningPoints: [], outcome: null, closedAt: null, mergedInto: null,
      };
    case 'ReportJoined':
      return state.status === 'none' || state.reports.some((r) => r.recordKey === event.data.report.recordKey) ? state : { ...state, reports: [...state.reports, event.data.report] };
    case 'CaseAssigned':
      return isOpen(state) ? { ...state, status: 'assigned', assignee: event.data.assignee } : state;
    case 'ReviewStarted':
      return isOpen(state) ? { ...state, status: 'in-review' } : state;
    case 'FindingsRecorded':
      return isOpen(state) ? { ...state, findings: event.data.findings, learningPoints: event.data.learningPoints } : state;
    case 'CaseClosed':
      return isOpen(state) ? { ...state, status: 'closed', outcome: event.data.outcome, closedAt: event.data.at, mergedInto: event.data.mergedInto ?? null } : state;
    default:
      return assertNever(event, 'review case event');
  }
}

function isOpen(state: ReviewCaseState): state is OpenedCase {
  return state.status !== 'none' && state.status !== 'closed';
}

function requireCase(state: ReviewCaseState, caseId: string): OpenedCase {
  if (state.status === 'none') throw new DomainError('REVIEW.NOT_FOUND', `caseId: no review case ${JSON.stringify(caseId)}`);
  return state;
}

function requireStatus(state: ReviewCaseState, caseId: string, allowed: readonly ReviewStatus[], action: string): OpenedCase {
  const opened = requireCase(state, caseId);
  if (!allowed.includes(opened.status)) {
    throw new DomainError('REVIEW.INVALID_TRANSITION', `caseId: case ${JSON.stringify(caseId)} is ${opened.status}; it cannot ${action}`);
  }
  return opened;
}

function requiredText(field: string, value: unknown, max: number): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') throw new DomainError('REVIEW.TEXT_REQUIRED', `${field}: must not be empty`);
  if (text.length > max) throw new DomainError('REVIEW.TEXT_TOO_LONG', `${field}: ${text.length} characters; at most ${max}`);
  return text;
}
