import { DomainError } from '@hub/kernel';
import { derivableCells, substitutionAttack } from '../../test/disclosure-attacker';
import { countFields, isPrimarySuppressed, roundToBase } from './count-table';
import { applyDisclosureControl } from './disclosure-control';
import { attackedTable, row } from './disclosure-control.fixtures.spec';

describe('disclosure control', () => {
  it('suppresses counts 1 to 7, never 0 or 8', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].filter(isPrimarySuppressed)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('rounds the other counts to the nearest 5, keeping 0', () => {
    expect([0, 8, 10, 12, 13, 22, 23, 97, 98].map(roundToBase)).toEqual([0, 10, 10, 10, 15, 20, 25, 95, 100]);
    const [published] = applyDisclosureControl([row('NGI', 12, 13, 0, 0)]).rows;
    expect(published).toEqual({
      group: { prisonId: 'NGI' }, released: 25, engaged: 10, notEngaged: 15, pending: 0, excluded: 0,
      rate: 12 / 25, suppressed: false, suppressedFields: [],
    });
  });

  it('computes the rate from exact counts, null when nobody was judged yet', () => {
    expect(applyDisclosureControl([row('NGI', 12, 13, 15, 0)]).rows[0]!.rate).toBe(0.48);
    expect(applyDisclosureControl([row('NGI', 0, 0, 20, 0)]).rows[0]!.rate).toBeNull();
  });

  it('makes a single suppressed count in a row force a second: the next smallest non-zero count', () => {
    const [published] = applyDisclosureControl([row('NGI', 3, 20, 9, 8)]).rows;
    expect(published).toEqual({
      group: { prisonId: 'NGI' }, released: 40, engaged: null, notEngaged: 20, pending: 10, excluded: null,
      rate: null, suppressed: true, suppressedFields: ['engaged', 'excluded'],
    });
  });

  it('suppresses no more when a row already hides two counts', () => {
    const [published] = applyDisclosureControl([row('NGI', 3, 20, 0, 5)]).rows;
    expect(published).toMatchObject({ released: 30, notEngaged: 20, suppressedFields: ['engaged', 'excluded'] });
  });

  it('leaves the rate when only pending or excluded is hidden', () => {
    const [published] = applyDisclosureControl([row('NGI', 10, 30, 2, 9)]).rows;
    expect(published).toMatchObject({ pending: null, excluded: null, rate: 0.25 });
  });

  it('hides a small row total together with its parts', () => {
    const [published] = applyDisclosureControl([row('EFI', 2, 3, 0, 0)]).rows;
    expect(published).toMatchObject({ released: null, engaged: null, notEngaged: null, pending: 0, excluded: 0 });
  });

  it('protects a suppressed count from the column totals when a totals row is published', () => {
    const rows = [row('NGI', 3, 20, 9, 8), row('EFI', 30, 20, 10, 10), row('XYZ', 25, 25, 10, 10)];
    const published = applyDisclosureControl(rows, { totalsRow: true });
    const engagedColumn = [...published.rows, published.totals!].map((r) => r.engaged);
    expect(engagedColumn.filter((value) => value === null).length).toBeGreaterThanOrEqual(2);
    expect(derivableCells(attackedTable(rows, published))).toEqual([]);
  });

  it('controls the totals row itself', () => {
    const rows = [row('NGI', 1, 0, 0, 10), row('EFI', 2, 0, 0, 10)];
    const published = applyDisclosureControl(rows, { totalsRow: true });
    // engaged totals 3: hidden; each row's lone small count then needs partners in its row and column.
    expect(published.totals).toMatchObject({ group: {}, engaged: null, notEngaged: 0, pending: 0, suppressed: true });
    expect(derivableCells(attackedTable(rows, published))).toEqual([]);
  });

  it('gives an attacker nothing to recover, where primary suppression alone would give the count away', () => {
    const rows = [row('NGI', 3, 20, 9, 8), row('EFI', 30, 20, 10, 10)];
    const primaryOnly = {
      cells: rows.map((r) => countFields.map((f) => r[f])),
      suppressed: rows.map((r) => countFields.map((f) => isPrimarySuppressed(r[f]))),
      columnTotalsPublished: false,
    };
    expect(substitutionAttack(primaryOnly)).toEqual(new Map([['0:1', 3]]));
    expect(derivableCells(primaryOnly)).toEqual(['0:1']);
    const published = applyDisclosureControl(rows);
    expect(substitutionAttack(attackedTable(rows, published)).size).toBe(0);
    expect(derivableCells(attackedTable(rows, published))).toEqual([]);
  });

  it('closes a cycle through a lone suppressed cell in a table with totals (four cells at least)', () => {
    const rows = [row('NGI', 30, 20, 10, 3), row('EFI', 30, 20, 10, 10), row('XYZ', 30, 20, 10, 10)];
    const published = applyDisclosureControl(rows, { totalsRow: true });
    const hidden = [...published.rows, published.totals!].flatMap((r) => r.suppressedFields);
    expect(hidden.length).toBeGreaterThanOrEqual(4);
    expect(derivableCells(attackedTable(rows, published))).toEqual([]);
    expect(substitutionAttack(attackedTable(rows, published)).size).toBe(0);
  });

  it('refuses a row whose total is not the sum of its parts, naming the row', () => {
    const bad = { ...row('NGI', 1, 2, 3, 4), released: 11 };
    expect(() => applyDisclosureControl([bad])).toThrow(DomainError);
    expect(() => applyDisclosureControl([bad])).toThrow('row 0 (group {"prisonId":"NGI"}): released 11 is not engaged + notEngaged + pending + excluded = 10');
    expect(() => applyDisclosureControl([{ ...row('NGI', 1, 2, 3, 4), engaged: -1 }])).toThrow('engaged -1 is not a count');
  });
});
