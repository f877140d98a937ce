import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import fc from 'fast-check';
import type { CloudEvent } from '@hub/kernel';
import { HubTopics, KafkaMessageBus, type ReceivedMessage, silentBusLogger } from '@hub/messaging';
import {
  createTestDatabase, ensureKafka, hubTarget, type HubTarget, randomGroup, randomTopic, repoRoot, runHub, type RunningHub, startHubServer, type TestDatabase, waitFor,
} from '@hub/testing';
import { expectConsistentHub } from './support/consistency';
import { agencyOf, area, areaFile, simulatedEvents } from './support/load';

type Schema = { $ref?: string; type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; enum?: unknown[]; items?: Schema };

/** A JSON Schema of `contracts/` with its `$ref`s resolved (relative files and `#/definitions/...`). */
function loadSchema(file: string, pointer = ''): Schema {
  let node = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  for (const part of pointer.split('/').filter(Boolean)) node = node[part] as Record<string, unknown>;
  return resolveRefs(node as Schema, file);
}

function resolveRefs(schema: Schema, file: string): Schema {
  if (schema.$ref) {
    const [path, pointer] = schema.$ref.split('#');
    return loadSchema(path ? resolve(dirname(file), path) : file, pointer ?? '');
  }
  const out: Schema = { ...schema };
  if (schema.properties) out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, resolveRefs(v, file)]));
  if (schema.items) out.items = resolveRefs(schema.items, file);
  return out;
}

/** Every field path the schema describes (data.person.nhsNumber...), with its schema and whether it is required. */
function fieldsOf(schema: Schema, prefix: string[] = []): { path: string[]; schema: Schema; required: boolean }[] {
  return Object.entries(schema.properties ?? {}).flatMap(([name, child]) => [
    { path: [...prefix, name], schema: child, required: (schema.required ?? []).includes(name) },
    ...fieldsOf(child, [...prefix, name]),
  ]);
}

/** A value that breaks the field's schema: the wrong type, or a string outside its enum. */
function wrongValue(schema: Schema): fc.Arbitrary<unknown> {
  const types = [schema.type ?? []].flat();
  const candidates: fc.Arbitrary<unknown>[] = [];
  if (!types.includes('string')) candidates.push(fc.string());
  if (!types.includes('number') && !types.includes('integer')) candidates.push(fc.double());
  if (!types.includes('boolean')) candidates.push(fc.boolean());
  if (!types.includes('object')) candidates.push(fc.dictionary(fc.string({ maxLength: 5 }), fc.string(), { maxKeys: 3 }));
  if (!types.includes('array')) candidates.push(fc.array(fc.integer(), { maxLength: 3 }));
  if (schema.enum) candidates.push(fc.string({ minLength: 1 }).filter((s) => !schema.enum!.includes(s)));
  return fc.oneof(...candidates);
}

/** One mutation of a valid event: a field (envelope or data) removed or given a value its schema forbids. */
type Mutation = { path: string[]; kind: 'remove' } | { path: string[]; kind: 'set'; value: unknown };

function mutate(event: CloudEvent, mutation: Mutation): unknown {
  const copy = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  for (const part of mutation.path.slice(0, -1)) {
    if (typeof node[part] !== 'object' || node[part] === null) return copy;
    node = node[part] as Record<string, unknown>;
  }
  const last = mutation.path[mutation.path.length - 1]!;
  if (mutation.kind === 'remove') delete node[last];
  else node[last] = mutation.value;
  return copy;
}

async function rssKb(pid: number): Promise<number> {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
}

/**
 * Fuzzing `POST /v1/events` and the Kafka inbound topic: every input gets an answer (or a record on
 * the rejected topic) with a code, the hub stays up, its memory stays flat, and the limits on body
 * and batch size are enforced with errors naming the limit and the value.
 */
