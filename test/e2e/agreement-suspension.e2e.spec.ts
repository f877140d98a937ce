import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CloudEvent } from '@hub/kernel';
import { createTestDatabase, hubTarget, type HubTarget, runHub, sharedDir, startHubServer, type RunningHub, type TestDatabase } from '@hub/testing';

const scenarioDir = resolve(sharedDir, 'scenarios');
const areaFile = resolve(scenarioDir, 'area.json');
const scenarioFile = resolve(scenarioDir, 'continuity-basic.ndjson');
const scenario = readFileSync(scenarioFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as CloudEvent);
const agreementId = (JSON.parse(readFileSync(areaFile, 'utf8')) as { agreements: { id: string }[] }).agreements[0]!.id;

/**
 * Suspension stops sharing at once across API replicas: one `hub serve` records the suspension, the
 * other refuses the very next read (each read checks the committed agreements, no cache to expire).
 */
describe('an agreement suspended through one hub serve stops sharing at once on another (built CLI and HTTP)', () => {
  let db: TestDatabase;
  let target: HubTarget;
  let first: RunningHub;
  let replica: RunningHub;
  const tokens = new Map<string, string>();

  const tokenOf = async (who: string) => {
    if (!tokens.has(who)) {
      const result = await runHub(target, who === 'admin' ? ['admin-token'] : ['token', '--agency', who]);
      expect(result.code).toBe(0);
      tokens.set(who, result.stdout.trim());
    }
    return tokens.get(who)!;
  };
  const report = async (server: RunningHub) => {
    const response = await fetch(`${server.url}/v1/reports/continuity-of-care?from=2025-01-01&to=2025-12-31&groupBy=month`, {
      headers: { authorization: `Bearer ${await tokenOf('treatment-northshire-recovery')}`, 'x-purpose': 'continuity-of-care' },
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const change = async (server: RunningHub, who: string, action: string, reason: string) => {
    const response = await fetch(`${server.url}/v1/agreements/${agreementId}/${action}`, {
      method: 'POST', headers: { authorization: `Bearer ${await tokenOf(who)}`, 'content-type': 'application/json' }, body: JSON.stringify({ reason }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  beforeAll(async () => {
    db = await createTestDatabase('hub_e2e_suspension');
    target = hubTarget(db.url);
    expect((await runHub(target, ['init', '--config', areaFile])).code).toBe(0);
    expect((await runHub(target, ['ingest', scenarioFile])).json()).toMatchObject({ accepted: scenario.length, rejected: 0 });
    first = await startHubServer(target);
    replica = await startHubServer(target, { HUB_ROLE: 'api' });
  });
  afterAll(async () => {
    await replica?.stop();
    await first?.stop();
    await db.drop();
  });

  it('a party suspends on one server; the next read on the other is refused; the administrator reactivates and sharing resumes', async () => {
    const before = await report(replica);
    expect(before.status).toBe(200);
    expect(before.body.rows.length).toBeGreaterThan(0);

    expect(await change(first, 'probation-northshire', 'suspend', 'data quality incident'))
      .toMatchObject({ status: 200, body: { agreement: { id: agreementId, status: 'suspended', changedBy: 'probation-northshire' } } });
    for (const server of [replica, first]) {
      expect(await report(server)).toEqual({
        status: 403,
        body: { error: { code: 'ACCESS.DENIED', message: expect.stringContaining('treatment-northshire-recovery is not a recipient for purpose continuity-of-care under any active agreement') } },
      });
    }
    // Resuming is the administrator's, not a party's.
    expect(await change(replica, 'probation-northshire', 'activate', 'incident closed')).toMatchObject({ status: 403 });
    expect(await change(replica, 'admin', 'activate', 'incident closed')).toMatchObject({ status: 200, body: { agreement: { status: 'active', changedBy: 'hub-admin' } } });
    const after = await report(first);
    expect(after.status).toBe(200);
    expect(after.body.rows).toEqual(before.body.rows);
  });
});
