import { prepared, type Queryable } from '@hub/database';
import type { PositionSelection } from '@hub/event-store';
import type { BlockingKey } from '../matching/linking.rules';
import { subjectsCountKey } from './identity-tables';

/** The current version of one agency record, as linking sees it: its subject stream and blocking keys. */
export interface RecordKeys {
  readonly recordKey: string;
  readonly streamId: string;
  /** CloudEvents `time`: the latest version by time (ties by arrival) is current. */
  readonly time: string;
  readonly position: number;
  readonly keys: readonly BlockingKey[];
}

export interface KeyRow {
  readonly stream_id: string;
  readonly key: string;
  readonly qualifier: string;
  readonly rule: BlockingKey['rule'];
}

/** A model or name key of a subject with the number of subjects holding it (itself included). */
export interface CountedKeyRow extends KeyRow {
  readonly holders: number;
}

/** The model and name keys of some subjects, with their counts, and how many subjects have a person. */
export interface KeyCounts {
  readonly keys: ReadonlyMap<string, readonly CountedKeyRow[]>;
  readonly subjects: number;
}

export interface PendingSubject {
  readonly stream: string;
  readonly trigger: { readonly eventId: string; readonly globalPosition: number; readonly recordedAt: string };
}

/** Keys whose holders are counted: the model's blocking keys (block sizes) and the name keys (term frequencies). */
const countedRule = (column = 'rule') => `(${column} LIKE 'probable:%' OR ${column} LIKE 'tf-%')`;

/** The exact rules' keys: every key that is not counted (the links of the exact rules go through them). */
export const exactRule = (column = 'rule') => `NOT ${countedRule(column)}`;

/** Each subject's latest current record (by time, then arrival), among those `where` keeps. */
const latestRecords = (schema: string, where: string) => `SELECT DISTINCT ON (stream_id) stream_id, position FROM ${schema}.identity_records
  WHERE ${where} AND NOT retracted AND position IS NOT NULL ORDER BY stream_id, event_time DESC, position DESC`;

/**
 * The records side of the identity tables: each record's current version, the subjects' blocking
 * keys and their counts, and the subjects waiting for a decision after a rebuild. Each method is one
 * round trip.
 */
export class RecordIndex {
  constructor(private readonly client: Queryable, private readonly schema: string) {}

  /**
   * Keeps each record's current version (a later one by time, ties by arrival, replaces it) and
   * returns the subject each of these records (and the retracted ones) belonged to before; with
   * `takePending`, also takes the subjects waiting for a decision (live mode).
   */
  async upsertVersions(versions: readonly RecordKeys[], retracted: readonly string[], options: { readonly takePending: boolean }): Promise<{ heldBy: Map<string, string>; pending: PendingSubject[] }> {
    const s = this.schema;
    const { rows } = await this.client.query<{ held: { record_key: string; stream_id: string }[] | null; pending: { stream_id: string; position: string; event_id: string; recorded_at: string }[] | null }>(
      prepared(`WITH held AS (SELECT record_key, stream_id FROM ${s}.identity_records WHERE record_key = ANY($1::text[]) AND stream_id IS NOT NULL),
       upserted AS (
         INSERT INTO ${s}.identity_records AS r (record_key, stream_id, event_time, position, keys)
         SELECT * FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::bigint[], $6::jsonb[])
         ON CONFLICT (record_key) DO UPDATE SET stream_id = excluded.stream_id, event_time = excluded.event_time, position = excluded.position, keys = excluded.keys
         WHERE r.event_time IS NULL OR (excluded.event_time, excluded.position) > (r.event_time, r.position)
         RETURNING 1),
       pending AS (DELETE FROM ${s}.identity_pending WHERE $7::boolean RETURNING stream_id, position, event_id, recorded_at)
       SELECT (SELECT json_agg(held) FROM held) AS held, (SELECT json_agg(pending) FROM pending) AS pending, (SELECT count(*) FROM upserted) AS upserted`),
      [[...versions.map((v) => v.recordKey), ...retracted], versions.map((v) => v.recordKey), versions.map((v) => v.streamId), versions.map((v) => v.time),
        versions.map((v) => v.position), versions.map((v) => JSON.stringify(v.keys)), options.takePending],
    );
    if (retracted.length > 0) await this.retract(retracted);
    const { held, pending } = rows[0]!;
    return {
      heldBy: new Map((held ?? []).map((r) => [r.record_key, r.stream_id])),
      pending: (pending ?? []).sort((a, b) => Number(a.position) - Number(b.position))
        .map((r) => ({ stream: r.stream_id, trigger: { eventId: r.event_id, globalPosition: Number(r.position), recordedAt: new Date(r.recorded_at).toISOString() } })),
    };
  }