describe('bad input', () => {
  let db: TestDatabase;
  let target: HubTarget;
  let server: RunningHub;
  let token: string;
  let valid: CloudEvent[];
  const accepted = new Set<string>();
  let bus: KafkaMessageBus | undefined;
  const topics = new HubTopics(`${randomTopic('faults-fuzz')}.cdp`);

  beforeAll(async () => {
    db = await createTestDatabase('faults_fuzz');
    target = hubTarget(db.url);
    expect((await runHub(target, ['init', '--config', areaFile])).code).toBe(0);
    token = (await runHub(target, ['token', '--agency', 'prison-hmp-northgate'])).stdout.trim();
    valid = simulatedEvents('faults-fuzz', 300).filter((e) => e.type === 'prison.release.recorded.v1' && e.source === 'agency:prison-hmp-northgate');
    const kafka = await ensureKafka();
    if (!kafka.skipReason) {
      bus = new KafkaMessageBus({ brokers: kafka.brokers, logger: silentBusLogger, maxWaitTimeMs: 250, topicRefreshIntervalMs: 500 });
      // The agency's topics exist before the hub starts, as in production.
      await bus.ensureTopics(area().agencies.flatMap((a) => [topics.inbound(a.id), topics.rejected(a.id)]), { partitions: 1 });
    }
    server = await startHubServer(target, kafka.skipReason ? {} : { KAFKA_BROKERS: kafka.brokers.join(','), HUB_KAFKA_TOPIC_PREFIX: topics.prefix });
  });
  afterAll(async () => {
    await server?.kill();
    await bus?.close();
    await db?.drop();
  });

  const post = (body: string | Uint8Array, contentType: string) => fetch(`${server.url}/v1/events`, {
    method: 'POST', body, headers: { 'content-type': contentType, authorization: `Bearer ${token}` },
  });

  /** Every answer is a coded outcome, never a failure of the hub. */
  async function expectCodedAnswer(response: Response): Promise<{ status: number; body: Record<string, unknown> }> {
    const body = (await response.json()) as Record<string, unknown>;
    expect(response.status).toBeLessThan(500);
    const coded = typeof (body.error as { code?: unknown } | undefined)?.code === 'string'
      || ['accepted', 'duplicate'].includes(body.status as string) || typeof body.code === 'string' || Array.isArray(body.results);
    expect(coded).toBe(true);
    return { status: response.status, body };
  }

  it('answers events with schema-derived mutations, random bytes, deep nesting and wrong content types, with a code each time and flat memory', async () => {
    const envelope = loadSchema(join(repoRoot, 'contracts', 'envelope', 'v1', 'schema.json'));
    const data = loadSchema(join(repoRoot, 'contracts', 'events', 'prison.release.recorded', 'v1', 'schema.json'));
    const fields = [...fieldsOf(envelope), ...fieldsOf(data, ['data'])].filter((f) => f.path[0] !== 'data' || f.path.length > 1);
    const mutation: fc.Arbitrary<Mutation> = fc.constantFrom(...fields).chain((field) => fc.oneof(
      fc.constant<Mutation>({ path: field.path, kind: 'remove' }),
      wrongValue(field.schema).map((value): Mutation => ({ path: field.path, kind: 'set', value })),
    ));
    const bodies: fc.Arbitrary<{ body: string | Uint8Array; type: string; requiredRemoved?: string }> = fc.oneof(
      fc.tuple(fc.constantFrom(...valid), mutation, fc.uuid()).map(([event, m, id]) => ({
        body: JSON.stringify(mutate({ ...event, id }, m)), type: 'application/cloudevents+json',
        ...(m.kind === 'remove' && fields.find((f) => f.path === m.path)?.required ? { requiredRemoved: m.path.join('.') } : {}),
      })),
      fc.uint8Array({ maxLength: 2000 }).map((bytes) => ({ body: bytes, type: 'application/cloudevents+json' })),
      fc.string({ maxLength: 500 }).map((text) => ({ body: text, type: 'application/x-ndjson' })),
      fc.integer({ min: 1, max: 20_000 }).map((depth) => ({ body: '['.repeat(depth) + ']'.repeat(depth), type: 'application/cloudevents-batch+json' })),
      fc.integer({ min: 1, max: 20_000 }).map((depth) => ({ body: `{"data":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`, type: 'application/cloudevents+json' })),
      fc.tuple(fc.constantFrom('text/plain', 'application/xml', '', 'multipart/form-data', 'application/octet-stream'), fc.constantFrom(...valid))
        .map(([type, event]) => ({ body: JSON.stringify(event), type })),
    );

    for (const event of valid.slice(0, 20)) {
      const { body } = await expectCodedAnswer(await post(JSON.stringify(event), 'application/cloudevents+json'));
      expect(body).toMatchObject({ status: 'accepted' });
      accepted.add(event.id);
    }
    const before = await rssKb(server.process.pid!);
    const codes = new Map<string, number>();
    await fc.assert(fc.asyncProperty(bodies, async ({ body, type, requiredRemoved }) => {
      const { body: answer } = await expectCodedAnswer(await post(body, type));
      const code = Array.isArray(answer.results) ? 'batch-results' : String((answer.error as { code?: string } | undefined)?.code ?? answer.code ?? answer.status);
      codes.set(code, (codes.get(code) ?? 0) + 1);
      if (answer.status === 'accepted') accepted.add(String(answer.id));
      if (requiredRemoved) expect(code).toMatch(/SCHEMA_INVALID|INGEST\./);
    }), { numRuns: 300, seed: 20251122 });
    const after = await rssKb(server.process.pid!);
    expect(server.process.exitCode).toBeNull();
    expect((await fetch(`${server.url}/health`)).ok).toBe(true);
    // Flat: what 300 bad requests leave behind is well under what one legitimate 5 MB body may take.
    expect(after - before).toBeLessThan(64 * 1024);
    expect(codes.get('SCHEMA_INVALID')).toBeGreaterThan(50);
    if (process.env.FAULTS_STATS) console.log({ rssBeforeKb: before, rssAfterKb: after, codes: Object.fromEntries(codes) });
  });

  it('refuses a body over 5 MB (413) and a batch over 1000 events, naming the limit and the value', async () => {
    const huge = 'x'.repeat(6 * 1024 * 1024);
    const tooLarge = await post(JSON.stringify({ ...valid[0], data: { ...valid[0]!.data, padding: huge } }), 'application/cloudevents+json');
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as { error: unknown }).error).toEqual({
      code: 'INGEST.PAYLOAD_TOO_LARGE', message: expect.stringMatching(/^The request body \(\d{7} bytes\) is larger than the limit of 5242880 bytes$/),
    });
    const many = Array.from({ length: 1001 }, (_, i) => ({ ...valid[i % valid.length], id: `faults-too-many-${i}` }));
    const tooMany = await post(JSON.stringify(many), 'application/cloudevents-batch+json');
    expect(tooMany.status).toBe(422);
    expect(((await tooMany.json()) as { error: unknown }).error).toEqual({
      code: 'INGEST.BATCH_TOO_LARGE', message: 'The batch has 1001 events; the limit is 1000 per request',
    });
    expect(await db.database.query(`SELECT 1 FROM event_store.events WHERE event_id LIKE 'faults-too-many-%'`)).toMatchObject({ rowCount: 0 });
  });

  it('puts every bad record from the Kafka inbound topic on the rejected topic with a code, and stays up', async () => {
    if (!bus) return;
    const agency = agencyOf(valid[0]!);
    const records = fc.sample(fc.oneof(
      fc.uint8Array({ maxLength: 3000 }).map((bytes) => Buffer.from(bytes)),
      fc.string({ maxLength: 300 }).map((text) => Buffer.from(text)),
      fc.integer({ min: 1, max: 5000 }).map((depth) => Buffer.from('['.repeat(depth) + ']'.repeat(depth))),
      fc.constantFrom(...valid).map((event) => Buffer.from(JSON.stringify({ ...event, source: 'agency:someone-else', id: `faults-kafka-${event.id}` }))),
    ), { numRuns: 200, seed: 7 });
    const rejected: ReceivedMessage[] = [];
    await bus.subscribe({ groupId: randomGroup('agency-rejected'), topics: [topics.rejected(agency)], fromBeginning: true, handle: async (batch) => void rejected.push(...batch) });
    await bus.publish(topics.inbound(agency), records.map((value, i) => ({ key: `fuzz-${i}`, value, headers: { 'content-type': 'application/cloudevents+json' } })));
    await waitFor(() => rejected.length >= records.length, { timeoutMs: 120_000, what: `${records.length} rejected records (${rejected.length} so far; hub log: ${server.output().slice(-1500)})` });
    expect(rejected.filter((m) => !/^[A-Z_.]+$/.test(String(m.headers.cdp_rejection_code ?? '')))).toEqual([]);
    expect(server.process.exitCode).toBeNull();
  });

  it('leaves a consistent hub: only the valid events stored, once each', async () => {
    await server.stop();
    await expectConsistentHub(db.url, target.env.HUB_MASTER_KEY!, { accepted });
  });
});

