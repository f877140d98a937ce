import { deliusCrnPattern, isRealDate, isValidNhsNumber, nomisIdPattern, type PersonBlock, pncIdPattern } from '@hub/kernel';
import { normaliseIdentifier, normaliseName } from '../matching/linking.rules';
import { jaroWinkler, soundex } from './string-similarity';

/**
 * The comparisons of a Fellegi-Sunter model (pure), in the manner of Splink: each compares one
 * attribute of two person records and gives a level, from the most to the least similar; `null`
 * when either side lacks the attribute (a null level adds no evidence either way).
 */
export interface ComparablePerson {
  readonly givenName?: string;
  readonly familyName?: string;
  readonly dateOfBirth?: string;
  readonly sex?: 'M' | 'F' | 'X';
  readonly postcodeDistrict?: string;
  readonly nhsNumber?: string;
  readonly pncId?: string;
  readonly nomisId?: string;
  readonly deliusCrn?: string;
}

export type ComparisonName =
  | 'givenName' | 'familyName' | 'dateOfBirth' | 'sex' | 'postcodeDistrict'
  | 'nhsNumber' | 'pncId' | 'nomisId' | 'deliusCrn';

export interface Comparison {
  readonly name: ComparisonName;
  /** Level names, most similar first; the last is "else". */
  readonly levels: readonly string[];
  /** The level index of a pair, or null when either side lacks the attribute. */
  level(a: ComparablePerson, b: ComparablePerson): number | null;
  /** The level that term-frequency adjustment applies to (exact match on a name), if any. */
  readonly termFrequencyLevel?: number;
}

/** A comparison vector: one level (or null) per comparison, in `comparisons` order. */
export type ComparisonVector = readonly (number | null)[];

export const nameLevels = ['exact', 'jaro-winkler>=0.92', 'jaro-winkler>=0.85', 'soundex', 'else'] as const;
export const dateOfBirthLevels = ['exact', 'day-month-transposed', 'one-digit-off', 'same-year', 'else'] as const;
export const agreeLevels = ['agree', 'disagree'] as const;

function nameComparison(name: 'givenName' | 'familyName'): Comparison {
  return {
    name,
    levels: nameLevels,
    termFrequencyLevel: 0,
    level(a, b) {
      const [x, y] = [a[name], b[name]];
      if (!x || !y) return null;
      return nameLevel(x, y);
    },
  };
}

/** The level of two normalised names: exact, two Jaro-Winkler bands, same Soundex, else. */
export function nameLevel(x: string, y: string): number {
  if (x === y) return 0;
  const similarity = jaroWinkler(x, y);
  if (similarity >= 0.92) return 1;
  if (similarity >= 0.85) return 2;
  if (soundex(x) === soundex(y)) return 3;
  return 4;
}

/** The level of two dates of birth (`YYYY-MM-DD`): exact, day and month swapped, one digit off, same year, else. */
export function dateOfBirthLevel(x: string, y: string): number {
  if (x === y) return 0;
  const [yx, mx, dx] = x.split('-');
  const [yy, my, dy] = y.split('-');
  if (yx === yy && mx === dy && dx === my) return 1;
  let differing = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) differing++;
  if (differing === 1) return 2;
  if (yx === yy) return 3;
  return 4;
}

function agreement(name: ComparisonName): Comparison {
  return {
    name,
    levels: agreeLevels,
    level(a, b) {
      const [x, y] = [a[name], b[name]];
      if (!x || !y) return null;
      return x === y ? 0 : 1;
    },
  };
}

/** The comparisons, in vector order. */
export const comparisons: readonly Comparison[] = [
  nameComparison('givenName'),
  nameComparison('familyName'),
  {
    name: 'dateOfBirth',
    levels: dateOfBirthLevels,
    level: (a, b) => (a.dateOfBirth && b.dateOfBirth ? dateOfBirthLevel(a.dateOfBirth, b.dateOfBirth) : null),
  },
  agreement('sex'),
  agreement('postcodeDistrict'),
  agreement('nhsNumber'),
  agreement('pncId'),
  agreement('nomisId'),
  agreement('deliusCrn'),
];

export function compare(a: ComparablePerson, b: ComparablePerson): (number | null)[] {
  return comparisons.map((comparison) => comparison.level(a, b));
}

/**
 * A person block as the model compares it: names normalised like the exact rule, identifiers only
 * when valid, sex only when it tells (M, F, X), dates only when real, postcode districts upper-cased.
 */
export function comparable(person: PersonBlock): ComparablePerson {
  const name = (value: unknown) => (typeof value === 'string' && normaliseName(value) ? normaliseName(value) : undefined);
  const identifier = (value: unknown, valid: (v: string) => boolean) => {
    if (typeof value !== 'string') return undefined;
    const normalised = normaliseIdentifier(value);
    return valid(normalised) ? normalised : undefined;
  };
  const dateOfBirth = typeof person.dateOfBirth === 'string' && isRealDate(person.dateOfBirth.trim()) ? person.dateOfBirth.trim() : undefined;
  const sex = typeof person.sex === 'string' ? person.sex.trim().toUpperCase() : '';
  const district = typeof person.postcodeDistrict === 'string' ? person.postcodeDistrict.replace(/\s+/g, '').toUpperCase() : '';
  return withoutEmpty({
    givenName: name(person.givenName),
    familyName: name(person.familyName),
    dateOfBirth,
    sex: sex === 'M' || sex === 'F' || sex === 'X' ? sex : undefined,
    postcodeDistrict: district || undefined,
    nhsNumber: identifier(person.nhsNumber, isValidNhsNumber),
    pncId: identifier(person.pncId, (v) => pncIdPattern.test(v)),
    nomisId: identifier(person.nomisId, (v) => nomisIdPattern.test(v)),
    deliusCrn: identifier(person.deliusCrn, (v) => deliusCrnPattern.test(v)),
  });
}

function withoutEmpty(person: Record<string, string | undefined>): ComparablePerson {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(person)) if (value !== undefined) result[key] = value;
  return result as ComparablePerson;
}
