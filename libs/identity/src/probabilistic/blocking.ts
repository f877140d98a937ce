import type { ComparablePerson } from './comparisons';
import { soundex } from './string-similarity';

/**
 * Blocking rules of the probabilistic model (pure): only pairs sharing a key are compared, so
 * comparisons stay far below all pairs. Each key is a clear value that the hub turns into a blind
 * index before storing it (never stored in clear); the identifier rules' keys are the exact rules'.
 * - `soundex-family-year`: Soundex of the family name and year of birth (catches typos, swapped day and month, a digit off in the day or month);
 * - `dob-initial`: date of birth and the given name's initial (catches family name typos and nicknames with the same initial);
 * - `given-soundex-family-initial-dob-month-day`: Soundex of the given name, family initial, and day and month of birth in either order (catches a digit off in the year).
 *
 * **Cap.** A block of a common name (Soundex S530, Smith and Smyth, born in 1985: about 400 records
 * in 100,000 people) would make every new record of it compare against hundreds. So each rule's key
 * comes with tighter keys that refine it (a record sharing a tighter key always shares the rule's
 * key too), and a block holding more than `maximumBlockSize` records is replaced by its tighter
 * blocks (`keysWithinCap`); a tighter block still over the cap is left out, the other rules and the
 * identifiers still block its pairs. The decision depends only on the block's size, which is the
 * same for every record in it, so both sides of a pair take the same keys.
 * - `soundex-family-year` -> `soundex-family-year-month` and `soundex-family-year-day` (a digit off
 *   or a typo in the day leaves the month, and in the month leaves the day; swapped day and month
 *   are the third rule's);
 * - `dob-initial` -> `dob-initials` (the family name's initial too: typos keep the first letter);
 * - `given-soundex-family-initial-dob-month-day` -> `given-soundex-family-soundex-dob-month-day`.
 */
export type BlockingRuleName =
  | 'soundex-family-year' | 'dob-initial' | 'given-soundex-family-initial-dob-month-day' | 'nhs-number' | 'pnc-id' | 'nomis-number' | 'crn';

/** The tighter keys that replace an oversized block (see `BlockingRuleName`). */
export type TighterBlockingRuleName = 'soundex-family-year-month' | 'soundex-family-year-day' | 'dob-initials' | 'given-soundex-family-soundex-dob-month-day';

/** Records in one block above which its tighter keys are used instead (see the cap above). */
export const maximumBlockSize = 50;

export interface ProbabilisticBlockingKey {
  readonly rule: BlockingRuleName | TighterBlockingRuleName;
  /** The clear value to blind (`rule|...`): never stored as is. */
  readonly value: string;
  /** Keys refining this one, used instead when its block holds more than the cap. */
  readonly tighter?: readonly ProbabilisticBlockingKey[];
}

const key = (rule: ProbabilisticBlockingKey['rule'], parts: readonly string[], tighter?: ProbabilisticBlockingKey[]): ProbabilisticBlockingKey =>
  ({ rule, value: [rule, ...parts].join('|'), ...(tighter ? { tighter } : {}) });

/** The keys of each rule a record has the values for, each with its tighter keys. */
export function blockingKeysOf(person: ComparablePerson): ProbabilisticBlockingKey[] {
  const keys: ProbabilisticBlockingKey[] = [];
  const { givenName, familyName, dateOfBirth } = person;
  if (familyName && dateOfBirth) {
    const [year, month, day] = [dateOfBirth.slice(0, 4), dateOfBirth.slice(5, 7), dateOfBirth.slice(8, 10)];
    const family = soundex(familyName);
    keys.push(key('soundex-family-year', [family, year], [key('soundex-family-year-month', [family, year, month]), key('soundex-family-year-day', [family, year, day])]));
  }
  if (givenName && dateOfBirth) {
    keys.push(key('dob-initial', [dateOfBirth, givenName[0]!], familyName ? [key('dob-initials', [dateOfBirth, givenName[0]!, familyName[0]!])] : []));
  }
  if (givenName && familyName && dateOfBirth) {
    const [month, day] = [dateOfBirth.slice(5, 7), dateOfBirth.slice(8, 10)].sort() as [string, string];
    keys.push(key('given-soundex-family-initial-dob-month-day', [soundex(givenName), familyName[0]!, month, day],
      [key('given-soundex-family-soundex-dob-month-day', [soundex(givenName), soundex(familyName), month, day])]));
  }
  if (person.nhsNumber) keys.push(key('nhs-number', [person.nhsNumber]));
  if (person.pncId) keys.push(key('pnc-id', [person.pncId]));
  if (person.nomisId) keys.push(key('nomis-number', [person.nomisId]));
  if (person.deliusCrn) keys.push(key('crn', [person.deliusCrn]));
  return keys;
}

/**
 * The keys a record is compared through: each of its keys whose block holds at most `cap` records,
 * and for a block over the cap, those of its tighter keys within the cap (`blockSize` counts the
 * records holding a key, the record itself included). Keys without tighter ones (the identifiers)
 * are never capped.
 */
export function keysWithinCap<K extends { readonly tighter?: readonly K[] }>(keys: readonly K[], blockSize: (key: K) => number, cap = maximumBlockSize): K[] {
  return keys.flatMap((k) => (!k.tighter || blockSize(k) <= cap ? [k] : k.tighter.filter((t) => blockSize(t) <= cap)));
}
