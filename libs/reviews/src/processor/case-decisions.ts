import type { LocalDate } from '@hub/kernel';
import { deterministicId, type FactOf, type RecordVersion, type TimelineView } from '@hub/timeline';
import type { OpenedCase, ReviewCaseCommand } from '../review-case/review-case.decider';

type DeathReport = RecordVersion<FactOf<'death-report'>>;

export function caseIdFor(firstReport: DeathReport): string {
  return deterministicId('DRD_REVIEW', firstReport.key);
}

/**
 * What the hub decides for one person's death reports and inquests, given the cases that already
 * rest on any of those reports: one case per person and death date (the first report opens it,
 * later reports of the same death join it; two cases found to be one death merge into the earlier),
 * a case whose reports were all retracted is withdrawn, and an inquest finding the death not drug
 * related closes the person's open cases for deaths on or before it. `at`: when the hub learnt
 * what it is acting on.
 */
export function caseCommandsFor(personRef: string, view: TimelineView, cases: readonly OpenedCase[], at: string): ReviewCaseCommand[] {
  const commands: ReviewCaseCommand[] = [];
  const reports = [...view.ofKind('death-report')].sort((a, b) => a.position - b.position);
  const byDate = new Map<LocalDate, DeathReport[]>();
  for (const report of reports) byDate.set(report.fact.diedOn, [...(byDate.get(report.fact.diedOn) ?? []), report]);
  const reportOf = (r: DeathReport) => ({ recordKey: r.key, provider: r.provider, reportedAt: r.knownAt });
  for (const [diedOn, group] of byDate) {
    const keys = new Set(group.map((r) => r.key));
    const existing = cases.filter((c) => c.outcome !== 'merged' && c.outcome !== 'withdrawn' && c.reports.some((r) => keys.has(r.recordKey)))
      .sort((a, b) => (a.reportedOn < b.reportedOn ? -1 : a.reportedOn > b.reportedOn ? 1 : a.reports[0]!.reportedAt < b.reports[0]!.reportedAt ? -1 : 1));
    const survivor = existing[0];
    const caseId = survivor?.caseId ?? caseIdFor(group[0]!);
    if (!survivor) commands.push({ type: 'OpenCase', data: { caseId, personRef, diedOn, report: reportOf(group[0]!) } });
    const joined = new Set(survivor?.reports.map((r) => r.recordKey) ?? [group[0]!.key]);
    for (const other of existing.slice(1)) {
      if (other.status !== 'closed') commands.push({ type: 'MergeCase', data: { caseId: other.caseId, into: caseId, at } });
    }
    for (const report of group) if (!joined.has(report.key)) commands.push({ type: 'JoinReport', data: { caseId, report: reportOf(report) } });
  }
  const current = new Set(reports.map((r) => r.key));
  for (const c of cases) {
    if (c.status !== 'closed' && !c.reports.some((r) => current.has(r.recordKey))) commands.push({ type: 'WithdrawCase', data: { caseId: c.caseId, at } });
  }
  for (const inquest of view.ofKind('inquest').filter((i) => !i.fact.drugRelated)) {
    for (const c of cases) {
      if (c.status !== 'closed' && c.diedOn <= inquest.fact.concludedOn) {
        commands.push({ type: 'CloseNotDrugRelated', data: { caseId: c.caseId, inquestRecordKey: inquest.key, at: inquest.knownAt } });
      }
    }
  }
  return commands;
}
