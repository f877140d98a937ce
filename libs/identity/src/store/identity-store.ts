import type { PoolClient } from 'pg';
import type { FellegiSunterModel } from '../probabilistic/fellegi-sunter';
import type { Queryable } from '@hub/database';
import type { BlockingKey, LinkRuleName } from '../matching/linking.rules';
import {
  pairLinkedType, type PairLinkedData, pairUnlinkedType, type PairUnlinkedData, type PersonsMergedData, reviewDecidedType, type ReviewDecidedData,
  reviewRequestedType, type ReviewRequestedData, type SubjectAssignedData,
} from '../identity.events';
import type { SubjectLink, SubjectMembership } from '../linking/person-partition.decider';

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

/** A subject's person, why, and the person's place in creation order (for `identity explain`). */
export interface SubjectRow {
  readonly subjectStream: string;
  readonly personRef: string;
  readonly reason: string;
  readonly evidence: unknown;
}

/**
 * The identity processor's tables, in its schema. Only blind indexes and pseudonymous refs:
 * - `identity_records`: each agency record (by a blind index of its key)'s current version (subject stream, blocking keys), or retracted;
 * - `identity_keys`: the blocking keys of each subject stream (from its current, unretracted records), indexed by key;
 * - `identity_persons`: persons in creation order (the older survives a merge), and what each was merged into;
 * - `identity_subjects`: subject stream -> person, with the reason and evidence of the last assignment;
 * - `identity_pairs`: pairs the probabilistic model or a reviewer decided (`linked`, `review`, `apart`), with the comparison levels and weights;
 * - `identity_model`: the latest model trained on the hub's records (`hub.identity.model-trained.v1`), if any;
 * - `identity_pending`: subjects whose facts were replayed (rebuild) after the last decision the log holds.
 */
export class IdentityStore {
  constructor(private readonly client: Queryable, private readonly schema: string) {}

