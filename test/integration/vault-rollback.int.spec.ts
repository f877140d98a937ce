import { randomBytes } from 'node:crypto';
import { installSql } from '@hub/database';
import { PersonalDataVault, securitySqlFolder } from '@hub/security';
import { createTestDatabase, type TestDatabase } from '@hub/testing';

/**
 * A batch whose transaction rolls back (disk full, PostgreSQL restarted, a deadlock retried) must
 * not leave its new subject keys in the vault's memory: the retry would seal events under a key
 * the store never kept, and no other process (nor this one after a restart) could open them.
 */
describe('subject keys created in a transaction that rolls back', () => {
  let db: TestDatabase;
  const masterKey = randomBytes(32);

  beforeAll(async () => {
    db = await createTestDatabase('vault_rollback');
    await installSql(db.database, [securitySqlFolder]);
  });
  afterAll(async () => db?.drop());

  it('are created afresh by the retry, and the key that seals is the one stored', async () => {
    const writer = new PersonalDataVault(db.database, masterKey);
    const stream = writer.streamIdFor('prison-hmp-northgate', 'A1234BC');
    const failed = db.database.transaction(async (client) => {
      await writer.keysFor(client, [stream], true);
      throw new Error('could not extend file: No space left on device');
    });
    await expect(failed).rejects.toThrow('No space left');

    const used = await db.database.transaction(async (client) => (await writer.keysFor(client, [stream], true)).get(stream)!);
    const anotherProcess = new PersonalDataVault(db.database, masterKey);
    const stored = (await db.database.transaction(async (client) => anotherProcess.keysFor(client, [stream], false))).get(stream);
    expect(stored).toBeDefined();
    expect(stored!.equals(used)).toBe(true);
  });
});