  /** A retracted record counts for nothing, whichever arrives first. */
  private async retract(recordKeys: readonly string[]): Promise<void> {
    await this.client.query(
      prepared(`INSERT INTO ${this.schema}.identity_records AS r (record_key, retracted) SELECT unnest($1::text[]), true
       ON CONFLICT (record_key) DO UPDATE SET retracted = true`), [recordKeys],
    );
  }

  /**
   * Recomputes the blocking keys of the given subjects from their current records, in one
   * statement: removes the keys they lost, adds the new ones, and keeps the counts. Returns the
   * subjects whose keys changed, with their model and name keys now (and counts), and which of
   * `facts` have no person yet.
   */
  async refreshKeys(streams: readonly string[], facts: readonly string[]): Promise<{ changed: Set<string>; unassigned: Set<string>; counts: KeyCounts }> {
    if (streams.length === 0) return { changed: new Set(), unassigned: new Set(), counts: { keys: new Map(), subjects: 0 } };
    const s = this.schema;
    const { rows } = await this.client.query<{ changed: string[] | null; keys: CountedKeyRow[] | null; assigned: string[] | null; subjects: number | null; shrunk: string[] | null }>(
      prepared(`WITH now AS (
         SELECT DISTINCT r.stream_id, k->>'key' AS key, k->>'qualifier' AS qualifier, k->>'rule' AS rule
         FROM ${s}.identity_records r CROSS JOIN LATERAL jsonb_array_elements(r.keys) k WHERE r.stream_id = ANY($1::text[]) AND NOT r.retracted),
       before AS (SELECT stream_id, key, qualifier, rule FROM ${s}.identity_keys WHERE stream_id = ANY($1::text[])),
       gone AS (SELECT * FROM before b WHERE NOT EXISTS (SELECT 1 FROM now n WHERE (n.stream_id, n.key, n.qualifier) = (b.stream_id, b.key, b.qualifier))),
       added AS (SELECT * FROM now n WHERE NOT EXISTS (SELECT 1 FROM before b WHERE (n.stream_id, n.key, n.qualifier) = (b.stream_id, b.key, b.qualifier))),
       removed AS (DELETE FROM ${s}.identity_keys k USING gone g WHERE (k.stream_id, k.key, k.qualifier) = (g.stream_id, g.key, g.qualifier) RETURNING k.key, k.rule),
       inserted AS (INSERT INTO ${s}.identity_keys (stream_id, key, qualifier, rule) SELECT stream_id, key, qualifier, rule FROM added RETURNING key, rule),
       delta AS (
         SELECT key, sum(d)::integer AS d FROM (
           SELECT key, 1 AS d FROM inserted WHERE ${countedRule()} UNION ALL SELECT key, -1 FROM removed WHERE ${countedRule()}) x GROUP BY key),
       counted AS (
         INSERT INTO ${s}.identity_key_counts AS c (key, n) SELECT key, d FROM delta WHERE d <> 0
         ON CONFLICT (key) DO UPDATE SET n = c.n + excluded.n),
       changed AS (SELECT stream_id FROM gone UNION SELECT stream_id FROM added)
       SELECT (SELECT json_agg(stream_id) FROM changed) AS changed,
         (SELECT json_agg(json_build_object('stream_id', n.stream_id, 'key', n.key, 'qualifier', n.qualifier, 'rule', n.rule,
            'holders', coalesce(c.n, 0) + coalesce(d.d, 0)))
          FROM now n LEFT JOIN ${s}.identity_key_counts c ON c.key = n.key LEFT JOIN delta d ON d.key = n.key
          WHERE n.stream_id IN (SELECT stream_id FROM changed) AND ${countedRule('n.rule')}) AS keys,
         (SELECT json_agg(stream_id) FROM ${s}.identity_subjects WHERE stream_id = ANY($2::text[])) AS assigned,
         (SELECT n FROM ${s}.identity_key_counts WHERE key = $3) AS subjects,
         (SELECT json_agg(key) FROM delta WHERE d < 0) AS shrunk`),
      [streams, facts, subjectsCountKey],
    );
    const row = rows[0]!;
    // A key no subject holds any more has no count row (so the table is the same however pages were cut, live or replayed).
    if (row.shrunk) await this.client.query(prepared(`DELETE FROM ${s}.identity_key_counts WHERE key = ANY($1::text[]) AND n <= 0`), [row.shrunk]);
    const assigned = new Set(row.assigned ?? []);
    return {
      changed: new Set(row.changed ?? []),
      unassigned: new Set(facts.filter((stream) => !assigned.has(stream))),
      counts: { keys: groupBy(row.keys ?? [], (k) => k.stream_id), subjects: row.subjects ?? 0 },
    };
  }

