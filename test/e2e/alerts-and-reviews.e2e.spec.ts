import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CloudEvent } from '@hub/kernel';
import { scenarioPeople } from '../fixtures/scenarios/alerts-and-reviews.scenario';
import { createTestDatabase, hubTarget, type HubTarget, repoRoot, runHub, startHubServer, type RunningHub, type TestDatabase } from '@hub/testing';

const dir = resolve(repoRoot, 'test', 'fixtures', 'scenarios');
const areaFile = resolve(dir, 'alerts-and-reviews.area.json');
const scenarioFile = resolve(dir, 'alerts-and-reviews.ndjson');
const scenario = readFileSync(scenarioFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as CloudEvent);
const expected = JSON.parse(readFileSync(resolve(dir, 'alerts-and-reviews.expected.json'), 'utf8')) as {
  alerts: (Record<string, unknown> & { person: string | null })[];
  reviews: (Record<string, unknown> & { person: string })[];
};

interface CliAlert { id: string; code: string; priority: string; status: string; raisedAt: string; personRef: string | null; localAuthority: string; recipients: string[] }
interface CliReview { id: string; personRef: string; diedOn: string; priority: string; status: string; dueOn: string; flags: Record<string, unknown> }

/** Replaces each personRef by the scenario person it stands for, checking each person has exactly one personRef of their own. */
function byPerson<T extends { personRef: string | null }>(actual: readonly T[], wanted: readonly { person: string | null }[]): (Omit<T, 'personRef'> & { person: string | null })[] {
  expect(actual).toHaveLength(wanted.length);
  const personOf = new Map<string, string>();
  return actual.map(({ personRef, ...rest }, i) => {
    const person = wanted[i]!.person;
    if (personRef === null || person === null) {
      expect(personRef).toBe(person);
      return { ...rest, person: null };
    }
    if (!personOf.has(personRef)) {
      expect([...personOf.values()]).not.toContain(person);
      personOf.set(personRef, person);
    }
    return { ...rest, person: personOf.get(personRef)! };
  });
}

