import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { exportSPKI, generateKeyPair } from 'jose';
import type { CloudEvent } from '@hub/kernel';
import { PostgresEventStore } from '@hub/event-store';
import { PersonalDataVault } from '@hub/security';
import { createTestDatabase, hubTarget, type HubTarget, repoRoot, runHub, startHubServer, type RunningHub, type TestDatabase } from '@hub/testing';

const dir = resolve(repoRoot, 'test', 'fixtures', 'scenarios');
const areaFile = resolve(dir, 'alerts-and-reviews.area.json');
const scenarioFile = resolve(dir, 'alerts-and-reviews.ndjson');
const scenario = readFileSync(scenarioFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as CloudEvent);
const arkwright = scenario.filter((e) => (e.data as { person?: { familyName?: string } }).person?.familyName === 'Arkwright');

describe('erasure, the disclosure log and agency keys through the built CLI and HTTP', () => {
  let db: TestDatabase;
  let target: HubTarget;
  let server: RunningHub;
  let arkwrightRef = '';
  const alertsOf = async (agency: string, purpose: string) => {
    const token = (await runHub(target, ['token', '--agency', agency])).stdout.trim();
    const response = await fetch(`${server.url}/v1/alerts`, { headers: { authorization: `Bearer ${token}`, 'x-purpose': purpose } });
    expect(response.status).toBe(200);
    return ((await response.json()) as { personRef: string | null; personErased: boolean; code: string }[]).filter((a) => a.personRef === arkwrightRef);
  };

  beforeAll(async () => {
    db = await createTestDatabase('hub_e2e_erasure');
    target = hubTarget(db.url);
    expect((await runHub(target, ['init', '--config', areaFile])).code).toBe(0);
    expect((await runHub(target, ['ingest', scenarioFile])).json()).toMatchObject({ rejected: 0 });
    expect((await runHub(target, ['alerts'])).code).toBe(0); // catches up (the identity processor links Arkwright's records)
    // The person the identity processor made of Arkwright's records: the latest assignment of their stream.
    const { rows } = await db.database.query<{ person_ref: string }>(
      `SELECT a.data->>'personRef' AS person_ref FROM event_store.events a
       WHERE a.type = 'hub.identity.subject-assigned.v1'
         AND a.data->>'subjectStream' = (SELECT stream_id FROM event_store.events WHERE event_id = $1)
       ORDER BY a.global_position DESC LIMIT 1`,
      [arkwright[0]!.id],
    );
    arkwrightRef = rows[0]!.person_ref;
    server = await startHubServer(target);
  });
  afterAll(async () => {
    await server?.stop();
    await db.drop();
  });

  it('hub erase: afterwards the person reads as erased, is still counted, and their personal fields cannot be opened', async () => {
    const cliCount = async () => (await runHub(target, ['alerts'])).json<{ personRef: string | null }[]>().filter((a) => a.personRef === arkwrightRef).length;
    const countedBefore = await cliCount();
    const before = await alertsOf('treatment-northshire-recovery', 'near-miss-alerting');
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((a) => !a.personErased)).toBe(true);

    const erased = await runHub(target, ['erase', '--person', arkwrightRef, '--reason', 'erasure request DSAR-12']);
    expect(erased.code).toBe(0);
    expect(erased.json()).toEqual({ personRef: arkwrightRef, subjectStreams: 2, keysDeleted: 2, recorded: true, disclosureLogSequence: expect.any(Number) });

    const after = await alertsOf('treatment-northshire-recovery', 'near-miss-alerting');
    expect(after.map((a) => a.code).sort()).toEqual(before.map((a) => a.code).sort());
    expect(after.every((a) => a.personErased)).toBe(true);
    expect(await cliCount()).toBe(countedBefore);

    const vault = new PersonalDataVault(db.database, Buffer.from(target.env.HUB_MASTER_KEY!, 'base64url'));
    const { rows } = await db.database.query<{ stream_id: string }>('SELECT DISTINCT stream_id FROM event_store.events WHERE event_id = ANY($1::text[])', [arkwright.map((e) => e.id)]);
    expect(rows).toHaveLength(2);
    for (const { stream_id: stream } of rows) {
      const events = await vault.reveal(await new PostgresEventStore(db.database).readStream(stream));
      expect(events.every((e) => e.erased && e.data.person === undefined)).toBe(true);
    }
    expect((await runHub(target, ['erase', '--person', arkwrightRef, '--reason', 'again'])).json()).toMatchObject({ recorded: false });
    expect((await runHub(target, ['erase', '--person', 'person-nobody', '--reason', 'typo'])).code).toBe(2);
  });

  it('hub audit: the log shows the disclosures and the erasure; flipping a stored entry makes verify fail naming it', async () => {
    const listed = (await runHub(target, ['audit', 'list', '--person', arkwrightRef])).json<{ sequence: number; kind?: string; channel?: string }[]>();
    expect(listed.filter((e) => e.channel === 'alert').length).toBeGreaterThanOrEqual(2);
    expect(listed.filter((e) => e.kind === 'erasure')).toEqual([expect.objectContaining({ personRefs: [arkwrightRef], keysDeleted: 2 })]);
    const all = (await runHub(target, ['audit', 'list', '--limit', '1000'])).json<unknown[]>();
    const ok = await runHub(target, ['audit', 'verify']);
    expect(ok.code).toBe(0);
    expect(ok.json()).toEqual({ ok: true, entries: all.length });

    const victim = listed[0]!.sequence;
    await db.database.transaction(async (client) => {
      await client.query('SET LOCAL session_replication_role = replica'); // a superuser bypassing the append-only trigger
      await client.query(`UPDATE sharing.disclosure_log SET entry = jsonb_set(entry, '{personRefs}', '["person-someone-else"]') WHERE sequence = $1`, [victim]);
    });
    const broken = await runHub(target, ['audit', 'verify']);
    expect(broken.code).toBe(1);
    expect(broken.json()).toMatchObject({ ok: false, firstBrokenSequence: victim, reason: expect.stringContaining(`entry ${victim}`) });
  });

  it('hub keys: an agency key is added, listed without key material, and revoked', async () => {
    const { publicKey } = await generateKeyPair('ES256', { extractable: true });
    const file = join(mkdtempSync(join(tmpdir(), 'hub-keys-')), 'probation.pem');
    writeFileSync(file, await exportSPKI(publicKey));
    const added = await runHub(target, ['keys', 'add', '--agency', 'probation-northshire', '--public-key', file, '--kid', 'probation-k1', '--reason', 'onboarding']);
    expect(added.code).toBe(0);
    expect(added.json()).toMatchObject({ kid: 'probation-k1', owner: 'probation-northshire', status: 'active' });
    const listed = await runHub(target, ['keys', 'list']);
    expect(listed.json<{ kid: string }[]>().map((k) => k.kid)).toContain('probation-k1');
    expect(listed.stdout).not.toMatch(/"(d|x|y)":/);
    expect((await runHub(target, ['keys', 'revoke', '--kid', 'probation-k1', '--reason', 'rotated'])).json()).toMatchObject({ status: 'revoked', changeReason: 'rotated' });
    expect((await runHub(target, ['keys', 'add', '--agency', 'nobody', '--public-key', file, '--reason', 'x'])).code).toBe(2);
  });

  it('hub retention run prints counts only and is idempotent', async () => {
    const first = await runHub(target, ['retention', 'run']);
    expect(first.code).toBe(0);
    const counts = first.json<Record<string, unknown>>();
    expect(Object.keys(counts)).toEqual(['on', 'checked', 'eventsShredded', 'keysDeleted', 'withoutRule']);
    expect((await runHub(target, ['retention', 'run'])).json()).toMatchObject({ eventsShredded: 0, keysDeleted: 0 });
  });
});
