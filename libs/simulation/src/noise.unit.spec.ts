import type { PersonBlock } from '@hub/kernel';
import { nicknames } from './identity/names';
import type { PersonIdentity } from './identity/person-identity';
import { transposedDayMonth } from './noise/record-noise';
import type { NoiseOptions } from './simulation-options';
import { createContext } from './simulation-context';
import { PersonTimeline } from './stream/person-timeline';
import { dataOf, optionsFor, run, subjectKey } from './test-support/fixtures';

const base = optionsFor({ people: 2000, seed: 'noise' });
const clean = run(base);

/** Each agency record of a person (source, subject): its block without noise and with. */
function blockPairs(noise: NoiseOptions): { key: string; clean: PersonBlock; noisy: PersonBlock; kind: string }[] {
  const noisy = run({ ...base, noise });
  expect(noisy.events.map((event) => event.id)).toEqual(clean.events.map((event) => event.id));
  const pairs = new Map<string, { key: string; clean: PersonBlock; noisy: PersonBlock; kind: string }>();
  clean.events.forEach((event, i) => {
    const key = subjectKey(event);
    if (!pairs.has(key)) pairs.set(key, { key, clean: dataOf(event)['person'], noisy: dataOf(noisy.events[i]!)['person'], kind: event.type.split('.')[0]! });
  });
  return [...pairs.values()];
}

const rateOf = (hits: number, eligible: number) => hits / eligible;

describe('noise on the agencies\' person blocks, each at its rate', () => {
  it('nameTypo: one insert, delete, substitute or transpose in one name', () => {
    const pairs = blockPairs({ nameTypo: 0.2 }).filter((p) => p.clean.givenName && p.clean.familyName);
    const edits = pairs.map((p) => [p.clean.givenName !== p.noisy.givenName, p.clean.familyName !== p.noisy.familyName]);
    expect(edits.filter(([given, family]) => given && family)).toEqual([]);
    const changed = pairs.filter((p) => p.clean.givenName !== p.noisy.givenName || p.clean.familyName !== p.noisy.familyName);
    expect(rateOf(changed.length, pairs.length)).toBeGreaterThan(0.15);
    expect(rateOf(changed.length, pairs.length)).toBeLessThan(0.25);
    const operations = new Set(changed.map((p) => p.clean.givenName !== p.noisy.givenName
      ? editOperation(p.clean.givenName!, p.noisy.givenName!) : editOperation(p.clean.familyName!, p.noisy.familyName!)));
    expect(operations).toEqual(new Set(['insert', 'delete', 'substitute', 'transpose']));
  });

  it('nickname: Robert recorded as Bob, where the name has a nickname', () => {
    const pairs = blockPairs({ nickname: 0.3 }).filter((p) => p.clean.givenName && nicknames[p.clean.givenName]);
    const changed = pairs.filter((p) => p.noisy.givenName !== p.clean.givenName);
    expect(changed.filter((p) => !nicknames[p.clean.givenName!]!.includes(p.noisy.givenName!))).toEqual([]);
    expect(rateOf(changed.length, pairs.length)).toBeGreaterThan(0.25);
    expect(rateOf(changed.length, pairs.length)).toBeLessThan(0.35);
  });

  it('dobTransposed: day and month swapped, where that is another real date', () => {
    const pairs = blockPairs({ dobTransposed: 0.2 }).filter((p) => p.clean.dateOfBirth && transposedDayMonth(p.clean.dateOfBirth));
    const changed = pairs.filter((p) => p.noisy.dateOfBirth !== p.clean.dateOfBirth);
    expect(changed.filter((p) => p.noisy.dateOfBirth !== transposedDayMonth(p.clean.dateOfBirth!))).toEqual([]);
    expect(rateOf(changed.length, pairs.length)).toBeGreaterThan(0.15);
    expect(rateOf(changed.length, pairs.length)).toBeLessThan(0.25);
  });

  it('dobDigitOff: one digit of the date of birth off by one, still a real date', () => {
    const pairs = blockPairs({ dobDigitOff: 0.2 }).filter((p) => p.clean.dateOfBirth);
    const changed = pairs.filter((p) => p.noisy.dateOfBirth !== p.clean.dateOfBirth);
    const digitsOff = (a: string, b: string) => [...a].filter((c, i) => c !== b[i]).length === 1
      && [...a].every((c, i) => c === b[i] || Math.abs(Number(c) - Number(b[i])) === 1);
    expect(changed.filter((p) => !digitsOff(p.clean.dateOfBirth!, p.noisy.dateOfBirth!))).toEqual([]);
    expect(rateOf(changed.length, pairs.length)).toBeGreaterThan(0.15);
    expect(rateOf(changed.length, pairs.length)).toBeLessThan(0.25);
  });

  it('missingIdentifier: identifiers dropped, never the agency\'s own', () => {
    const own: Record<string, keyof PersonBlock> = { prison: 'nomisId', probation: 'deliusCrn', police: 'pncId', nhs: 'nhsNumber' };
    const identifiers = ['nhsNumber', 'pncId', 'nomisId', 'deliusCrn'] as const;
    let eligible = 0;
    let dropped = 0;
    const altered: string[] = [];
    for (const pair of blockPairs({ missingIdentifier: 0.3 })) {
      for (const id of identifiers) {
        if (!pair.clean[id]) continue;
        const isOwn = id === own[pair.kind];
        if (!isOwn) eligible++;
        if (!isOwn && !pair.noisy[id]) dropped++;
        else if (pair.noisy[id] !== pair.clean[id]) altered.push(`${pair.key} ${id}`);
      }
    }
    expect(altered).toEqual([]);
    expect(eligible).toBeGreaterThan(1000);
    expect(rateOf(dropped, eligible)).toBeGreaterThan(0.25);
    expect(rateOf(dropped, eligible)).toBeLessThan(0.35);
  });
});

