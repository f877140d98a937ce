import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readFixtureSets } from '@hub/contracts';
import { type IngestInput, type IngestOutcome } from '@hub/ingest';
import { ManualClock } from '@hub/kernel';
import { HubRuntime, InitAreaCommand, InitAreaHandler } from '@hub/hub';
import { createTestDatabase, type TestDatabase } from '@hub/testing';

const shared = resolve(__dirname, '..', '..', '..', 'shared');
const area = JSON.parse(readFileSync(resolve(shared, 'scenarios', 'area.json'), 'utf8'));
const scenario = readFileSync(resolve(shared, 'scenarios', 'continuity-basic.ndjson'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));

const parsed = (value: unknown): IngestInput => ({ kind: 'parsed', value });
const release = () => structuredClone(scenario[0]) as Record<string, any>;

describe('IngestPipeline', () => {
  let db: TestDatabase;
  let hub: HubRuntime;
  const clock = new ManualClock('2026-11-22T10:00:00Z');

  beforeAll(async () => {
    db = await createTestDatabase();
    hub = await HubRuntime.open({ location: { kind: 'server', url: db.url }, clock, masterKey: Buffer.alloc(32, 7) });
    await new InitAreaHandler(hub).execute(new InitAreaCommand(area, 'test'));
  });
  afterAll(async () => {
    await hub.close();
    await db.drop();
  });

  const ingest = (inputs: IngestInput[], publisher?: string): Promise<IngestOutcome[]> =>
    hub.pipeline.ingest(inputs, { channel: publisher ? 'http' : 'cli', ...(publisher ? { publisher } : {}) });

  it('accepts the continuity scenario once, then counts every event as a duplicate', async () => {
    const first = await ingest(scenario.map(parsed));
    expect(first.every((o) => o.status === 'accepted')).toBe(true);
    const second = await ingest(scenario.map(parsed));
    expect(second.map((o) => o.status)).toEqual(scenario.map(() => 'duplicate'));
  });

  it('rejects every invalid contract fixture with its code, and loses nothing valid in the same batch', async () => {
    const sets = readFixtureSets().filter((set) => set.schemaDir.startsWith('events/') || set.schemaDir.startsWith('envelope/'));
    const invalid = sets.flatMap((set) => set.invalid);
    const valid = sets.flatMap((set) => set.valid);
    expect(invalid.length).toBeGreaterThan(50);
    // Invalid first: a rejected event does not claim its id, so a valid one with the same id still gets in.
    const outcomes = await ingest([...invalid, ...valid].map((fixture) => parsed(fixture.document)));
    const rejected = outcomes.slice(0, invalid.length);
    rejected.forEach((outcome, i) => {
      const { code, pointer } = invalid[i]!.expected;
      expect({ file: invalid[i]!.file, status: outcome.status, code: outcome.status === 'rejected' ? outcome.code : undefined })
        .toEqual({ file: invalid[i]!.file, status: 'rejected', code });
      if (outcome.status === 'rejected' && code === 'SCHEMA_INVALID') expect(outcome.message).toContain(pointer);
    });
    const accepted = outcomes.slice(invalid.length);
    expect(accepted.map((o, i) => [valid[i]!.file, o.status])).toEqual(valid.map((f) => [f.file, 'accepted']));
  });

  it('checks the id before anything else: same id, different content is ID_REUSED even when otherwise invalid', async () => {
    const event = release();
    event.id = randomUUID();
    await ingest([parsed(event)]);
    const changed = { ...event, type: 'no.such.type.v1' };
    const [outcome] = await ingest([parsed(changed)]);
    expect(outcome).toMatchObject({ status: 'rejected', code: 'ID_REUSED', pointer: '/id' });
  });

  it('refuses an unknown agency, a caller that is not the source, a type of another kind and an establishment not its own', async () => {
    const unknownSource = { ...release(), id: randomUUID(), source: 'agency:prison-nowhere' };
    const otherKind = { ...release(), id: randomUUID(), type: 'treatment.started.v1' };
    const notOwnPrison = release();
    notOwnPrison.id = randomUUID();
    notOwnPrison.data.prisonId = 'EFI';
    const outcomes = await ingest([parsed(unknownSource), parsed(otherKind), parsed(notOwnPrison)]);
    expect(outcomes.map((o) => (o.status === 'rejected' ? [o.code, o.pointer] : o.status))).toEqual([
      ['UNKNOWN_SOURCE', '/source'], ['NOT_PERMITTED', '/type'], ['NOT_PERMITTED', '/data/prisonId'],
    ]);
    const [mismatch] = await ingest([parsed({ ...release(), id: randomUUID() })], 'treatment-northshire-recovery');
    expect(mismatch).toMatchObject({ status: 'rejected', code: 'SOURCE_MISMATCH' });
    expect(mismatch!.status === 'rejected' && mismatch!.message).toContain('treatment-northshire-recovery');
  });

  it('refuses a publisher no active agreement names as a provider of the type', async () => {
    const coronerDtoa = { ...release(), id: randomUUID(), source: 'agency:la-northshire-public-health', type: 'police.drug-test-on-arrest.recorded.v1' };
    const [outcome] = await ingest([parsed(coronerDtoa)]);
    expect(outcome).toMatchObject({ status: 'rejected', code: 'NOT_PERMITTED' });
    clock.set('2029-01-02T10:00:00Z'); // after the agreement's effectiveTo
    const [late] = await ingest([parsed({ ...release(), id: randomUUID() })]);
    expect(late).toMatchObject({ status: 'rejected', code: 'NOT_PERMITTED' });
    expect(late!.status === 'rejected' && late!.message).toMatch(/no active agreement|not named/);
    clock.set('2026-11-22T10:00:00Z');
  });

  it('records rejections with codes and pointers but never the offending values', async () => {
    const bad = release();
    bad.id = randomUUID();
    bad.data.person.nhsNumber = '9434765918';
    await ingest([parsed(bad)]);
    const { rows } = await db.database.query(`SELECT * FROM ingest.rejections WHERE event_id = $1`, [bad.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ code: 'SCHEMA_INVALID', pointer: '/data/person/nhsNumber', agency_id: 'prison-hmp-northgate' });
    expect(JSON.stringify(rows[0])).not.toContain('9434765918');
  });

  it('stores personal data sealed: no name, date of birth or identifier of the scenario is in the log in clear', async () => {
    const { rows } = await db.database.query<{ row: string }>(`SELECT (e.*)::text AS row FROM event_store.events e WHERE source LIKE 'agency:%'`);
    const log = rows.map((r) => r.row).join('\n');
    for (const event of scenario) {
      const person = event.data.person;
      // Quoted, as a value in clear would be stored: a bare three-letter name occurs by chance in base64 ciphertext.
      for (const value of [person.givenName, person.familyName, person.dateOfBirth, person.nhsNumber, person.nomisId, event.subject]) {
        if (value) expect(log).not.toContain(`""${value}""`);
      }
      for (const value of [person.nhsNumber, person.nomisId, event.subject]) if (value) expect(log).not.toContain(value);
    }
    const revealed = await hub.vault.reveal((await hub.store.readAll({ transactionId: 0n, globalPosition: 0 }, { limit: 5000 })).events);
    const case00 = revealed.find((e) => e.eventId === scenario[0].id)!;
    expect(case00.subject).toBe('A1000BC');
    expect((case00.data.person as { familyName: string }).familyName).toBe('Case00');
  });
});
