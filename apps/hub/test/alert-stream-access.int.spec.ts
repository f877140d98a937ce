import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type AreaConfig, ManualClock } from '@hub/kernel';
import { DisclosureLogRepository } from '@hub/sharing';
import { sharedDir, waitFor } from '@hub/testing';
import { CdpEvents, testPerson } from '../../../test/support/cdp-events';
import { type HubHttp, serveHubOverHttp } from './support/hub-http';
import { openTestHub, type TestHub } from './support/test-hub';

const area = JSON.parse(readFileSync(resolve(sharedDir, 'scenarios', 'area.json'), 'utf8')) as AreaConfig;
const agreement = area.agreements[0]!;
const recipient = 'treatment-northshire-recovery';

/**
 * An open alert stream is a read that goes on: it must stop sharing the moment its agreement stops
 * (suspended, or past effectiveTo), not carry on under the agreements of the moment it connected.
 */
describe('GET /v1/alerts/stream stops at once when the agreement stops', () => {
  const clock = new ManualClock(new Date().toISOString());
  const events = new CdpEvents('stream-access');
  const jo = testPerson(12, 'Oyelaran');
  let t: TestHub;
  let http: HubHttp;
  let alertId: string;
  const streams: { close(): void }[] = [];

  const request: HubHttp['call'] = (...args) => http.call(...args);

  /** Opens the stream from the beginning of the alerts' changes and collects what it sends until the server ends it. */
  const openStream = async () => {
    const controller = new AbortController();
    const response = await http.fetchWithToken(await t.hub.tokens.issue(recipient), '/v1/alerts/stream?purpose=near-miss-alerting', {
      headers: { 'last-event-id': '1' }, signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const stream = { text: '', ended: false, close: () => controller.abort() };
    streams.push(stream);
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        stream.text += Buffer.from(value).toString('utf8');
      }
    })().catch(() => undefined).finally(() => {
      stream.ended = true;
    });
    return stream;
  };
  const alertsSent = (text: string) => text.split('\n').filter((line) => line.startsWith('data:') && line.includes('"personRef"')).length;

  beforeAll(async () => {
    t = await openTestHub({ clock, area });
    const facts = [events.release(jo, '2025-03-03', { releaseType: 'end-of-sentence', treatmentNeed: false }), events.overdose(jo, '2025-03-08T22:10:00Z')];
    await t.ingest(facts);
    await t.engine.catchUp();
    http = await serveHubOverHttp(t.hub);
    const { body } = await request(recipient, '/v1/alerts', { purpose: 'near-miss-alerting' });
    const personRef = await t.personRefOf(facts[0]!);
    alertId = body.find((a: { personRef: string }) => a.personRef === personRef).id;
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await http.close();
    await t.close();
  });

  it('suspension: the stream sends an access-denied event and ends; a change to the alert afterwards is not sent', async () => {
    const stream = await openStream();
    await waitFor(() => alertsSent(stream.text) > 0, { what: 'the alert on the stream while the agreement is active' });
    const sentBefore = alertsSent(stream.text);
    const disclosuresBefore = (await new DisclosureLogRepository(t.hub.database).list({ recipient, limit: 1000 })).length;

    expect((await request('probation-northshire', `/v1/agreements/${agreement.id}/suspend`, { method: 'POST', body: { reason: 'incident' } })).status).toBe(200);
    // The alert changes after the suspension (its recipient acknowledges it): under the old grant the stream would send it again.
    expect((await request(recipient, `/v1/alerts/${alertId}/acknowledge`, { method: 'POST', body: { note: 'called' } })).status).toBe(200);
    await t.engine.catchUp();

    await waitFor(() => stream.ended, { what: 'the stream to end once the agreement is suspended' });
    expect(stream.text).toMatch(/event: error\ndata: \{"code":"ACCESS.DENIED"/);
    expect(alertsSent(stream.text)).toBe(sentBefore);
    expect((await new DisclosureLogRepository(t.hub.database).list({ recipient, limit: 1000 })).length).toBe(disclosuresBefore);
    expect((await request('admin', `/v1/agreements/${agreement.id}/activate`, { method: 'POST', body: { reason: 'incident closed' } })).status).toBe(200);
  });

  it('effectiveTo: a stream opened on the last day ends when the day after begins', async () => {
    clock.set(`${agreement.effectiveTo}T23:00:00Z`); // 23:00 in London (GMT): the last day
    const stream = await openStream();
    await waitFor(() => alertsSent(stream.text) > 0, { what: 'the alert on the stream on the last day' });
    clock.set(`${agreement.effectiveTo}T23:59:59.999Z`);
    clock.set(new Date(clock.now().getTime() + 1).toISOString()); // midnight: the day after effectiveTo
    await waitFor(() => stream.ended, { what: 'the stream to end the day after effectiveTo' });
    expect(stream.text).toMatch(/event: error\ndata: \{"code":"ACCESS.DENIED"/);
  });
});
