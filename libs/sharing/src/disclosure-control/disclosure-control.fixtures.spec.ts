// Helpers shared by the disclosure-control specs (a .spec.ts file: excluded from the build, not run as a test).
import { countFields, totalsOf, type CountRow } from './count-table';
import type { PublishedTable } from './disclosure-control';
import type { AttackedTable } from '../../test/disclosure-attacker';

export function row(group: string, engaged: number, notEngaged: number, pending: number, excluded: number): CountRow {
  return { group: { prisonId: group }, released: engaged + notEngaged + pending + excluded, engaged, notEngaged, pending, excluded };
}

/** What the attacker gets: exact values for every visible cell, and which cells are hidden. */
export function attackedTable(rows: readonly CountRow[], published: PublishedTable): AttackedTable {
  const exact = published.totals ? [...rows, totalsOf(rows)] : rows;
  const shown = published.totals ? [...published.rows, published.totals] : published.rows;
  return {
    cells: exact.map((r) => countFields.map((f) => r[f])),
    suppressed: shown.map((r) => countFields.map((f) => r[f] === null)),
    columnTotalsPublished: published.totals !== undefined,
  };
}
