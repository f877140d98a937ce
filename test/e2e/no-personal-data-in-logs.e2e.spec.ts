import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CloudEvent } from '@hub/kernel';
import { createTestDatabase, hubTarget, type HubResult, type HubTarget, runHub, sharedDir, startHubServer, type TestDatabase } from '@hub/testing';

/*
 * "No personal data in logs" (issue 5): the continuity scenario goes through the built CLI and
 * `hub serve` with debug logging, and every name, date of birth and identifier of the scenario is
 * looked for in what the hub logged (stderr; stdout is the data the user asked for).
 */

const scenarioDir = resolve(sharedDir, 'scenarios');
const areaFile = resolve(scenarioDir, 'area.json');
const scenarioFile = resolve(scenarioDir, 'continuity-basic.ndjson');
const scenario = readFileSync(scenarioFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as CloudEvent);
const expected = JSON.parse(readFileSync(resolve(scenarioDir, 'continuity-basic.expected.json'), 'utf8')) as { command: string };

const personalFields = ['givenName', 'familyName', 'dateOfBirth', 'nhsNumber', 'nomisId', 'pncId', 'crn'] as const;

/** Every personal value of the events: the person blocks' names, dates of birth and identifiers, and the agency subjects. */
function personalValuesOf(events: readonly CloudEvent[]): Set<string> {
  const values = new Set<string>();
  for (const event of events) {
    if (event.subject) values.add(event.subject);
    const person = (event.data as { person?: Record<string, unknown> }).person ?? {};
    for (const field of personalFields) if (typeof person[field] === 'string' && person[field] !== '') values.add(person[field] as string);
  }
  return values;
}

/** A copy of a scenario event the hub must reject (a date of birth that is no date), to see what a rejection logs. */
function rejectedCopy(): CloudEvent {
  const release = scenario.find((e) => e.type === 'prison.release.recorded.v1')!;
  const data = release.data as { person: Record<string, unknown> };
  return JSON.parse(JSON.stringify({ ...release, id: randomUUID(), data: { ...release.data, recordId: 'REL-BAD', person: { ...data.person, dateOfBirth: '1985-13-41' } } })) as CloudEvent;
}

const escape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function leaksIn(log: string, values: ReadonlySet<string>): string[] {
  return [...values].filter((value) => new RegExp(`(^|[^A-Za-z0-9])${escape(value)}($|[^A-Za-z0-9])`).test(log));
}

/** pino's JSON lines: level 20 is debug. */
function logLines(stderr: string): { level: number; msg: string }[] {
  return stderr.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { level: number; msg: string });
}

describe('no personal data in logs: the continuity scenario through the CLI and hub serve with debug logging', () => {
  let db: TestDatabase;
  let target: HubTarget;
  const logs: { step: string; stderr: string }[] = [];
  const bad = rejectedCopy();
  const personal = personalValuesOf([...scenario, bad]);

  const hub = async (args: string[], options: { input?: string } = {}): Promise<HubResult> => {
    const result = await runHub(target, args, options);
    logs.push({ step: `hub ${args.join(' ')}`, stderr: result.stderr });
    return result;
  };

  beforeAll(async () => {
    db = await createTestDatabase('hub_e2e_log_privacy');
    target = { ...hubTarget(db.url), env: { ...hubTarget(db.url).env, HUB_LOG_LEVEL: 'debug' } };
  });
  afterAll(async () => db.drop());

  it('the scenario file holds the personal data the logs are searched for', () => {
    expect(personal.size).toBeGreaterThan(40);
    for (const value of ['Case00', 'Ada', '1985-01-10', '9434765919', 'A1000BC', 'NRP-00']) expect(personal).toContain(value);
  });

  it('hub init, ingest, report continuity, alerts, reviews and replay log at debug level, and log no name, date of birth or identifier', async () => {
    expect((await hub(['init', '--config', areaFile])).code).toBe(0);
    expect((await hub(['ingest', scenarioFile])).json()).toEqual({ accepted: scenario.length, duplicates: 0, rejected: 0, errors: [] });
    const rejected = await hub(['ingest', '-'], { input: `${JSON.stringify(bad)}\n` });
    expect(rejected.code).toBe(1);
    expect(rejected.json()).toMatchObject({ rejected: 1, errors: [{ code: 'SCHEMA_INVALID' }] });
    const report = await hub(expected.command.split(' ').slice(1));
    expect(report.code).toBe(0);
    expect(report.json<{ rows: unknown[] }>().rows.length).toBeGreaterThan(0);
    expect((await hub(['alerts'])).code).toBe(0);
    expect((await hub(['reviews'])).code).toBe(0);
    expect((await hub(['replay'])).code).toBe(0);

    const all = logs.map((l) => l.stderr).join('\n');
    const debugLines = logLines(all).filter((line) => line.level === 20);
    expect(debugLines.map((line) => line.msg)).toEqual(expect.arrayContaining(['ingest batch stored', 'projection page applied', 'projection caught up', 'projection rebuilt']));
    for (const { step, stderr } of logs) expect({ step, leaks: leaksIn(stderr, personal) }).toEqual({ step, leaks: [] });
  });

  it('hub serve with debug logging: reads, refusals and a rejected publish log no name, date of birth or identifier', async () => {
    const server = await startHubServer(target, { HUB_LOG_LEVEL: 'debug' });
    try {
      const tokens = new Map<string, string>();
      const token = async (agency: string) => {
        if (!tokens.has(agency)) tokens.set(agency, (await hub(['token', '--agency', agency])).stdout.trim());
        return tokens.get(agency)!;
      };
      const read = async (agency: string, path: string, purpose: string) => {
        const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${await token(agency)}`, 'x-purpose': purpose } });
        return { status: response.status, body: await response.text() };
      };
      const treatment = 'treatment-northshire-recovery';
      expect((await read(treatment, '/v1/reports/continuity-of-care?from=2025-01-01&to=2025-12-31&groupBy=month,prisonId', 'continuity-of-care')).status).toBe(200);
      expect((await read(treatment, '/v1/continuity/pending', 'continuity-of-care')).status).toBe(200);
      expect((await read(treatment, '/v1/alerts', 'near-miss-alerting')).status).toBe(200);
      expect((await read('la-northshire-public-health', '/v1/reviews', 'drd-review')).status).toBe(200);
      expect((await read('police-northshire', '/v1/continuity/pending', 'continuity-of-care')).status).toBe(403);
      expect((await read(treatment, '/v1/audit', 'data-protection')).status).toBe(200);
      const publish = await fetch(`${server.url}/v1/events`, {
        method: 'POST', headers: { authorization: `Bearer ${await token('prison-hmp-northgate')}`, 'content-type': 'application/cloudevents+json' }, body: JSON.stringify({ ...bad, id: randomUUID() }),
      });
      expect(publish.status).toBe(422);
      expect(await publish.text()).toContain('SCHEMA_INVALID');
    } finally {
      await server.stop();
    }
    const log = server.output();
    const debugLines = logLines(log).filter((line) => line.level === 20);
    expect(debugLines.map((line) => line.msg)).toEqual(expect.arrayContaining(['read authorized', 'read refused: no clause names the recipient']));
    expect(leaksIn(log, personal)).toEqual([]);
    for (const { step, stderr } of logs) expect({ step, leaks: leaksIn(stderr, personal) }).toEqual({ step, leaks: [] });
  });

  it('the search would find a leak: a log holding one of the values is caught', () => {
    const line = JSON.stringify({ level: 20, msg: 'oops', person: { familyName: 'Case07' } });
    expect(leaksIn(line, personal)).toEqual(['Case07']);
  });
});

