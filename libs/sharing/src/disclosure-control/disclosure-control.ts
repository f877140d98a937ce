import {
  countFields, isPrimarySuppressed, rateOf, roundToBase, totalsOf, validateRow,
  type CountField, type CountRow, type PublishedRow,
} from './count-table';
import { protectSuppressedCells } from './secondary-suppression';

export interface DisclosureOptions {
  /** Also publish a totals row (column sums): its cells are controlled too, and columns then count as equations. */
  readonly totalsRow?: boolean;
}

export interface PublishedTable {
  readonly rows: readonly PublishedRow[];
  /** Present when `totalsRow` was asked for. */
  readonly totals?: PublishedRow;
}

/**
 * SPEC section 5 disclosure control: counts 1-7 suppressed (null, named in `suppressedFields`),
 * others rounded to the nearest 5, `rate` from exact counts unless engaged or notEngaged is
 * suppressed, and secondary suppression so no suppressed count follows from the row total
 * (`released`) or, with a totals row, from the column totals.
 */
export function applyDisclosureControl(rows: readonly CountRow[], options: DisclosureOptions = {}): PublishedTable {
  rows.forEach(validateRow);
  const withTotals = options.totalsRow === true;
  const table = withTotals ? [...rows, totalsOf(rows)] : rows;
  const values = table.map((row) => countFields.map((field) => row[field]));
  const primary = values.map((cells) => cells.map(isPrimarySuppressed));
  const suppressed = protectSuppressedCells(values, primary, withTotals);
  const published = table.map((row, index) => publishRow(row, suppressed[index]!));
  if (!withTotals) return { rows: published };
  return { rows: published.slice(0, -1), totals: published[published.length - 1]! };
}

function publishRow(row: CountRow, suppressedCells: readonly boolean[]): PublishedRow {
  const suppressedFields = countFields.filter((_, column) => suppressedCells[column]);
  const isSuppressed = (field: CountField) => suppressedFields.includes(field);
  const count = (field: CountField) => (isSuppressed(field) ? null : roundToBase(row[field]));
  return {
    group: row.group,
    released: count('released'),
    engaged: count('engaged'),
    notEngaged: count('notEngaged'),
    pending: count('pending'),
    excluded: count('excluded'),
    rate: isSuppressed('engaged') || isSuppressed('notEngaged') ? null : rateOf(row),
    suppressed: suppressedFields.length > 0,
    suppressedFields,
  };
}
