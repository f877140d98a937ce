import { type Agreement, type AreaConfig, ManualClock } from '@hub/kernel';
import { InitAreaCommand } from '../src/use-cases/init-area/init-area.command';
import { InitAreaHandler } from '../src/use-cases/init-area/init-area.handler';
import { type HubHttp, serveHubOverHttp } from './support/hub-http';
import { demoArea, openTestHub, type TestHub } from './support/test-hub';

/** A second agreement, for near-miss alerting between the ambulance service and one treatment provider only. */
const pilot: Agreement = {
  id: 'dsa-overdose-pilot', title: 'Overdose follow-up pilot', version: 1, status: 'draft',
  effectiveFrom: '2026-01-01', effectiveTo: '2026-06-30', reviewOn: '2026-04-01', respectsNationalDataOptOut: true,
  purposes: [{
    purpose: 'near-miss-alerting', lawfulBasis: 'UK GDPR Art 6(1)(e); Art 9(2)(h)', providers: ['nhs-northshire-ambulance'],
    recipients: ['treatment-corbury-cgl'], eventTypes: ['nhs.non-fatal-overdose.recorded.v1'], personLevel: true, retentionDays: 365,
  }],
};

describe('GET/POST /v1/agreements: the agreement lifecycle through the API, with automatic expiry', () => {
  let t: TestHub;
  let http: HubHttp;
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  let area: AreaConfig;

  const call: HubHttp['call'] = (...args) => http.call(...args);
  const noticesTo = async (agencyId: string) => (await t.hub.database.query<{ events: { type: string; data: Record<string, unknown> }[] }>(
    'SELECT events FROM outbox.deliveries WHERE agency_id = $1 ORDER BY position', [agencyId],
  )).rows.flatMap((row) => row.events).filter((e) => e.data.agreementId === pilot.id);
  const historyOf = async (agreementId: string) => (await t.hub.store.readStream(`agreement-${agreementId}`))
    .map((e) => ({ type: e.type, by: e.data.by, reason: e.data.reason }));
  const grantsCorbury = async () => (await call('treatment-corbury-cgl', '/v1/alerts', { purpose: 'near-miss-alerting' })).status;

  beforeAll(async () => {
    area = { ...demoArea, agreements: demoArea.agreements.map((a) => ({ ...a, purposes: a.purposes.map((p) => (p.purpose === 'near-miss-alerting' ? { ...p, recipients: p.recipients.filter((r) => r !== 'treatment-corbury-cgl') } : p)) })) };
    t = await openTestHub({ clock, area });
    http = await serveHubOverHttp(t.hub);
  });
  afterAll(async () => {
    await http.close();
    await t.close();
  });

  it('lists what hub init recorded, with review dates, to a party for data-protection; a read names its purpose', async () => {
    expect(await call('probation-northshire', '/v1/agreements')).toMatchObject({ status: 400, body: { error: { code: 'REQUEST.PURPOSE_REQUIRED' } } });
    const { status, body } = await call('probation-northshire', '/v1/agreements', { purpose: 'data-protection' });
    expect(status).toBe(200);
    expect(body).toEqual([expect.objectContaining({
      id: 'dsa-northshire-cdp', version: 1, status: 'active', inForce: true, reviewOn: demoArea.agreements[0]!.reviewOn, reviewDue: false, changedBy: 'test',
    })]);
    expect(body[0].purposes.map((p: { purpose: string }) => p.purpose)).toContain('continuity-of-care');
  });

  it('only the administrator creates an agreement, as a draft, with who and why; every party hears of it', async () => {
    expect(await call('treatment-corbury-cgl', '/v1/agreements', { method: 'POST', body: { agreement: pilot, reason: 'pilot signed' } }))
      .toMatchObject({ status: 403, body: { error: { code: 'ACCESS.NOT_AGREEMENT_ADMINISTRATOR' } } });
    expect(await call('admin', '/v1/agreements', { method: 'POST', body: { agreement: pilot } }))
      .toMatchObject({ status: 400, body: { error: { code: 'REQUEST.INVALID_BODY', message: expect.stringContaining('reason') } } });
    expect(await call('admin', '/v1/agreements', { method: 'POST', body: { agreement: { ...pilot, effectiveTo: '2026-13-01' }, reason: 'pilot signed' } }))
      .toMatchObject({ status: 422, body: { error: { code: 'AGREEMENT.INVALID_TERMS', message: expect.stringContaining('effectiveTo "2026-13-01"') } } });
    const created = await call('admin', '/v1/agreements', { method: 'POST', body: { agreement: pilot, reason: 'pilot signed by both parties' } });
    expect(created).toMatchObject({ status: 201, body: { recorded: 1, agreement: { id: pilot.id, status: 'draft', inForce: false, changedBy: 'hub-admin' } } });
    expect(await call('admin', '/v1/agreements', { method: 'POST', body: { agreement: pilot, reason: 'again' } }))
      .toMatchObject({ status: 409, body: { error: { code: 'AGREEMENT.CONFLICT' } } });
    expect((await noticesTo('treatment-corbury-cgl')).map((n) => [n.type, n.data.status, n.data.receivesFor]))
      .toEqual([['hub.agreement.changed.v1', 'draft', ['near-miss-alerting']]]);
    expect(await grantsCorbury()).toBe(403); // a draft shares nothing
  });

  it('activation starts the sharing at once; a party may suspend it, which stops it at once; an outsider may not', async () => {
    expect(await call('admin', `/v1/agreements/${pilot.id}/activate`, { method: 'POST', body: { reason: 'DPIA approved' } }))
      .toMatchObject({ status: 200, body: { agreement: { status: 'active', inForce: true } } });
    expect(await grantsCorbury()).toBe(200);
    expect(await call('police-northshire', `/v1/agreements/${pilot.id}/suspend`, { method: 'POST', body: { reason: 'why not' } }))
      .toMatchObject({ status: 403, body: { error: { message: 'police-northshire is not a party to agreement dsa-overdose-pilot, so it may not suspend it' } } });
    expect(await call('treatment-corbury-cgl', `/v1/agreements/${pilot.id}/suspend`, { method: 'POST', body: { reason: 'wrong recipient team' } }))
      .toMatchObject({ status: 200, body: { agreement: { status: 'suspended' } } });
    expect(await grantsCorbury()).toBe(403);
    expect(await call('treatment-corbury-cgl', `/v1/agreements/${pilot.id}/activate`, { method: 'POST', body: { reason: 'fixed' } })).toMatchObject({ status: 403 });
    expect(await call('admin', `/v1/agreements/${pilot.id}/suspend`, { method: 'POST', body: { reason: 'twice' } }))
      .toMatchObject({ status: 409, body: { error: { code: 'AGREEMENT.INVALID_TRANSITION' } } });
    expect(await call('admin', `/v1/agreements/${pilot.id}/activate`, { method: 'POST', body: { reason: 'recipient team corrected' } })).toMatchObject({ status: 200 });
  });

  it('a new version changes the terms and is announced; the outsider only sees agreements it is party to', async () => {
    const terms = { ...pilot, reviewOn: '2026-05-01' };
    const revised = await call('admin', `/v1/agreements/${pilot.id}/versions`, { method: 'POST', body: { terms, reason: 'review moved' } });
    expect(revised).toMatchObject({ status: 200, body: { agreement: { version: 2, status: 'active', reviewOn: '2026-05-01' } } });
    expect((await call('police-northshire', '/v1/agreements', { purpose: 'data-protection' })).body.map((a: { id: string }) => a.id)).toEqual(['dsa-northshire-cdp']);
    expect((await call('admin', `/v1/agreements/${pilot.id}`, { purpose: 'data-protection' })).body).toMatchObject({ version: 2 });
    expect(await call('police-northshire', `/v1/agreements/${pilot.id}`, { purpose: 'data-protection' })).toMatchObject({ status: 404 });
  });

  it('expires by itself once effectiveTo has passed: sharing stops that day, and the clock records it once, telling every party', async () => {
    clock.set('2026-06-30T22:59:00Z'); // 23:59 on 30 June in London: the last day
    await t.engine.catchUp();
    expect(await grantsCorbury()).toBe(200);
    clock.set('2026-06-30T23:00:00Z'); // midnight in London: 1 July
    expect(await grantsCorbury()).toBe(403); // the policy denies from that day, before anything is recorded
    await t.engine.catchUp();
    await t.engine.catchUp();
    const { body } = await call('admin', `/v1/agreements/${pilot.id}`, { purpose: 'data-protection' });
    expect(body).toMatchObject({ status: 'expired', changedBy: 'hub:clock', inForce: false });
    expect(await historyOf(pilot.id)).toEqual([
      { type: 'hub.agreement.registered.v1', by: 'hub-admin', reason: 'pilot signed by both parties' },
      { type: 'hub.agreement.activated.v1', by: 'hub-admin', reason: 'DPIA approved' },
      { type: 'hub.agreement.suspended.v1', by: 'treatment-corbury-cgl', reason: 'wrong recipient team' },
      { type: 'hub.agreement.activated.v1', by: 'hub-admin', reason: 'recipient team corrected' },
      { type: 'hub.agreement.revised.v1', by: 'hub-admin', reason: 'review moved' },
      { type: 'hub.agreement.expired.v1', by: 'hub:clock', reason: 'effectiveTo 2026-06-30 has passed (today is 2026-07-01)' },
    ]);
    expect((await noticesTo('nhs-northshire-ambulance')).map((n) => n.data.status)).toEqual(['draft', 'active', 'suspended', 'active', 'active', 'expired']);
  });

  it('hub init keeps working: reloading the area file records nothing and leaves the API\'s agreements alone', async () => {
    expect(await new InitAreaHandler(t.hub).execute(new InitAreaCommand(area, 'test'))).toMatchObject({ recorded: 0 });
    expect((await call('admin', `/v1/agreements/${pilot.id}`, { purpose: 'data-protection' })).body).toMatchObject({ status: 'expired', version: 2 });
  });
});
