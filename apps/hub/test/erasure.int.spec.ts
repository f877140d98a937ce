import { randomUUID } from 'node:crypto';
import { AlertQueries } from '@hub/alerts';
import { DisclosureLogRepository } from '@hub/sharing';
import { waitFor } from '@hub/testing';
import { CdpEvents, subjectsOf, testPerson } from '../../../test/support/cdp-events';
import { ErasePersonCommand } from '../src/use-cases/erasure/erase-person.command';
import { ErasePersonHandler } from '../src/use-cases/erasure/erase-person.handler';
import { openTestHub, type TestHub } from './support/test-hub';

/** Every text column of every table in the hub's schemas, searched for a value in clear. */
async function tablesContaining(t: TestHub, needle: string): Promise<string[]> {
  const { rows: tables } = await t.hub.database.query<{ schema: string; name: string }>(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
     WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
  );
  const found: string[] = [];
  for (const { schema, name } of tables) {
    const { rows } = await t.hub.database.query<{ n: string }>(
      `SELECT count(*) AS n FROM "${schema}"."${name}" AS r WHERE position($1 in r::text) > 0`, [needle],
    );
    if (Number(rows[0]!.n) > 0) found.push(`${schema}.${name}`);
  }
  return found;
}

describe('hub erase: crypto-shredding a person in the append-only log', () => {
  let t: TestHub;
  const events = new CdpEvents('erasure');
  const jo = testPerson(21, 'Okonkwo-Erasure');
  const kim = testPerson(22, 'Kimberley-Kept');
  // Record ids stay in clear (they are how corrections match): these, unlike the fixtures' defaults, embed no identifier.
  const joFacts = [
    events.release(jo, '2025-03-03', { releaseType: 'end-of-sentence', treatmentNeed: false, recordId: 'REL-1' }),
    events.overdose(jo, '2025-03-08T22:10:00Z', { recordId: 'OD-1' }),
  ];
  const kimFacts = [
    events.release(kim, '2025-03-04', { releaseType: 'end-of-sentence', treatmentNeed: false, recordId: 'REL-2' }),
    events.overdose(kim, '2025-03-09T22:10:00Z', { recordId: 'OD-2' }),
  ];
  /** Catches up until the person's alerts are there (the log is read gap-free: a commit may take a moment to be readable). */
  const alertsOf = (personRef: string) => waitFor(async () => {
    await t.engine.catchUp();
    const alerts = (await new AlertQueries(t.hub.database).list({ status: 'all' })).filter((a) => a.personRef === personRef);
    return alerts.length > 0 ? alerts : undefined;
  }, { timeoutMs: 30_000, what: `alerts of ${personRef}` });
  /** The person the identity processor made of these facts (all of them: they must be one person). */
  const personOf = (facts: readonly { source: string; subject: string }[]) => waitFor(async () => {
    await t.engine.catchUp();
    const refs = new Set(await Promise.all(facts.map((fact) => t.personRefOf(fact))));
    const [ref] = [...refs];
    return refs.size === 1 && ref ? ref : undefined;
  }, { timeoutMs: 30_000, what: 'the facts to be linked to one person' });
  /** Moves subjects to another person as the identity processor records a merge (the erasure reads only these events). */
  const reassign = async (personRef: string, previousPersonRef: string, subjects: readonly { agencyId: string; subject: string }[]) => {
    await t.hub.store.append(subjects.map(({ agencyId, subject }) => {
      const subjectStream = t.hub.vault.streamIdFor(agencyId, subject);
      return {
        streamId: `identity-test-${subjectStream}`, expectedVersion: 'any' as const,
        events: [{
          eventId: randomUUID(), type: 'hub.identity.subject-assigned.v1', source: 'hub', subject: null, occurredAt: t.hub.clock.now().toISOString(),
          data: { subjectStream, personRef, previousPersonRef, reason: 'merge', evidence: [] },
        }],
      };
    }));
  };
  let joRef = '';
  let kimRef = '';
  const erase = (personRef: string) => new ErasePersonHandler(t.hub).execute(new ErasePersonCommand(personRef, 'request DSAR-77', 'dpo@northshire'));

  beforeAll(async () => {
    t = await openTestHub();
    expect((await t.ingest([...joFacts, ...kimFacts])).map((o) => (o.status === 'rejected' ? o.code : o.status))).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
    joRef = await personOf(joFacts);
    kimRef = await personOf(kimFacts);
    expect(joRef).not.toBe(kimRef);
    await alertsOf(joRef);
  });
  afterAll(async () => t.close());

  it('Given a person whose data is sealed in the log, When erased, Then no personal field of theirs can be read from any table, and others are untouched', async () => {
    const plaintext = [jo.familyName, jo.nhsNumber, jo.nomisId, jo.dateOfBirth];
    for (const value of plaintext) expect(await tablesContaining(t, value)).toEqual([]); // sealed at rest before too
    const joStreams = subjectsOf(joFacts, jo).map((s) => t.hub.vault.streamIdFor(s.agencyId, s.subject));
    const before = await t.hub.vault.reveal(await t.hub.store.readStream(joStreams[0]!));
    expect(before[0]).toMatchObject({ erased: false, data: { person: { familyName: jo.familyName } } });

    const result = await erase(joRef);
    expect(result).toEqual({ personRef: joRef, subjectStreams: joStreams.length, keysDeleted: joStreams.length, recorded: true, disclosureLogSequence: expect.any(Number) });

    for (const stream of joStreams) {
      const revealed = await t.hub.vault.reveal(await t.hub.store.readStream(stream));
      expect(revealed.every((e) => e.erased && e.subject === null && e.data.person === undefined)).toBe(true);
      // Read by position (as the identity processor reads its candidates), the same.
      expect(await t.hub.vault.revealAt(t.hub.database, revealed.map((e) => e.globalPosition))).toEqual(revealed);
    }
    const kimStream = subjectsOf(kimFacts, kim).map((s) => t.hub.vault.streamIdFor(s.agencyId, s.subject))[0]!;
    const kept = await t.hub.vault.reveal(await t.hub.store.readStream(kimStream));
    expect(kept[0]).toMatchObject({ erased: false, data: { person: { familyName: kim.familyName } } });
  });

  it('records the erasure as a hub event without personal data, and in the disclosure log chain', async () => {
    const { rows } = await t.hub.database.query<{ data: Record<string, unknown> }>(`SELECT data FROM event_store.events WHERE type = 'hub.person.erased.v1'`);
    expect(rows.map((r) => r.data)).toEqual([{ personRef: joRef, subjectStreams: 2, keysDeleted: 2, erasedAt: expect.any(String), by: 'dpo@northshire' }]);
    expect(JSON.stringify(rows)).not.toContain('DSAR-77');
    const log = new DisclosureLogRepository(t.hub.database);
    expect(await log.list({ personRef: joRef })).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'erasure', requestedBy: 'dpo@northshire', personRefs: [joRef], subjectStreams: 2, keysDeleted: 2 }),
    ]));
    expect(await log.verify()).toMatchObject({ ok: true });
  });

  it('a rebuild after the erasure does not resurrect anything, and the alerts still count the person', async () => {
    const alertsBefore = await alertsOf(joRef);
    await t.engine.rebuild();
    const alertsAfter = await alertsOf(joRef);
    expect(alertsAfter.map((a) => a.code).sort()).toEqual(alertsBefore.map((a) => a.code).sort());
    for (const value of [jo.familyName, jo.givenName + ' ' + jo.familyName, jo.nhsNumber, jo.nomisId, jo.dateOfBirth]) {
      expect(await tablesContaining(t, value)).toEqual([]);
    }
  });

  it('is idempotent: erasing again records nothing new', async () => {
    expect(await erase(joRef)).toMatchObject({ keysDeleted: 0, recorded: false, disclosureLogSequence: null });
  });

  it('an event arriving for an erased subject after the erasure is erased on arrival: no key is ever made again', async () => {
    const late = events.overdose(jo, '2025-04-01T20:00:00Z', { recordId: 'OD-3' });
    expect((await t.ingest([late]))[0]).toMatchObject({ status: 'accepted' });
    const stream = t.hub.vault.streamIdFor('nhs-northshire-ambulance', late.subject);
    const { rows } = await t.hub.database.query('SELECT 1 FROM security.subject_keys WHERE stream_id = $1', [stream]);
    expect(rows).toHaveLength(0);
    const revealed = await t.hub.vault.reveal(await t.hub.store.readStream(stream));
    expect(revealed.every((e) => e.erased)).toBe(true);
    expect(await tablesContaining(t, jo.nhsNumber)).toEqual([]);
  });

  it('refuses an unknown person, and one whose subjects moved to another person, naming them', async () => {
    await expect(erase('person-nobody')).rejects.toMatchObject({ code: 'PERSON.NOT_FOUND', message: expect.stringContaining('is not known') });
    await reassign('person-kim-merged', kimRef, subjectsOf(kimFacts, kim));
    await expect(erase(kimRef)).rejects.toMatchObject({ code: 'PERSON.NOT_FOUND', message: expect.stringContaining('person-kim-merged') });
  });

  it('an erasure racing an ingest to the same stream never leaves data under a lost or re-made key', async () => {
    const ray = testPerson(23, 'Raymond-Race');
    const first = events.release(ray, '2025-05-01', { releaseType: 'end-of-sentence', treatmentNeed: false, recordId: 'REL-3' });
    await t.ingest([first]);
    const rayRef = await personOf([first]);
    const stream = t.hub.vault.streamIdFor('prison-hmp-northgate', first.subject);
    // An ingest holds the stream's key (FOR SHARE) in an open transaction while the erasure starts.
    const client = await t.hub.database.pool.connect();
    try {
      await client.query('BEGIN');
      const keys = await t.hub.vault.keysFor(client, [stream], true);
      const sealed = t.hub.vault.seal(keys.get(stream)!, stream, 'prison.release.recorded.v1', first.subject, { ...first.data, recordId: `late-${randomUUID()}` } as Record<string, unknown>);
      await t.hub.store.appendIn(client, [{ streamId: stream, expectedVersion: 'any', events: [{ eventId: randomUUID(), type: 'prison.release.recorded.v1', source: first.source, subject: null, occurredAt: first.time, data: sealed.data }] }]);
      const erasing = erase(rayRef);
      let settled = false;
      void erasing.then(() => (settled = true), () => (settled = true));
      // The erasure waits on the key row the ingest holds: it cannot finish while the ingest is open.
      await waitForLockWait(t);
      expect(settled).toBe(false);
      await client.query('COMMIT');
      expect(await erasing).toMatchObject({ keysDeleted: 1, recorded: true });
    } finally {
      client.release();
    }
    // Both events, the one committed during the erasure included, are erased; no key was re-made.
    const revealed = await t.hub.vault.reveal(await t.hub.store.readStream(stream));
    expect(revealed).toHaveLength(2);
    expect(revealed.every((e) => e.erased)).toBe(true);
    expect((await t.hub.database.query('SELECT 1 FROM security.subject_keys WHERE stream_id = $1', [stream])).rows).toHaveLength(0);
  });
});

async function waitForLockWait(t: TestHub): Promise<void> {
  await waitFor(async () => {
    const { rows } = await t.hub.database.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    return Number(rows[0]!.n) > 0;
  }, { timeoutMs: 10_000, what: 'the erasure waiting for the ingest that holds the key row' });
}
