import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase, waitFor } from '@hub/testing';
import { LogSubscription, PostgresEventStore, readLog, type StoredEvent, logStart } from '@hub/event-store';

describe('LogSubscription under concurrent writers', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    await PostgresEventStore.install(db.database);
    store = new PostgresEventStore(db.database);
  });
  afterAll(async () => db.drop());

  it('sees every one of 50k events from 16 writers exactly once, in log order, while following live', async () => {
    const writers = 16;
    const perWriter = 3125; // 16 x 3125 = 50,000
    const seen: StoredEvent[] = [];
    const subscription = new LogSubscription(db.database, {
      from: logStart, batchSize: 500, idlePollMs: 50,
      handle: async (events) => {
        seen.push(...events);
      },
    });
    await subscription.start();
    try {
    await Promise.all(Array.from({ length: writers }, async (_, writer) => {
      let written = 0;
      let batchNo = 0;
      while (written < perWriter) {
        // Batches of varied size over a few shared streams, so writers contend for stream locks.
        const size = Math.min(perWriter - written, 1 + ((writer * 31 + batchNo * 17) % 120));
        const events = Array.from({ length: size }, (_, i) => ({
          eventId: randomUUID(), type: 'test.counted.v1', source: `agency:writer-${writer}`, subject: null,
          occurredAt: new Date().toISOString(), data: { writer, n: written + i },
        }));
        const streamId = `shared-${(writer + batchNo) % 5}`;
        await store.append([{ streamId, expectedVersion: 'any', events }]);
        written += size;
        batchNo += 1;
      }
    }));

    await waitFor(() => seen.length >= writers * perWriter, { timeoutMs: 60_000, what: 'the subscriber to see 50k events' });
    await subscription.idle();
    } finally {
      await subscription.stop();
    }

    expect(seen).toHaveLength(writers * perWriter);
    expect(new Set(seen.map((e) => e.eventId)).size).toBe(writers * perWriter);

    // Log order: what a fresh reader sees after all commits is exactly what the live subscriber saw.
    const replayed: StoredEvent[] = [];
    let checkpoint = logStart;
    for (;;) {
      const page = await readLog(db.database, checkpoint, { limit: 5000 });
      if (page.events.length === 0) break;
      replayed.push(...page.events);
      checkpoint = page.next;
    }
    expect(seen.map((e) => e.globalPosition)).toEqual(replayed.map((e) => e.globalPosition));

    // Each writer's events arrive in the order it wrote them, and stream positions have no holes.
    for (let writer = 0; writer < writers; writer++) {
      const ns = seen.filter((e) => e.data.writer === writer).map((e) => e.data.n as number);
      expect(ns).toEqual(Array.from({ length: perWriter }, (_, i) => i));
    }
    for (let stream = 0; stream < 5; stream++) {
      const positions = seen.filter((e) => e.streamId === `shared-${stream}`).map((e) => e.streamPosition).sort((a, b) => a - b);
      expect(positions).toEqual(Array.from({ length: positions.length }, (_, i) => i + 1));
    }
  }, 120_000);
});
