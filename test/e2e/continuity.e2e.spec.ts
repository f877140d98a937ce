import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { addDays, type CloudEvent, londonDateOf } from '@hub/kernel';
import { createTestDatabase, hubTarget, type HubTarget, runHub, sharedDir, startHubServer, type RunningHub, type TestDatabase } from '@hub/testing';

const scenarioDir = resolve(sharedDir, 'scenarios');
const areaFile = resolve(scenarioDir, 'area.json');
const scenarioFile = resolve(scenarioDir, 'continuity-basic.ndjson');
const scenario = readFileSync(scenarioFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as CloudEvent);
const expected = JSON.parse(readFileSync(resolve(scenarioDir, 'continuity-basic.expected.json'), 'utf8')) as { command: string; rows: unknown[] };
/** The scenario's command, minus the leading `hub`. */
const reportArgs = expected.command.split(' ').slice(1);

const today = londonDateOf(new Date());

interface Report { from: string; to: string; asOf: string; rows: { group: Record<string, string | null> }[] }

/** Later facts: Case11 starts treatment on day 10 (arriving late), and Case13 is released five days ago to NRP. */
function lateArrivals(today: string): CloudEvent[] {
  const case11 = scenario.find((e) => e.subject === 'A1011BC')!;
  const start = scenario.find((e) => e.subject === 'NRP-00')!;
  const person11 = (case11.data as { person: Record<string, unknown> }).person;
  const releasedOn = addDays(today, -5);
  return [
    { ...start, id: randomUUID(), subject: 'NRP-11', time: '2025-03-13T09:00:00Z', data: { ...start.data, recordId: 'TS-11', person: { ...person11, nomisId: undefined }, startedOn: '2025-03-13' } },
    {
      ...case11, id: randomUUID(), subject: 'A1013BC', time: `${releasedOn}T09:00:00Z`,
      data: { ...case11.data, recordId: 'REL-13', releasedOn, person: { givenName: 'Nia', familyName: 'Case13', dateOfBirth: '1990-05-05', sex: 'F', nomisId: 'A1013BC' } },
    },
  ].map((event) => JSON.parse(JSON.stringify(event)) as CloudEvent);
}

const late = lateArrivals(today);

