import type { ContinuityReport } from '@hub/continuity';
import { addDays, DomainError, isRealDate, type LocalDate, londonDateOf } from '@hub/kernel';
import type { RatePoint } from './rate-chart';

export const continuityFilterDimensions = ['prisonId', 'localAuthority', 'substanceGroup'] as const;
export type ContinuityFilterDimension = (typeof continuityFilterDimensions)[number];
export type ContinuityFilters = Partial<Record<ContinuityFilterDimension, string>>;

/** The last 12 months: from the first day of the month a year before next month, to today. */
export function defaultPeriod(today: LocalDate): { from: LocalDate; to: LocalDate } {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const from = month === 12 ? `${year}-01-01` : `${year - 1}-${String(month + 1).padStart(2, '0')}-01`;
  return { from, to: today };
}

/** "As of" a day picked on the page: the last instant of that day in Europe/London (BST or GMT). */
export function endOfLondonDay(date: LocalDate): string {
  if (!isRealDate(date)) throw new DomainError('REQUEST.INVALID_PARAMETER', `asOf ${JSON.stringify(date)} is not a calendar date (YYYY-MM-DD)`, { field: 'asOf', value: date });
  const next = addDays(date, 1);
  const utcMidnight = Date.parse(`${next}T00:00:00Z`);
  const bstMidnight = utcMidnight - 3_600_000;
  const midnight = londonDateOf(new Date(bstMidnight)) === next ? bstMidnight : utcMidnight;
  return new Date(midnight - 1).toISOString();
}

export interface MonthRow {
  readonly month: string;
  readonly cells: readonly { readonly field: string; readonly text: string; readonly suppressed: boolean }[];
  readonly rate: number | null;
  readonly rateText: string;
  readonly belowTarget: boolean;
}

const countFields = ['released', 'engaged', 'notEngaged', 'pending', 'excluded'] as const;

/**
 * The report grouped by month (and by each filtered dimension) narrowed to the filter's values, one
 * row per month in order. Suppressed counts say so; a missing rate is a dash, never 0%.
 */
export function monthRows(report: ContinuityReport, filters: ContinuityFilters, target: number): MonthRow[] {
  const wanted = Object.entries(filters).filter(([, value]) => value !== undefined && value !== '');
  return report.rows
    .filter((row) => wanted.every(([dimension, value]) => row.group[dimension] === value))
    .map((row) => {
      const record = row as unknown as Record<string, number | null>;
      const suppressedFields = 'suppressedFields' in row ? row.suppressedFields as readonly string[] : [];
      return {
        month: String(row.group.month ?? ''),
        cells: countFields.map((field) => {
          const suppressed = suppressedFields.includes(field) || record[field] === null;
          return { field, text: suppressed ? 'Suppressed' : String(record[field]), suppressed };
        }),
        rate: row.rate,
        rateText: row.rate === null ? '–' : `${(row.rate * 100).toFixed(1)}%`,
        belowTarget: row.rate !== null && row.rate < target,
      };
    })
    .sort((a, b) => a.month.localeCompare(b.month));
}

export function chartPoints(rows: readonly MonthRow[]): RatePoint[] {
  return rows.map((row) => ({ label: row.month, rate: row.rate }));
}

/** Reads the page's filters; a value outside the offered options is refused naming the field. */
export function parseFilters(query: Readonly<Record<string, unknown>>, options: Readonly<Record<ContinuityFilterDimension, readonly string[]>>): ContinuityFilters {
  const filters: ContinuityFilters = {};
  for (const dimension of continuityFilterDimensions) {
    const value = query[dimension];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string' || !options[dimension].includes(value)) {
      throw new DomainError('REQUEST.INVALID_PARAMETER', `${dimension} ${JSON.stringify(value)} is not one of ${options[dimension].join(', ')}`, { field: dimension, value });
    }
    filters[dimension] = value;
  }
  return filters;
}
