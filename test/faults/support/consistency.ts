import { readEntry } from '@hub/projections';
import { logStart, readLog } from '@hub/event-store';
import type { Clock } from '@hub/kernel';
import { HubRuntime, hubProjections, ProjectionEngine } from '@hub/hub';
import pino from 'pino';

/** What a fault case knows about the events it sent: ids the hub accepted (answered or acknowledged), and ids it may have stored. */
export interface SentEvents {
  /** Every id the hub said it accepted (or a duplicate of): each must be in the log exactly once. */
  readonly accepted: Iterable<string>;
  /** Ids sent whose answer was lost to the fault (a crash, a timeout): in the log at most once. Absent = none. */
  readonly unanswered?: Iterable<string>;
}

export interface ConsistencyReport {
  readonly agencyEvents: number;
  readonly projections: { name: string; tables: number; rows: number }[];
  readonly alerts: number;
}

/**
 * The one check every fault case ends with, on the hub's database once its processes are stopped:
 * 1. the log has every accepted event exactly once, and nothing the test did not send;
 * 2. every projection, caught up, equals a fresh rebuild of it from the log (every table, row for row);
 * 3. every alert (and review case) was raised once, and the alerts read model lists each once.
 * Throws with the differences; returns the sizes it compared.
 */
export async function expectConsistentHub(databaseUrl: string, masterKey: string, sent: SentEvents): Promise<ConsistencyReport> {
  // One instant for the live projections' time-based checks and for the rebuild's: the same clock on both sides.
  const instant = new Date();
  const clock: Clock = { now: () => instant };
  const hub = await HubRuntime.open({
    location: { kind: 'server', url: databaseUrl }, masterKey: Buffer.from(masterKey, 'base64url'), clock,
    logger: pino({ level: process.env.HUB_TEST_LOG_LEVEL ?? 'silent' }, pino.destination(2)),
  });
  const problems: string[] = [];
  try {
    const agencyEvents = await checkLog(hub, sent, problems);
    const projections = await checkProjections(hub, clock, problems);
    const alerts = await checkDecisionsOnce(hub, problems);
    if (problems.length > 0) throw new Error(`The hub is not consistent after the fault:\n- ${problems.join('\n- ')}`);
    return { agencyEvents, projections, alerts };
  } finally {
    await hub.close();
  }
}

async function checkLog(hub: HubRuntime, sent: SentEvents, problems: string[]): Promise<number> {
  const accepted = new Set(sent.accepted);
  const unanswered = new Set(sent.unanswered ?? []);
  const { rows } = await hub.database.query<{ event_id: string; n: string }>(
    `SELECT event_id, count(*) AS n FROM event_store.events WHERE source LIKE 'agency:%' GROUP BY event_id`,
  );
  const stored = new Map(rows.map((row) => [row.event_id, Number(row.n)]));
  const missing = [...accepted].filter((id) => !stored.has(id));
  const twice = [...stored].filter(([, n]) => n > 1).map(([id, n]) => `${id} (${n} times)`);
  const unexpected = [...stored.keys()].filter((id) => !accepted.has(id) && !unanswered.has(id));
  if (missing.length > 0) problems.push(`${missing.length} of ${accepted.size} accepted events are not in the log, e.g. ${missing.slice(0, 5).join(', ')}`);
  if (twice.length > 0) problems.push(`${twice.length} events are in the log more than once, e.g. ${twice.slice(0, 5).join(', ')}`);
  if (unexpected.length > 0) problems.push(`${unexpected.length} events in the log were never sent or were rejected, e.g. ${unexpected.slice(0, 5).join(', ')}`);
  const { rows: positions } = await hub.database.query<{ n: string; distinct_positions: string }>(
    'SELECT count(*) AS n, count(DISTINCT global_position) AS distinct_positions FROM event_store.events',
  );
  if (positions[0]!.n !== positions[0]!.distinct_positions) problems.push(`the log has ${positions[0]!.n} events but ${positions[0]!.distinct_positions} distinct positions`);
  return stored.size;
}

/**
 * Brings every projection to the head (processors may append as they catch up, so until the head
 * stands still), then replays the whole log into scratch schemas, in rebuild mode, and compares.
 */
