import { jaro, jaroWinkler, soundex } from './string-similarity';

describe('Jaro-Winkler similarity', () => {
  it('Given the textbook pairs, When compared, Then the similarities are the published ones', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 3);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.813, 3);
    expect(jaro('martha', 'marhta')).toBeCloseTo(0.944, 3);
  });

  it('Given equal names, Then 1; Given names with no letter in common, Then 0', () => {
    expect(jaroWinkler('smith', 'smith')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('', 'smith')).toBe(0);
  });

  it('Given a shared prefix, Then Jaro-Winkler is above Jaro, and symmetric', () => {
    expect(jaroWinkler('thornley', 'thornely')).toBeGreaterThan(jaro('thornley', 'thornely'));
    expect(jaroWinkler('ashford', 'ashfrod')).toBeCloseTo(jaroWinkler('ashfrod', 'ashford'), 10);
  });
});

describe('Soundex', () => {
  it('Given the National Archives examples, When coded, Then the codes match', () => {
    expect(soundex('Robert')).toBe('R163');
    expect(soundex('Rupert')).toBe('R163');
    expect(soundex('Ashcraft')).toBe('A261');
    expect(soundex('Tymczak')).toBe('T522');
    expect(soundex('Pfister')).toBe('P236');
    expect(soundex('Honeyman')).toBe('H555');
    expect(soundex('Lee')).toBe('L000');
  });

  it('Given no letter, Then the empty code', () => {
    expect(soundex("'-")).toBe('');
  });
});
