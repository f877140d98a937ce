import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { ContinuityQueries, continuityProjectionName, type ReportRequest, StoreLinkedBirthDates } from '@hub/continuity';
import { addDays, type AreaConfig, type CloudEvent, type LocalDate } from '@hub/kernel';
import { activeSchemaOf } from '@hub/projections';
import { sharedDir, waitFor } from '@hub/testing';
import { agencies, CdpEvents, localAuthorities, testPerson } from '../../../test/support/cdp-events';
import { arrivalOrder, world, type World, type WorldRecord, worldLastDay } from '../../../test/support/continuity-world';
import { ProjectionEngine } from '../src/runtime/projection-engine';
import { openTestHub, type TestHub } from './support/test-hub';

/**
 * SPEC section 5 on the real projection and PostgreSQL, over random worlds
 * (`test/support/continuity-world.ts`): the same CloudEvents and identity links ingested in two
 * orders give the same final report and release statuses, and a report as of the instant between
 * two batches, asked after the second has arrived, is the report the first batch alone gave.
 * Each run places its world on its own dates with its own people, so runs share two hubs. The
 * world decides who is who: its links are appended as `hub.identity.subject-assigned.v1` events and
 * the identity processor is left out (its own properties are its tests').
 * `CONTINUITY_PROPERTY_RUNS` sets the number of worlds (20 by default, about 50 s).
 */
const area = JSON.parse(readFileSync(resolve(sharedDir, 'scenarios', 'area.json'), 'utf8')) as AreaConfig;
const las = [localAuthorities.north, localAuthorities.west, localAuthorities.corbury];

type Arrival =
  | { readonly kind: 'event'; readonly event: CloudEvent }
  | { readonly kind: 'link'; readonly personRef: string; readonly subject: { agencyId: string; subject: string } };

/** The world's CloudEvents (every version, correction and retraction) and identity links, for run `run` placed from `firstDay`. */
function arrivalsOf(w: World, run: number, firstDay: LocalDate): Arrival[] {
  const e = new CdpEvents(`continuity-properties-${run}`);
  const arrivals: Arrival[] = [];
  w.people.forEach((person, p) => {
    const near18 = eighteenYearsBefore(addDays(firstDay, 10));
    // An unknown age on the releases: the other records say 18 on day 10, which counts once they are linked.
    const who = testPerson(1000 + run * 5 + p, `Prop${run}x${p}`, { dateOfBirth: person.age === 'adult' ? '1985-05-05' : near18 });
    let n = 0;
    const add = (record: WorldRecord, make: (on: LocalDate, time?: string) => CloudEvent) => {
      const recordId = `P${run}-${p}-${++n}`;
      const withId = (event: CloudEvent) => ({ ...event, data: { ...(event.data as object), recordId } });
      const on = addDays(firstDay, record.day);
      const original = withId(make(on));
      arrivals.push({ kind: 'event', event: original });
      if (record.correction) {
        const time = record.correction.later ? `${addDays(on, 3)}T10:00:00Z` : `${addDays(on, -1)}T08:00:00Z`;
        arrivals.push({ kind: 'event', event: withId(make(addDays(firstDay, record.correction.day), time)) });
      }
      if (record.retracted) arrivals.push({ kind: 'event', event: e.retraction(original, `${addDays(firstDay, worldLastDay + 5)}T09:00:00Z`) });
    };
    for (const r of person.releases) {
      add(r, (releasedOn, time) => {
        const event = e.release(who, releasedOn, {
          releaseType: r.releaseType, treatmentNeed: r.treatmentNeed, referral: r.referral ? { providerId: 'NRP', referredOn: releasedOn } : null,
          destinationLocalAuthority: las[r.localAuthority]!, ...(time ? { time } : {}),
        });
        if (person.age === 'unknown') delete (event.data as { person: { dateOfBirth?: string } }).person.dateOfBirth;
        return event;
      });
    }
    for (const s of person.starts) add(s, (startedOn, time) => e.treatmentStarted(who, startedOn, { setting: s.setting, ...(time ? { time } : {}) }));
    for (const r of person.receptions) add(r, (receivedOn, time) => retimed(e.reception(who, receivedOn), time));
    for (const d of person.deaths) {
      add(d, (on, time) => (d.via === 'report' ? e.deathReport(who, on, time ? { time } : {}) : retimed(e.treatmentDischarged(who, on, 'died'), time)));
    }
    const subjects = {
      prison: { agencyId: agencies.prison, subject: who.nomisId },
      treatment: { agencyId: agencies.nrp, subject: `NRP-${who.familyName}` },
      police: { agencyId: agencies.police, subject: who.pncId },
    };
    for (const [name, linked] of Object.entries(person.linked)) {
      if (linked) arrivals.push({ kind: 'link', personRef: `person-prop-${run}-${p}`, subject: subjects[name as keyof typeof subjects] });
    }
  });
  return arrivals;
}

