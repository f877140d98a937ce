import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestDatabase, hubTarget, type HubTarget, repoRoot, runHub, type RunningHub, startHubServer, startProjector, type TestDatabase, waitFor,
} from '@hub/testing';
import { expectConsistentHub } from './support/consistency';
import { areaFile, HttpPublishers, simulatedEvents, tokensFor, writeNdjson } from './support/load';

const countAgencyEvents = async (db: TestDatabase) =>
  Number((await db.database.query<{ n: string }>(`SELECT count(*) AS n FROM event_store.events WHERE source LIKE 'agency:%'`)).rows[0]!.n);

/** kill -9 of each process that writes: the hub server mid-request, the CLI mid-file, the projector mid-batch. */
describe('a process killed mid-work (SIGKILL), then started again', () => {
  let dir: string;
  const running: RunningHub[] = [];
  const databases: TestDatabase[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'faults-crash-'));
  });
  afterAll(async () => {
    await Promise.all(running.map((process) => process.kill()));
    await Promise.all(databases.map((db) => db.drop()));
    rmSync(dir, { recursive: true, force: true });
  });

  async function freshHub(prefix: string): Promise<{ db: TestDatabase; target: HubTarget }> {
    const db = await createTestDatabase(prefix);
    databases.push(db);
    const target = hubTarget(db.url);
    expect((await runHub(target, ['init', '--config', areaFile])).code).toBe(0);
    return { db, target };
  }

  it('hub serve killed while agencies post batches: they resend, every event ends up stored once', async () => {
    const { db, target } = await freshHub('faults_kill_serve');
    const events = simulatedEvents('faults-kill-serve', 600);
    let server = await startHubServer(target);
    running.push(server);
    const publishers = new HttpPublishers(server.url, await tokensFor(target, events), { batchSize: 25 });
    const publishing = publishers.publish(events);

    await waitFor(async () => (await countAgencyEvents(db)) >= events.length / 3, { timeoutMs: 60_000, intervalMs: 10, what: 'a third of the events stored' });
    await server.kill();
    const storedAtKill = await countAgencyEvents(db);
    server = await startHubServer(target);
    running.push(server);
    publishers.url = server.url;
    await publishing;
    await server.stop();

    expect(storedAtKill).toBeLessThan(events.length);
    expect(publishers.failures).toBeGreaterThan(0);
    expect([...publishers.rejected]).toEqual([]);
    const report = await expectConsistentHub(db.url, target.env.HUB_MASTER_KEY!, { accepted: publishers.accepted });
    expect(report.agencyEvents).toBe(events.length);
  });

  it('hub ingest killed mid-file: running it again stores the rest, nothing twice', async () => {
    const { db, target } = await freshHub('faults_kill_cli');
    const events = simulatedEvents('faults-kill-cli', 1500);
    const file = writeNdjson(join(dir, 'cli.ndjson'), events);
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'hub.js'), '--database-url', db.url, 'ingest', file], {
      env: { ...process.env, ...target.env }, stdio: 'ignore',
    });
    const exited = new Promise((done) => child.once('exit', done));
    await waitFor(async () => (await countAgencyEvents(db)) > 0, { timeoutMs: 60_000, intervalMs: 5, what: 'the first stored events' });
    child.kill('SIGKILL');
    await exited;
    const storedAtKill = await countAgencyEvents(db);
    expect(storedAtKill).toBeLessThan(events.length);

    const again = await runHub(target, ['ingest', file], { timeoutMs: 120_000 });
    const summary = again.json<{ accepted: number; duplicates: number; rejected: number; errors: { id: string | null }[] }>();
    expect(summary).toMatchObject({ rejected: 0, duplicates: storedAtKill, accepted: events.length - storedAtKill });
    await expectConsistentHub(db.url, target.env.HUB_MASTER_KEY!, { accepted: events.map((e) => e.id) });
  });

  it('the projector killed mid-batch: a new one resumes from the last checkpoint, nothing applied twice or lost', async () => {
    const { db, target } = await freshHub('faults_kill_projector');
    const events = simulatedEvents('faults-kill-projector', 1500);
    expect((await runHub(target, ['ingest', writeNdjson(join(dir, 'projector.ndjson'), events)], { timeoutMs: 120_000 })).code).toBe(0);
    const checkpoint = async () => Number((await db.database.query<{ p: string | null }>(
      `SELECT max(global_position) AS p FROM event_store.checkpoints WHERE subscriber LIKE 'projection:alert-processor@%'`)).rows[0]!.p ?? 0);
    const head = Number((await db.database.query<{ p: string }>('SELECT max(global_position) AS p FROM event_store.events')).rows[0]!.p);

    let projector = await startProjector(target);
    running.push(projector);
    // Small pages are committed one by one; the kill lands while one is being applied.
    const atKill = await waitFor(async () => { const p = await checkpoint(); return p > 0 && p; }, { timeoutMs: 60_000, intervalMs: 5, what: 'the first page applied' });
    await projector.kill();
    expect(atKill).toBeLessThan(head);

    projector = await startProjector(target);
    running.push(projector);
    await waitFor(async () => (await projectionsBehind(db)).length === 0, { timeoutMs: 120_000, intervalMs: 100, what: `the new projector at the head (${projector.output().slice(-1000)})` });
    await projector.stop();
    await expectConsistentHub(db.url, target.env.HUB_MASTER_KEY!, { accepted: events.map((e) => e.id) });
  });
});

/** Registered projections whose checkpoint is short of the log's head. */
async function projectionsBehind(db: TestDatabase): Promise<string[]> {
  const { rows } = await db.database.query<{ name: string }>(
    `SELECT r.name FROM projections.registry r LEFT JOIN event_store.checkpoints c ON c.subscriber = 'projection:' || r.name || '@g' || r.generation
     WHERE c.subscriber IS NULL OR (c.transaction_id, c.global_position) < (
       SELECT transaction_id, global_position FROM event_store.events ORDER BY transaction_id DESC, global_position DESC LIMIT 1)`,
  );
  return rows.map((row) => row.name);
}
