import type { ComparablePerson } from './comparisons';
import { soundex } from './string-similarity';

/**
 * Blocking rules of the probabilistic model (pure): only pairs sharing a key are compared, so
 * comparisons stay far below all pairs. Each key is a clear value that the hub turns into a blind
 * index before storing it (never stored in clear); the identifier rules' keys are the exact rules'.
 * - `soundex-family-year`: Soundex of the family name and year of birth (catches typos, swapped day and month, a digit off in the day or month);
 * - `dob-initial`: date of birth and the given name's initial (catches family name typos and nicknames with the same initial);
 * - `given-soundex-family-initial-dob-month-day`: Soundex of the given name, family initial, and day and month of birth in either order (catches a digit off in the year).
 */
export type BlockingRuleName = 'soundex-family-year' | 'dob-initial' | 'given-soundex-family-initial-dob-month-day' | 'nhs-number' | 'pnc-id' | 'nomis-number' | 'crn';

export interface ProbabilisticBlockingKey {
  readonly rule: BlockingRuleName;
  /** The clear value to blind (`rule|...`): never stored as is. */
  readonly value: string;
}

export function blockingKeysOf(person: ComparablePerson): ProbabilisticBlockingKey[] {
  const keys: ProbabilisticBlockingKey[] = [];
  const { givenName, familyName, dateOfBirth } = person;
  if (familyName && dateOfBirth) keys.push({ rule: 'soundex-family-year', value: `soundex-family-year|${soundex(familyName)}|${dateOfBirth.slice(0, 4)}` });
  if (givenName && dateOfBirth) keys.push({ rule: 'dob-initial', value: `dob-initial|${dateOfBirth}|${givenName[0]}` });
  if (givenName && familyName && dateOfBirth) {
    const [month, day] = [dateOfBirth.slice(5, 7), dateOfBirth.slice(8, 10)].sort();
    keys.push({ rule: 'given-soundex-family-initial-dob-month-day', value: `given-soundex-family-initial-dob-month-day|${soundex(givenName)}|${familyName[0]}|${month}|${day}` });
  }
  if (person.nhsNumber) keys.push({ rule: 'nhs-number', value: `nhs-number|${person.nhsNumber}` });
  if (person.pncId) keys.push({ rule: 'pnc-id', value: `pnc-id|${person.pncId}` });
  if (person.nomisId) keys.push({ rule: 'nomis-number', value: `nomis-number|${person.nomisId}` });
  if (person.deliusCrn) keys.push({ rule: 'crn', value: `crn|${person.deliusCrn}` });
  return keys;
}
