import { blockingKeysOf, keysWithinCap, maximumBlockSize } from './blocking';
import { comparable } from './comparisons';
import { defaultModel } from './default-model';
import { candidatePairs, type LinkageRecord, linkRecords, termFrequenciesOf } from './linkage';

const record = (id: string, person: Parameters<typeof comparable>[0]): LinkageRecord => ({ id, person: comparable(person) });

describe('blocking', () => {
  it('Given a person block, Then its keys are Soundex of the family name with the year, date of birth with the initial, and the identifiers', () => {
    expect(blockingKeysOf(comparable({ givenName: 'Jo', familyName: 'Bloggs', dateOfBirth: '1988-04-12', nhsNumber: '9434765919' })).map((k) => k.value)).toEqual([
      'soundex-family-year|B420|1988', 'dob-initial|1988-04-12|j', 'given-soundex-family-initial-dob-month-day|J000|b|04|12', 'nhs-number|9434765919',
    ]);
  });

  it('Given records of different people, Then only pairs sharing a key are compared', () => {
    const records = [
      record('a', { givenName: 'Jo', familyName: 'Bloggs', dateOfBirth: '1988-04-12' }),
      record('b', { givenName: 'Jo', familyName: 'Blogs', dateOfBirth: '1988-12-04' }),
      record('c', { givenName: 'Sam', familyName: 'Rivers', dateOfBirth: '1970-01-30' }),
      record('d', { givenName: 'Ann', familyName: 'Oakes', dateOfBirth: '1991-07-02' }),
    ];
    expect(candidatePairs(records)).toEqual([[0, 1]]);
  });

  it('Given a person block, Then each name rule carries tighter keys that refine it', () => {
    const [family, dob, given] = blockingKeysOf(comparable({ givenName: 'Jo', familyName: 'Bloggs', dateOfBirth: '1988-04-12' }));
    expect(family!.tighter!.map((k) => k.value)).toEqual(['soundex-family-year-month|B420|1988|04', 'soundex-family-year-day|B420|1988|12']);
    expect(dob!.tighter!.map((k) => k.value)).toEqual(['dob-initials|1988-04-12|j|b']);
    expect(given!.tighter!.map((k) => k.value)).toEqual(['given-soundex-family-soundex-dob-month-day|J000|B420|04|12']);
  });
});

describe('capping oversized blocks', () => {
  const keys = blockingKeysOf(comparable({ givenName: 'John', familyName: 'Smith', dateOfBirth: '1985-03-14', nhsNumber: '9434765919' }));
  const sized = (sizes: Record<string, number>) => (k: { value: string }) => sizes[k.value.split('|')[0]!] ?? 1;

  it('Given every block within the cap, When choosing keys, Then the rules\' own keys are used', () => {
    expect(keysWithinCap(keys, sized({ 'soundex-family-year': maximumBlockSize }))).toEqual(keys);
  });

  it('Given the Soundex-and-year block of a common name over the cap, When choosing keys, Then its tighter month and day keys replace it', () => {
    const chosen = keysWithinCap(keys, sized({ 'soundex-family-year': 400, 'soundex-family-year-month': 35, 'soundex-family-year-day': 14 }));
    expect(chosen.map((k) => k.rule)).toEqual([
      'soundex-family-year-month', 'soundex-family-year-day', 'dob-initial', 'given-soundex-family-initial-dob-month-day', 'nhs-number',
    ]);
  });

  it('Given a tighter block still over the cap, When choosing keys, Then it is left out and the other rules and the identifier remain', () => {
    const chosen = keysWithinCap(keys, sized({ 'dob-initial': 300, 'dob-initials': 120 }));
    expect(chosen.map((k) => k.rule)).toEqual(['soundex-family-year', 'given-soundex-family-initial-dob-month-day', 'nhs-number']);
  });

  it('Given an identifier shared by more records than the cap, When choosing keys, Then it is never capped', () => {
    expect(keysWithinCap(keys, () => 1000).map((k) => k.rule)).toEqual(['nhs-number']);
  });

  it('Given a population where one Soundex-and-year block exceeds the cap, When pairing, Then only records also sharing the month or the day are compared there', () => {
    const smiths = Array.from({ length: 4 }, (_, i) => record(`s${i}`, { givenName: ['Al', 'Bo', 'Cy', 'Di'][i], familyName: 'Smith', dateOfBirth: ['1985-03-14', '1985-03-20', '1985-07-14', '1985-11-02'][i] }));
    const sorted = (pairs: [number, number][]) => pairs.map(([i, j]) => `${i}-${j}`).sort();
    expect(sorted(candidatePairs(smiths))).toEqual(['0-1', '0-2', '0-3', '1-2', '1-3', '2-3']);
    expect(sorted(candidatePairs(smiths, undefined, 3))).toEqual(['0-1', '0-2']);
  });
});

describe('linking a population in memory (default model)', () => {
  const records = [
    record('prison:1', { givenName: 'Jo', familyName: 'Bloggs', dateOfBirth: '1988-04-12', sex: 'F', nomisId: 'A1234BC' }),
    // A typo in the family name and day and month swapped: linked.
    record('treatment:1', { givenName: 'Jo', familyName: 'Blogs', dateOfBirth: '1988-12-04', sex: 'F', nhsNumber: '9434765919' }),
    // Her twin: same surname and date of birth, another given name and NHS number: apart.
    record('nhs:2', { givenName: 'Meg', familyName: 'Bloggs', dateOfBirth: '1988-04-12', sex: 'F', nhsNumber: '9434765870' }),
    // One digit off in the date of birth, nothing else to go on: for a reviewer.
    record('police:3', { givenName: 'Jo', familyName: 'Bloggs', dateOfBirth: '1988-04-13', sex: 'F' }),
  ];
  const result = linkRecords(records, defaultModel, { termFrequency: termFrequenciesOf([]) });

  it('Given a typo and a transposed date, Then one person; given a twin, Then apart', () => {
    expect(result.clusterOf.get('treatment:1')).toBe(result.clusterOf.get('prison:1'));
    expect(result.clusterOf.get('nhs:2')).not.toBe(result.clusterOf.get('prison:1'));
    expect(result.links.map((l) => [l.a, l.b])).toEqual([['prison:1', 'treatment:1']]);
  });

  it('Given a date of birth one digit off, Then the pair goes to review once per pair of persons, with its levels and weights', () => {
    expect(result.reviews).toHaveLength(1);
    const [review] = result.reviews;
    expect([review!.a, review!.b]).toContain('police:3');
    expect(review!.scored.comparisons.find((c) => c.comparison === 'dateOfBirth')).toMatchObject({ level: 'one-digit-off' });
    expect(review!.scored.matchWeight).toBeGreaterThanOrEqual(3);
    expect(review!.scored.matchWeight).toBeLessThan(6);
  });
});
