import { DomainError, isRealDate, type LocalDate, monthOf } from '@hub/kernel';
import { applyDisclosureControl, type CountRow, type PublishedRow, rateOf } from '@hub/sharing';
import type { JudgedRelease } from './continuity-facts';
import { statusOn } from './continuity.rules';

/** What a report may be grouped by (SPEC section 5). */
export const reportDimensions = ['month', 'prisonId', 'localAuthority', 'substanceGroup'] as const;
export type ReportDimension = (typeof reportDimensions)[number];
export const disclosureModes = ['none', 'published'] as const;
export type DisclosureMode = (typeof disclosureModes)[number];

export interface ReportRequest {
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly groupBy: readonly ReportDimension[];
  /** The instant the report is as of; absent means now. */
  readonly asOf?: string;
  readonly disclosure: DisclosureMode;
}

/** A row before disclosure control. */
export interface ReportRow {
  readonly group: Readonly<Record<string, string | null>>;
  readonly released: number;
  readonly engaged: number;
  readonly notEngaged: number;
  readonly pending: number;
  readonly excluded: number;
  readonly rate: number | null;
}

export interface ContinuityReport {
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly asOf: string;
  readonly rows: readonly (ReportRow | PublishedRow)[];
}

export interface RawReportParameters {
  readonly from?: unknown;
  readonly to?: unknown;
  readonly groupBy?: unknown;
  readonly asOf?: unknown;
  readonly disclosure?: unknown;
}

const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

function invalid(field: string, value: unknown, why: string): DomainError {
  return new DomainError('REQUEST.INVALID_PARAMETER', `${field} ${JSON.stringify(value)} ${why}`, { field, value });
}

/** Checks a report's parameters (from the CLI or the query string); a bad one is refused naming the field and value. */
export function parseReportRequest(raw: RawReportParameters): ReportRequest {
  const date = (field: 'from' | 'to'): LocalDate => {
    const value = raw[field];
    if (value === undefined || value === '') throw invalid(field, value ?? null, 'is required (a date, YYYY-MM-DD)');
    if (typeof value !== 'string' || !isRealDate(value)) throw invalid(field, value, 'is not a calendar date (YYYY-MM-DD)');
    return value;
  };
  const from = date('from');
  const to = date('to');
  if (from > to) throw new DomainError('REQUEST.INVALID_PARAMETER', `from ${JSON.stringify(from)} is after to ${JSON.stringify(to)}`, { field: 'from', value: from });
  const groupBy = parseGroupBy(raw.groupBy);
  let asOf: string | undefined;
  if (raw.asOf !== undefined && raw.asOf !== '') {
    const value = raw.asOf;
    if (typeof value !== 'string' || !isoInstant.test(value) || !isRealDate(value.slice(0, 10)) || Number.isNaN(Date.parse(value))) {
      throw invalid('asOf', value, 'is not an ISO 8601 instant with a zone (e.g. 2025-04-01T12:00:00Z)');
    }
    asOf = new Date(value).toISOString();
  }
  const disclosure = raw.disclosure ?? 'none';
  if (typeof disclosure !== 'string' || !(disclosureModes as readonly string[]).includes(disclosure)) {
    throw invalid('disclosure', disclosure, `is not one of ${disclosureModes.join(', ')}`);
  }
  return { from, to, groupBy, ...(asOf ? { asOf } : {}), disclosure: disclosure as DisclosureMode };
}

function parseGroupBy(value: unknown): ReportDimension[] {
  if (value === undefined || value === '') return [];
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [v]));
  const dimensions: ReportDimension[] = [];
  for (const part of parts) {
    const name = typeof part === 'string' ? part.trim() : part;
    if (typeof name !== 'string' || !(reportDimensions as readonly string[]).includes(name)) {
      throw invalid('groupBy', name, `is not one of ${reportDimensions.join(', ')}`);
    }
    if (!dimensions.includes(name as ReportDimension)) dimensions.push(name as ReportDimension);
  }
  return dimensions;
}

/** A group's counts; `notEngaged`/`pending` split by today's date. */
export interface GroupCounts {
  readonly group: Readonly<Record<string, string | null>>;
  readonly released: number;
  readonly engaged: number;
  readonly notEngaged: number;
  readonly pending: number;
  readonly excluded: number;
}

export function groupOf(release: { releasedOn: LocalDate; prisonId: string; localAuthority: string; substanceGroup: string | null }, groupBy: readonly ReportDimension[]): Record<string, string | null> {
  const values: Record<ReportDimension, string | null> = {
    month: monthOf(release.releasedOn), prisonId: release.prisonId, localAuthority: release.localAuthority, substanceGroup: release.substanceGroup,
  };
  return Object.fromEntries(groupBy.map((d) => [d, values[d]]));
}

/** Counts judged releases (already limited to the report's dates) per group, with today deciding pending or not-engaged. */
export function countReleases(releases: readonly JudgedRelease[], groupBy: readonly ReportDimension[], today: LocalDate): GroupCounts[] {
  const groups = new Map<string, { group: Record<string, string | null>; released: number; engaged: number; notEngaged: number; pending: number; excluded: number }>();
  for (const { release, judgement } of releases) {
    if (!judgement.inCohort) continue;
    const group = groupOf({ releasedOn: release.releasedOn, prisonId: release.prisonId, localAuthority: release.destinationLocalAuthority, substanceGroup: release.substanceGroup }, groupBy);
    const id = JSON.stringify(groupBy.map((d) => group[d]));
    const counts = groups.get(id) ?? { group, released: 0, engaged: 0, notEngaged: 0, pending: 0, excluded: 0 };
    counts.released += 1;
    const status = statusOn(judgement, release.releasedOn, today);
    if (status === 'engaged') counts.engaged += 1;
    else if (status === 'excluded') counts.excluded += 1;
    else if (status === 'pending') counts.pending += 1;
    else counts.notEngaged += 1;
    groups.set(id, counts);
  }
  if (groupBy.length === 0 && groups.size === 0) return [{ group: {}, released: 0, engaged: 0, notEngaged: 0, pending: 0, excluded: 0 }];
  return [...groups.values()];
}

/** Rows in group order with their rate; under disclosure control, the published form (SPEC section 5). */
export function reportRows(counts: readonly GroupCounts[], groupBy: readonly ReportDimension[], disclosure: DisclosureMode): (ReportRow | PublishedRow)[] {
  const sorted = [...counts].sort((a, b) => compareGroups(a.group, b.group, groupBy));
  if (disclosure === 'published') {
    return [...applyDisclosureControl(sorted.map((c): CountRow => ({ ...c, group: c.group }))).rows];
  }
  return sorted.map((c) => ({
    group: c.group, released: c.released, engaged: c.engaged, notEngaged: c.notEngaged, pending: c.pending, excluded: c.excluded, rate: rateOf(c),
  }));
}

function compareGroups(a: Readonly<Record<string, string | null>>, b: Readonly<Record<string, string | null>>, groupBy: readonly ReportDimension[]): number {
  for (const dimension of groupBy) {
    const x = a[dimension] ?? null;
    const y = b[dimension] ?? null;
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    return x < y ? -1 : 1;
  }
  return 0;
}