  /** The model and name keys of these subjects with their counts (for subjects decided again without a change of keys). */
  async countedKeysOf(streams: readonly string[]): Promise<KeyCounts> {
    if (streams.length === 0) return { keys: new Map(), subjects: 0 };
    const s = this.schema;
    const { rows } = await this.client.query<{ keys: CountedKeyRow[] | null; subjects: number | null }>(
      prepared(`SELECT (SELECT json_agg(json_build_object('stream_id', k.stream_id, 'key', k.key, 'qualifier', k.qualifier, 'rule', k.rule, 'holders', coalesce(c.n, 0)))
         FROM ${s}.identity_keys k LEFT JOIN ${s}.identity_key_counts c ON c.key = k.key WHERE k.stream_id = ANY($1::text[]) AND ${countedRule('k.rule')}) AS keys,
       (SELECT n FROM ${s}.identity_key_counts WHERE key = $2) AS subjects`), [streams, subjectsCountKey],
    );
    return { keys: groupBy(rows[0]?.keys ?? [], (k) => k.stream_id), subjects: rows[0]?.subjects ?? 0 };
  }

  /**
   * The query selecting the position of each of these subjects' latest current record (by time,
   * then arrival): where its person block is (for `vault.revealAt`).
   */
  latestRecordsOf(streams: readonly string[]): PositionSelection {
    return { sql: `SELECT position AS global_position FROM (${latestRecords(this.schema, 'stream_id = ANY($1::text[])')}) latest`, params: [streams] };
  }

  /** Every subject's latest current record position (for training on the hub's records). */
  async allLatestRecordPositions(): Promise<Map<string, number>> {
    const { rows } = await this.client.query<{ stream_id: string; position: string }>(latestRecords(this.schema, 'stream_id IS NOT NULL'));
    return new Map(rows.map((r) => [r.stream_id, Number(r.position)]));
  }

  /** Rebuild: subjects whose facts were replayed and may lack a decision, with the first such fact (the trigger). */
  async markPending(entries: readonly PendingSubject[]): Promise<void> {
    if (entries.length === 0) return;
    await this.client.query(
      `INSERT INTO ${this.schema}.identity_pending (stream_id, position, event_id, recorded_at)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::timestamptz[])
       ON CONFLICT (stream_id) DO NOTHING`,
      [entries.map((e) => e.stream), entries.map((e) => e.trigger.globalPosition), entries.map((e) => e.trigger.eventId), entries.map((e) => e.trigger.recordedAt)],
    );
  }

  /** Rebuild: a decision in the log covered every fact up to `position`. */
  async clearPendingThrough(position: number): Promise<void> {
    await this.client.query(`DELETE FROM ${this.schema}.identity_pending WHERE position <= $1`, [position]);
  }

  /** Takes the subjects waiting for a decision, each with its trigger. */
  async takePending(): Promise<PendingSubject[]> {
    const { rows } = await this.client.query<{ stream_id: string; position: string; event_id: string; recorded_at: Date }>(
      `DELETE FROM ${this.schema}.identity_pending RETURNING stream_id, position, event_id, recorded_at`,
    );
    return rows.sort((a, b) => Number(a.position) - Number(b.position))
      .map((r) => ({ stream: r.stream_id, trigger: { eventId: r.event_id, globalPosition: Number(r.position), recordedAt: r.recorded_at.toISOString() } }));
  }
}

export function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