describe('noise in the population', () => {
  const identities = (noise: NoiseOptions) => {
    const options = { ...base, noise };
    const context = createContext(options);
    return Array.from({ length: options.people }, (_, i) => new PersonTimeline(context, i).identity);
  };

  it('twins: same surname and date of birth, different given names and identifiers, different people in the ground truth', () => {
    const people = identities({ twins: 0.2 });
    const twins = people.filter((person) => person.twinIndex !== undefined);
    expect(rateOf(twins.length, people.length)).toBeGreaterThan(0.15);
    expect(rateOf(twins.length, people.length)).toBeLessThan(0.25);
    const unlike = twins.filter((twin) => {
      const other = people[twin.twinIndex!]!;
      return other.twinIndex !== twin.index || other.familyName !== twin.familyName || other.dateOfBirth !== twin.dateOfBirth
        || other.givenName === twin.givenName || other.nhsNumber === twin.nhsNumber || other.nomisId === twin.nomisId
        || other.deliusCrn === twin.deliusCrn || (other.pncId !== undefined && other.pncId === twin.pncId);
    });
    expect(unlike).toEqual([]);
    const noisy = run({ ...base, noise: { twins: 0.2 } });
    const nhsPersons = new Map([...noisy.personOf].filter(([key]) => key.startsWith('agency:nhs-')).map(([key, person]) => [key.split('|')[1], person]));
    const pair = twins.find((twin) => nhsPersons.has(twin.nhsNumber) && nhsPersons.has(people[twin.twinIndex!]!.nhsNumber));
    expect(nhsPersons.get(pair!.nhsNumber)).not.toBe(nhsPersons.get(people[pair!.twinIndex!]!.nhsNumber));
  });

  it('commonNames: a share of people named from a skewed table where Smith leads', () => {
    const people = identities({ commonNames: 0.5 });
    const counts = new Map<string, number>();
    for (const person of people) counts.set(person.familyName, (counts.get(person.familyName) ?? 0) + 1);
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    expect(ranked[0]![0]).toBe('Smith');
    expect(rateOf(ranked[0]![1], people.length)).toBeGreaterThan(0.05);
    const common = ['Smith', 'Jones', 'Williams', 'Taylor', 'Brown', 'Davies', 'Evans', 'Wilson', 'Thomas', 'Johnson'];
    expect(people.filter((p) => common.includes(p.familyName)).length).toBeGreaterThan(400);
  });

  it('without commonNames, no two people share given name and family name', () => {
    const people = identities({});
    expect(new Set(people.map((p) => `${p.givenName} ${p.familyName}`)).size).toBe(people.length);
  });
});

describe('ground truth', () => {
  const checkConsistent = (simulated: ReturnType<typeof run>) => {
    const ownerOf = new Map<string, string>();
    const problems: string[] = [];
    for (const event of simulated.events) {
      const person = simulated.personOf.get(subjectKey(event));
      if (!person) problems.push(`no ground truth for ${subjectKey(event)}`);
      const block = dataOf(event)['person'] as PersonBlock;
      for (const id of ['nhsNumber', 'pncId', 'nomisId', 'deliusCrn'] as const) {
        const value = block[id];
        if (!value || !person) continue;
        const owner = ownerOf.get(`${id}:${value}`) ?? person;
        if (owner !== person) problems.push(`${id} ${value} is on records of ${owner} and ${person}`);
        ownerOf.set(`${id}:${value}`, owner);
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
    const subjects = [...simulated.personOf.keys()];
    expect(new Set(subjects).size).toBe(subjects.length);
  };

  it('maps each subject to one person, and each identifier to its person alone (clean)', () => {
    checkConsistent(clean);
  });

  it('stays consistent with every kind of noise on', () => {
    checkConsistent(run({
      ...base,
      noise: { nameTypo: 0.2, nickname: 0.2, dobTransposed: 0.1, dobDigitOff: 0.1, missingIdentifier: 0.3, twins: 0.1, commonNames: 0.3 },
    }));
  });

  it('names the true person: a prison subject\'s ground truth is the person holding that NOMIS number', () => {
    const context = createContext(base);
    const byPerson = new Map<string, PersonIdentity>();
    for (let i = 0; i < 200; i++) {
      const { identity } = new PersonTimeline(context, i);
      byPerson.set(identity.personId, identity);
    }
    const prisonSubjects = [...clean.personOf].filter(([key, person]) => key.startsWith('agency:prison-') && byPerson.has(person));
    expect(prisonSubjects.length).toBeGreaterThan(50);
    for (const [key, person] of prisonSubjects) expect(key.split('|')[1]).toBe(byPerson.get(person)!.nomisId);
  });
});

/** The one edit that turns `from` into `to`. */
function editOperation(from: string, to: string): string {
  if (to.length === from.length + 1) return 'insert';
  if (to.length === from.length - 1) return 'delete';
  const differing = [...from].map((c, i) => (c === to[i] ? -1 : i)).filter((i) => i >= 0);
  if (differing.length === 1) return 'substitute';
  if (differing.length === 2 && differing[1] === differing[0]! + 1 && from[differing[0]!] === to[differing[1]!]) return 'transpose';
  return `unexpected ${from} -> ${to}`;
}