describe('alerts and reviews through the built CLI (test/fixtures/scenarios/alerts-and-reviews)', () => {
  let db: TestDatabase;
  let target: HubTarget;
  let firstAlerts: string;
  let firstReviews: string;

  beforeAll(async () => {
    db = await createTestDatabase('hub_e2e_alerts');
    target = hubTarget(db.url);
    expect((await runHub(target, ['init', '--config', areaFile])).code).toBe(0);
    const ingest = await runHub(target, ['ingest', scenarioFile]);
    expect(ingest.json()).toEqual({ accepted: scenario.length, duplicates: 0, rejected: 0, errors: [] });
  });
  afterAll(async () => db.drop());

  it('hub alerts gives the expected alerts, every code, in the SPEC section 8 shape', async () => {
    const result = await runHub(target, ['alerts']);
    expect(result.code).toBe(0);
    firstAlerts = result.stdout;
    const alerts = result.json<CliAlert[]>();
    for (const alert of alerts) expect(Object.keys(alert)).toEqual(['id', 'code', 'priority', 'status', 'raisedAt', 'personRef', 'localAuthority', 'recipients']);
    expect(byPerson(alerts, expected.alerts)).toEqual(expected.alerts);
  });

  it('hub reviews gives the expected queue, every priority, in the SPEC section 8 shape', async () => {
    const result = await runHub(target, ['reviews']);
    expect(result.code).toBe(0);
    firstReviews = result.stdout;
    const reviews = result.json<CliReview[]>();
    for (const review of reviews) expect(Object.keys(review)).toEqual(['id', 'personRef', 'diedOn', 'priority', 'status', 'dueOn', 'flags']);
    expect(byPerson(reviews, expected.reviews)).toEqual(expected.reviews);
  });

  it('filters by status and prints a table for people', async () => {
    const open = (await runHub(target, ['alerts', '--status', 'open'])).json<CliAlert[]>();
    expect(open.map((a) => a.id)).toEqual(expected.alerts.filter((a) => a.status === 'open' || a.status === 'acknowledged').map((a) => a.id));
    const closed = (await runHub(target, ['reviews', '--status', 'closed'])).json<CliReview[]>();
    expect(closed.map((r) => r.id)).toEqual(expected.reviews.filter((r) => r.status === 'closed').map((r) => r.id));
    const table = await runHub(target, ['alerts', '--format', 'table']);
    expect(table.stdout.split('\n')[0]).toMatch(/^id\s+code\s+priority\s+status\s+raisedAt\s+personRef\s+localAuthority\s+recipients$/);
    expect(table.stdout).toContain('OVERDOSE_CLUSTER');
    expect((await runHub(target, ['alerts', '--status', 'sideways'])).code).toBe(2);
  });

  it('hub identity explain shows the agency subjects a person links and the rule for each, never an identifier', async () => {
    const alerts = JSON.parse(firstAlerts) as CliAlert[];
    const personRef = alerts[expected.alerts.findIndex((a) => a.person === 'Arkwright')]!.personRef!;
    const result = await runHub(target, ['identity', 'explain', personRef]);
    expect(result.code).toBe(0);
    const explained = result.json<{ personRef: string; mergedInto: string | null; subjects: { agency: string; subjectStream: string; reason: string; evidence: { rules: string[] } }[] }>();
    expect(explained).toMatchObject({ personRef, mergedInto: null });
    expect(explained.subjects.map((s) => s.agency).sort()).toEqual(['nhs-northshire-ambulance', 'prison-hmp-northgate']);
    expect(explained.subjects.map((s) => s.evidence.rules).flat()).toContain('same-name-and-date-of-birth');
    const ada = scenarioPeople.ada;
    for (const clear of [ada.nhsNumber, ada.nomisId, ada.pncId, ada.familyName, ada.dateOfBirth]) expect(result.stdout).not.toContain(clear);
    const unknown = await runHub(target, ['identity', 'explain', 'P-000000000000']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('P-000000000000');
  });

  it('a second ingest of the same file raises nothing new', async () => {
    expect((await runHub(target, ['ingest', scenarioFile])).json()).toEqual({ accepted: 0, duplicates: scenario.length, rejected: 0, errors: [] });
    expect((await runHub(target, ['alerts'])).stdout).toBe(firstAlerts);
    expect((await runHub(target, ['reviews'])).stdout).toBe(firstReviews);
  });

  it('hub replay gives identical alerts and cases and the same person links, none duplicated', async () => {
    const links = async () => (await db.database.query<{ data: unknown }>(
      `SELECT data FROM event_store.events WHERE type LIKE 'hub.identity.%' ORDER BY global_position`,
    )).rows.map((r) => r.data);
    const linksBefore = await links();
    expect(linksBefore.length).toBeGreaterThan(0);
    const replay = await runHub(target, ['replay']);
    expect(replay.code).toBe(0);
    expect(replay.json<{ projections: { projection: string }[] }>().projections.map((p) => p.projection)).toEqual(expect.arrayContaining(['identity', 'alert-processor', 'alerts', 'review-processor', 'review-queue']));
    expect((await runHub(target, ['alerts'])).stdout).toBe(firstAlerts);
    expect((await runHub(target, ['reviews'])).stdout).toBe(firstReviews);
    expect(await links()).toEqual(linksBefore);
    const { rows } = await db.database.query<{ type: string; n: string; ids: string }>(
      `SELECT type, count(*) AS n, count(DISTINCT stream_id) AS ids FROM event_store.events WHERE type IN ('hub.alert.raised.v1', 'hub.review.case-opened.v1') GROUP BY type ORDER BY type`,
    );
    expect(rows.map((r) => [r.type, Number(r.n), Number(r.ids)])).toEqual([
      ['hub.alert.raised.v1', expected.alerts.length, expected.alerts.length],
      ['hub.review.case-opened.v1', expected.reviews.length, expected.reviews.length],
    ]);
  });

  describe('over HTTP (hub serve)', () => {
    let server: RunningHub;
    const get = async (agency: string, path: string, purpose: string) => {
      const token = (await runHub(target, ['token', '--agency', agency])).stdout.trim();
      const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}`, 'x-purpose': purpose } });
      return { status: response.status, body: (await response.json()) as any };
    };
    beforeAll(async () => {
      server = await startHubServer(target);
    });
    afterAll(async () => server.stop());

    it('delivers the day-5 overdose alerts only to the agencies the agreement names', async () => {
      const arkwright = expected.alerts.filter((a) => a.person === 'Arkwright' && ['POST_RELEASE_OVERDOSE', 'OVERDOSE_NOT_IN_TREATMENT'].includes(a.code as string));
      const nrp = await get('treatment-northshire-recovery', '/v1/alerts', 'near-miss-alerting');
      expect(nrp.status).toBe(200);
      expect(nrp.body.filter((a: any) => arkwright.some((e) => e.id === a.id)).map((a: any) => a.code).sort()).toEqual(['OVERDOSE_NOT_IN_TREATMENT', 'POST_RELEASE_OVERDOSE']);
      expect((await get('treatment-corbury-cgl', '/v1/alerts', 'near-miss-alerting')).status).toBe(403);
      const probation = await get('probation-northshire', '/v1/alerts', 'near-miss-alerting');
      expect(probation.body.filter((a: any) => arkwright.some((e) => e.id === a.id))).toEqual([]);
      const panel = await get('ldis-northshire', '/v1/alerts', 'near-miss-alerting');
      expect(panel.body.map((a: any) => [a.code, a.personRef, a.details.count])).toEqual([['OVERDOSE_CLUSTER', null, 3]]);
    });

    it('shows the P1 case of a death 10 days after release with the release, the referral, no treatment start and both reports', async () => {
      const ingleby = expected.reviews.find((r) => r.person === 'Ingleby')!;
      const { status, body } = await get('la-northshire-public-health', `/v1/reviews/${ingleby.id as string}`, 'drd-review');
      expect(status).toBe(200);
      expect(body).toMatchObject({ priority: 'P1', reports: 2, flags: { releasedWithin28Days: true, inTreatmentAtDeath: false } });
      expect(body.timeline.map((e: any) => e.type)).toEqual([
        'prison.release.recorded.v1', 'treatment.referral.received.v1', 'police.suspected-drug-death.reported.v1', 'police.suspected-drug-death.reported.v1',
      ]);
    });
  });
});
