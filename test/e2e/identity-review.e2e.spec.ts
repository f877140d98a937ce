import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AreaConfig } from '@hub/kernel';
import { simulate, toNdjsonLine } from '@hub/simulation';
import { createTestDatabase, hubTarget, type HubTarget, runHub, type RunningHub, sharedDir, startHubServer, type TestDatabase } from '@hub/testing';
import { CdpEvents, testPerson } from '../support/cdp-events';

const areaFile = resolve(sharedDir, 'scenarios', 'area.json');
const demoAreaFile = resolve(__dirname, '..', '..', 'deploy', 'demo', 'area.json');

interface CliPair { pairId: string; status: string; decidedBy: string; subjects: { agency: string; subjectStream: string; personRef: string | null }[]; matchWeight: number; comparisons: { comparison: string; level: string | null; weight: number }[] }

describe('probabilistic person linking and its review queue through the built CLI and HTTP (issue 8)', () => {
  let db: TestDatabase;
  let target: HubTarget;
  let server: RunningHub;
  const dir = mkdtempSync(join(tmpdir(), 'hub-identity-review-'));
  const quinn = testPerson(31, 'Quennell');
  const events = new CdpEvents('identity-review-e2e');
  // A treatment start whose date of birth is one digit off the prison's: between the thresholds.
  const facts = [events.release(quinn, '2025-03-03'), events.treatmentStarted({ ...quinn, dateOfBirth: '1981-05-12' }, '2025-03-12')];

  beforeAll(async () => {
    db = await createTestDatabase('hub_e2e_identity_review');
    target = hubTarget(db.url);
    expect((await runHub(target, ['init', '--config', areaFile])).code).toBe(0);
    const file = join(dir, 'facts.ndjson');
    writeFileSync(file, facts.map((f) => JSON.stringify(f)).join('\n') + '\n');
    expect((await runHub(target, ['ingest', file])).json()).toMatchObject({ accepted: 2, rejected: 0 });
  });
  afterAll(async () => {
    await server?.stop();
    await db.drop();
  });

  it('hub identity review lists the pair with its comparison levels and weights, and no personal value', async () => {
    const result = await runHub(target, ['identity', 'review', 'list']);
    expect(result.code).toBe(0);
    const queue = result.json<CliPair[]>();
    expect(queue).toHaveLength(1);
    expect(queue[0]!.status).toBe('review');
    expect(queue[0]!.comparisons.find((c) => c.comparison === 'dateOfBirth')!.level).toBe('one-digit-off');
    expect(new Set(queue[0]!.subjects.map((s) => s.personRef)).size).toBe(2);
    for (const clear of [quinn.familyName, quinn.dateOfBirth, '1981-05-12', quinn.nomisId, quinn.nhsNumber]) expect(result.stdout).not.toContain(clear);
  });

  it('GET /v1/identity/reviews: the administrator with purpose identity-resolution; agencies and other purposes are refused', async () => {
    server = await startHubServer(target);
    const admin = (await runHub(target, ['admin-token'])).stdout.trim();
    const agency = (await runHub(target, ['token', '--agency', 'prison-hmp-northgate'])).stdout.trim();
    const get = (token: string, purpose?: string) => fetch(`${server.url}/v1/identity/reviews`, { headers: { authorization: `Bearer ${token}`, ...(purpose ? { 'x-purpose': purpose } : {}) } });
    const ok = await get(admin, 'identity-resolution');
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as CliPair[]).map((p) => p.status)).toEqual(['review']);
    expect((await get(admin)).status).toBe(400);
    expect((await get(admin, 'continuity-of-care')).status).toBe(400);
    expect((await get(agency, 'identity-resolution')).status).toBe(403);
    expect((await fetch(`${server.url}/v1/identity/reviews`)).status).toBe(401);
  });

  it('hub identity review accept links the pair, explain shows why; reject unlinks it again', async () => {
    const [pair] = (await runHub(target, ['identity', 'review'])).json<CliPair[]>();
    const accepted = await runHub(target, ['identity', 'review', 'accept', pair!.pairId, '--note', 'checked the referral letter']);
    expect(accepted.code).toBe(0);
    const after = accepted.json<{ status: string; subjects: { personRef: string }[] }>();
    expect(after.status).toBe('linked');
    expect(after.subjects[0]!.personRef).toBe(after.subjects[1]!.personRef);
    const explained = (await runHub(target, ['identity', 'explain', after.subjects[0]!.personRef])).json<{ subjects: { evidence: { rules: string[] } }[]; pairs: CliPair[] }>();
    expect(explained.subjects.flatMap((s) => s.evidence.rules)).toContain('reviewer-linked');
    expect(explained.pairs).toEqual([expect.objectContaining({ pairId: pair!.pairId, status: 'linked', decidedBy: 'reviewer' })]);
    const again = await runHub(target, ['identity', 'review', 'accept', pair!.pairId]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already linked');

    const rejected = (await runHub(target, ['identity', 'review', 'reject', pair!.pairId])).json<{ status: string; subjects: { personRef: string }[] }>();
    expect(rejected.status).toBe('apart');
    expect(rejected.subjects[0]!.personRef).not.toBe(rejected.subjects[1]!.personRef);
    expect((await runHub(target, ['identity', 'review', 'reject', 'L-NOSUCHPAIR00'])).stderr).toContain('L-NOSUCHPAIR00');
  });

  it('hub identity train refuses a hub with too few records to train on, naming the count', async () => {
    const result = await runHub(target, ['identity', 'train']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('records: 2 agency subjects are too few');
  });

  it('hub simulate: unchanged without the new flags; --noise default and --truth FILE write noisy events and the ground truth apart', async () => {
    const args = ['simulate', '--people', '30', '--seed', 'e2e', '--from', '2025-01-01', '--months', '3'];
    const area = JSON.parse(readFileSync(demoAreaFile, 'utf8')) as AreaConfig;
    const plain = await runHub(target, args);
    expect(plain.stdout).toBe([...simulate({ area, people: 30, seed: 'e2e', from: '2025-01-01', months: 3 })].map(toNdjsonLine).join(''));
    const truthFile = join(dir, 'truth.ndjson');
    const noisy = await runHub(target, [...args, '--noise', 'default', '--truth', truthFile]);
    expect(noisy.code).toBe(0);
    expect(noisy.stdout).not.toBe(plain.stdout);
    const truth = readFileSync(truthFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { source: string; subject: string; personId: string });
    const subjects = new Set(noisy.stdout.trim().split('\n').map((line) => JSON.parse(line) as { source: string; subject: string }).map((e) => `${e.source}|${e.subject}`));
    expect(new Set(truth.map((t) => `${t.source}|${t.subject}`))).toEqual(subjects);
    expect(new Set(truth.map((t) => t.personId)).size).toBeLessThanOrEqual(30);
    expect((await runHub(target, [...args, '--noise', 'loud'])).code).toBe(2);
  });
});
