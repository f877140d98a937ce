import type { ContinuityReport } from './continuity-report';

const countColumns = ['released', 'engaged', 'notEngaged', 'pending', 'excluded', 'rate'];

/** A report's columns: the grouping dimensions, the counts, and `suppressed` when disclosure control was applied. */
export function reportColumns(result: ContinuityReport, groupBy: readonly string[]): string[] {
  const published = result.rows.some((row) => 'suppressed' in row);
  return [...groupBy, ...countColumns, ...(published ? ['suppressed'] : [])];
}

/** One flat record per row: the group's dimensions first, then the counts. */
export function flatReportRows(result: ContinuityReport, groupBy: readonly string[]): Record<string, unknown>[] {
  return result.rows.map((row) => ({ ...Object.fromEntries(groupBy.map((d) => [d, row.group[d] ?? null])), ...row }));
}

/** RFC 4180: a header, then one line per row; empty cells for null (the CLI's `--format csv` and the dashboard's download). */
export function reportCsv(result: ContinuityReport, groupBy: readonly string[]): string {
  const columns = reportColumns(result, groupBy);
  const cell = (value: unknown) => {
    const text = value === null || value === undefined ? '' : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [columns.join(','), ...flatReportRows(result, groupBy).map((row) => columns.map((c) => cell(row[c])).join(','))].join('\r\n') + '\r\n';
}