function retimed(event: CloudEvent, time: string | undefined): CloudEvent {
  return time ? { ...event, time } : event;
}

function eighteenYearsBefore(date: LocalDate): LocalDate {
  if (date.endsWith('-02-29')) throw new Error(`no 18th birthday on ${date}: choose other dates`);
  return `${Number(date.slice(0, 4)) - 18}${date.slice(4)}`;
}

/** A hub whose projections, all but the identity processor, the test catches up itself. */
interface PropertyHub { readonly t: TestHub; readonly engine: ProjectionEngine }

async function openPropertyHub(): Promise<PropertyHub> {
  const t = await openTestHub({ area });
  return { t, engine: new ProjectionEngine(t.hub, t.engine.projections.filter((p) => p.name !== 'identity'), { idlePollMs: 50, tickIntervalMs: 50 }) };
}

/** Links agency subjects to a person, as the identity processor would: one `hub.identity.subject-assigned.v1` per subject. */
async function appendLinks(t: TestHub, personRef: string, subjects: readonly { agencyId: string; subject: string }[], previousPersonRef?: string): Promise<void> {
  await t.hub.store.append(subjects.map(({ agencyId, subject }) => {
    const subjectStream = t.hub.vault.streamIdFor(agencyId, subject);
    return {
      streamId: `identity-property-${subjectStream}`, expectedVersion: 'any' as const,
      events: [{
        eventId: randomUUID(), type: 'hub.identity.subject-assigned.v1', source: 'hub', subject: null, occurredAt: t.hub.clock.now().toISOString(),
        data: { subjectStream, personRef, previousPersonRef: previousPersonRef ?? null, reason: 'test', evidence: [] },
      }],
    };
  }));
}

/** Ingests consecutive events together and appends each link, in the order given. */
async function deliver(t: TestHub, arrivals: readonly Arrival[]): Promise<void> {
  let events: CloudEvent[] = [];
  const flush = async () => {
    if (events.length === 0) return;
    const outcomes = await t.ingest(events);
    expect(outcomes.map((o) => (o.status === 'accepted' ? o.status : JSON.stringify(o)))).toEqual(events.map(() => 'accepted'));
    events = [];
  };
  for (const arrival of arrivals) {
    if (arrival.kind === 'event') {
      events.push(arrival.event);
      continue;
    }
    await flush();
    await appendLinks(t, arrival.personRef, [arrival.subject]);
  }
  await flush();
}

const worldWithOrders = world.chain((w) => {
  // The number of arrivals does not depend on the dates or the run: count them once on a placeholder.
  const count = arrivalsOf(w, 0, '2019-01-07').length;
  return fc.record({ first: arrivalOrder(count), second: arrivalOrder(count) }).map(({ first, second }) => ({ w, first, second }));
});

