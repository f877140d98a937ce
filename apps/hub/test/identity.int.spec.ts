import { activeSchemaOf } from '@hub/projections';
import type { CloudEvent } from '@hub/kernel';
import { IdentityProcessor, IdentityQueries } from '@hub/identity';
import { simulateWithTruth } from '@hub/simulation';
import { CdpEvents, testPerson, type TestPerson } from '../../../test/support/cdp-events';
import { ProjectionEngine } from '../src/runtime/projection-engine';
import { demoArea, openTestHub, type TestHub } from './support/test-hub';

interface IdentityEventRow { type: string; event_id: string; data: { subjectStream?: string; personRef?: string; previousPersonRef?: string | null; reason: string; survivingPersonRef?: string; mergedPersonRef?: string; evidence: unknown } }

async function identityEvents(t: TestHub): Promise<IdentityEventRow[]> {
  const { rows } = await t.hub.database.query<IdentityEventRow>(
    `SELECT type, event_id, data FROM event_store.events WHERE type IN ('hub.identity.subject-assigned.v1', 'hub.identity.persons-merged.v1') ORDER BY global_position`,
  );
  return rows;
}

async function ingestAll(t: TestHub, facts: readonly CloudEvent[]): Promise<void> {
  expect((await t.ingest(facts)).map((o) => o.status)).toEqual(facts.map(() => 'accepted'));
}

/** One person's records across four agencies, each under the agency's own subject. */
function recordsOf(events: CdpEvents, p: TestPerson): CloudEvent[] {
  return [
    events.release(p, '2025-03-03'), events.supervisionStarted(p, '2025-03-04'),
    events.overdose(p, '2025-03-08T22:10:00Z'), events.treatmentStarted(p, '2025-03-12'),
  ];
}

