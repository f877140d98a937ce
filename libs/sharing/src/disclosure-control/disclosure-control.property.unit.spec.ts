import fc from 'fast-check';
import { derivableCells, substitutionAttack } from '../../test/disclosure-attacker';
import { countFields, isPrimarySuppressed, rateOf, roundToBase, totalsOf, type CountRow } from './count-table';
import { applyDisclosureControl } from './disclosure-control';
import { attackedTable, row } from './disclosure-control.fixtures.spec';

// Small counts are over-represented: they are where disclosure happens.
const count = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 8, max: 60 }));
const table = fc.array(fc.tuple(count, count, count, count), { minLength: 1, maxLength: 7 })
  .map((cells) => cells.map(([e, n, p, x], i) => row(`G${i}`, e, n, p, x)));
const options = fc.record({ totalsRow: fc.boolean() });

describe('disclosure control, properties over random tables', () => {
  it('shows each count either rounded to 5 or null, hiding every count of 1-7', () => {
    fc.assert(fc.property(table, options, (rows, opts) => {
      const published = applyDisclosureControl(rows, opts);
      const pairs: [CountRow, (typeof published.rows)[number]][] = rows.map((r, i) => [r, published.rows[i]!]);
      if (published.totals) pairs.push([totalsOf(rows), published.totals]);
      for (const [exact, shown] of pairs) {
        for (const field of countFields) {
          const hidden = shown.suppressedFields.includes(field);
          expect(shown[field]).toBe(hidden ? null : roundToBase(exact[field]));
          if (isPrimarySuppressed(exact[field])) expect(hidden).toBe(true);
        }
        expect(shown.suppressed).toBe(shown.suppressedFields.length > 0);
        const rateHidden = shown.engaged === null || shown.notEngaged === null;
        expect(shown.rate).toBe(rateHidden ? null : rateOf(exact));
      }
    }), { numRuns: 500 });
  });

  it('leaves no suppressed count derivable from row or column totals, even with exact visible values', () => {
    fc.assert(fc.property(table, options, (rows, opts) => {
      const attacked = attackedTable(rows, applyDisclosureControl(rows, opts));
      expect(substitutionAttack(attacked).size).toBe(0);
      expect(derivableCells(attacked)).toEqual([]);
    }), { numRuns: 500 });
  });

  it('never hides a zero while a non-zero cell could serve, and never hides anything in a table of safe counts', () => {
    fc.assert(fc.property(table, options, (rows, opts) => {
      const published = applyDisclosureControl(rows, opts);
      const shown = published.totals ? [...published.rows, published.totals] : published.rows;
      const exact = published.totals ? [...rows, totalsOf(rows)] : rows;
      const anyPrimary = exact.some((r) => countFields.some((f) => isPrimarySuppressed(r[f])));
      if (!anyPrimary) expect(shown.every((r) => !r.suppressed)).toBe(true);
      if (!opts.totalsRow) {
        // Without column totals a row stands alone: a zero is hidden only if the row offered no other cell.
        shown.forEach((r, i) => r.suppressedFields.forEach((f) => {
          if (exact[i]![f] !== 0) return;
          const others = countFields.filter((g) => !r.suppressedFields.includes(g) && exact[i]![g] !== 0);
          expect(others).toEqual([]);
        }));
      }
    }), { numRuns: 300 });
  });
});
