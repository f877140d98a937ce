import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase, waitFor } from '@hub/testing';
import { type NewEvent, logStart, PostgresEventStore, WrongExpectedVersionError, readLog } from '@hub/event-store';

function newEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    eventId: randomUUID(), type: 'test.thing.happened.v1', source: 'agency:test', subject: 'S1',
    occurredAt: '2025-03-03T09:00:00.000Z', data: { n: 1 }, ...overrides,
  };
}

describe('PostgresEventStore', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    await PostgresEventStore.install(db.database);
    await PostgresEventStore.install(db.database); // installing twice is safe
    store = new PostgresEventStore(db.database);
  });
  afterAll(async () => db.drop());

  describe('appending to a stream', () => {
    it('numbers events from 1 and reads them back in stream order, with both times kept', async () => {
      const streamId = `s-${randomUUID()}`;
      const outcomes = await store.append([{ streamId, expectedVersion: 'no-stream', events: [newEvent(), newEvent({ data: { n: 2 } })] }]);
      expect(outcomes.map((o) => o.status)).toEqual(['appended', 'appended']);
      const events = await store.readStream(streamId);
      expect(events.map((e) => [e.streamPosition, e.data])).toEqual([[1, { n: 1 }], [2, { n: 2 }]]);
      expect(events[0]!.occurredAt).toBe('2025-03-03T09:00:00.000Z');
      expect(Date.parse(events[0]!.recordedAt)).toBeGreaterThan(Date.parse('2025-03-03T09:00:00.000Z'));
    });

    it('refuses a wrong expected version, naming the stream and both versions, and stores nothing of the call', async () => {
      const streamId = `s-${randomUUID()}`;
      const other = `s-${randomUUID()}`;
      await store.append([{ streamId, expectedVersion: 'no-stream', events: [newEvent(), newEvent(), newEvent()] }]);
      const attempt = store.append([
        { streamId: other, expectedVersion: 'any', events: [newEvent()] },
        { streamId, expectedVersion: 1, events: [newEvent()] },
      ]);
      await expect(attempt).rejects.toThrow(WrongExpectedVersionError);
      await expect(attempt).rejects.toThrow(`Wrong expected version: 1 (stream ${streamId}, at 3)`);
      expect(await store.readStream(other)).toHaveLength(0);
      await store.append([{ streamId, expectedVersion: 3, events: [newEvent()] }]);
      expect(await store.readStream(streamId)).toHaveLength(4);
    });

    it('refuses no-stream for a stream that exists', async () => {
      const streamId = `s-${randomUUID()}`;
      await store.append([{ streamId, expectedVersion: 'any', events: [newEvent()] }]);
      await expect(store.append([{ streamId, expectedVersion: 'no-stream', events: [newEvent()] }])).rejects.toThrow(
        `Wrong expected version: no-stream (stream ${streamId}, at 1)`,
      );
    });
  });

  describe('idempotency by event id across the store', () => {
    it('stores the same id with equal content once (duplicate), even in another stream', async () => {
      const event = newEvent({ data: { a: 1, b: { c: 2, d: 3 } } });
      await store.append([{ streamId: `s-${randomUUID()}`, expectedVersion: 'any', events: [event] }]);
      const again = { ...event, data: { b: { d: 3, c: 2 }, a: 1 } }; // key order aside
      const outcomes = await store.append([{ streamId: `s-${randomUUID()}`, expectedVersion: 'any', events: [again] }]);
      expect(outcomes).toEqual([{ eventId: event.eventId, status: 'duplicate' }]);
    });

    it('reports a reused id with different content, storing the rest of the batch', async () => {
      const event = newEvent();
      const streamId = `s-${randomUUID()}`;
      await store.append([{ streamId, expectedVersion: 'any', events: [event] }]);
      const fresh = newEvent();
      const outcomes = await store.append([{ streamId, expectedVersion: 'any', events: [{ ...event, data: { n: 99 } }, fresh] }]);
      expect(outcomes.map((o) => o.status)).toEqual(['id-reused', 'appended']);
      expect((await store.readStream(streamId)).map((e) => e.eventId)).toEqual([event.eventId, fresh.eventId]);
    });

    it('treats a repeated id within one call like one from an earlier call', async () => {
      const event = newEvent();
      const outcomes = await store.append([{ streamId: `s-${randomUUID()}`, expectedVersion: 'any', events: [event, event, { ...event, data: { x: 1 } }] }]);
      expect(outcomes.map((o) => o.status)).toEqual(['appended', 'duplicate', 'id-reused']);
    });

    it('claims an id once when two writers race with it', async () => {
      const event = newEvent();
      const results = await Promise.all(
        Array.from({ length: 8 }, () => store.append([{ streamId: `s-${randomUUID()}`, expectedVersion: 'any', events: [event] }])),
      );
      const statuses = results.map((r) => r[0]!.status).sort();
      expect(statuses.filter((s) => s === 'appended')).toHaveLength(1);
      expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(7);
    });
  });

  describe('locking streams before appending', () => {
    it('returns each stream\'s version, 0 when new', async () => {
      const known = `s-${randomUUID()}`;
      const fresh = `s-${randomUUID()}`;
      await store.append([{ streamId: known, expectedVersion: 'any', events: [newEvent(), newEvent()] }]);
      const versions = await db.database.transaction((client) => store.lockStreams(client, [known, fresh]));
      expect(versions).toEqual(new Map([[known, 2], [fresh, 0]]));
    });

    it('makes a second writer wait for the first to commit, then gives it the version after the first\'s append', async () => {
      const streamId = `s-${randomUUID()}`;
      const first = await db.database.pool.connect();
      try {
        await first.query('BEGIN');
        const versions = await store.lockStreams(first, [streamId]);
        expect(versions.get(streamId)).toBe(0);
        const second = db.database.transaction(async (client) => {
          const seen = (await store.lockStreams(client, [streamId])).get(streamId);
          await store.appendIn(client, [{ streamId, expectedVersion: 1, events: [newEvent()] }]);
          return seen;
        });
        // The second writer is blocked on the stream's lock before the first appends.
        await waitFor(async () => {
          const { rows } = await db.database.query(
            `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory'`,
          );
          return rows.length > 0;
        }, { timeoutMs: 10_000, what: 'the second writer waiting for the stream lock' });
        await store.appendIn(first, [{ streamId, expectedVersion: 'no-stream', events: [newEvent()] }], { lockedVersions: versions });
        await first.query('COMMIT');
        expect(await second).toBe(1);
      } finally {
        first.release();
      }
      expect((await store.readStream(streamId)).map((e) => e.streamPosition)).toEqual([1, 2]);
    });

    it('does not make a writer of another category of streams wait: an agency\'s batch holding every bucket leaves the hub\'s identity appends free', async () => {
      const agencyStreams = Array.from({ length: 2000 }, () => `police-test:${randomUUID()}`);
      const first = await db.database.pool.connect();
      try {
        await first.query('BEGIN');
        // 2,000 streams hash into every one of the category's buckets.
        await store.lockStreams(first, agencyStreams);
        const identityStreams = Array.from({ length: 300 }, () => `identity:P-${randomUUID()}`);
        const within = async (work: Promise<unknown>, ms: number): Promise<'locked' | 'waiting'> => {
          let timer: NodeJS.Timeout | undefined;
          const outcome = await Promise.race([work.then(() => 'locked' as const), new Promise<'waiting'>((done) => (timer = setTimeout(() => done('waiting'), ms)))]);
          clearTimeout(timer);
          return outcome;
        };
        expect(await within(db.database.transaction((client) => store.lockStreams(client, identityStreams)), 5000)).toBe('locked');
        // The same category still waits (the bucket of any new agency stream is held).
        const sameCategory = db.database.transaction((client) => store.lockStreams(client, [`police-test:${randomUUID()}`]));
        expect(await within(sameCategory, 500)).toBe('waiting');
        await first.query('COMMIT');
        await sameCategory;
      } finally {
        first.release();
      }
    });
  });

  describe('gap-free reads of the log', () => {
    it('does not read past a transaction still in flight, then reads both in log order', async () => {
      const start = await store.head();
      const slow = await db.database.pool.connect();
      try {
        await slow.query('BEGIN');
        const early = newEvent();
        await store.appendIn(slow, [{ streamId: `s-${randomUUID()}`, expectedVersion: 'any', events: [early] }]);
        const late = newEvent();
        await store.append([{ streamId: `s-${randomUUID()}`, expectedVersion: 'any', events: [late] }]);

        // The later commit is visible, but reading it now would skip `early` forever.
        const whileInFlight = await readLog(db.database, start);
        expect(whileInFlight.events.map((e) => e.eventId)).not.toContain(late.eventId);

        await slow.query('COMMIT');
        const after = await readLog(db.database, start);
        expect(after.events.map((e) => e.eventId)).toEqual([early.eventId, late.eventId]);
      } finally {
        slow.release();
      }
    });

    it('finds the head, and the end of a filtered read that matched nothing, in transaction order, also when transaction ids gain a digit', async () => {
      const appendOne = async (): Promise<number> => {
        const [outcome] = await store.append([{ streamId: `s-${randomUUID()}`, expectedVersion: 'any', events: [newEvent()] }]);
        if (outcome?.status !== 'appended') throw new Error(`not appended: ${outcome?.status}`);
        return outcome.globalPosition;
      };
      const first = await appendOne();
      const afterFirst = await store.head();
      expect(afterFirst.globalPosition).toBe(first);
      // Transaction ids are used up to the next power of ten, so the next append's has one more digit:
      // as text, it would sort before the first's.
      const client = await db.database.pool.connect();
      try {
        const xid = (await client.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid')).rows[0]!.xid;
        const burn = 10 ** xid.length - Number(xid);
        await client.query('SET synchronous_commit = off');
        await client.query(`DO $$ BEGIN FOR i IN 1..${burn} LOOP PERFORM pg_current_xact_id(); COMMIT; END LOOP; END $$`);
      } finally {
        client.release();
      }
      const second = await appendOne();
      const head = await store.head();
      expect(String(head.transactionId).length).toBeGreaterThan(String(afterFirst.transactionId).length);
      expect(head.globalPosition).toBe(second);
      const nothing = await readLog(db.database, logStart, { types: ['test.nobody.wrote.this.v1'] });
      expect(nothing).toEqual({ events: [], next: head });
    });
  });
});
