import { DomainError } from '@hub/kernel';

/** The count columns of a continuity-of-care report row (SPEC section 5). `released` is the row total. */
export const countFields = ['released', 'engaged', 'notEngaged', 'pending', 'excluded'] as const;
export type CountField = (typeof countFields)[number];
export const rowTotalField = 'released' satisfies CountField;

export type Group = Readonly<Record<string, string | number | null>>;

/** A report row before disclosure control: exact counts. `rate`, if given, is recomputed. */
export type CountRow = { readonly group: Group; readonly rate?: number | null } & Readonly<Record<CountField, number>>;

/** A published row: suppressed counts are null and named; the others rounded to the nearest 5. */
export type PublishedRow = {
  readonly group: Group;
  readonly rate: number | null;
  readonly suppressed: boolean;
  readonly suppressedFields: readonly CountField[];
} & Readonly<Record<CountField, number | null>>;

/** NHS Digital's rule: counts 1 to 7 are suppressed; 0 is shown (it identifies no one). */
export const smallestSafeCount = 8;
export const roundingBase = 5;

export function isPrimarySuppressed(count: number): boolean {
  return count >= 1 && count < smallestSafeCount;
}

/** Nearest multiple of 5 (counts are whole, so there are no ties): 12 -> 10, 13 -> 15, 0 -> 0. */
export function roundToBase(count: number): number {
  return Math.round(count / roundingBase) * roundingBase;
}

/** engaged / (engaged + notEngaged) from exact counts; null when that is 0 (SPEC section 5). */
export function rateOf(row: Readonly<Record<CountField, number>>): number | null {
  const judged = row.engaged + row.notEngaged;
  return judged === 0 ? null : row.engaged / judged;
}

/** Secondary suppression relies on the row total being the sum of its parts; refuse rows where it is not. */
export function validateRow(row: CountRow, index: number): void {
  const where = `row ${index} (group ${JSON.stringify(row.group)})`;
  for (const field of countFields) {
    const value = row[field];
    if (!Number.isInteger(value) || value < 0) {
      throw new DomainError('DISCLOSURE.INVALID_COUNT', `${where}: ${field} ${JSON.stringify(value)} is not a count`,
        { row: index, field, value });
    }
  }
  const parts = row.engaged + row.notEngaged + row.pending + row.excluded;
  if (parts !== row.released) {
    throw new DomainError('DISCLOSURE.INCONSISTENT_ROW',
      `${where}: released ${row.released} is not engaged + notEngaged + pending + excluded = ${parts}`,
      { row: index, released: row.released, parts });
  }
}

export function totalsOf(rows: readonly CountRow[]): CountRow {
  const sum = (field: CountField) => rows.reduce((total, row) => total + row[field], 0);
  return {
    group: {}, released: sum('released'), engaged: sum('engaged'), notEngaged: sum('notEngaged'),
    pending: sum('pending'), excluded: sum('excluded'),
  };
}
