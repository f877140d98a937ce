import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { addDays, type AreaConfig, type CloudEvent, londonDateOf, ManualClock } from '@hub/kernel';
import { ReviewQueries } from '@hub/reviews';
import { sharedDir } from '@hub/testing';
import { alertsAndReviewsScenario } from '../../../test/fixtures/scenarios/alerts-and-reviews.scenario';
import { type HubHttp, serveHubOverHttp } from './support/hub-http';
import { openTestHub, type TestHub } from './support/test-hub';

/*
 * The access matrix of issue 5: every agency of the area file x every purpose (the agreements' own,
 * `data-protection`, an unknown one and none) x every GET endpoint of the hub, in three phases of the
 * agreement's life (active, suspended by a party, past its effectiveTo). The expected outcome comes
 * from the small oracle below, written from the area file and the endpoint rules of docs/SECURITY.md,
 * never from the hub's policy code.
 */

const area = JSON.parse(readFileSync(resolve(sharedDir, 'scenarios', 'area.json'), 'utf8')) as AreaConfig;
const continuityScenario = readFileSync(resolve(sharedDir, 'scenarios', 'continuity-basic.ndjson'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as CloudEvent);
const deathReportType = 'police.suspected-drug-death.reported.v1';
const admin = 'hub-admin';

// ---------------------------------------------------------------- the oracle

type Clause = AreaConfig['agreements'][number]['purposes'][number];
/** A purpose as sent: a name, or undefined for none. */
type PurposeCase = string | undefined;

/** What the oracle needs to know about a moment of the test: the day, and agreements whose status changed. */
interface Phase {
  readonly name: string;
  readonly today: string;
  readonly statusOf: Readonly<Record<string, string>>;
}

const sharingPurposes = ['continuity-of-care', 'near-miss-alerting', 'drd-review', 'aggregate-reporting'];
const areaPurposes = [...new Set(area.agreements.flatMap((a) => a.purposes.map((p) => p.purpose)))];
const purposeCases: PurposeCase[] = [...areaPurposes, 'data-protection', 'identity-resolution', 'marketing', undefined];

function inForce(agreement: AreaConfig['agreements'][number], phase: Phase): boolean {
  const status = phase.statusOf[agreement.id] ?? agreement.status;
  return status === 'active' && agreement.effectiveFrom <= phase.today && phase.today <= agreement.effectiveTo;
}

/** The clauses of agreements in force that name the agency as a recipient for the purpose. */
function recipientClauses(agency: string, purpose: string, phase: Phase): Clause[] {
  return area.agreements.filter((a) => inForce(a, phase)).flatMap((a) => a.purposes.filter((p) => p.purpose === purpose && p.recipients.includes(agency)));
}

const covers = (clause: Clause, provider: string, type: string) => clause.providers.includes(provider) && (clause.eventTypes.includes('*') || clause.eventTypes.includes(type));

/** The agreements a principal sees for a purpose: all for the administrator; else those it is party to (for a sharing purpose, through a clause of it). */
function visibleAgreements(principal: string, purpose: string): string[] {
  return area.agreements.filter((a) => principal === admin || a.purposes.some((p) =>
    (purpose === 'data-protection' || p.purpose === purpose) && (p.providers.includes(principal) || p.recipients.includes(principal)),
  )).map((a) => a.id).sort();
}

interface Expected { readonly status: number; readonly code?: string }
const ok: Expected = { status: 200 };
const denied: Expected = { status: 403, code: 'ACCESS.DENIED' };

interface Endpoint {
  readonly name: string;
  /** The controller's route, e.g. `/v1/reviews/:id`. */
  readonly route: string;
  readonly path: string;
  /** The purposes the endpoint accepts at all (any other: 400 unknown purpose). */
  readonly accepts: readonly string[];
  readonly expect: (principal: string, purpose: string, phase: Phase) => Expected;
}

function endpoints(reviewCase: { id: string; reportedBy: readonly string[] }, agreementId: string): Endpoint[] {
  const recipientFor = (principal: string, purpose: string, phase: Phase) => recipientClauses(principal, purpose, phase).length > 0;
  return [
    { name: 'alerts', route: '/v1/alerts', path: '/v1/alerts', accepts: sharingPurposes, expect: (who, purpose, phase) => (recipientFor(who, purpose, phase) ? ok : denied) },
    { name: 'alert stream', route: '/v1/alerts/stream', path: '/v1/alerts/stream', accepts: sharingPurposes, expect: (who, purpose, phase) => (recipientFor(who, purpose, phase) ? ok : denied) },
    { name: 'review queue', route: '/v1/reviews', path: '/v1/reviews', accepts: sharingPurposes, expect: (who, purpose, phase) => (purpose === 'drd-review' && recipientFor(who, purpose, phase) ? ok : denied) },
    {
      name: 'review case', route: '/v1/reviews/:id', path: `/v1/reviews/${reviewCase.id}`, accepts: sharingPurposes,
      expect: (who, purpose, phase) => {
        if (purpose !== 'drd-review' || !recipientFor(who, purpose, phase)) return denied;
        const clauses = recipientClauses(who, purpose, phase);
        const seesEveryReport = reviewCase.reportedBy.every((provider) => clauses.some((c) => c.personLevel && covers(c, provider, deathReportType)));
        return seesEveryReport ? ok : { status: 404, code: 'REVIEW.NOT_FOUND' };
      },
    },
    {
      name: 'continuity report', route: '/v1/reports/continuity-of-care', path: '/v1/reports/continuity-of-care?from=2025-01-01&to=2025-12-31&groupBy=month', accepts: sharingPurposes,
      expect: (who, purpose, phase) => (['continuity-of-care', 'aggregate-reporting'].includes(purpose) && recipientFor(who, purpose, phase) ? ok : denied),
    },
    {
      name: 'engagement worklist', route: '/v1/continuity/pending', path: '/v1/continuity/pending', accepts: sharingPurposes,
      expect: (who, purpose, phase) => {
        const agency = area.agencies.find((a) => a.id === who);
        const personLevel = recipientClauses(who, purpose, phase).some((c) => c.personLevel);
        return purpose === 'continuity-of-care' && personLevel && agency?.kind === 'treatment' && agency.providerId ? ok : denied;
      },
    },
    { name: 'agreements', route: '/v1/agreements', path: '/v1/agreements', accepts: ['data-protection', ...sharingPurposes], expect: () => ok },
    {
      name: 'one agreement', route: '/v1/agreements/:id', path: `/v1/agreements/${agreementId}`, accepts: ['data-protection', ...sharingPurposes],
      expect: (who, purpose) => (visibleAgreements(who, purpose).includes(agreementId) ? ok : { status: 404, code: 'AGREEMENT.NOT_FOUND' }),
    },
    { name: 'disclosure log', route: '/v1/audit', path: '/v1/audit', accepts: ['data-protection'], expect: () => ok },
    { name: 'disclosure log verification', route: '/v1/audit/verify', path: '/v1/audit/verify', accepts: ['data-protection'], expect: (who) => (who === admin ? ok : denied) },
    // Clerical review of person links (issue 8): the hub's own linkage work, the administrator's only.
    { name: 'identity review queue', route: '/v1/identity/reviews', path: '/v1/identity/reviews', accepts: ['identity-resolution'], expect: (who) => (who === admin ? ok : denied) },
  ];
}

function expectedOutcome(endpoint: Endpoint, principal: string, purpose: PurposeCase, phase: Phase): Expected {
  if (purpose === undefined) return { status: 400, code: 'REQUEST.PURPOSE_REQUIRED' };
  if (!endpoint.accepts.includes(purpose)) return { status: 400, code: 'REQUEST.UNKNOWN_PURPOSE' };
  return endpoint.expect(principal, purpose, phase);
}

/** Every GET route of the app's controllers, e.g. `/v1/reviews/:id`. */
function getRoutesOf(app: INestApplication): string[] {
  const routes: string[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      const controller = metatype as unknown as { prototype: Record<string, unknown> };
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[name];
        if (name === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) !== RequestMethod.GET) continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string;
        routes.push(`/${[base, path].filter((part) => part && part !== '/').join('/')}`);
      }
    }
  }
  return [...new Set(routes)].sort();
}

