import fc from 'fast-check';
import { addDays, ageInCompletedYears, type LocalDate } from '@hub/kernel';
import { arrivalOrder, world, type World, type WorldRecord } from '../../../test/support/continuity-world';
import { type ContinuityFact, currentVersions, type FactVersion, judgeReleases, type RetractionMark } from './continuity-facts';
import { countReleases, reportRows } from './continuity-report';

/**
 * SPEC section 5 at the level of the pure functions the projection and the as-of reports share:
 * the report of a world does not depend on the order its records arrive in, and a report as of
 * the instant between two batches is the report of the first batch alone. Many runs, no database;
 * `apps/hub/test/continuity-properties.int.spec.ts` checks the same on PostgreSQL.
 */
const firstDay = '2025-01-06';
const today = addDays(firstDay, 30);
const localAuthorities = ['E06000901', 'E06000902', 'E06000903'];

type Arrival =
  | { readonly kind: 'version'; readonly version: Omit<FactVersion, 'position' | 'recordedAt'> }
  | { readonly kind: 'retraction'; readonly targetKey: string }
  | { readonly kind: 'link'; readonly streamId: string; readonly personRef: string };

/** Every version, retraction and link of the world, in a canonical order. */
function arrivalsOf(w: World): Arrival[] {
  const arrivals: Arrival[] = [];
  w.people.forEach((person, p) => {
    const streams = { prison: `prison:${p}`, treatment: `treatment:${p}`, police: `police:${p}` };
    const birthDate = person.age === 'near-18' ? eighteenYearsBefore(addDays(firstDay, 10)) : '1985-05-05';
    let n = 0;
    const add = (record: WorldRecord, provider: string, streamId: string, fact: (on: LocalDate) => ContinuityFact) => {
      const key = `${provider}|R-${p}-${++n}`;
      const on = addDays(firstDay, record.day);
      arrivals.push({ kind: 'version', version: { key, streamId, provider, time: `${on}T09:00:00.000Z`, fact: fact(on) } });
      if (record.correction) {
        const corrected = addDays(firstDay, record.correction.day);
        const time = record.correction.later ? `${addDays(on, 3)}T10:00:00.000Z` : `${addDays(on, -1)}T08:00:00.000Z`;
        arrivals.push({ kind: 'version', version: { key, streamId, provider, time, fact: fact(corrected) } });
      }
      if (record.retracted) arrivals.push({ kind: 'retraction', targetKey: key });
    };
    for (const r of person.releases) {
      add(r, 'prison', streams.prison, (releasedOn) => ({
        kind: 'release', releasedOn, prisonId: 'NGI', releaseType: r.releaseType, destinationLocalAuthority: localAuthorities[r.localAuthority]!,
        treatmentNeed: r.treatmentNeed, substanceGroup: 'opiate', referral: r.referral ? { providerId: 'NRP', referredOn: releasedOn } : null,
        naloxoneIssued: true, ageOnRelease: person.age === 'unknown' ? null : ageInCompletedYears(birthDate, releasedOn),
      }));
    }
    for (const s of person.starts) {
      add(s, 'treatment', streams.treatment, (startedOn) => ({
        kind: 'treatment-started', startedOn, providerId: 'NRP', localAuthority: 'E06000901', setting: s.setting, substanceGroup: 'opiate',
      }));
    }
    for (const r of person.receptions) add(r, 'prison', streams.prison, (receivedOn) => ({ kind: 'reception', receivedOn, prisonId: 'NGI', reason: 'recall' }));
    for (const d of person.deaths) {
      if (d.via === 'report') add(d, 'police', streams.police, (diedOn) => ({ kind: 'death-report', diedOn, localAuthority: 'E06000901', suspectedSubstances: ['heroin'] }));
      else add(d, 'treatment', streams.treatment, (dischargedOn) => ({ kind: 'treatment-discharged', dischargedOn, providerId: 'NRP', reason: 'died' }));
    }
    for (const [subject, linked] of Object.entries(person.linked)) {
      if (linked) arrivals.push({ kind: 'link', streamId: streams[subject as keyof typeof streams], personRef: `person-${p}` });
    }
  });
  return arrivals;
}

function eighteenYearsBefore(date: LocalDate): LocalDate {
  return `${Number(date.slice(0, 4)) - 18}${date.slice(4)}`;
}

const arrivedAt = (index: number) => new Date(Date.UTC(2025, 5, 1) + index * 1000).toISOString();

/** The report, grouped by month and local authority, of the arrivals in the order given, as the hub knew it at `asOf`. */
function reportOf(arrivals: readonly Arrival[], asOf?: string) {
  const versions: FactVersion[] = [];
  const retractions: RetractionMark[] = [];
  const personOf = new Map<string, string>();
  arrivals.forEach((arrival, i) => {
    const recordedAt = arrivedAt(i);
    if (asOf !== undefined && recordedAt > asOf && arrival.kind === 'link') return;
    if (arrival.kind === 'version') versions.push({ ...arrival.version, position: i + 1, recordedAt });
    else if (arrival.kind === 'retraction') retractions.push({ targetKey: arrival.targetKey, position: i + 1, recordedAt });
    else personOf.set(arrival.streamId, arrival.personRef);
  });
  const judged = judgeReleases(currentVersions(versions, retractions, asOf), (stream) => personOf.get(stream));
  return reportRows(countReleases(judged, ['month', 'localAuthority'], today), ['month', 'localAuthority'], 'none');
}

const worldWithOrder = world.chain((w) => {
  const arrivals = arrivalsOf(w);
  return arrivalOrder(arrivals.length).map(({ order, split }) => ({ arrivals, permuted: order.map((i) => arrivals[i]!), split }));
});

describe('continuity of care, properties of the pure rules over random worlds', () => {
  it('gives the same report whatever the order the same records, corrections, retractions and links arrive in', () => {
    fc.assert(fc.property(worldWithOrder, ({ arrivals, permuted }) => {
      expect(reportOf(permuted)).toEqual(reportOf(arrivals));
    }), { numRuns: 500 });
  });

  it('reports, as of the instant between two batches, what the first batch alone gives', () => {
    fc.assert(fc.property(worldWithOrder, ({ permuted, split }) => {
      const between = split === 0 ? new Date(Date.parse(arrivedAt(0)) - 500).toISOString() : new Date(Date.parse(arrivedAt(split - 1)) + 500).toISOString();
      expect(reportOf(permuted, between)).toEqual(reportOf(permuted.slice(0, split)));
    }), { numRuns: 500 });
  });

  it('generates worlds in which every status occurs', () => {
    const statuses = new Set<string>();
    fc.assert(fc.property(worldWithOrder, ({ arrivals }) => {
      for (const row of reportOf(arrivals)) {
        for (const field of ['engaged', 'notEngaged', 'pending', 'excluded'] as const) if ((row[field] ?? 0) > 0) statuses.add(field);
      }
    }), { numRuns: 200, seed: 42 });
    expect([...statuses].sort()).toEqual(['engaged', 'excluded', 'notEngaged', 'pending']);
  });
});
