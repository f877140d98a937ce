import fc from 'fast-check';
import { isRealDate } from '@hub/kernel';
import { Random } from '../random/random';
import { applyTypo, nicknameOf, transposedDayMonth, typoOperations, withDigitOff, withTypo } from './record-noise';

const name = fc.constantFrom('Robert', 'Smith', 'Ashford', 'Jo', 'Eve', 'Thornley', 'Lee');
const date = fc.date({ min: new Date('1940-01-01'), max: new Date('2010-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

describe('record noise', () => {
  it('makes a typo that changes the name, keeps its first letter and its length within one', () => {
    fc.assert(fc.property(name, fc.integer(), (original, seed) => {
      const typo = withTypo(original, Random.of('typo', seed));
      return typo !== original && typo[0] === original[0] && Math.abs(typo.length - original.length) <= 1 && typo.length >= 2;
    }));
  });

  it('knows four kinds of typo', () => {
    const random = Random.of('ops');
    expect(typoOperations.map((operation) => applyTypo('Thornley', operation, random).length)).toEqual([9, 7, 8, 8]);
  });

  it('swaps day and month only where that is another real date', () => {
    expect(transposedDayMonth('1988-04-12')).toBe('1988-12-04');
    expect(transposedDayMonth('1988-04-13')).toBeUndefined();
    expect(transposedDayMonth('1988-05-05')).toBeUndefined();
  });

  it('moves one digit of a date by one and keeps it a real date', () => {
    fc.assert(fc.property(date, fc.integer(), (original, seed) => {
      const off = withDigitOff(original, Random.of('digit', seed));
      const differing = [...original].filter((c, i) => c !== off[i]);
      return isRealDate(off) && differing.length === 1 && [...original].every((c, i) => c === off[i] || Math.abs(Number(c) - Number(off[i])) === 1);
    }));
  });

  it('gives nicknames from the table, and none for names without one', () => {
    expect(['Bob', 'Rob', 'Bobby']).toContain(nicknameOf('Robert', Random.of('nick')));
    expect(nicknameOf('Wayne', Random.of('nick'))).toBeUndefined();
  });
});
