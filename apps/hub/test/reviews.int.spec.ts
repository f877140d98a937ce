import { ReviewQueries } from '@hub/reviews';
import { DisclosureLogRepository } from '@hub/sharing';
import { CdpEvents, testPerson } from '../../../test/support/cdp-events';
import { type HubHttp, serveHubOverHttp } from './support/hub-http';
import { openTestHub, type TestHub } from './support/test-hub';

describe('DRD review queue: /v1/reviews', () => {
  let t: TestHub;
  let http: HubHttp;
  /** Sam's and Viv's personRefs, as the identity processor linked their records. */
  let samRef: string;
  let vivRef: string;
  const events = new CdpEvents('reviews');
  const sam = testPerson(21, 'Quarrie');
  const viv = testPerson(22, 'Ostrowski');
  const panel = 'la-northshire-public-health';

  const call = (agency: string, path: string, init: { method?: string; body?: string } = {}, purpose = 'drd-review') => http.call(agency, path, { ...init, purpose });

  beforeAll(async () => {
    t = await openTestHub();
    const samFacts = [
      events.release(sam, '2025-05-01'), events.referral(sam, '2025-05-02'),
      events.deathReport(sam, '2025-05-11', { recordId: 'DRD-SAM-1' }), events.deathReport(sam, '2025-05-11', { recordId: 'DRD-SAM-2', time: '2025-05-13T09:00:00Z' }),
    ];
    const vivFacts = [events.deathReport(viv, '2025-04-20'), events.inquest(viv, '2025-09-30', false)];
    await t.ingest([...samFacts, ...vivFacts]);
    await t.engine.catchUp();
    samRef = (await t.personRefOf(samFacts[0]!))!;
    vivRef = (await t.personRefOf(vivFacts[0]!))!;
    for (const fact of samFacts) expect(await t.personRefOf(fact)).toBe(samRef);
    for (const fact of vivFacts) expect(await t.personRefOf(fact)).toBe(vivRef);
    expect(samRef).not.toBe(vivRef);
    http = await serveHubOverHttp(t.hub);
  });
  afterAll(async () => {
    await http.close();
    await t.close();
  });

  it('opens one P1 case for a death 10 days after release; the second report joins it', async () => {
    const { status, body } = await call(panel, '/v1/reviews');
    expect(status).toBe(200);
    const samCase = body.find((r: any) => r.personRef === samRef);
    expect(body.filter((r: any) => r.personRef === samRef)).toHaveLength(1);
    expect(samCase).toMatchObject({
      diedOn: '2025-05-11', priority: 'P1', status: 'open', dueOn: '2025-06-08', reports: 2, overdue: true,
      flags: { releasedWithin28Days: true, releasedWithin12Weeks: true, knownToTreatment: true, inTreatmentAtDeath: false, nearMissesLast12Months: 0, underProbationSupervision: false },
    });
  });

  it('shows the 12-month timeline with the release, the referral and no treatment start, and logs the disclosure', async () => {
    const { body: list } = await call(panel, '/v1/reviews');
    const id = list.find((r: any) => r.personRef === samRef).id;
    const before = (await new DisclosureLogRepository(t.hub.database).list({ recipient: panel, limit: 1000 })).length;
    const { status, body } = await call(panel, `/v1/reviews/${id}`);
    expect(status).toBe(200);
    expect(body.timeline.map((e: any) => [e.on, e.type])).toEqual([
      ['2025-05-01', 'prison.release.recorded.v1'], ['2025-05-02', 'treatment.referral.received.v1'],
      ['2025-05-11', 'police.suspected-drug-death.reported.v1'], ['2025-05-11', 'police.suspected-drug-death.reported.v1'],
    ]);
    expect(body.timeline.some((e: any) => e.type === 'treatment.started.v1')).toBe(false);
    expect(body.timeline[0].fields).toMatchObject({ releasedOn: '2025-05-01', referralProviderId: 'NRP' });
    const log = (await new DisclosureLogRepository(t.hub.database).list({ recipient: panel, limit: 1000 })).slice(before);
    expect(log).toEqual([expect.objectContaining({ channel: 'review', purpose: 'drd-review', personRefs: [samRef] })]);
  });

  it('closes a case as not drug related when the inquest says so', async () => {
    const all = await new ReviewQueries(t.hub.database).list({ status: 'closed', today: '2025-10-01' });
    expect(all.map((r) => [r.personRef, r.outcome])).toEqual([[vivRef, 'not-drug-related']]);
  });

  it('moves a case through assigned, in review and closed with findings and learning points', async () => {
    const { body: list } = await call(panel, '/v1/reviews?status=open');
    const id = list.find((r: any) => r.personRef === samRef).id;
    expect(await call(panel, `/v1/reviews/${id}/start`, { method: 'POST' })).toMatchObject({ status: 409, body: { error: { code: 'REVIEW.INVALID_TRANSITION' } } });
    expect(await call(panel, `/v1/reviews/${id}/assign`, { method: 'POST', body: JSON.stringify({ assignee: 'DRD panel: J. Patel' }) })).toEqual({ status: 200, body: { id, status: 'assigned' } });
    expect(await call(panel, `/v1/reviews/${id}/start`, { method: 'POST' })).toEqual({ status: 200, body: { id, status: 'in-review' } });
    expect(await call(panel, `/v1/reviews/${id}/close`, { method: 'POST' })).toMatchObject({ status: 422, body: { error: { code: 'REVIEW.FINDINGS_REQUIRED' } } });
    expect(await call(panel, `/v1/reviews/${id}/findings`, { method: 'POST', body: JSON.stringify({ findings: 'Released on a Friday; no appointment until day 12' }) })).toMatchObject({ status: 400 });
    const findings = { findings: 'Released on a Friday; no appointment until day 12', learningPoints: ['Book the first appointment before release'] };
    expect(await call(panel, `/v1/reviews/${id}/findings`, { method: 'POST', body: JSON.stringify(findings) })).toEqual({ status: 200, body: { id, status: 'in-review' } });
    expect(await call(panel, `/v1/reviews/${id}/close`, { method: 'POST' })).toEqual({ status: 200, body: { id, status: 'closed' } });
    await t.engine.catchUp();
    expect(await call(panel, `/v1/reviews/${id}`)).toMatchObject({ status: 200, body: { status: 'closed', outcome: 'reviewed', ...findings, assignee: 'DRD panel: J. Patel' } });
  });

  it('is for the drd-review purpose and its recipients only', async () => {
    expect(await call('treatment-northshire-recovery', '/v1/reviews')).toMatchObject({ status: 403, body: { error: { code: 'ACCESS.DENIED' } } });
    expect(await call(panel, '/v1/reviews', {}, 'aggregate-reporting')).toMatchObject({ status: 403 });
    expect(await call(panel, '/v1/reviews/no-such-case')).toMatchObject({ status: 404, body: { error: { code: 'REVIEW.NOT_FOUND' } } });
  });
});
