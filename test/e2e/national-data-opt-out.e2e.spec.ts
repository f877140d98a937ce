import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { addDays, type AreaConfig, type CloudEvent, londonDateOf } from '@hub/kernel';
import { createTestDatabase, hubTarget, type HubTarget, runHub, sharedDir, startHubServer, type RunningHub, type TestDatabase } from '@hub/testing';

/**
 * The National Data Opt-out through the built CLI and HTTP: Northshire Recovery Partnership is run
 * by an NHS trust here (`nhsBody`), and the agreement respects the opt-out. Opting out the people it
 * started in treatment changes the published continuity report (aggregate reporting), never what
 * direct care and safeguarding see.
 */
const work = mkdtempSync(join(tmpdir(), 'hub-opt-out-'));
const area = JSON.parse(readFileSync(resolve(sharedDir, 'scenarios', 'area.json'), 'utf8')) as AreaConfig;
const areaFile = join(work, 'area.json');
writeFileSync(areaFile, JSON.stringify({
  ...area, agencies: area.agencies.map((a) => (a.id === 'treatment-northshire-recovery' ? { ...a, nhsBody: true } : a)),
}));
const nrp = 'treatment-northshire-recovery';
const today = londonDateOf(new Date());
const tester = { givenName: 'Opal', familyName: 'Outwith', dateOfBirth: '1979-06-02', sex: 'F', nhsNumber: '9434765870', nomisId: 'A9999ZZ' };
const recent: CloudEvent[] = [
  {
    specversion: '1.0', id: '5f0c3a52-0000-4000-8000-000000000001', source: 'agency:prison-hmp-northgate', type: 'prison.release.recorded.v1',
    subject: tester.nomisId, time: `${addDays(today, -3)}T09:00:00Z`, datacontenttype: 'application/json',
    data: {
      recordId: 'REL-OPT-1', person: tester, releasedOn: addDays(today, -3), prisonId: 'NGI', releaseType: 'licence', destinationLocalAuthority: 'E06000901',
      treatmentNeed: true, substanceGroup: 'opiate', referral: { providerId: 'NRP', referredOn: addDays(today, -10) }, naloxoneIssued: true,
    },
  },
  {
    specversion: '1.0', id: '5f0c3a52-0000-4000-8000-000000000002', source: 'agency:nhs-northshire-ambulance', type: 'nhs.non-fatal-overdose.recorded.v1',
    subject: `NAS-${tester.nhsNumber}`, time: `${addDays(today, -1)}T02:00:00Z`, datacontenttype: 'application/json',
    data: {
      recordId: 'OD-OPT-1', person: { nhsNumber: tester.nhsNumber, givenName: tester.givenName, familyName: tester.familyName, dateOfBirth: tester.dateOfBirth },
      occurredAt: `${addDays(today, -1)}T02:00:00Z`, localAuthority: 'E06000901', setting: 'ambulance', suspectedSubstances: ['heroin'], naloxoneAdministered: true,
    },
  },
];

interface Row { group: Record<string, string>; released: number | null; notEngaged: number | null; rate: number | null }