function withoutOrder(rows: readonly unknown[]): unknown[] {
  return [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

describe('continuity of care through the built CLI and HTTP (shared/scenarios/continuity-basic)', () => {
  let db: TestDatabase;
  let target: HubTarget;
  let firstReport: Report;

  beforeAll(async () => {
    db = await createTestDatabase('hub_e2e_continuity');
    target = hubTarget(db.url);
    expect((await runHub(target, ['init', '--config', areaFile])).code).toBe(0);
    expect((await runHub(target, ['ingest', scenarioFile])).json()).toEqual({ accepted: scenario.length, duplicates: 0, rejected: 0, errors: [] });
  });
  afterAll(async () => db.drop());

  it('reproduces continuity-basic.expected.json exactly', async () => {
    const result = await runHub(target, reportArgs);
    expect(result.code).toBe(0);
    firstReport = result.json<Report>();
    expect(Object.keys(firstReport)).toEqual(['from', 'to', 'asOf', 'rows']);
    expect(firstReport).toMatchObject({ from: '2025-01-01', to: '2025-12-31' });
    expect(withoutOrder(firstReport.rows)).toEqual(withoutOrder(expected.rows));
  });

  it('prints CSV and a table for people', async () => {
    const csv = await runHub(target, [...reportArgs.filter((a) => a !== '--format' && a !== 'json'), '--format', 'csv']);
    expect(csv.stdout.split('\r\n')).toEqual([
      'month,prisonId,released,engaged,notEngaged,pending,excluded,rate',
      '2025-03,NGI,9,4,3,0,2,0.5714285714285714',
      '2025-04,EFI,1,1,0,0,0,1',
      '',
    ]);
    const table = await runHub(target, ['report', 'continuity', '--from', '2025-03-01', '--to', '2025-03-31', '--format', 'table']);
    expect(table.stdout.split('\n')[0]).toMatch(/^released\s+engaged\s+notEngaged\s+pending\s+excluded\s+rate$/);
    expect(table.stdout.split('\n')[1]).toMatch(/^9\s+4\s+3\s+0\s+2\s+0\.57/);
  });

  it('refuses bad parameters with exit 2, naming the field and value', async () => {
    const cases: [string[], string][] = [
      [['--from', '2025-02-30', '--to', '2025-12-31'], 'from "2025-02-30"'],
      [['--from', '2025-12-31', '--to', '2025-01-01'], 'from "2025-12-31" is after to "2025-01-01"'],
      [['--from', '2025-01-01', '--to', '2025-12-31', '--group-by', 'month,shoeSize'], 'groupBy "shoeSize"'],
      [['--from', '2025-01-01', '--to', '2025-12-31', '--as-of', 'last tuesday'], 'asOf "last tuesday"'],
      [['--from', '2025-01-01', '--to', '2025-12-31', '--disclosure', 'some'], 'disclosure "some"'],
    ];
    for (const [args, message] of cases) {
      const result = await runHub(target, ['report', 'continuity', ...args]);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toContain(message);
    }
  });

  it('publishes with disclosure control: counts 1-7 suppressed, others rounded to 5', async () => {
    const published = (await runHub(target, ['report', 'continuity', '--from', '2025-01-01', '--to', '2025-12-31', '--disclosure', 'published'])).json<Report>();
    expect(published.rows).toEqual([{
      group: {}, released: 10, engaged: null, notEngaged: null, pending: 0, excluded: null, rate: null,
      suppressed: true, suppressedFields: ['engaged', 'notEngaged', 'excluded'],
    }]);
  });

  it('answers as of a past instant with the same numbers after late data arrives; as of now changes', async () => {
    const asOf = new Date().toISOString();
    const before = (await runHub(target, [...reportArgs, '--as-of', asOf])).json<Report>();
    expect(withoutOrder(before.rows)).toEqual(withoutOrder(expected.rows));
    const file = join(mkdtempSync(join(tmpdir(), 'continuity-')), 'late.ndjson');
    writeFileSync(file, late.map((e) => JSON.stringify(e)).join('\n'));
    expect((await runHub(target, ['ingest', file])).json()).toMatchObject({ accepted: 2, rejected: 0 });
    const again = (await runHub(target, [...reportArgs, '--as-of', asOf])).json<Report>();
    expect(again).toEqual(before);
    const now = (await runHub(target, reportArgs)).json<Report>();
    expect(now.rows).toContainEqual({ group: { month: '2025-03', prisonId: 'NGI' }, released: 9, engaged: 5, notEngaged: 2, pending: 0, excluded: 2, rate: 5 / 7 });
    const thisWeek = (await runHub(target, ['report', 'continuity', '--from', addDays(today, -7), '--to', today])).json<Report>();
    expect(thisWeek.rows).toEqual([{ group: {}, released: 1, engaged: 0, notEngaged: 0, pending: 1, excluded: 0, rate: null }]);
    const beforeAnything = (await runHub(target, [...reportArgs, '--as-of', '2020-01-01T00:00:00Z'])).json<Report>();
    expect(beforeAnything.rows).toEqual([]);
  });

  it('hub replay rebuilds the projection with identical results', async () => {
    const current = (await runHub(target, reportArgs)).stdout;
    const replay = await runHub(target, ['replay']);
    expect(replay.code).toBe(0);
    expect(replay.json<{ projections: { projection: string }[] }>().projections.map((p) => p.projection)).toContain('continuity');
    expect(JSON.parse((await runHub(target, reportArgs)).stdout).rows).toEqual(JSON.parse(current).rows);
  });

  describe('over HTTP (hub serve)', () => {
    let server: RunningHub;
    const get = async (agency: string, path: string, purpose: string) => {
      const token = (await runHub(target, ['token', '--agency', agency])).stdout.trim();
      const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}`, 'x-purpose': purpose } });
      return { status: response.status, body: (await response.json()) as any };
    };
    const reportPath = '/v1/reports/continuity-of-care?from=2025-01-01&to=2025-12-31&groupBy=month,prisonId';

    beforeAll(async () => {
      server = await startHubServer(target);
    });
    afterAll(async () => server.stop());

    it('gives a person-level continuity-of-care recipient the exact counts', async () => {
      const { status, body } = await get('treatment-northshire-recovery', reportPath, 'continuity-of-care');
      expect(status).toBe(200);
      expect(body.rows).toEqual([
        { group: { month: '2025-03', prisonId: 'NGI' }, released: 9, engaged: 5, notEngaged: 2, pending: 0, excluded: 2, rate: 5 / 7 },
        { group: { month: '2025-04', prisonId: 'EFI' }, released: 1, engaged: 1, notEngaged: 0, pending: 0, excluded: 0, rate: 1 },
      ]);
    });

    it('always applies disclosure control for aggregate-reporting, even when asked for none', async () => {
      const { status, body } = await get('la-northshire-public-health', `${reportPath}&disclosure=none`, 'aggregate-reporting');
      expect(status).toBe(200);
      expect(body.rows.every((row: any) => 'suppressed' in row)).toBe(true);
      expect(body.rows[0]).toMatchObject({ group: { month: '2025-03', prisonId: 'NGI' }, released: 10, suppressed: true, engaged: null });
    });

    it('refuses a caller without an agreement, a wrong purpose and bad parameters', async () => {
      expect((await get('police-northshire', reportPath, 'continuity-of-care')).status).toBe(403);
      expect((await get('treatment-northshire-recovery', reportPath, 'drd-review')).status).toBe(403);
      const bad = await get('treatment-northshire-recovery', '/v1/reports/continuity-of-care?from=2025-01-01&to=2025-13-01', 'continuity-of-care');
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain('to \\"2025-13-01\\"');
      const response = await fetch(`${server.url}${reportPath}`, { headers: { 'x-purpose': 'continuity-of-care' } });
      expect(response.status).toBe(401);
    });

    it('lists a provider\'s people whose window is open, with days left, and logs the disclosure', async () => {
      const { status, body } = await get('treatment-northshire-recovery', '/v1/continuity/pending', 'continuity-of-care');
      expect(status).toBe(200);
      expect(body).toEqual([{
        personRef: expect.any(String), releasedOn: addDays(today, -5), prisonId: 'NGI', localAuthority: 'E06000901', substanceGroup: 'opiate',
        referredOn: '2025-02-21', windowEndsOn: addDays(today, 16), daysLeft: 16,
      }]);
      const { rows } = await db.database.query<{ entry: { recipient: string; purpose: string; channel: string; personRefs: string[] } }>(
        `SELECT entry FROM sharing.disclosure_log ORDER BY sequence DESC LIMIT 1`,
      );
      expect(rows[0]!.entry).toMatchObject({ recipient: 'treatment-northshire-recovery', purpose: 'continuity-of-care', channel: 'worklist', personRefs: [body[0].personRef] });
      expect((await get('treatment-corbury-cgl', '/v1/continuity/pending', 'continuity-of-care')).body).toEqual([]);
      expect((await get('la-northshire-public-health', '/v1/continuity/pending', 'aggregate-reporting')).status).toBe(403);
      expect((await get('probation-northshire', '/v1/continuity/pending', 'continuity-of-care')).status).toBe(403);
    });
  });
});
