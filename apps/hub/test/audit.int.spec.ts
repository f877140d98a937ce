import { DisclosureLogRepository, type DisclosureInput } from '@hub/sharing';
import { type HubHttp, serveHubOverHttp } from './support/hub-http';
import { openTestHub, type TestHub } from './support/test-hub';

const disclosure = (n: number, recipient: string): DisclosureInput => ({
  at: `2026-03-0${n}T10:00:00.000Z`, recipient, purpose: 'near-miss-alerting', agreementId: 'dsa-northshire-cdp',
  clause: 'dsa-northshire-cdp v1 / near-miss-alerting', personRefs: [`person-${n}`], fields: ['personRef', 'releasedOn'], channel: 'alert',
});

describe('the disclosure log: append-only, tamper-evident, GET /v1/audit for data protection officers', () => {
  let t: TestHub;
  let http: HubHttp;
  let log: DisclosureLogRepository;

  const get = (who: string, path: string, purpose?: string) => http.call(who, path, purpose ? { purpose } : {});

  beforeAll(async () => {
    t = await openTestHub();
    log = new DisclosureLogRepository(t.hub.database);
    for (const [n, recipient] of [[1, 'treatment-northshire-recovery'], [2, 'probation-northshire'], [3, 'treatment-northshire-recovery']] as const) {
      await log.append(disclosure(n, recipient));
    }
    await log.append({ kind: 'erasure', at: '2026-03-04T10:00:00.000Z', requestedBy: 'cli:dpo', personRefs: ['person-1'], subjectStreams: 2, keysDeleted: 2 });
    http = await serveHubOverHttp(t.hub);
  });
  afterAll(async () => {
    await http.close();
    await t.close();
  });

  it('a DPO reads the disclosures made to their own agency, for purpose data-protection only', async () => {
    expect(await get('probation-northshire', '/v1/audit')).toMatchObject({ status: 400, body: { error: { code: 'REQUEST.PURPOSE_REQUIRED' } } });
    expect(await get('probation-northshire', '/v1/audit', 'near-miss-alerting')).toMatchObject({ status: 400, body: { error: { code: 'REQUEST.UNKNOWN_PURPOSE' } } });
    const { status, body } = await get('treatment-northshire-recovery', '/v1/audit', 'data-protection');
    expect(status).toBe(200);
    expect(body.entries.map((e: { sequence: number; personRefs: string[] }) => [e.sequence, e.personRefs])).toEqual([[1, ['person-1']], [3, ['person-3']]]);
    expect(body.next).toBeNull();
  });

  it('the administrator reads the whole log, erasures included, page by page, and has it verified', async () => {
    const page = await get('admin', '/v1/audit?limit=2&purpose=data-protection');
    expect(page.body).toMatchObject({ entries: [{ sequence: 1 }, { sequence: 2 }], next: 2 });
    const rest = await get('admin', '/v1/audit?after=2&purpose=data-protection');
    expect(rest.body.entries).toEqual([expect.objectContaining({ sequence: 3 }), expect.objectContaining({ sequence: 4, kind: 'erasure', personRefs: ['person-1'] })]);
    expect(await get('admin', '/v1/audit?limit=5000&purpose=data-protection')).toMatchObject({ status: 400, body: { error: { message: 'limit: "5000" must be a whole number from 1 to 1000' } } });
    expect(await get('admin', '/v1/audit/verify', 'data-protection')).toMatchObject({ status: 200, body: { ok: true, entries: 4 } });
    expect(await get('probation-northshire', '/v1/audit/verify', 'data-protection')).toMatchObject({ status: 403 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE: the table is append-only', async () => {
    await expect(t.hub.database.query(`UPDATE sharing.disclosure_log SET entry = entry WHERE sequence = 1`)).rejects.toThrow('append-only');
    await expect(t.hub.database.query(`DELETE FROM sharing.disclosure_log WHERE sequence = 4`)).rejects.toThrow('append-only');
    await expect(t.hub.database.query(`TRUNCATE sharing.disclosure_log`)).rejects.toThrow('append-only');
  });

  it('a superuser who bypasses the trigger and alters one entry is found: verify names that entry', async () => {
    await tamper(t, `UPDATE sharing.disclosure_log SET entry = jsonb_set(entry, '{recipient}', '"police-northshire"') WHERE sequence = 2`);
    expect(await log.verify()).toMatchObject({ ok: false, firstBrokenSequence: 2, reason: expect.stringContaining('entry 2') });
    expect(await get('admin', '/v1/audit/verify', 'data-protection')).toMatchObject({ body: { ok: false, firstBrokenSequence: 2 } });
  });
});

/** As an attacker with database superuser rights would: with triggers off for the session. */
async function tamper(t: TestHub, sql: string): Promise<void> {
  await t.hub.database.transaction(async (client) => {
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query(sql);
  });
}
