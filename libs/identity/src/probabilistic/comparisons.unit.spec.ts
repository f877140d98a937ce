import { compare, comparable, comparisons, dateOfBirthLevel, nameLevel } from './comparisons';

const levelName = (comparison: string, level: number | null) => (level === null ? null : comparisons.find((c) => c.name === comparison)!.levels[level]);

describe('name comparison levels', () => {
  it('Given names, When compared, Then exact, the two Jaro-Winkler bands, Soundex and else', () => {
    expect(levelName('familyName', nameLevel('smith', 'smith'))).toBe('exact');
    expect(levelName('familyName', nameLevel('thornley', 'thornely'))).toBe('jaro-winkler>=0.92');
    expect(levelName('familyName', nameLevel('dwayne', 'duane'))).toBe('soundex');
    expect(levelName('givenName', nameLevel('stephen', 'steven'))).toBe('jaro-winkler>=0.85');
    expect(levelName('familyName', nameLevel('smyth', 'smith'))).toBe('jaro-winkler>=0.85');
    expect(levelName('givenName', nameLevel('robert', 'bob'))).toBe('else');
  });
});

describe('date of birth comparison levels', () => {
  it('Given dates of birth, When compared, Then exact, day and month transposed, one digit off, same year, else', () => {
    expect(levelName('dateOfBirth', dateOfBirthLevel('1988-04-12', '1988-04-12'))).toBe('exact');
    expect(levelName('dateOfBirth', dateOfBirthLevel('1988-04-12', '1988-12-04'))).toBe('day-month-transposed');
    expect(levelName('dateOfBirth', dateOfBirthLevel('1988-04-12', '1989-04-12'))).toBe('one-digit-off');
    expect(levelName('dateOfBirth', dateOfBirthLevel('1988-04-12', '1988-04-13'))).toBe('one-digit-off');
    expect(levelName('dateOfBirth', dateOfBirthLevel('1988-04-12', '1988-07-30'))).toBe('same-year');
    expect(levelName('dateOfBirth', dateOfBirthLevel('1988-04-12', '1975-07-30'))).toBe('else');
  });
});

describe('a comparison vector', () => {
  it('Given two person blocks, When compared, Then each attribute has its level, and null where a side lacks it', () => {
    const a = comparable({ givenName: ' Séan ', familyName: 'Ashford', dateOfBirth: '1988-04-12', sex: 'M', postcodeDistrict: 'nr1', nhsNumber: '943 476 5919', pncId: '12/345678A' });
    const b = comparable({ givenName: 'Sean', familyName: 'Ashfrod', dateOfBirth: '1988-12-04', sex: 'U', postcodeDistrict: 'NR2', nhsNumber: '9434765919' });
    const named = Object.fromEntries(comparisons.map((c, i) => [c.name, levelName(c.name, compare(a, b)[i]!)]));
    expect(named).toEqual({
      givenName: 'exact', familyName: 'jaro-winkler>=0.92', dateOfBirth: 'day-month-transposed', sex: null,
      postcodeDistrict: 'disagree', nhsNumber: 'agree', pncId: null, nomisId: null, deliusCrn: null,
    });
  });

  it('Given an invalid NHS number, Then it is left out of the comparison (missing, not disagreeing)', () => {
    expect(comparable({ nhsNumber: '9434765918' }).nhsNumber).toBeUndefined();
  });
});
