import { LeadershipLock } from '@hub/database';
import { createTestDatabase, type TestDatabase, waitFor } from '@hub/testing';

describe('LeadershipLock: one holder across processes, handed over when the holder goes', () => {
  let db: TestDatabase;
  const locks: LeadershipLock[] = [];
  const lock = (name = 'cdp-hub:test:leader') => {
    const created = new LeadershipLock(db.url, name);
    locks.push(created);
    return created;
  };

  beforeAll(async () => {
    db = await createTestDatabase('leadership_lock');
  });
  afterEach(async () => {
    await Promise.all(locks.splice(0).map((l) => l.release()));
  });
  afterAll(async () => {
    await db.drop();
  });

  it('given one holder, a second worker (or a second try by the holder) does not get the lock; other names are independent', async () => {
    const first = lock();
    const second = lock();
    expect(await first.tryAcquire()).toBe(true);
    expect(await second.tryAcquire()).toBe(false);
    expect(await first.tryAcquire()).toBe(false);
    expect(first.held).toBe(true);
    expect(second.held).toBe(false);
    expect(await lock('cdp-hub:test:other').tryAcquire()).toBe(true);
  });

  it('when the holder releases, a standby takes over', async () => {
    const first = lock();
    const standby = lock();
    await first.tryAcquire();
    await first.release();
    expect(first.held).toBe(false);
    expect(() => first.client).toThrow('is not held');
    expect(await standby.tryAcquire()).toBe(true);
  });

  it('when the holder\'s connection is killed, it learns it lost the lock, and a standby takes over', async () => {
    const first = lock();
    const standby = lock();
    await first.tryAcquire();
    const { rows } = await first.client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    await db.database.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    expect(await first.checkAlive()).toBe(false);
    expect(first.held).toBe(false);
    // The server ends the killed session (and its lock) a moment later.
    await waitFor(() => standby.tryAcquire(), { timeoutMs: 10_000, what: 'the standby to take the lock' });
  });

  it('runs the preparation on the lock\'s own connection before the lock counts as held; a failed preparation lets the lock go', async () => {
    const seen: number[] = [];
    const prepared = new LeadershipLock(db.url, 'cdp-hub:test:prepared', async (client) => {
      seen.push((await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid);
    });
    locks.push(prepared);
    expect(await prepared.tryAcquire()).toBe(true);
    expect(seen).toEqual([(await prepared.client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid]);

    const errors: unknown[] = [];
    const failing = new LeadershipLock(db.url, 'cdp-hub:test:failing', async () => {
      throw new Error('LISTEN failed');
    });
    expect(await failing.tryAcquire((error) => errors.push(error))).toBe(false);
    expect(errors).toEqual([expect.objectContaining({ message: 'LISTEN failed' })]);
    expect(await lock('cdp-hub:test:failing').tryAcquire()).toBe(true);
  });
});
