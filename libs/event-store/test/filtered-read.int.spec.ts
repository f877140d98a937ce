import { randomUUID } from 'node:crypto';
import type { Queryable } from '@hub/database';
import { checkpointOf, type NewEvent, PostgresEventStore, readLog } from '@hub/event-store';
import { createTestDatabase, type TestDatabase } from '@hub/testing';

const event = (type: string): NewEvent => ({ eventId: randomUUID(), type, source: 'agency:test', subject: 'S1', occurredAt: '2025-03-03T09:00:00.000Z', data: {} });

describe('readLog with a type filter', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    await PostgresEventStore.install(db.database);
    store = new PostgresEventStore(db.database);
  });
  afterAll(async () => db.drop());

  it('never skips past a matching event that commits while it reads (the skip-ahead uses the page\'s horizon)', async () => {
    const before = await store.head();
    await store.append([{ streamId: `s-${randomUUID()}`, expectedVersion: 'any', events: [event('test.other.happened.v1')] }]);
    const other = await store.head();
    let committedDuringRead = false;
    const racing: Queryable = {
      query: async (text, values) => {
        const result = await db.database.query(text, values);
        if (!committedDuringRead) {
          committedDuringRead = true;
          await store.append([{ streamId: `s-${randomUUID()}`, expectedVersion: 'any', events: [event('test.wanted.happened.v1')] }]);
        }
        return result as never;
      },
    };
    const first = await readLog(racing, before, { types: ['test.wanted.happened.v1'] });
    expect(committedDuringRead).toBe(true);
    expect(first.events).toEqual([]);
    expect(first.next).toEqual(other);
    const second = await readLog(db.database, first.next, { types: ['test.wanted.happened.v1'] });
    expect(second.events.map((e) => e.type)).toEqual(['test.wanted.happened.v1']);
    expect(checkpointOf(second.events[0]!)).toEqual(second.next);
  });
});
