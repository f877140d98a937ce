import { personIdOf } from './identity/person-identity';
import { simulate, simulateWithTruth, toNdjsonLine } from './index';
import { createContext } from './simulation-context';
import { PersonTimeline } from './stream/person-timeline';
import { optionsFor, subjectKey } from './test-support/fixtures';

const small = optionsFor({ people: 300, months: 6 });

function ndjson(options = small): string {
  let text = '';
  for (const event of simulate(options)) text += toNdjsonLine(event);
  return text;
}

describe('simulate', () => {
  it('gives byte-identical NDJSON for the same options', () => {
    expect(ndjson()).toEqual(ndjson());
  });

  it('gives the same events on a second pass over the same iterable', () => {
    const events = simulate(small);
    expect([...events].map(toNdjsonLine)).toEqual([...events].map(toNdjsonLine));
  });

  it('gives different events for a different seed', () => {
    const first = [...simulate(small)];
    const second = [...simulate({ ...small, seed: 'another seed' })];
    expect(second.map((event) => event.id)).not.toEqual(first.map((event) => event.id));
    expect(new Set(second.map((event) => event.id)).size).toBe(second.length);
  });

  it('gives each person the story they have when simulated alone (only the population size, which sizes clusters, is shared)', () => {
    const { events, groundTruth } = simulateWithTruth(small);
    const personOf = new Map([...groundTruth()].map((entry) => [subjectKey(entry), entry.personId]));
    const merged = [...events].filter((event) => personOf.get(subjectKey(event)) === personIdOf(7)).map(toNdjsonLine);
    const alone = new PersonTimeline(createContext(small), 7);
    const own: string[] = [];
    for (let record = alone.next(); record; record = alone.next()) own.push(toNdjsonLine(alone.toEvent(record)));
    expect(own.length).toBeGreaterThan(0);
    expect(merged).toEqual(own);
  });

  it('yields events in non-decreasing time order, all inside the window', () => {
    const times = [...simulate(small)].map((event) => Date.parse(event.time));
    const outOfOrder = times.filter((time, i) => i > 0 && time < times[i - 1]!);
    expect(outOfOrder).toEqual([]);
    expect(times[0]).toBeGreaterThanOrEqual(Date.parse('2025-01-01T00:00:00Z'));
    expect(times.at(-1)).toBeLessThan(Date.parse('2025-07-01T00:00:00Z'));
  });

  it('gives every event a unique id', () => {
    const events = [...simulate(optionsFor({ people: 1000 }))];
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
  });

  it('treats a numeric seed like its string', () => {
    expect(ndjson({ ...small, seed: 42 })).toEqual(ndjson({ ...small, seed: '42' }));
  });

  it('uses only the agencies the area has', () => {
    const area = { ...small.area, agencies: small.area.agencies.filter((agency) => !['police', 'coroner', 'nhs'].includes(agency.kind)) };
    const events = [...simulate({ ...small, area })];
    expect(events.length).toBeGreaterThan(300);
    expect(new Set(events.map((event) => event.type.split('.')[0]))).toEqual(new Set(['prison', 'probation', 'treatment']));
    const bare = { ...small.area, agencies: [] };
    expect([...simulate({ ...small, area: bare })]).toEqual([]);
  });

  it('yields nothing for no people', () => {
    expect([...simulate({ ...small, people: 0 })]).toEqual([]);
  });

  it('refuses options it cannot honour, naming the field', () => {
    expect(() => simulate({ ...small, people: -1 })).toThrow(/people/);
    expect(() => simulate({ ...small, months: 0 })).toThrow(/months/);
    expect(() => simulate({ ...small, from: '2025-02-30' })).toThrow(/from/);
    expect(() => simulate({ ...small, noise: { nameTypo: 1.5 } })).toThrow(/noise.nameTypo/);
    expect(() => simulate({ ...small, area: { ...small.area, area: { ...small.area.area, localAuthorities: [] } } })).toThrow(/localAuthorities/);
  });
});

describe('simulateWithTruth', () => {
  it('gives the same events as simulate, and a ground truth entry for every subject used', () => {
    const { events, groundTruth } = simulateWithTruth(small);
    const list = [...events];
    expect(list.map(toNdjsonLine)).toEqual([...simulate(small)].map(toNdjsonLine));
    const truth = [...groundTruth()];
    const keys = new Set(truth.map(subjectKey));
    expect(keys.size).toBe(truth.length);
    expect(new Set(list.map(subjectKey))).toEqual(keys);
  });
});

describe('toNdjsonLine', () => {
  it('writes one JSON line, newline included, that parses back to the event', () => {
    const [event] = simulate(small);
    const line = toNdjsonLine(event!);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line)).toEqual(event);
  });
});
