import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudEvent } from '@hub/kernel';
import { hubTarget, type HubTarget, runHub, type RunningHub, startHubServer, waitFor } from '@hub/testing';
import { Client } from 'pg';
import { expectConsistentHub } from './support/consistency';
import { agencyOf, areaFile, HttpPublishers, simulatedEvents, tokensFor } from './support/load';
import { OwnPostgres } from './support/own-postgres';

/** Faults of PostgreSQL itself, on a server of this file's own: stopped under load, and out of disk. */
describe('PostgreSQL faults under load', () => {
  let postgres: OwnPostgres;
  const servers: RunningHub[] = [];

  beforeAll(async () => {
    postgres = await OwnPostgres.start();
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.kill()));
    await postgres?.destroy();
  });

  async function hubOn(name: string): Promise<{ url: string; target: HubTarget; count(): Promise<number>; server: RunningHub }> {
    const url = await postgres.createDatabase(name);
    const target = hubTarget(url);
    expect((await runHub(target, ['init', '--config', areaFile])).code).toBe(0);
    const server = await startHubServer(target);
    servers.push(server);
    const count = async () => {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        return Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM event_store.events WHERE source LIKE 'agency:%'`)).rows[0]!.n);
      } finally {
        await client.end();
      }
    };
    return { url, target, count, server };
  }

  it('stopped and started again while agencies post: the hub answers 503 meanwhile, then stores every event once', async () => {
    const { url, target, count, server } = await hubOn('faults_pg_restart');
    const events = simulatedEvents('faults-pg-restart', 600);
    const publishers = new HttpPublishers(server.url, await tokensFor(target, events), { batchSize: 25 });
    const publishing = publishers.publish(events);

    await waitFor(async () => (await count()) >= events.length / 3, { timeoutMs: 60_000, intervalMs: 20, what: 'a third of the events stored' });
    await postgres.stop();
    try {
      const failuresBefore = publishers.failures;
      // While it is down, the hub says so (and stays up): /health and the agencies' posts.
      const health = await fetch(`${server.url}/health`).catch((error: Error) => {
        throw new Error(`hub serve no longer answers with PostgreSQL down (${error.message}); its log:\n${server.output().slice(-3000)}`);
      });
      expect(health.status).toBe(503);
      await waitFor(() => publishers.failures > failuresBefore, { what: 'an agency\'s post refused while PostgreSQL is down' });
    } finally {
      await postgres.start();
    }

    await publishing;
    expect(server.process.exitCode).toBeNull();
    await waitFor(async () => (await fetch(`${server.url}/health`)).ok, { what: 'the hub healthy again' });
    await server.stop();
    expect([...publishers.rejected]).toEqual([]);
    const report = await expectConsistentHub(url, target.env.HUB_MASTER_KEY!, { accepted: publishers.accepted });
    expect(report.agencyEvents).toBe(events.length);
  });

  /**
   * The event table on a tablespace of its own on a 1 MB tmpfs (as root; the container allows
   * `mount -t tmpfs`). Without the right to mount, the closest thing: a trigger that fails inserts
   * with PostgreSQL's own disk-full error once the table holds some events.
   */
  it('out of disk: a clear 507 naming the cause, nothing of the failing batch stored, and all well once space is freed', async () => {
    const { url, target, count, server } = await hubOn('faults_disk_full');
    const events = simulatedEvents('faults-disk-full', 800);
    const tokens = await tokensFor(target, events);
    const full = await fillUp(url);
    try {
      const post = (batch: readonly CloudEvent[]) => fetch(`${server.url}/v1/events`, {
        method: 'POST', body: JSON.stringify(batch),
        headers: { 'content-type': 'application/cloudevents-batch+json', authorization: `Bearer ${tokens.get(agencyOf(batch[0]!))}` },
      });
      const accepted = new Set<string>();
      let refused: { status: number; body: { error: { code: string; message: string } }; batch: CloudEvent[] } | undefined;
      const byAgency = new Map<string, CloudEvent[]>();
      for (const event of events) byAgency.set(agencyOf(event), [...(byAgency.get(agencyOf(event)) ?? []), event]);
      for (const own of byAgency.values()) {
        for (let start = 0; start < own.length && !refused; start += 40) {
          const batch = own.slice(start, start + 40);
          const response = await post(batch);
          if (response.status === 200) {
            ((await response.json()) as { results: { index: number; status: string }[] }).results
              .filter((r) => r.status !== 'rejected').forEach((r) => accepted.add(batch[r.index]!.id));
          } else {
            refused = { status: response.status, body: (await response.json()) as never, batch };
          }
        }
      }
      expect(refused).toBeDefined();
      expect(refused!.status).toBe(507);
      expect(refused!.body.error).toEqual({ code: 'HUB.STORAGE_FULL', message: expect.stringContaining('storage is full: nothing from this request was stored') });
      expect(await idsStored(url, refused!.batch.map((e) => e.id))).toEqual([]);
      expect((await fetch(`${server.url}/health`)).ok).toBe(true);
      expect(await count()).toBe(accepted.size);

      await full.free();
      const again = await post(refused!.batch);
      expect(again.status).toBe(200);
      refused!.batch.forEach((e) => accepted.add(e.id));
      await server.stop();
      const report = await expectConsistentHub(url, target.env.HUB_MASTER_KEY!, { accepted });
      expect(report.agencyEvents).toBe(accepted.size);
      if (process.env.FAULTS_STATS) console.log({ diskFull: full.how, storedBeforeFull: accepted.size - refused!.batch.length });
    } finally {
      await full.free();
    }
  });

  async function idsStored(url: string, ids: readonly string[]): Promise<string[]> {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<{ event_id: string }>('SELECT event_id FROM event_store.events WHERE event_id = ANY($1::text[])', [ids])).rows.map((r) => r.event_id);
    } finally {
      await client.end();
    }
  }

  /** Puts the event table where it will run out of space; `free()` gives it room again. */
  async function fillUp(url: string): Promise<{ how: string; free(): Promise<void> }> {
    const client = new Client({ connectionString: url });
    await client.connect();
    const mountPoint = mkdtempSync(join(tmpdir(), 'faults-tiny-'));
    let mounted = false;
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint], { stdio: 'ignore' });
      mounted = true;
    } catch {
      // Not allowed to mount here: the trigger below stands in.
    }
    let freed = false;
    const release = async (sql: string, then: () => Promise<void> = async () => undefined) => {
      if (freed) return;
      freed = true;
      await client.query(sql);
      await client.end();
      await then();
      // Lazy: a backend may still hold a descriptor of the old files until it next looks.
      if (mounted) execFileSync('umount', ['-l', mountPoint]);
      rmSync(mountPoint, { recursive: true, force: true });
    };
    if (mounted) {
      const postgresUid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
      chownSync(mountPoint, postgresUid, postgresUid);
      await postgres.admin(`CREATE TABLESPACE tiny_${process.pid} LOCATION '${mountPoint}'`);
      await client.query(`ALTER TABLE event_store.events SET TABLESPACE tiny_${process.pid}`);
      return {
        how: 'tablespace on a 1 MB tmpfs',
        free: () => release('ALTER TABLE event_store.events SET TABLESPACE pg_default', () => postgres.admin(`DROP TABLESPACE tiny_${process.pid}`)),
      };
    }
    await client.query(`
      CREATE FUNCTION event_store.faults_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (SELECT count(*) FROM event_store.events) >= 300 THEN
          RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER faults_disk_full BEFORE INSERT ON event_store.events FOR EACH ROW EXECUTE FUNCTION event_store.faults_disk_full();`);
    return {
      how: 'trigger raising disk_full (mount not permitted)',
      free: () => release('DROP TRIGGER faults_disk_full ON event_store.events; DROP FUNCTION event_store.faults_disk_full()'),
    };
  }
});
