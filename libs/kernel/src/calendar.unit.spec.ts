import fc from 'fast-check';
import { addDays, ageInCompletedYears, daysBetween, formatLocalDate, isRealDate, londonDateOf, parseLocalDate } from './calendar';

describe('calendar', () => {
  it('adds days across month and leap-year ends', () => {
    expect(addDays('2025-03-03', 21)).toBe('2025-03-24');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
  });

  it('counts days between dates, unaffected by the clocks changing', () => {
    expect(daysBetween('2025-03-24', '2025-04-14')).toBe(21);
    expect(daysBetween('2025-10-20', '2025-10-30')).toBe(10);
  });

  it('tells real dates from impossible ones', () => {
    expect(isRealDate('2024-02-29')).toBe(true);
    expect(isRealDate('2025-02-29')).toBe(false);
    expect(isRealDate('2025-04-31')).toBe(false);
    expect(isRealDate('2025-4-01')).toBe(false);
  });

  it('calls a date real exactly when it survives a round trip through parse and format', () => {
    const digits = (n: number, width: number) => String(n).padStart(width, '0');
    fc.assert(fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), (y, m, d) => {
      const date = `${digits(y, 4)}-${digits(m, 2)}-${digits(d, 2)}`;
      expect(isRealDate(date)).toBe(formatLocalDate(parseLocalDate(date)) === date);
    }), { numRuns: 20_000 });
  });

  it('gives the Europe/London date of an instant, in summer time too', () => {
    expect(londonDateOf(new Date('2025-03-24T23:30:00Z'))).toBe('2025-03-24');
    expect(londonDateOf(new Date('2025-06-24T23:30:00Z'))).toBe('2025-06-25');
  });

  describe('age in completed years', () => {
    it('is one less the day before the birthday', () => {
      expect(ageInCompletedYears('2007-03-04', '2025-03-03')).toBe(17);
      expect(ageInCompletedYears('2007-03-03', '2025-03-03')).toBe(18);
    });
    it('moves a 29 February birthday to 1 March in other years', () => {
      expect(ageInCompletedYears('2004-02-29', '2022-02-28')).toBe(17);
      expect(ageInCompletedYears('2004-02-29', '2022-03-01')).toBe(18);
      expect(ageInCompletedYears('2004-02-29', '2024-02-29')).toBe(20);
    });
  });
});
