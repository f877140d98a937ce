import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activeSchemaOf } from '@hub/projections';
import { createTestDatabase, hubTarget, type HubTarget, runHub, type TestDatabase } from '@hub/testing';
import { expectConsistentHub } from './support/consistency';
import { areaFile, simulatedEvents, writeNdjson } from './support/load';

/** The check every fault case ends with catches what it is there to catch. */
describe('the consistency check', () => {
  let dir: string;
  let db: TestDatabase;
  let target: HubTarget;
  let ids: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'faults-check-'));
    db = await createTestDatabase('faults_check');
    target = hubTarget(db.url);
    expect((await runHub(target, ['init', '--config', areaFile])).code).toBe(0);
    const events = simulatedEvents('faults-consistency-check', 400);
    ids = events.map((e) => e.id);
    expect((await runHub(target, ['ingest', writeNdjson(join(dir, 'events.ndjson'), events)], { timeoutMs: 120_000 })).code).toBe(0);
  });
  afterAll(async () => {
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes on an undisturbed hub, having compared every projection and some alerts', async () => {
    const report = await expectConsistentHub(db.url, target.env.HUB_MASTER_KEY!, { accepted: ids });
    expect(report.agencyEvents).toBe(ids.length);
    expect(report.alerts).toBeGreaterThan(0);
    expect(report.projections.map((p) => p.name)).toEqual(expect.arrayContaining(['alert-processor', 'alerts', 'review-processor', 'review-queue']));
    expect(report.projections.find((p) => p.name === 'alerts')!.rows).toBeGreaterThan(0);
  });

  it('names an accepted event missing from the log, and one in the log that was never accepted', async () => {
    await expect(expectConsistentHub(db.url, target.env.HUB_MASTER_KEY!, { accepted: [...ids.slice(1), 'never-stored-id'] }))
      .rejects.toThrow(/1 of \d+ accepted events are not in the log, e\.g\. never-stored-id[\s\S]*1 events in the log were never sent or were rejected/);
  });

  it('names a projection table that differs from a fresh rebuild', async () => {
    const schema = await activeSchemaOf(db.database, 'alerts');
    await db.database.query(`UPDATE ${schema}.alerts SET status = 'closed' WHERE alert_id = (SELECT min(alert_id) FROM ${schema}.alerts)`);
    await expect(expectConsistentHub(db.url, target.env.HUB_MASTER_KEY!, { accepted: ids }))
      .rejects.toThrow(/projection alerts, table alerts: \d+ rows live, \d+ in a fresh rebuild; live only: .*"status": "closed"/);
  });
});