describe('identity processor on PostgreSQL (exact linking, SPEC section 5)', () => {
  let t: TestHub;
  afterEach(async () => t.close());

  const pat = testPerson(21, 'Penhaligon');
  const ros = testPerson(22, 'Rosenthal');

  it.each([
    ['in publication order', (facts: CloudEvent[]) => facts],
    ['in reverse order', (facts: CloudEvent[]) => [...facts].reverse()],
    ['interleaved', (facts: CloudEvent[]) => [facts[3]!, facts[0]!, facts[6]!, facts[5]!, facts[1]!, facts[7]!, facts[2]!, facts[4]!]],
  ])('Given two people\'s records from four agencies arriving %s one at a time, Then each person\'s subjects end up linked, apart from the other\'s', async (_, order) => {
    t = await openTestHub();
    const events = new CdpEvents('order');
    const facts = [...recordsOf(events, pat), ...recordsOf(events, ros)];
    for (const fact of order(facts)) {
      await ingestAll(t, [fact]);
      await t.engine.catchUp(['identity']);
    }
    const patRefs = new Set(await Promise.all(facts.slice(0, 4).map((f) => t.personRefOf(f))));
    const rosRefs = new Set(await Promise.all(facts.slice(4).map((f) => t.personRefOf(f))));
    expect(patRefs.size).toBe(1);
    expect(rosRefs.size).toBe(1);
    expect([...patRefs][0]).toMatch(/^P-[0-9A-Z]{12}$/);
    expect([...patRefs][0]).not.toBe([...rosRefs][0]);
    // Every subject's final person was said by a subject-assigned event (what the projections follow).
    const last = new Map((await identityEvents(t)).filter((e) => e.type === 'hub.identity.subject-assigned.v1').map((e) => [e.data.subjectStream, e.data.personRef]));
    expect(last.size).toBe(8);
    expect(new Set(last.values())).toEqual(new Set([...patRefs, ...rosRefs]));
  });

  it('Given two persons (a changed family name keeps them apart, even for the probabilistic model), When a bridging record arrives, Then the older person survives and every subject of the other is re-assigned', async () => {
    t = await openTestHub();
    const events = new CdpEvents('merge');
    const release = events.release(pat, '2025-03-03');
    const overdose = events.overdose({ ...pat, familyName: 'Trelawney' }, '2025-03-08T22:10:00Z');
    await ingestAll(t, [release]);
    await t.engine.catchUp(['identity']);
    await ingestAll(t, [overdose]);
    await t.engine.catchUp(['identity']);
    const older = (await t.personRefOf(release))!;
    const younger = (await t.personRefOf(overdose))!;
    expect(younger).not.toBe(older);

    // The treatment record shares the NHS number with the overdose and name and date of birth with the release.
    const start = events.treatmentStarted(pat, '2025-03-12');
    await ingestAll(t, [start]);
    await t.engine.catchUp(['identity']);
    for (const fact of [release, overdose, start]) expect(await t.personRefOf(fact)).toBe(older);
    const decided = (await identityEvents(t)).slice(2).map((e) => ({ type: e.type, ...e.data }));
    expect(decided).toEqual([
      expect.objectContaining({ type: 'hub.identity.persons-merged.v1', survivingPersonRef: older, mergedPersonRef: younger, reason: 'shared-nhs-number' }),
      expect.objectContaining({ type: 'hub.identity.subject-assigned.v1', personRef: older, previousPersonRef: younger, reason: 'merge' }),
      expect.objectContaining({ type: 'hub.identity.subject-assigned.v1', personRef: older, previousPersonRef: null, reason: 'shared-nhs-number', evidence: { rules: ['shared-nhs-number', 'same-name-and-date-of-birth'], linkedSubjects: expect.any(Array) } }),
    ]);

    const explained = await new IdentityQueries(t.hub.database).explain(younger);
    expect(explained).toMatchObject({ personRef: younger, mergedInto: older });
    expect(explained.subjects.map((s) => [s.agency, s.reason]).sort()).toEqual([
      ['nhs-northshire-ambulance', 'merge'], ['prison-hmp-northgate', 'new-subject'], ['treatment-northshire-recovery', 'shared-nhs-number'],
    ]);
    expect(JSON.stringify(explained)).not.toMatch(new RegExp(`${pat.nhsNumber}|${pat.nomisId}|Penhal|${pat.dateOfBirth}`, 'i'));
  });

  it('Given a record that alone links two subjects, When it is retracted, Then its subject leaves the person (unlinked)', async () => {
    t = await openTestHub();
    const events = new CdpEvents('retract');
    const release = events.release(pat, '2025-03-03');
    const supervision = events.supervisionStarted(pat, '2025-03-04');
    await ingestAll(t, [release, supervision]);
    await t.engine.catchUp(['identity']);
    expect(await t.personRefOf(supervision)).toBe(await t.personRefOf(release));
    await ingestAll(t, [events.retraction(supervision, '2025-03-05T10:00:00Z')]);
    await t.engine.catchUp(['identity']);
    expect(await t.personRefOf(supervision)).not.toBe(await t.personRefOf(release));
    expect((await identityEvents(t)).at(-1)!.data).toMatchObject({ previousPersonRef: await t.personRefOf(release), reason: 'unlinked' });
  });

  it('Given facts no decision in the log covers yet, When the processor is rebuilt, Then its first live page links them', async () => {
    t = await openTestHub();
    const events = new CdpEvents('tail');
    const facts = recordsOf(events, pat);
    await ingestAll(t, facts);
    await new ProjectionEngine(t.hub, [new IdentityProcessor({ vault: t.hub.vault })]).rebuild();
    expect(await identityEvents(t)).toEqual([]);
    expect(await t.personRefOf(facts[0]!)).toBeUndefined();
    await t.engine.catchUp(['identity']);
    const refs = new Set(await Promise.all(facts.map((f) => t.personRefOf(f))));
    expect(refs.size).toBe(1);
    expect([...refs][0]).toMatch(/^P-/);
    expect(await identityEvents(t)).toHaveLength(4);
  });

  it('Given a simulated area with clean identifiers, Then the persons are exactly the simulation\'s true people', async () => {
    t = await openTestHub();
    const simulation = simulateWithTruth({ area: demoArea, people: 250, seed: 'identity', from: '2025-01-01', months: 12 });
    const facts = [...simulation.events];
    for (let i = 0; i < facts.length; i += 500) await ingestAll(t, facts.slice(i, i + 500));
    await t.engine.catchUp(['identity']);
    const personRefOf = new Map<string, string | undefined>();
    for (const fact of facts) {
      const key = `${fact.source}|${fact.subject}`;
      if (!personRefOf.has(key)) personRefOf.set(key, await t.personRefOf(fact));
    }
    const truth = [...simulation.groundTruth()].filter((entry) => personRefOf.has(`${entry.source}|${entry.subject}`));
    const refsOfPerson = new Map<string, Set<string | undefined>>();
    const peopleOfRef = new Map<string | undefined, Set<string>>();
    for (const { source, subject, personId } of truth) {
      const ref = personRefOf.get(`${source}|${subject}`);
      refsOfPerson.set(personId, (refsOfPerson.get(personId) ?? new Set()).add(ref));
      peopleOfRef.set(ref, (peopleOfRef.get(ref) ?? new Set()).add(personId));
    }
    expect(truth.length).toBe(personRefOf.size);
    expect(peopleOfRef.has(undefined)).toBe(false);
    // Every true person is one personRef (nothing missed), and no personRef holds two people (no false link).
    expect([...refsOfPerson].filter(([, refs]) => refs.size > 1)).toEqual([]);
    expect([...peopleOfRef].filter(([, people]) => people.size > 1)).toEqual([]);
  });

  it('keeps no identifier, name or date of birth in clear in its tables', async () => {
    t = await openTestHub();
    const events = new CdpEvents('clear');
    await ingestAll(t, recordsOf(events, pat));
    await t.engine.catchUp(['identity']);
    const { rows } = await t.hub.database.query<{ dump: string }>(
      `SELECT string_agg(t::text, ' ') AS dump FROM (
         SELECT row_to_json(r)::text AS t FROM proj_identity_g1.identity_records r UNION ALL SELECT row_to_json(k)::text FROM proj_identity_g1.identity_keys k
         UNION ALL SELECT row_to_json(s)::text FROM proj_identity_g1.identity_subjects s) x`,
    );
    expect(rows[0]!.dump.length).toBeGreaterThan(100);
    for (const clear of [pat.nhsNumber, pat.nomisId, pat.deliusCrn, pat.pncId, pat.familyName, pat.dateOfBirth]) expect(rows[0]!.dump).not.toContain(clear);
  });

  it('Given linked people, When replayed or re-decided from scratch over the same log, Then the same personRefs and nothing new is appended', async () => {
    t = await openTestHub();
    const events = new CdpEvents('replay');
    const facts = [...recordsOf(events, pat), ...recordsOf(events, ros), events.overdose({ ...pat, familyName: 'Penhalligon' }, '2025-03-20T01:00:00Z', { recordId: 'LATE' })];
    await ingestAll(t, facts);
    await t.engine.catchUp(['identity']);
    const before = await Promise.all(facts.map((f) => t.personRefOf(f)));
    const logged = await identityEvents(t);

    // The block sizes and term-frequency counts kept with the keys are the keys' own counts, live and replayed alike.
    const counts = async () => {
      const schema = (await activeSchemaOf(t.hub.database, 'identity'))!;
      const kept = await t.hub.database.query<{ key: string; n: number }>(`SELECT key, n FROM ${schema}.identity_key_counts ORDER BY key`);
      const recounted = await t.hub.database.query<{ key: string; n: number }>(
        `SELECT key, count(*)::integer AS n FROM ${schema}.identity_keys WHERE rule LIKE 'probable:%' OR rule LIKE 'tf-%' GROUP BY key
         UNION ALL SELECT '#subjects', count(*)::integer FROM ${schema}.identity_subjects ORDER BY key`);
      expect(kept.rows).toEqual(recounted.rows);
      return kept.rows;
    };
    const liveCounts = await counts();
    expect(liveCounts.length).toBeGreaterThan(1);

    await new ProjectionEngine(t.hub, [new IdentityProcessor({ vault: t.hub.vault })]).rebuild();
    await t.engine.catchUp(['identity']);
    expect(await Promise.all(facts.map((f) => t.personRefOf(f)))).toEqual(before);
    expect(await identityEvents(t)).toEqual(logged);
    expect(await counts()).toEqual(liveCounts);

    // A processor with fresh tables deciding the same log live again names the same events: only duplicates.
    class Rerun extends IdentityProcessor {
      override readonly name = 'identity-rerun';
    }
    await new ProjectionEngine(t.hub, [new Rerun({ vault: t.hub.vault })]).catchUp();
    expect(await identityEvents(t)).toEqual(logged);
  });
});