  static async install(client: PoolClient, schema: string): Promise<void> {
    const s = schema;
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${s}.identity_records (
        record_key text PRIMARY KEY, stream_id text, event_time timestamptz, position bigint,
        keys jsonb NOT NULL DEFAULT '[]', retracted boolean NOT NULL DEFAULT false);
      CREATE INDEX IF NOT EXISTS identity_records_stream ON ${s}.identity_records (stream_id);
      CREATE TABLE IF NOT EXISTS ${s}.identity_keys (
        stream_id text NOT NULL, key text NOT NULL, qualifier text NOT NULL, rule text NOT NULL, PRIMARY KEY (stream_id, key, qualifier));
      CREATE INDEX IF NOT EXISTS identity_keys_key ON ${s}.identity_keys (key);
      CREATE TABLE IF NOT EXISTS ${s}.identity_persons (
        person_ref text PRIMARY KEY, seq bigint GENERATED ALWAYS AS IDENTITY, merged_into text);
      CREATE TABLE IF NOT EXISTS ${s}.identity_subjects (
        stream_id text PRIMARY KEY, person_ref text NOT NULL, reason text NOT NULL, evidence jsonb NOT NULL);
      CREATE INDEX IF NOT EXISTS identity_subjects_person ON ${s}.identity_subjects (person_ref);
      CREATE TABLE IF NOT EXISTS ${s}.identity_pairs (
        pair_id text PRIMARY KEY, a text NOT NULL, b text NOT NULL, status text NOT NULL, decided_by text NOT NULL,
        match_weight double precision, data jsonb NOT NULL);
      CREATE INDEX IF NOT EXISTS identity_pairs_a ON ${s}.identity_pairs (a);
      CREATE INDEX IF NOT EXISTS identity_pairs_b ON ${s}.identity_pairs (b);
      CREATE INDEX IF NOT EXISTS identity_pairs_review ON ${s}.identity_pairs (status) WHERE status = 'review';
      CREATE TABLE IF NOT EXISTS ${s}.identity_model (one boolean PRIMARY KEY DEFAULT true CHECK (one), model jsonb NOT NULL);
      CREATE TABLE IF NOT EXISTS ${s}.identity_pending (
        stream_id text PRIMARY KEY, position bigint NOT NULL, event_id text NOT NULL, recorded_at timestamptz NOT NULL);`);
  }

  /** The subject stream of each of the given records now (before a page changes them). */
  async streamsOfRecords(recordKeys: readonly string[]): Promise<Map<string, string>> {
    if (recordKeys.length === 0) return new Map();
    const { rows } = await this.client.query<{ record_key: string; stream_id: string }>(
      `SELECT record_key, stream_id FROM ${this.schema}.identity_records WHERE record_key = ANY($1::text[]) AND stream_id IS NOT NULL`, [recordKeys],
    );
    return new Map(rows.map((r) => [r.record_key, r.stream_id]));
  }

  /** Keeps each record's current version: a later one by time (ties by arrival) replaces it. One version per record. */
  async upsertVersions(versions: readonly RecordKeys[]): Promise<void> {
    if (versions.length === 0) return;
    await this.client.query(
      `INSERT INTO ${this.schema}.identity_records AS r (record_key, stream_id, event_time, position, keys)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::bigint[], $5::jsonb[])
       ON CONFLICT (record_key) DO UPDATE SET stream_id = excluded.stream_id, event_time = excluded.event_time, position = excluded.position, keys = excluded.keys
       WHERE r.event_time IS NULL OR (excluded.event_time, excluded.position) > (r.event_time, r.position)`,
      [versions.map((v) => v.recordKey), versions.map((v) => v.streamId), versions.map((v) => v.time), versions.map((v) => v.position),
        versions.map((v) => JSON.stringify(v.keys))],
    );
  }

  /** A retracted record counts for nothing, whichever arrives first. */
  async retract(recordKeys: readonly string[]): Promise<void> {
    if (recordKeys.length === 0) return;
    await this.client.query(
      `INSERT INTO ${this.schema}.identity_records AS r (record_key, retracted) SELECT unnest($1::text[]), true
       ON CONFLICT (record_key) DO UPDATE SET retracted = true`, [recordKeys],
    );
  }

  /**
   * Recomputes the blocking keys of the given subjects from their current records; returns the
   * subjects whose keys changed.
   */
  async refreshKeys(streams: readonly string[]): Promise<Set<string>> {
    if (streams.length === 0) return new Set();
    const s = this.schema;
    const { rows: now } = await this.client.query<KeyRow>(
      `SELECT DISTINCT r.stream_id, k->>'key' AS key, k->>'qualifier' AS qualifier, k->>'rule' AS rule
       FROM ${s}.identity_records r CROSS JOIN LATERAL jsonb_array_elements(r.keys) k
       WHERE r.stream_id = ANY($1::text[]) AND NOT r.retracted`, [streams],
    );
    const { rows: before } = await this.client.query<KeyRow>(
      `SELECT stream_id, key, qualifier, rule FROM ${s}.identity_keys WHERE stream_id = ANY($1::text[])`, [streams],
    );
    const setsOf = (rows: readonly KeyRow[]) => {
      const sets = new Map<string, Set<string>>();
      for (const row of rows) sets.set(row.stream_id, (sets.get(row.stream_id) ?? new Set()).add(`${row.key}\u001f${row.qualifier}`));
      return sets;
    };
    const [nowSets, beforeSets] = [setsOf(now), setsOf(before)];
    const changed = new Set(streams.filter((stream) => !sameSet(nowSets.get(stream), beforeSets.get(stream))));
    if (changed.size === 0) return changed;
    const list = [...changed];
    const rows = now.filter((row) => changed.has(row.stream_id));
    await this.client.query(`DELETE FROM ${s}.identity_keys WHERE stream_id = ANY($1::text[])`, [list]);
    if (rows.length > 0) {
      await this.client.query(
        `INSERT INTO ${s}.identity_keys (stream_id, key, qualifier, rule)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])`,
        [rows.map((r) => r.stream_id), rows.map((r) => r.key), rows.map((r) => r.qualifier), rows.map((r) => r.rule)],
      );
    }
    return changed;
  }

  /** The subjects among these that have no person yet. */
  async unassigned(streams: readonly string[]): Promise<Set<string>> {
    if (streams.length === 0) return new Set();
    const { rows } = await this.client.query<{ stream_id: string }>(
      `SELECT stream_id FROM ${this.schema}.identity_subjects WHERE stream_id = ANY($1::text[])`, [streams],
    );
    const assigned = new Set(rows.map((r) => r.stream_id));
    return new Set(streams.filter((stream) => !assigned.has(stream)));
  }

  /**
   * The linked closure of some subjects: every subject reachable through links, and every subject
   * of the persons any of them belongs to now (so a link undone splits the person), with the links
   * among them. Four indexed lookups per level of the graph, for all the subjects at once.
   */
  async closure(starts: readonly string[], decide: (a: BlockingKey, b: BlockingKey) => LinkRuleName | undefined): Promise<{ subjects: SubjectMembership[]; links: SubjectLink[] }> {
    const s = this.schema;
    const membership = new Map<string, string | null>();
    const links = new Map<string, SubjectLink>();
    let frontier = [...new Set(starts)];
    while (frontier.length > 0) {
      for (const stream of frontier) if (!membership.has(stream)) membership.set(stream, null);
      // Two indexed lookups rather than a self-join: with arrays the planner can misjudge a join and scan the whole index.
      const { rows: own } = await this.client.query<KeyRow>(
        `SELECT stream_id, key, qualifier, rule FROM ${s}.identity_keys WHERE stream_id = ANY($1::text[]) AND rule NOT LIKE 'probable:%' AND rule NOT LIKE 'tf-%'`, [frontier],
      );
      const { rows: sharing } = own.length === 0 ? { rows: [] as KeyRow[] } : await this.client.query<KeyRow>(
        `SELECT stream_id, key, qualifier, rule FROM ${s}.identity_keys WHERE key = ANY($1::text[])`, [[...new Set(own.map((k) => k.key))]],
      );
      const holders = new Map<string, KeyRow[]>();
      for (const row of sharing) holders.set(row.key, [...(holders.get(row.key) ?? []), row]);
      const reached = new Set<string>();
      for (const mine of own) {
        for (const other of holders.get(mine.key) ?? []) {
          if (other.stream_id === mine.stream_id) continue;
          const rule = decide({ rule: mine.rule, key: mine.key, qualifier: mine.qualifier }, { rule: other.rule, key: other.key, qualifier: other.qualifier });
          if (!rule) continue;
          const [a, b] = mine.stream_id < other.stream_id ? [mine.stream_id, other.stream_id] : [other.stream_id, mine.stream_id];
          links.set(`${a}\u001f${b}\u001f${rule}`, { a, b, rule });
          reached.add(other.stream_id);
        }
      }
      for (const pair of await this.pairsOf(frontier)) {
        if (pair.status !== 'linked') continue;
        const rule: LinkRuleName = pair.decidedBy === 'reviewer' ? 'reviewer-linked' : 'probable-match';
        links.set(`${pair.a}\u001f${pair.b}\u001f${rule}`, { a: pair.a, b: pair.b, rule });
        reached.add(pair.a).add(pair.b);
      }
      const { rows: persons } = await this.client.query<{ person_ref: string }>(
        `SELECT DISTINCT person_ref FROM ${s}.identity_subjects WHERE stream_id = ANY($1::text[])`, [[...frontier, ...reached]],
      );
      const { rows: people } = persons.length === 0 ? { rows: [] as { stream_id: string; person_ref: string }[] } : await this.client.query<{ stream_id: string; person_ref: string }>(
        `SELECT stream_id, person_ref FROM ${s}.identity_subjects WHERE person_ref = ANY($1::text[])`, [persons.map((p) => p.person_ref)],
      );
      for (const row of people) reached.add(row.stream_id);
      const personOf = new Map(people.map((row) => [row.stream_id, row.person_ref]));
      const next = [...reached].filter((stream) => !membership.has(stream));
      for (const stream of [...frontier, ...next]) membership.set(stream, personOf.get(stream) ?? null);
      frontier = next;
    }
    // Subjects reached only as members of a person were expanded too, so every link among them is known.
    return { subjects: [...membership].map(([subjectStream, personRef]) => ({ subjectStream, personRef })), links: [...links.values()] };
  }

  /** The pairs (decided by the model or a reviewer) that involve any of these subjects. */
  async pairsOf(streams: readonly string[]): Promise<PairRow[]> {
    if (streams.length === 0) return [];
    const { rows } = await this.client.query<{ pair_id: string; a: string; b: string; status: PairStatus; decided_by: string; match_weight: number | null; data: unknown }>(
      `SELECT * FROM ${this.schema}.identity_pairs WHERE a = ANY($1::text[]) UNION SELECT * FROM ${this.schema}.identity_pairs WHERE b = ANY($1::text[])`, [streams],
    );
    return rows.map(pairRow);
  }

  async pair(pairId: string): Promise<PairRow | undefined> {
    const { rows } = await this.client.query<{ pair_id: string; a: string; b: string; status: PairStatus; decided_by: string; match_weight: number | null; data: unknown }>(
      `SELECT * FROM ${this.schema}.identity_pairs WHERE pair_id = $1`, [pairId],
    );
    return rows[0] ? pairRow(rows[0]) : undefined;
  }

  /** The clerical review queue: pairs waiting for a reviewer, strongest first. */
  async reviewQueue(): Promise<PairRow[]> {
    const { rows } = await this.client.query<{ pair_id: string; a: string; b: string; status: PairStatus; decided_by: string; match_weight: number | null; data: unknown }>(
      `SELECT * FROM ${this.schema}.identity_pairs WHERE status = 'review' ORDER BY match_weight DESC, pair_id`,
    );
    return rows.map(pairRow);
  }

  /**
   * Records pair events in log order: a link, an unlink, a review requested (unless a reviewer
   * already decided the pair), a reviewer's decision (which the model never overrides).
   */
  async recordPairs(events: readonly { type: string; data: unknown }[]): Promise<void> {
    for (const event of events) {
      if (event.type === pairLinkedType || event.type === reviewRequestedType) {
        const data = event.data as PairLinkedData | ReviewRequestedData;
        const linked = event.type === pairLinkedType;
        const decidedBy = linked ? (data as PairLinkedData).decidedBy : 'model';
        await this.client.query(
          `INSERT INTO ${this.schema}.identity_pairs AS p (pair_id, a, b, status, decided_by, match_weight, data) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (pair_id) DO UPDATE SET status = excluded.status, decided_by = excluded.decided_by, match_weight = excluded.match_weight, data = excluded.data
           WHERE $5 = 'reviewer' OR p.decided_by <> 'reviewer'`,
          [data.pairId, data.subjects[0], data.subjects[1], linked ? 'linked' : 'review', decidedBy, data.matchWeight, JSON.stringify(data)],
        );
      } else if (event.type === pairUnlinkedType) {
        const data = event.data as PairUnlinkedData;
        await this.client.query(
          `UPDATE ${this.schema}.identity_pairs SET status = 'apart', decided_by = $2 WHERE pair_id = $1 AND ($2 = 'reviewer' OR decided_by <> 'reviewer')`,
          [data.pairId, data.decidedBy],
        );
      } else if (event.type === reviewDecidedType) {
        const data = event.data as ReviewDecidedData;
        await this.client.query(
          `UPDATE ${this.schema}.identity_pairs SET status = $2, decided_by = 'reviewer' WHERE pair_id = $1`,
          [data.pairId, data.decision === 'accept' ? 'linked' : 'apart'],
        );
      }
    }
  }

  async saveModel(model: FellegiSunterModel): Promise<void> {
    await this.client.query(
      `INSERT INTO ${this.schema}.identity_model (one, model) VALUES (true, $1) ON CONFLICT (one) DO UPDATE SET model = excluded.model`, [JSON.stringify(model)],
    );
  }

  async trainedModel(): Promise<FellegiSunterModel | undefined> {
    const { rows } = await this.client.query<{ model: FellegiSunterModel }>(`SELECT model FROM ${this.schema}.identity_model`);
    return rows[0]?.model;
  }

  /** Every subject's latest current record position (for training on the hub's records). */
  async allLatestRecordPositions(): Promise<Map<string, number>> {
    const { rows } = await this.client.query<{ stream_id: string; position: string }>(
      `SELECT DISTINCT ON (stream_id) stream_id, position FROM ${this.schema}.identity_records
       WHERE NOT retracted AND position IS NOT NULL AND stream_id IS NOT NULL ORDER BY stream_id, event_time DESC, position DESC`,
    );
    return new Map(rows.map((r) => [r.stream_id, Number(r.position)]));
  }

  /** The exact rules' keys of these subjects. */
  async exactKeysOf(streams: readonly string[]): Promise<KeyRow[]> {
    if (streams.length === 0) return [];
    const { rows } = await this.client.query<KeyRow>(
      `SELECT stream_id, key, qualifier, rule FROM ${this.schema}.identity_keys WHERE stream_id = ANY($1::text[]) AND rule NOT LIKE 'probable:%' AND rule NOT LIKE 'tf-%'`, [streams],
    );
    return rows;
  }

  /** The model's and term-frequency keys of these subjects. */
  async comparisonKeysOf(streams: readonly string[]): Promise<KeyRow[]> {
    if (streams.length === 0) return [];
    const { rows } = await this.client.query<KeyRow>(
      `SELECT stream_id, key, qualifier, rule FROM ${this.schema}.identity_keys WHERE stream_id = ANY($1::text[]) AND (rule LIKE 'probable:%' OR rule LIKE 'tf-%')`, [streams],
    );
    return rows;
  }

  /** The subjects holding any of these keys. */
  async holdersOf(keys: readonly string[]): Promise<KeyRow[]> {
    if (keys.length === 0) return [];
    const { rows } = await this.client.query<KeyRow>(
      `SELECT stream_id, key, qualifier, rule FROM ${this.schema}.identity_keys WHERE key = ANY($1::text[])`, [[...new Set(keys)]],
    );
    return rows;
  }

  /** How many subjects hold each key (term frequencies), and how many subjects have any name key. */
  async keyCounts(keys: readonly string[]): Promise<{ counts: Map<string, number>; subjects: number }> {
    const { rows } = keys.length === 0 ? { rows: [] } : await this.client.query<{ key: string; n: string }>(
      `SELECT key, count(*) AS n FROM ${this.schema}.identity_keys WHERE key = ANY($1::text[]) GROUP BY key`, [[...new Set(keys)]],
    );
    const { rows: total } = await this.client.query<{ n: string }>(`SELECT count(*) AS n FROM ${this.schema}.identity_subjects`);
    return { counts: new Map(rows.map((r) => [r.key, Number(r.n)])), subjects: Number(total[0]?.n ?? 0) };
  }

  /** The position of each subject's latest current record (by time, then arrival): where its person block is. */
  async latestRecordPositions(streams: readonly string[]): Promise<Map<string, number>> {
    if (streams.length === 0) return new Map();
    const { rows } = await this.client.query<{ stream_id: string; position: string }>(
      `SELECT DISTINCT ON (stream_id) stream_id, position FROM ${this.schema}.identity_records
       WHERE stream_id = ANY($1::text[]) AND NOT retracted AND position IS NOT NULL ORDER BY stream_id, event_time DESC, position DESC`, [streams],
    );
    return new Map(rows.map((r) => [r.stream_id, Number(r.position)]));
  }

  async personOrder(personRefs: readonly string[]): Promise<Map<string, number>> {
    if (personRefs.length === 0) return new Map();
    const { rows } = await this.client.query<{ person_ref: string; seq: string }>(
      `SELECT person_ref, seq FROM ${this.schema}.identity_persons WHERE person_ref = ANY($1::text[])`, [personRefs],
    );
    return new Map(rows.map((r) => [r.person_ref, Number(r.seq)]));
  }

  /**
   * Records decided or replayed identity events, in log order: a person is created by its first
   * subject (creation order decides survivors), a subject's last assignment wins.
   */
  async record(events: readonly ({ type: 'assigned'; data: SubjectAssignedData } | { type: 'merged'; data: PersonsMergedData })[]): Promise<void> {
    const assignments = new Map<string, SubjectAssignedData>();
    const created: string[] = [];
    const merged = new Map<string, string>();
    for (const event of events) {
      if (event.type === 'merged') {
        merged.set(event.data.mergedPersonRef, event.data.survivingPersonRef);
        continue;
      }
      assignments.delete(event.data.subjectStream);
      assignments.set(event.data.subjectStream, event.data);
      if (!created.includes(event.data.personRef)) created.push(event.data.personRef);
    }
    await this.createPersons(created);
    if (merged.size > 0) {
      await this.client.query(
        `UPDATE ${this.schema}.identity_persons p SET merged_into = m.survivor FROM unnest($1::text[], $2::text[]) AS m(merged, survivor) WHERE p.person_ref = m.merged`,
        [[...merged.keys()], [...merged.values()]],
      );
    }
    if (assignments.size === 0) return;
    const rows = [...assignments.values()];
    await this.client.query(
      `INSERT INTO ${this.schema}.identity_subjects (stream_id, person_ref, reason, evidence)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[])
       ON CONFLICT (stream_id) DO UPDATE SET person_ref = excluded.person_ref, reason = excluded.reason, evidence = excluded.evidence`,
      [rows.map((r) => r.subjectStream), rows.map((r) => r.personRef), rows.map((r) => r.reason), rows.map((r) => JSON.stringify(r.evidence))],
    );
  }

  /** New persons, in the order given (their creation order). */
  async createPersons(personRefs: readonly string[]): Promise<void> {
    if (personRefs.length === 0) return;
    await this.client.query(
      `INSERT INTO ${this.schema}.identity_persons (person_ref)
       SELECT ref FROM unnest($1::text[]) WITH ORDINALITY AS n(ref, i) ORDER BY i ON CONFLICT DO NOTHING`, [personRefs],
    );
  }

  /** Rebuild: subjects whose facts were replayed and may lack a decision, with the first such fact (the trigger). */
  async markPending(entries: readonly { stream: string; trigger: { eventId: string; globalPosition: number; recordedAt: string } }[]): Promise<void> {
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
  async takePending(): Promise<{ stream: string; trigger: { eventId: string; globalPosition: number; recordedAt: string } }[]> {
    const { rows } = await this.client.query<{ stream_id: string; position: string; event_id: string; recorded_at: Date }>(
      `DELETE FROM ${this.schema}.identity_pending RETURNING stream_id, position, event_id, recorded_at`,
    );
    return rows.sort((a, b) => Number(a.position) - Number(b.position))
      .map((r) => ({ stream: r.stream_id, trigger: { eventId: r.event_id, globalPosition: Number(r.position), recordedAt: r.recorded_at.toISOString() } }));
  }

  async subjectsOf(personRef: string): Promise<SubjectRow[]> {
    const { rows } = await this.client.query<{ stream_id: string; person_ref: string; reason: string; evidence: unknown }>(
      `SELECT stream_id, person_ref, reason, evidence FROM ${this.schema}.identity_subjects WHERE person_ref = $1 ORDER BY stream_id`, [personRef],
    );
    return rows.map((r) => ({ subjectStream: r.stream_id, personRef: r.person_ref, reason: r.reason, evidence: r.evidence }));
  }

  async mergedInto(personRef: string): Promise<{ known: boolean; mergedInto: string | null }> {
    const { rows } = await this.client.query<{ merged_into: string | null }>(
      `SELECT merged_into FROM ${this.schema}.identity_persons WHERE person_ref = $1`, [personRef],
    );
    return { known: rows.length > 0, mergedInto: rows[0]?.merged_into ?? null };
  }
}

export type PairStatus = 'linked' | 'review' | 'apart';

/** A pair the model or a reviewer decided. `data` is its last scored event (levels and weights, no values). */
export interface PairRow {
  readonly pairId: string;
  readonly a: string;
  readonly b: string;
  readonly status: PairStatus;
  readonly decidedBy: string;
  readonly matchWeight: number | null;
  readonly data: unknown;
}

function pairRow(row: { pair_id: string; a: string; b: string; status: PairStatus; decided_by: string; match_weight: number | null; data: unknown }): PairRow {
  return { pairId: row.pair_id, a: row.a, b: row.b, status: row.status, decidedBy: row.decided_by, matchWeight: row.match_weight, data: row.data };
}

function sameSet(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): boolean {
  const [x, y] = [a ?? new Set<string>(), b ?? new Set<string>()];
  return x.size === y.size && [...x].every((v) => y.has(v));
}
