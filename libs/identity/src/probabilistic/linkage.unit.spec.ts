import { blockingKeysOf } from './blocking';
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
