import { randomBytes } from 'node:crypto';
import { installSql } from '@hub/database';
import { PersonalDataVault, securitySqlFolder } from '@hub/security';
import { createTestDatabase, type TestDatabase } from '@hub/testing';

/**
 * The writer's path: `keysFor(client, streams, true, likelyNew)` makes keys for streams the writer
 * found at version 0 without looking first. Whatever the writer believes, a stream has at most one
 * key, and an erased stream never gets one again.
 */
describe('subject keys for a writer', () => {
  let db: TestDatabase;
  const masterKey = randomBytes(32);
  let vault: PersonalDataVault;
  const keysIn = (streams: readonly string[], likelyNew: readonly string[] = []) =>
    db.database.transaction((client) => vault.keysFor(client, streams, true, new Set(likelyNew)));
  const storedKeys = async (stream: string) =>
    (await db.database.query('SELECT wrapped_key FROM security.subject_keys WHERE stream_id = $1', [stream])).rows;

  beforeAll(async () => {
    db = await createTestDatabase('subject_keys');
    await installSql(db.database, [securitySqlFolder]);
    vault = new PersonalDataVault(db.database, masterKey);
  });
  afterAll(async () => db?.drop());

  it('makes one key for a new stream and returns the same key to later writers', async () => {
    const stream = vault.streamIdFor('prison-hmp-northgate', 'A1111AA');
    const first = (await keysIn([stream], [stream])).get(stream)!;
    const later = (await keysIn([stream])).get(stream)!;
    expect(later.equals(first)).toBe(true);
    expect(await storedKeys(stream)).toHaveLength(1);
  });

  it('keeps the existing key of a stream believed new, never making a second one', async () => {
    const stream = vault.streamIdFor('prison-hmp-northgate', 'A2222AA');
    const existing = (await keysIn([stream])).get(stream)!;
    // Another process, with no cached key, believes the stream new (a key made by an attempt whose events were all duplicates).
    const other = new PersonalDataVault(db.database, masterKey);
    const used = (await db.database.transaction((client) => other.keysFor(client, [stream], true, new Set([stream])))).get(stream)!;
    expect(used.equals(existing)).toBe(true);
    expect(await storedKeys(stream)).toHaveLength(1);
  });

  it('never makes a key again for an erased stream, even one believed new: its events are sealed under a key nobody keeps', async () => {
    const erasedNew = vault.streamIdFor('police-northshire', 'P-3333');
    const erasedOld = vault.streamIdFor('police-northshire', 'P-4444');
    await keysIn([erasedOld]);
    await db.database.transaction((client) => vault.erase(client, [erasedNew, erasedOld], 'erasure request'));
    const keys = await keysIn([erasedNew, erasedOld], [erasedNew]);
    expect(keys.get(erasedNew)).toHaveLength(32);
    expect(keys.get(erasedOld)).toHaveLength(32);
    expect(await storedKeys(erasedNew)).toHaveLength(0);
    expect(await storedKeys(erasedOld)).toHaveLength(0);
  });

  it('makes a fresh key for a known stream whose key retention dropped (no tombstone)', async () => {
    const stream = vault.streamIdFor('probation-northshire', 'X5555');
    const before = (await keysIn([stream])).get(stream)!;
    await db.database.query('DELETE FROM security.subject_keys WHERE stream_id = $1', [stream]);
    const after = (await keysIn([stream])).get(stream)!;
    expect(after.equals(before)).toBe(false);
    expect(await storedKeys(stream)).toHaveLength(1);
    const reader = new PersonalDataVault(db.database, masterKey);
    expect((await reader.keysFor(db.database, [stream], false)).get(stream)!.equals(after)).toBe(true);
  });
});
