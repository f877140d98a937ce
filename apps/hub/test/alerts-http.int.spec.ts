import type { AreaConfig } from '@hub/kernel';
import { DisclosureLogRepository } from '@hub/sharing';
import { waitFor } from '@hub/testing';
import { CdpEvents, testPerson } from '../../../test/support/cdp-events';
import { type HubHttp, serveHubOverHttp } from './support/hub-http';
import { demoArea, openTestHub, type TestHub } from './support/test-hub';

const area: AreaConfig = {
  ...demoArea,
  agreements: demoArea.agreements.map((agreement) => ({
    ...agreement,
    purposes: agreement.purposes.map((p) => (p.purpose === 'near-miss-alerting' ? { ...p, recipients: p.recipients.filter((r) => r !== 'treatment-corbury-cgl') } : p)),
  })),
};

describe('GET /v1/alerts, POST /v1/alerts/{id}/acknowledge, GET /v1/alerts/stream', () => {
  let t: TestHub;
  let http: HubHttp;
  /** Jo's personRef, as the identity processor linked Jo's release and overdose. */
  let joRef: string;
  const events = new CdpEvents('http');
  const jo = testPerson(11, 'Okafor');

  const call: HubHttp['call'] = (...args) => http.call(...args);

  beforeAll(async () => {
    t = await openTestHub({ area });
    const facts = [events.release(jo, '2025-03-03', { releaseType: 'end-of-sentence', treatmentNeed: false }), events.overdose(jo, '2025-03-08T22:10:00Z')];
    await t.ingest(facts);
    await t.engine.catchUp();
    joRef = (await t.personRefOf(facts[0]!))!;
    expect(await t.personRefOf(facts[1]!)).toBe(joRef);
    http = await serveHubOverHttp(t.hub);
  });
  afterAll(async () => {
    await http.close();
    await t.close();
  });

  it('needs a purpose', async () => {
    expect(await call('treatment-northshire-recovery', '/v1/alerts')).toMatchObject({ status: 400, body: { error: { code: 'REQUEST.PURPOSE_REQUIRED' } } });
  });

  it('shows a recipient its alerts, with redacted details, and logs the disclosure', async () => {
    const before = (await new DisclosureLogRepository(t.hub.database).list({ recipient: 'treatment-northshire-recovery' })).length;
    const { status, body } = await call('treatment-northshire-recovery', '/v1/alerts', { purpose: 'near-miss-alerting' });
    expect(status).toBe(200);
    expect(body.map((a: any) => a.code).sort()).toEqual(['OVERDOSE_NOT_IN_TREATMENT', 'POST_RELEASE_OVERDOSE']);
    const postRelease = body.find((a: any) => a.code === 'POST_RELEASE_OVERDOSE');
    expect(postRelease).toMatchObject({ personRef: joRef, priority: 'high', status: 'open', details: { releasedOn: '2025-03-03', overdoseAt: '2025-03-08T22:10:00.000Z' } });
    expect(postRelease.triggers).toBeUndefined();
    const log = await new DisclosureLogRepository(t.hub.database).list({ recipient: 'treatment-northshire-recovery' });
    expect(log.slice(before)).toEqual([expect.objectContaining({ channel: 'alert', purpose: 'near-miss-alerting', personRefs: [joRef], clause: 'dsa-northshire-cdp v1 / near-miss-alerting' })]);
  });

  it('filters by code, and shows nothing to agencies the agreement does not name', async () => {
    const { body } = await call('treatment-northshire-recovery', '/v1/alerts?code=POST_RELEASE_OVERDOSE', { purpose: 'near-miss-alerting' });
    expect(body.map((a: any) => a.code)).toEqual(['POST_RELEASE_OVERDOSE']);
    expect(await call('treatment-corbury-cgl', '/v1/alerts', { purpose: 'near-miss-alerting' })).toMatchObject({ status: 403, body: { error: { code: 'ACCESS.DENIED' } } });
    expect(await call('probation-northshire', '/v1/alerts', { purpose: 'near-miss-alerting' })).toMatchObject({ status: 200, body: [] });
    expect(await call('treatment-northshire-recovery', '/v1/alerts?status=sideways', { purpose: 'near-miss-alerting' })).toMatchObject({ status: 400 });
  });

  it('pages with limit and the Link header\'s cursor, in the same order as the whole list; refuses a bad limit or cursor, naming it', async () => {
    const token = await t.hub.tokens.issue('treatment-northshire-recovery');
    const { body: whole } = await call('treatment-northshire-recovery', '/v1/alerts', { purpose: 'near-miss-alerting' });
    expect(whole.length).toBe(2);
    const first = await http.fetchWithToken(token, '/v1/alerts?limit=1', { purpose: 'near-miss-alerting' });
    expect(((await first.json()) as any[]).map((a: any) => a.id)).toEqual([whole[0].id]);
    const link = /^<([^>]+)>; rel="next"$/.exec(first.headers.get('link') ?? '');
    expect(link?.[1]).toBe(`/v1/alerts?limit=1&after=${encodeURIComponent(whole[0].id)}`);
    const second = await http.fetchWithToken(token, link![1]!, { purpose: 'near-miss-alerting' });
    expect(((await second.json()) as any[]).map((a: any) => a.id)).toEqual([whole[1].id]);
    // The second page was full too: its next page is empty, and has no next link.
    const third = await http.fetchWithToken(token, /^<([^>]+)>/.exec(second.headers.get('link')!)![1]!, { purpose: 'near-miss-alerting' });
    expect(await third.json()).toEqual([]);
    expect(third.headers.get('link')).toBeNull();
    const unpaged = await http.fetchWithToken(token, '/v1/alerts?limit=5', { purpose: 'near-miss-alerting' });
    expect(((await unpaged.json()) as any[]).length).toBe(2);
    expect(unpaged.headers.get('link')).toBeNull();

    expect(await call('treatment-northshire-recovery', '/v1/alerts?limit=0', { purpose: 'near-miss-alerting' }))
      .toMatchObject({ status: 400, body: { error: { code: 'REQUEST.INVALID_FILTER', message: expect.stringContaining('limit: "0"') } } });
    expect(await call('treatment-northshire-recovery', '/v1/alerts?limit=1001', { purpose: 'near-miss-alerting' })).toMatchObject({ status: 400 });
    expect(await call('treatment-northshire-recovery', '/v1/alerts?after=no-such-alert', { purpose: 'near-miss-alerting' }))
      .toMatchObject({ status: 400, body: { error: { code: 'REQUEST.INVALID_FILTER', message: expect.stringContaining('after: "no-such-alert"') } } });
    // A cursor is an alert sent to the caller: another agency's alert id is refused like an unknown one.
    expect(await call('probation-northshire', `/v1/alerts?after=${encodeURIComponent(whole[0].id)}`, { purpose: 'near-miss-alerting' })).toMatchObject({ status: 400 });
  });

  it('acknowledges with a note; refuses an empty note and anyone the alert was not sent to', async () => {
    const { body: alerts } = await call('treatment-northshire-recovery', '/v1/alerts?code=OVERDOSE_NOT_IN_TREATMENT', { purpose: 'near-miss-alerting' });
    const id = alerts[0].id as string;
    const acknowledge = (agency: string, note: unknown) => call(agency, `/v1/alerts/${id}/acknowledge`, { method: 'POST', body: JSON.stringify({ note }) });
    expect(await acknowledge('treatment-northshire-recovery', '')).toMatchObject({ status: 400 });
    expect(await acknowledge('probation-northshire', 'Seen')).toMatchObject({ status: 404, body: { error: { code: 'ALERT.NOT_FOUND' } } });
    expect(await acknowledge('treatment-northshire-recovery', 'Outreach worker visiting today')).toEqual({ status: 200, body: { id, status: 'acknowledged' } });
    await t.engine.catchUp();
    const { body: after } = await call('treatment-northshire-recovery', `/v1/alerts?code=OVERDOSE_NOT_IN_TREATMENT`, { purpose: 'near-miss-alerting' });
    expect(after[0]).toMatchObject({ status: 'acknowledged', acknowledgements: [{ by: 'treatment-northshire-recovery', note: 'Outreach worker visiting today' }] });
  });

  it('streams new alerts to their recipient as server-sent events', async () => {
    const token = await t.hub.tokens.issue('treatment-northshire-recovery');
    const controller = new AbortController();
    const response = await http.fetchWithToken(token, '/v1/alerts/stream?purpose=near-miss-alerting', { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    let text = '';
    const received = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += Buffer.from(value).toString('utf8');
      }
    })().catch(() => undefined);
    await t.ingest([events.overdose(jo, '2025-03-20T03:00:00Z')]);
    await t.engine.catchUp();
    await waitFor(() => text.includes('REPEAT_OVERDOSE'), { what: 'the REPEAT_OVERDOSE alert on the stream' });
    controller.abort();
    await received;
    const alert = text.split('\n').find((line) => line.startsWith('data:') && line.includes('REPEAT_OVERDOSE'))!;
    expect(JSON.parse(alert.slice(5))).toMatchObject({ code: 'REPEAT_OVERDOSE', personRef: joRef, priority: 'high' });
    expect(text).toMatch(/event: alert\n/);
  });
});
