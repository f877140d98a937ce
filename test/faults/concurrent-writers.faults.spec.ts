import { createTestDatabase, hubTarget, runHub, type RunningHub, startHubServer, type TestDatabase } from '@hub/testing';
import type { CloudEvent } from '@hub/kernel';
import { expectConsistentHub } from './support/consistency';
import { areaFile, HttpPublishers, simulatedEvents, tokensFor } from './support/load';

const writers = 64;

/**
 * 64 writers at once on overlapping streams: the events of one person's stream are spread over
 * many writers, and every event is sent by two of them, so appends to one stream and duplicates
 * of one event race each other.
 */
describe('64 concurrent writers on overlapping streams', () => {
  let db: TestDatabase;
  let server: RunningHub | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('faults_writers');
  });
  afterAll(async () => {
    await server?.kill();
    await db?.drop();
  });

  it('stores every event once, each stream gap-free, and answers every writer', async () => {
    const target = hubTarget(db.url);
    expect((await runHub(target, ['init', '--config', areaFile])).code).toBe(0);
    const events = simulatedEvents('faults-writers', 500);
    server = await startHubServer(target);
    const tokens = await tokensFor(target, events);
    const shares: CloudEvent[][] = Array.from({ length: writers }, () => []);
    events.forEach((event, i) => {
      shares[i % writers]!.push(event);
      shares[(i + 17) % writers]!.push(event);
    });
    const publishers = shares.map(() => new HttpPublishers(server!.url, tokens, { batchSize: 5 }));
    await Promise.all(publishers.map((publisher, i) => publisher.publish(shares[i]!)));
    await server.stop();

    expect(publishers.flatMap((p) => [...p.rejected])).toEqual([]);
    expect(publishers.reduce((n, p) => n + p.failures, 0)).toBe(0);
    const accepted = new Set(publishers.flatMap((p) => [...p.accepted]));
    expect(accepted.size).toBe(events.length);
    const { rows: gaps } = await db.database.query<{ stream_id: string }>(
      `SELECT stream_id FROM event_store.events GROUP BY stream_id HAVING max(stream_position) <> count(*) OR min(stream_position) <> 1`,
    );
    expect(gaps).toEqual([]);
    const { rows: [shared] } = await db.database.query<{ n: string }>(
      `SELECT count(*) AS n FROM (SELECT stream_id FROM event_store.events WHERE source LIKE 'agency:%' GROUP BY 1 HAVING count(*) > 1) s`,
    );
    expect(Number(shared!.n)).toBeGreaterThan(50);
    const report = await expectConsistentHub(db.url, target.env.HUB_MASTER_KEY!, { accepted });
    expect(report.agencyEvents).toBe(events.length);
  });
});
