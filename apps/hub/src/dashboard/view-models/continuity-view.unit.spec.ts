import type { ContinuityReport } from '@hub/continuity';
import { defaultPeriod, endOfLondonDay, monthRows, parseFilters } from './continuity-view';

describe('the continuity page', () => {
  it('defaults to the last 12 months, to today', () => {
    expect(defaultPeriod('2026-11-22')).toEqual({ from: '2025-12-01', to: '2026-11-22' });
    expect(defaultPeriod('2026-12-05')).toEqual({ from: '2026-01-01', to: '2026-12-05' });
  });

  it('reads "as of" a day as the end of that day in London, in summer and in winter', () => {
    expect(endOfLondonDay('2025-07-01')).toBe('2025-07-01T22:59:59.999Z');
    expect(endOfLondonDay('2025-01-15')).toBe('2025-01-15T23:59:59.999Z');
    expect(endOfLondonDay('2025-03-30')).toBe('2025-03-30T22:59:59.999Z');
    expect(() => endOfLondonDay('2025-02-30')).toThrow('asOf "2025-02-30"');
  });

  const report = {
    from: '2025-01-01', to: '2025-12-31', asOf: '2026-01-01T00:00:00.000Z',
    rows: [
      { group: { month: '2025-04', prisonId: 'NGI' }, released: 10, engaged: 8, notEngaged: 2, pending: 0, excluded: 0, rate: 0.8 },
      { group: { month: '2025-03', prisonId: 'NGI' }, released: 10, engaged: null, notEngaged: 5, pending: 0, excluded: null, rate: null, suppressed: true, suppressedFields: ['engaged', 'excluded'] },
      { group: { month: '2025-03', prisonId: 'EFI' }, released: 9, engaged: 4, notEngaged: 3, pending: 0, excluded: 2, rate: 4 / 7 },
    ],
  } as unknown as ContinuityReport;

  it('given rows by month and prison, when filtered to one prison, then its months in order, suppressed counts named and no rate as a dash', () => {
    const rows = monthRows(report, { prisonId: 'NGI' }, 0.75);
    expect(rows.map((r) => [r.month, r.cells.map((c) => c.text), r.rateText, r.belowTarget])).toEqual([
      ['2025-03', ['10', 'Suppressed', '5', '0', 'Suppressed'], '–', false],
      ['2025-04', ['10', '8', '2', '0', '0'], '80.0%', false],
    ]);
    expect(monthRows(report, { prisonId: 'EFI' }, 0.75).map((r) => [r.rateText, r.belowTarget])).toEqual([['57.1%', true]]);
  });

  it('refuses a filter value the page does not offer, naming the field and value', () => {
    const options = { prisonId: ['NGI', 'EFI'], localAuthority: ['E06000901'], substanceGroup: ['opiate'] };
    expect(parseFilters({ prisonId: 'NGI', localAuthority: '' }, options)).toEqual({ prisonId: 'NGI' });
    expect(() => parseFilters({ prisonId: 'XYZ' }, options)).toThrow('prisonId "XYZ" is not one of NGI, EFI');
  });
});