describe('hub opt-out import and the continuity report (aggregate reporting only)', () => {
  let db: TestDatabase;
  let target: HubTarget;
  let server: RunningHub;
  let optedOut: string[] = [];
  const report = async (...extra: string[]) => {
    const result = await runHub(target, ['report', 'continuity', '--from', '2025-01-01', '--to', '2025-06-30', ...extra]);
    expect(result.code).toBe(0);
    return result.json<{ rows: Row[] }>().rows;
  };
  const read = async (agency: string, purpose: string, path: string) => {
    const token = (await runHub(target, ['token', '--agency', agency])).stdout.trim();
    const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}`, 'x-purpose': purpose } });
    expect(response.status).toBe(200);
    return response.json() as Promise<unknown>;
  };
  const rowsOverHttp = async (agency: string, purpose: string) => ((await read(agency, purpose, '/v1/reports/continuity-of-care?from=2025-01-01&to=2025-06-30')) as { rows: Row[] }).rows;
  const aggregateOverHttp = () => rowsOverHttp('la-northshire-public-health', 'aggregate-reporting');
  const directCareOverHttp = () => rowsOverHttp('probation-northshire', 'continuity-of-care');

  beforeAll(async () => {
    db = await createTestDatabase('hub_e2e_opt_out');
    target = hubTarget(db.url);
    expect((await runHub(target, ['init', '--config', areaFile])).code).toBe(0);
    const simulated = await runHub(target, ['simulate', '--people', '400', '--seed', '5', '--from', '2025-01-01', '--months', '6'], { timeoutMs: 120_000 });
    expect(simulated.code).toBe(0);
    const events = [...simulated.stdout.trim().split('\n').map((line) => JSON.parse(line) as CloudEvent), ...recent];
    const file = join(work, 'events.ndjson');
    writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n'));
    await runHub(target, ['ingest', file], { timeoutMs: 300_000 });
    // Everyone the NHS trust started in treatment, and the recent tester: the register to import.
    const started = events.filter((e) => e.source === `agency:${nrp}` && e.type === 'treatment.started.v1')
      .map((e) => (e.data as { person?: { nhsNumber?: string } }).person?.nhsNumber).filter((n): n is string => typeof n === 'string');
    optedOut = [...new Set([...started, tester.nhsNumber])];
    server = await startHubServer(target);
  }, 600_000);
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('leaves the NHS trust\'s data of opted-out people out of aggregate reporting, keeps reports as of before the import, and leaves direct care and safeguarding alone', async () => {
    const publishedBefore = await report('--disclosure', 'published');
    const operatorBefore = await report();
    const aggregateBefore = await aggregateOverHttp();
    const directCareBefore = await directCareOverHttp();
    const worklistBefore = await read(nrp, 'continuity-of-care', '/v1/continuity/pending') as { personRef: string; releasedOn: string }[];
    const alertsBefore = (await runHub(target, ['alerts', '--status', 'all'])).json<unknown[]>();
    expect(worklistBefore.filter((p) => p.releasedOn === addDays(today, -3))).toHaveLength(1);
    expect(alertsBefore.length).toBeGreaterThan(0);
    const beforeImport = new Date().toISOString();

    const registerFile = join(work, 'opt-outs.txt');
    writeFileSync(registerFile, ['# National Data Opt-out, MESH extract', '', ...optedOut, optedOut[0]!].join('\n'));
    const imported = await runHub(target, ['opt-out', 'import', registerFile]);
    expect(imported.code).toBe(0);
    expect(imported.json()).toMatchObject({ recorded: true, entries: optedOut.length, added: optedOut.length, removed: 0, lines: optedOut.length + 1 });
    expect(imported.stderr).not.toContain(tester.nhsNumber);

    const publishedAfter = await report('--disclosure', 'published');
    // Releases still count (prison data); starts with the NHS trust no longer do, so more are not engaged.
    const total = (rows: Row[], field: 'released' | 'notEngaged') => rows.reduce((sum, r) => sum + (r[field] ?? 0), 0);
    expect(total(publishedAfter, 'released')).toBe(total(publishedBefore, 'released'));
    expect(total(publishedAfter, 'notEngaged')).toBeGreaterThan(total(publishedBefore, 'notEngaged'));
    expect(await aggregateOverHttp()).not.toEqual(aggregateBefore);
    // As of an instant before the import, the published report is what it was.
    expect(await report('--disclosure', 'published', '--as-of', beforeImport)).toEqual(publishedBefore);
    // The operator's unpublished view and direct care are not aggregate reporting.
    expect(await report()).toEqual(operatorBefore);
    expect(await directCareOverHttp()).toEqual(directCareBefore);
    // The worklist and the alerts still name the person.
    expect(await read(nrp, 'continuity-of-care', '/v1/continuity/pending')).toEqual(worklistBefore);
    expect((await runHub(target, ['alerts', '--status', 'all'])).json()).toEqual(alertsBefore);

    // The same list again changes nothing and records nothing; the history says who, when and how many.
    expect((await runHub(target, ['opt-out', 'import', registerFile])).json()).toMatchObject({ recorded: false, entries: optedOut.length });
    const history = (await runHub(target, ['opt-out', 'history'])).json<{ entries: number; by: string; listedFrom: string }[]>();
    expect(history).toEqual([expect.objectContaining({ entries: optedOut.length, added: optedOut.length, removed: 0, by: expect.stringMatching(/^cli:/) })]);

    // An empty register (everyone withdrew their opt-out) brings the published report back.
    const empty = join(work, 'empty.txt');
    writeFileSync(empty, '# nobody\n');
    expect((await runHub(target, ['opt-out', 'import', empty])).json()).toMatchObject({ recorded: true, entries: 0, removed: optedOut.length });
    expect(await report('--disclosure', 'published')).toEqual(publishedBefore);
    expect(await report('--disclosure', 'published', '--as-of', history[0]!.listedFrom)).toEqual(publishedAfter);
  }, 300_000);

  it('refuses a file with bad lines, naming them without the numbers, and changes nothing', async () => {
    const file = join(work, 'bad.txt');
    writeFileSync(file, ['9434765919', '9434765918', '', '12345', 'not a number'].join('\n'));
    const result = await runHub(target, ['opt-out', 'import', file]);
    expect(result.code).toBe(1);
    expect(result.json()).toEqual({
      recorded: false, lines: 4, rejected: 3, errors: [
        { line: 2, message: 'line 2: "943*******" fails the NHS number check digit' },
        { line: 4, message: 'line 4: "123**" has 5 digits, not 10' },
        { line: 5, message: 'line 5: "not*******" is not an NHS number (digits only, 10 of them)' },
      ],
    });
    expect(result.stdout + result.stderr).not.toContain('9434765918');
    expect((await runHub(target, ['opt-out', 'history'])).json<unknown[]>()).toHaveLength(2);
    expect((await runHub(target, ['opt-out', 'import', join(work, 'missing.txt')])).code).toBe(2);
  });
});
