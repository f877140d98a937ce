import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createTestDatabase, hubTarget, type HubTarget, runHub, sharedDir, startHubServer, type RunningHub, type TestDatabase } from '@hub/testing';

const areaFile = resolve(sharedDir, 'scenarios', 'area.json');
const scenarioFile = resolve(sharedDir, 'scenarios', 'continuity-basic.ndjson');
const scenarioLines = readFileSync(scenarioFile, 'utf8').trim().split('\n');

interface IngestSummary {
  accepted: number;
  duplicates: number;
  rejected: number;
  errors: { line: number; id: string | null; code: string; message: string }[];
}

describe('hub CLI: init and ingest', () => {
  let db: TestDatabase;
  let target: HubTarget;

  beforeAll(async () => {
    db = await createTestDatabase('hub_e2e');
    target = hubTarget(db.url);
  });
  afterAll(async () => db.drop());

  it('records the area once: loading the same file again changes nothing', async () => {
    const first = await runHub(target, ['init', '--config', areaFile]);
    expect(first.code).toBe(0);
    expect(first.json()).toEqual({ area: 'northshire', agencies: 11, agreements: 1, recorded: 2 });
    const again = await runHub(target, ['init', '--config', areaFile]);
    expect(again.json()).toMatchObject({ recorded: 0 });
  });

  it('ingests the continuity scenario: 25 accepted, then 25 duplicates', async () => {
    const first = await runHub(target, ['ingest', scenarioFile]);
    expect(first.code).toBe(0);
    expect(first.json<IngestSummary>()).toEqual({ accepted: 25, duplicates: 0, rejected: 0, errors: [] });
    const second = await runHub(target, ['ingest', scenarioFile]);
    expect(second.json<IngestSummary>()).toEqual({ accepted: 0, duplicates: 25, rejected: 0, errors: [] });
  });

  it('exits 1 when some lines are rejected, naming line, id, code and field, and keeps the good lines', async () => {
    const good = JSON.parse(scenarioLines[0]!);
    good.id = 'e2e-good-1';
    const badNhs = { ...JSON.parse(scenarioLines[0]!), id: 'e2e-bad-nhs' };
    badNhs.data.person.nhsNumber = '9434765918';
    const input = [JSON.stringify(badNhs), '', '{"not json', JSON.stringify(good)].join('\n');
    const result = await runHub(target, ['ingest', '-'], { input });
    expect(result.code).toBe(1);
    const summary = result.json<IngestSummary>();
    expect(summary).toMatchObject({ accepted: 1, duplicates: 0, rejected: 2 });
    expect(summary.errors).toEqual([
      { line: 1, id: 'e2e-bad-nhs', code: 'SCHEMA_INVALID', message: expect.stringContaining('/data/person/nhsNumber') },
      { line: 3, id: null, code: 'SCHEMA_INVALID', message: expect.stringContaining('not valid JSON') },
    ]);
  });

  it('exits 2 with a clear message on usage and configuration errors', async () => {
    const missing = await runHub(target, ['ingest', '/no/such/file.ndjson']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('/no/such/file.ndjson');
    const unknown = await runHub(target, ['frobnicate']);
    expect(unknown.code).toBe(2);
    const badConfig = await runHub(target, ['init', '--config', scenarioFile]);
    expect(badConfig.code).toBe(2);
    const token = await runHub(target, ['token', '--agency', 'nobody']);
    expect(token.code).toBe(2);
    expect(token.stderr).toContain('"nobody" is not an agency');
  });
});

describe('HTTP: POST /v1/events', () => {
  let db: TestDatabase;
  let target: HubTarget;
  let server: RunningHub;
  let prisonToken: string;

  beforeAll(async () => {
    db = await createTestDatabase('hub_e2e');
    target = hubTarget(db.url);
    await runHub(target, ['init', '--config', areaFile]);
    prisonToken = (await runHub(target, ['token', '--agency', 'prison-hmp-northgate'])).stdout.trim();
    server = await startHubServer(target);
  }, 90_000);
  afterAll(async () => {
    await server.stop();
    await db.drop();
  });

  const post = (body: string, contentType: string, token: string | null = prisonToken) => fetch(`${server.url}/v1/events`, {
    method: 'POST', body,
    headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });

  it('refuses a request without a valid bearer token', async () => {
    expect((await post(scenarioLines[0]!, 'application/cloudevents+json', null)).status).toBe(401);
    expect((await post(scenarioLines[0]!, 'application/cloudevents+json', 'not-a-token')).status).toBe(401);
  });

  it('accepts a single event (202), then calls it a duplicate (200)', async () => {
    const first = await post(scenarioLines[0]!, 'application/cloudevents+json');
    expect(first.status).toBe(202);
    expect(await first.json()).toMatchObject({ status: 'accepted', id: '00000000-0000-4000-9ce0-000000001eef' });
    const again = await post(scenarioLines[0]!, 'application/cloudevents+json');
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: 'duplicate' });
  });

  it('gives every event of a batch its own result: another agency\'s event is SOURCE_MISMATCH, the rest accepted', async () => {
    const prisonEvents = scenarioLines.map((line) => JSON.parse(line)).filter((e) => e.source === 'agency:prison-hmp-northgate').slice(1, 4);
    const treatmentEvent = { ...JSON.parse(scenarioLines[1]!), id: 'e2e-foreign-treatment' };
    const response = await post(JSON.stringify([...prisonEvents, treatmentEvent]), 'application/cloudevents-batch+json');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { results: unknown[] };
    expect(body).toMatchObject({ accepted: 3, duplicates: 0, rejected: 1 });
    expect(body.results[3]).toMatchObject({ index: 3, status: 'rejected', code: 'SOURCE_MISMATCH' });
  });

  it('says what is wrong with a malformed body or an unsupported media type', async () => {
    const malformed = await post('{"id":', 'application/cloudevents+json');
    expect(malformed.status).toBe(422);
    expect(await malformed.json()).toMatchObject({ code: 'SCHEMA_INVALID' });
    const xml = await post('<event/>', 'application/xml');
    expect(xml.status).toBe(422);
    expect(((await xml.json()) as { error: { message: string } }).error.message).toContain('application/xml');
  });

  it('refuses batches over the limit with a clear error, storing none of them', async () => {
    const many = Array.from({ length: 1001 }, (_, i) => ({ ...JSON.parse(scenarioLines[0]!), id: `too-many-${i}` }));
    const response = await post(JSON.stringify(many), 'application/cloudevents-batch+json');
    expect(response.status).toBe(422);
    expect(((await response.json()) as { error: unknown }).error).toMatchObject({ code: 'INGEST.BATCH_TOO_LARGE' });
  });

  it('answers health without a token and serves the OpenAPI document', async () => {
    expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ status: 'ok', database: 'up' });
    const openapi = (await (await fetch(`${server.url}/docs/openapi.json`)).json()) as { paths: object };
    expect(Object.keys(openapi.paths)).toContain('/v1/events');
  });
});