async function checkProjections(hub: HubRuntime, clock: Clock, problems: string[]): Promise<ConsistencyReport['projections']> {
  const projections = hubProjections(hub);
  const engine = new ProjectionEngine(hub, projections);
  for (let head = -1; ;) {
    await engine.catchUp();
    const now = (await hub.store.head()).globalPosition;
    if (now === head) break;
    head = now;
  }
  const report: ConsistencyReport['projections'] = [];
  for (const [index, projection] of projections.entries()) {
    const live = await readEntry(hub.database, projection.name);
    if (!live) {
      problems.push(`projection ${projection.name} is not installed`);
      continue;
    }
    const scratch = `faults_rebuild_${index}`;
    try {
      await hub.database.transaction(async (client) => {
        await client.query(`DROP SCHEMA IF EXISTS ${scratch} CASCADE`);
        await client.query(`CREATE SCHEMA ${scratch}`);
        await projection.install(client, scratch);
      });
      const context = (client: Parameters<typeof projection.apply>[1]['client']) => ({
        client, schema: scratch, mode: 'rebuild' as const, now: clock.now(), append: async () => [],
      });
      const types = projection.eventTypes ? { types: projection.eventTypes } : {};
      for (let checkpoint = logStart; ;) {
        const page = await readLog(hub.database, checkpoint, { limit: 2000, ...types });
        if (page.events.length === 0) break;
        await hub.database.transaction((client) => projection.apply(page.events, context(client)));
        checkpoint = page.next;
      }
      // The live side ran its time-based work at `clock` in the catch-up: so does the rebuild.
      if (projection.tick) await hub.database.transaction((client) => projection.tick!(context(client)));
      const [expected, actual] = [await snapshot(hub, scratch), await snapshot(hub, live.activeSchema)];
      let rows = 0;
      for (const table of new Set([...expected.keys(), ...actual.keys()])) {
        const want = expected.get(table) ?? [];
        const got = actual.get(table) ?? [];
        rows += got.length;
        const extra = difference(got, want);
        const lacking = difference(want, got);
        if (extra.length > 0 || lacking.length > 0) {
          problems.push(`projection ${projection.name}, table ${table}: ${got.length} rows live, ${want.length} in a fresh rebuild; `
            + `live only: ${extra.slice(0, 3).join(' ')}; rebuild only: ${lacking.slice(0, 3).join(' ')}`);
        }
      }
      report.push({ name: projection.name, tables: expected.size, rows });
    } finally {
      await hub.database.query(`DROP SCHEMA IF EXISTS ${scratch} CASCADE`);
    }
  }
  return report;
}

/** Every table of a schema as sorted JSON rows. */
async function snapshot(hub: HubRuntime, schema: string): Promise<Map<string, string[]>> {
  const { rows: tables } = await hub.database.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`, [schema],
  );
  const result = new Map<string, string[]>();
  for (const { table_name: table } of tables) {
    // Identity columns are surrogates drawn from a sequence, which a rolled-back or retried
    // transaction leaves gaps in: what must match is their order, so they are compared as ranks.
    const { rows: surrogates } = await hub.database.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND is_identity = 'YES'`, [schema, table],
    );
    const ranks = surrogates.map(({ column_name: c }) => `'${c}', dense_rank() OVER (ORDER BY t."${c}")`);
    const row = ranks.length > 0 ? `(to_jsonb(t) || jsonb_build_object(${ranks.join(', ')}))::text` : 'to_jsonb(t)::text';
    const { rows } = await hub.database.query<{ row: string }>(`SELECT ${row} AS row FROM ${schema}."${table}" t`);
    result.set(table, rows.map((r) => r.row).sort());
  }
  return result;
}

/** Rows of `a` not matched one for one in `b` (multiset difference). */
function difference(a: readonly string[], b: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const row of b) counts.set(row, (counts.get(row) ?? 0) + 1);
  const out: string[] = [];
  for (const row of a) {
    const n = counts.get(row) ?? 0;
    if (n > 0) counts.set(row, n - 1);
    else out.push(row);
  }
  return out;
}

/** Decisions the hub appends (alerts, review cases) exist once each, and the alerts read model lists each alert once. */
async function checkDecisionsOnce(hub: HubRuntime, problems: string[]): Promise<number> {
  const { rows } = await hub.database.query<{ type: string; key: string; n: string }>(
    `SELECT type, coalesce(data->>'alertId', data->>'caseId') AS key, count(*) AS n FROM event_store.events
     WHERE type IN ('hub.alert.raised.v1', 'hub.review.case-opened.v1') GROUP BY 1, 2`,
  );
  const twice = rows.filter((row) => row.n !== '1');
  if (twice.length > 0) problems.push(`${twice.length} decisions were made more than once, e.g. ${twice.slice(0, 5).map((r) => `${r.type} ${r.key} x${r.n}`).join(', ')}`);
  const raised = rows.filter((row) => row.type === 'hub.alert.raised.v1');
  const alerts = await readEntry(hub.database, 'alerts');
  if (alerts) {
    const { rows: listed } = await hub.database.query<{ n: string; ids: string }>(
      `SELECT count(*) AS n, count(DISTINCT alert_id) AS ids FROM ${alerts.activeSchema}.alerts`,
    );
    if (listed[0]!.n !== listed[0]!.ids) problems.push(`the alerts read model lists ${listed[0]!.n} rows for ${listed[0]!.ids} alerts`);
    if (Number(listed[0]!.ids) !== raised.length) problems.push(`the alerts read model lists ${listed[0]!.ids} alerts; the log raised ${raised.length}`);
  }
  return raised.length;
}