/** GET routes that carry no data and need no token: load balancers' health checks. */
const publicRoutes = ['/health'];

// ---------------------------------------------------------------- the scenario

/** A release five days before `today` with a referral to NRP, so the NRP worklist has someone on it. */
function recentRelease(today: string): CloudEvent {
  const template = continuityScenario.find((e) => e.type === 'prison.release.recorded.v1' && (e.data as { referral?: { providerId?: string } }).referral?.providerId === 'NRP')!;
  const releasedOn = addDays(today, -5);
  return JSON.parse(JSON.stringify({
    ...template, id: randomUUID(), subject: 'A1099BC', time: `${releasedOn}T09:00:00Z`,
    data: { ...template.data, recordId: 'REL-99', releasedOn, person: { givenName: 'Matrix', familyName: 'Case99', dateOfBirth: '1991-02-03', sex: 'F', nomisId: 'A1099BC' } },
  })) as CloudEvent;
}

describe('the access matrix: every agency x purpose x GET endpoint, as the agreements say, while they are suspended and after they end', () => {
  const clock = new ManualClock(new Date().toISOString());
  const agreement = area.agreements[0]!;
  let t: TestHub;
  let http: HubHttp;
  let matrix: Endpoint[];
  let tokens = new Map<string, string>();

  const tokenOf = async (principal: string) => {
    if (!tokens.has(principal)) tokens.set(principal, principal === admin ? await t.hub.tokens.issueAdmin() : await t.hub.tokens.issue(principal));
    return tokens.get(principal)!;
  };
  /** Tokens expire by the hub's clock: a phase that moves it gets new ones. */
  const setClock = (instant: string) => {
    clock.set(instant);
    tokens = new Map();
  };
  /** The purpose goes in the X-Purpose header, or with `via: 'query'` as `?purpose=`. */
  const get = async (principal: string, path: string, purpose: PurposeCase, via: 'header' | 'query' = 'header'): Promise<{ status: number; body: any }> => {
    let target = path;
    if (purpose !== undefined && via === 'query') target = `${path}${path.includes('?') ? '&' : '?'}purpose=${encodeURIComponent(purpose)}`;
    const abort = new AbortController();
    const response = await http.fetchWithToken(await tokenOf(principal), target, {
      signal: abort.signal, ...(purpose !== undefined && via === 'header' ? { purpose } : {}),
    });
    if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      abort.abort(); // the stream's status is all the matrix needs
      return { status: response.status, body: null };
    }
    return { status: response.status, body: await response.json() };
  };
  const post = async (principal: string, path: string, body: unknown) => http.callWithToken(await tokenOf(principal), path, { method: 'POST', body });

  /** Checks the rows of an allowed read where that is cheap: purpose, person-level rows only for person-level recipients, own entries only. */
  function checkRows(endpoint: Endpoint, principal: string, purpose: string, phase: Phase, body: any, seen: Map<string, number>): void {
    const personLevel = recipientClauses(principal, purpose, phase).some((c) => c.personLevel);
    const count = (what: string, n: number) => seen.set(what, (seen.get(what) ?? 0) + n);
    const disclosed = (channel: string, people: number) => {
      if (people > 0) count(`disclosed ${principal} ${purpose} ${channel}`, people);
    };
    switch (endpoint.name) {
      case 'review case':
        expect(body.personRef).toEqual(expect.any(String));
        disclosed('review', 1);
        break;
      case 'alerts':
        disclosed('alert', body.filter((a: any) => a.personRef !== null).length);
        for (const alert of body) expect({ principal, purpose, alertPurpose: alert.purpose }).toEqual({ principal, purpose, alertPurpose: purpose });
        if (!personLevel) expect({ principal, purpose, personRefs: body.map((a: any) => a.personRef).filter((r: unknown) => r !== null) }).toEqual({ principal, purpose, personRefs: [] });
        count(`person-level alerts to ${principal} for ${purpose}`, body.filter((a: any) => a.personRef !== null).length);
        break;
      case 'review queue':
        expect(body.every((r: any) => typeof r.personRef === 'string')).toBe(true);
        count(`reviews to ${principal}`, body.length);
        disclosed('review', body.length);
        break;
      case 'continuity report': {
        const controlled = purpose === 'aggregate-reporting' || !personLevel;
        expect({ principal, purpose, controlled: body.rows.map((row: any) => 'suppressed' in row) })
          .toEqual({ principal, purpose, controlled: body.rows.map(() => controlled) });
        expect(JSON.stringify(body)).not.toMatch(/person/i);
        count(`report rows to ${principal} for ${purpose}`, body.rows.length);
        break;
      }
      case 'engagement worklist':
        expect(body.every((row: any) => typeof row.personRef === 'string' && row.provider === undefined)).toBe(true);
        count(`worklist rows to ${principal}`, body.length);
        disclosed('worklist', body.length);
        break;
      case 'agreements':
        expect({ principal, purpose, ids: body.map((a: any) => a.id).sort() }).toEqual({ principal, purpose, ids: visibleAgreements(principal, purpose) });
        break;
      case 'disclosure log':
        if (principal !== admin) expect({ principal, recipients: [...new Set(body.entries.map((e: any) => e.recipient))] }).toEqual({ principal, recipients: body.entries.length ? [principal] : [] });
        count(`disclosure log entries seen by ${principal}`, body.entries.length);
        break;
      default:
    }
  }

  /** Runs the whole matrix once: every cell's status (and error code) against the oracle. Returns counts of rows seen. */
  async function runMatrix(phase: Phase): Promise<{ cells: number; allowed: number; seen: Map<string, number> }> {
    const principals = [...area.agencies.map((a) => a.id), admin];
    const seen = new Map<string, number>();
    const mismatches: string[] = [];
    let cells = 0;
    let allowed = 0;
    for (const [index, principal] of principals.entries()) {
      for (const purpose of purposeCases) {
        for (const endpoint of matrix) {
          const want = expectedOutcome(endpoint, principal, purpose, phase);
          const { status, body } = await get(principal, endpoint.path, purpose, index % 2 === 0 ? 'header' : 'query');
          cells += 1;
          const code = status === 200 ? undefined : body?.error?.code;
          if (status !== want.status || code !== want.code) {
            mismatches.push(`${phase.name}: ${principal} ${purpose ?? '(no purpose)'} GET ${endpoint.path}: expected ${want.status} ${want.code ?? ''}, got ${status} ${code ?? ''} ${body?.error?.message ?? ''}`);
          } else if (status === 200) {
            allowed += 1;
            checkRows(endpoint, principal, purpose!, phase, body, seen);
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
    return { cells, allowed, seen };
  }

  beforeAll(async () => {
    t = await openTestHub({ clock, area });
    const late = recentRelease(londonDateOf(clock.now()));
    const events = [...continuityScenario, ...alertsAndReviewsScenario(), late];
    const outcomes = await t.ingest(events);
    expect(outcomes.filter((o) => o.status !== 'accepted')).toEqual([]);
    await t.engine.catchUp();
    const reviews = await new ReviewQueries(t.hub.database).list({ today: londonDateOf(clock.now()) });
    expect(reviews.length).toBeGreaterThan(0);
    matrix = endpoints({ id: reviews[0]!.id, reportedBy: [...new Set(reviews[0]!.reports.map((r) => r.provider))] }, agreement.id);
    http = await serveHubOverHttp(t.hub);
  });
  afterAll(async () => {
    await http?.close();
    await t?.close();
  });

  it('covers every GET endpoint of the API', () => {
    const routes = getRoutesOf(http.app);
    expect(routes.filter((route) => route.startsWith('/v1/'))).toEqual(matrix.map((e) => e.route).sort());
    // Besides the API: the health check and the dashboard's pages (which read through the same query handlers).
    expect(routes.filter((route) => !route.startsWith('/v1/') && !publicRoutes.includes(route) && route !== '/dashboard' && !route.startsWith('/dashboard/'))).toEqual(['/']);
  });

  it('while the agreement is active, every cell is allowed or refused exactly as the agreements say, and rows are filtered', async () => {
    const phase: Phase = { name: 'active', today: londonDateOf(clock.now()), statusOf: {} };
    const { cells, allowed, seen } = await runMatrix(phase);
    expect(cells).toBe((area.agencies.length + 1) * purposeCases.length * matrix.length);
    expect(allowed).toBeGreaterThan(100);
    // The data is there, so the filters above had something to filter.
    expect(seen.get('person-level alerts to treatment-northshire-recovery for near-miss-alerting')).toBeGreaterThan(0);
    expect(seen.get('reviews to la-northshire-public-health')).toBeGreaterThan(0);
    expect(seen.get('worklist rows to treatment-northshire-recovery')).toBeGreaterThan(0);
    expect(seen.get('report rows to police-northshire for aggregate-reporting')).toBeGreaterThan(0);
    expect(seen.get('disclosure log entries seen by treatment-northshire-recovery')).toBeGreaterThan(0);

    // Every person-level row shown went to the disclosure log, and only person-level recipients appear in it.
    const { body: log } = await get(admin, '/v1/audit?limit=1000', 'data-protection');
    const logged = new Set(log.entries.filter((e: any) => e.kind !== 'erasure').map((e: any) => `disclosed ${e.recipient} ${e.purpose} ${e.channel}`));
    const shown = [...seen.keys()].filter((key) => key.startsWith('disclosed '));
    expect(shown.length).toBeGreaterThan(3);
    expect(shown.filter((key) => !logged.has(key))).toEqual([]);
    const withoutPersonLevelClause = log.entries.filter((e: any) => !recipientClauses(e.recipient, e.purpose, phase).some((c) => c.personLevel));
    expect(withoutPersonLevelClause).toEqual([]);
  });

  it('an agreement suspended by a party stops sharing with the very next read, everywhere; reactivating restores it', async () => {
    const worklist = () => get('treatment-northshire-recovery', '/v1/continuity/pending', 'continuity-of-care');
    expect((await worklist()).status).toBe(200);
    expect(await post('probation-northshire', `/v1/agreements/${agreement.id}/suspend`, { reason: 'suspected misuse under investigation' }))
      .toMatchObject({ status: 200, body: { agreement: { status: 'suspended' } } });
    expect(await worklist()).toMatchObject({ status: 403, body: { error: { code: 'ACCESS.DENIED', message: expect.stringContaining('treatment-northshire-recovery is not a recipient for purpose continuity-of-care') } } });

    const suspended = await runMatrix({ name: 'suspended', today: londonDateOf(clock.now()), statusOf: { [agreement.id]: 'suspended' } });
    expect(suspended.seen.get('worklist rows to treatment-northshire-recovery')).toBeUndefined();

    expect(await post(admin, `/v1/agreements/${agreement.id}/activate`, { reason: 'investigation closed' })).toMatchObject({ status: 200, body: { agreement: { status: 'active' } } });
    expect((await worklist()).status).toBe(200);
  });

  it('after effectiveTo the agreement stops by itself: refused from the next day, and the hub records the expiry once', async () => {
    setClock(`${agreement.effectiveTo}T12:00:00Z`);
    const lastDay: Phase = { name: 'last day', today: agreement.effectiveTo, statusOf: {} };
    expect(londonDateOf(clock.now())).toBe(lastDay.today);
    expect((await get('probation-northshire', '/v1/alerts', 'near-miss-alerting')).status).toBe(200);
    expect((await get('la-northshire-public-health', '/v1/reviews', 'drd-review')).status).toBe(200);

    setClock(`${addDays(agreement.effectiveTo, 1)}T00:30:00Z`); // 00:30 in London (GMT in winter)
    const dayAfter: Phase = { name: 'day after effectiveTo', today: addDays(agreement.effectiveTo, 1), statusOf: {} };
    expect(londonDateOf(clock.now())).toBe(dayAfter.today);
    // Refused from the first read of the day, before the expiry processor has run.
    expect((await t.hub.store.readStream(`agreement-${agreement.id}`)).map((e) => e.type)).not.toContain('hub.agreement.expired.v1');
    const expired = await runMatrix(dayAfter);
    expect([...expired.seen.keys()].filter((what) => !what.startsWith('disclosure log'))).toEqual([]);

    await t.engine.catchUp();
    await t.engine.catchUp();
    const history = (await t.hub.store.readStream(`agreement-${agreement.id}`)).map((e) => ({ type: e.type, by: e.data.by }));
    expect(history.filter((e) => e.type === 'hub.agreement.expired.v1')).toEqual([{ type: 'hub.agreement.expired.v1', by: 'hub:clock' }]);
    expect(await get(admin, `/v1/agreements/${agreement.id}`, 'data-protection')).toMatchObject({ status: 200, body: { status: 'expired', inForce: false } });
    const afterRecording = await runMatrix({ ...dayAfter, name: 'expired and recorded', statusOf: { [agreement.id]: 'expired' } });
    expect(afterRecording.cells).toBe(expired.cells);
  });
});