describe('continuity of care, properties on PostgreSQL over random worlds', () => {
  let one: PropertyHub;
  let two: PropertyHub;
  let run = 0;

  beforeAll(async () => {
    [one, two] = await Promise.all([openPropertyHub(), openPropertyHub()]);
  });
  afterAll(async () => {
    await Promise.all([one?.t.close(), two?.t.close()]);
  });

  const queries = ({ t }: PropertyHub) => new ContinuityQueries(t.hub.database, new StoreLinkedBirthDates(t.hub.store, t.hub.vault, t.hub.database));
  const statuses = async ({ t }: PropertyHub, runId: number) => {
    const schema = await activeSchemaOf(t.hub.database, continuityProjectionName);
    const { rows } = await t.hub.database.query<Record<string, unknown>>(
      `SELECT record_key, person_ref, released_on::text, in_cohort, outcome, reason, decided_on::text FROM ${schema}.releases
        WHERE record_key LIKE $1 ORDER BY record_key`, [`%|P${runId}-%`],
    );
    return rows;
  };

  it('gives the same report whatever the arrival order, and as of the instant between two batches the report of the first batch alone', async () => {
    const seen = new Set<string>();
    await fc.assert(fc.asyncProperty(worldWithOrders, async ({ w, first, second }) => {
      run += 1;
      const firstDay = addDays('2019-01-07', run * 70);
      const arrivals = arrivalsOf(w, run, firstDay);
      const request: ReportRequest = { from: addDays(firstDay, -1), to: addDays(firstDay, worldLastDay), groupBy: ['month', 'localAuthority'], disclosure: 'none' };
      // "Now" for the final reports: day 30, when some windows are still open.
      const now = new Date(`${addDays(firstDay, 30)}T12:00:00Z`);

      const orderOne = first.order.map((i) => arrivals[i]!);
      await deliver(one.t, orderOne.slice(0, first.split));
      await one.engine.catchUp();
      const between = new Date().toISOString();
      const firstBatchAlone = await queries(one).report({ ...request, asOf: between }, { now: new Date() });
      await waitFor(() => Date.now() > Date.parse(between), { intervalMs: 1, what: 'the clock to pass the instant between the batches' });
      await deliver(one.t, orderOne.slice(first.split));
      await one.engine.catchUp();
      expect(await queries(one).report({ ...request, asOf: between }, { now: new Date() })).toEqual(firstBatchAlone);

      // The other hub: another order, caught up at another point.
      const orderTwo = second.order.map((i) => arrivals[i]!);
      await deliver(two.t, orderTwo.slice(0, second.split));
      await two.engine.catchUp();
      await deliver(two.t, orderTwo.slice(second.split));
      await two.engine.catchUp();
      expect(await statuses(two, run)).toEqual(await statuses(one, run));
      const final = await queries(one).report(request, { now });
      expect(await queries(two).report(request, { now })).toEqual(final);
      for (const row of [...final.rows, ...firstBatchAlone.rows]) {
        for (const field of ['engaged', 'notEngaged', 'pending', 'excluded'] as const) if ((row[field] ?? 0) > 0) seen.add(field);
      }
    }), {
      numRuns: Number(process.env.CONTINUITY_PROPERTY_RUNS ?? 20), endOnFailure: true,
      // A fixed seed by default, so that CI runs the same 20 worlds (which reach every status);
      // CONTINUITY_PROPERTY_SEED explores others.
      seed: Number(process.env.CONTINUITY_PROPERTY_SEED ?? 20251122),
    });
    // The worlds were not trivial: every status was reached somewhere.
    expect([...seen].sort()).toEqual(['engaged', 'excluded', 'notEngaged', 'pending']);
  }, 240_000);

  it('follows subjects moved to another person, across pages and twice within one page (the latest link wins)', async () => {
    const e = new CdpEvents('continuity-relink');
    const hal = testPerson(58, 'Hollander');
    const outcomes = await one.t.ingest([e.release(hal, '2018-07-02'), e.treatmentStarted(hal, '2018-07-05')]);
    expect(outcomes.map((o) => o.status)).toEqual(['accepted', 'accepted']);
    const prison = { agencyId: agencies.prison, subject: hal.nomisId };
    const treatment = { agencyId: agencies.nrp, subject: `NRP-${hal.familyName}` };
    const halStatus = async () => {
      const schema = await activeSchemaOf(one.t.hub.database, continuityProjectionName);
      const { rows } = await one.t.hub.database.query<{ person_ref: string; outcome: string }>(
        `SELECT person_ref, outcome FROM ${schema}.releases WHERE record_key LIKE $1`, [`%|REL-${hal.nomisId}-%`],
      );
      return rows.map((r) => `${r.person_ref} ${r.outcome}`);
    };
    await appendLinks(one.t, 'person-hal-x', [prison]);
    await appendLinks(one.t, 'person-hal-y', [treatment]);
    await one.engine.catchUp();
    expect(await halStatus()).toEqual(['person-hal-x open']);
    // The treatment subject turns out to be the release's person.
    await appendLinks(one.t, 'person-hal-x', [treatment], 'person-hal-y');
    await one.engine.catchUp();
    expect(await halStatus()).toEqual(['person-hal-x engaged']);
    // Read in one page: the release's subject moves to a person of its own, then both subjects to a third.
    await appendLinks(one.t, 'person-hal-w', [prison], 'person-hal-x');
    await appendLinks(one.t, 'person-hal-z', [prison, treatment], 'person-hal-x');
    await one.engine.catchUp();
    expect(await halStatus()).toEqual(['person-hal-z engaged']);
  });
});
