import type { PoolClient } from 'pg';
import type { Queryable } from '@hub/database';
import type { StoredEvent } from '@hub/event-store';
import { isRetraction, normaliseEvent } from './normalise';
import type { RecordVersion, Retraction } from './timeline-record';
import type { PersonTimeline } from './timeline-view';

/** The identity contract (DEVELOPING.md): every change of the person a subject stream belongs to. */
export const subjectAssignedType = 'hub.identity.subject-assigned.v1';

export interface SubjectAssigned {
  readonly subjectStream: string;
  readonly personRef: string;
  readonly previousPersonRef: string | null;
  readonly reason?: string;
  readonly evidence?: unknown;
}

/** What a page of events changed. */
export interface TimelineChanges {
  /** People whose linked timeline changed (both sides of a reassignment). */
  readonly persons: ReadonlySet<string>;
  /** People a subject moved away from or to (links made, moved or undone). */
  readonly reassigned: ReadonlySet<string>;
  /** The latest instant any fact in the page was known at (the event-time position). */
  readonly watermark: string | undefined;
  readonly versions: readonly RecordVersion[];
  readonly retractions: readonly Retraction[];
}

/** A page's facts (record versions), retractions and subject assignments, in log order. */
export function timelineEntries(events: readonly StoredEvent[]): { versions: RecordVersion[]; retractions: Retraction[]; assignments: SubjectAssigned[] } {
  const versions: RecordVersion[] = [];
  const retractions: Retraction[] = [];
  const assignments: SubjectAssigned[] = [];
  for (const event of events) {
    if (event.type === subjectAssignedType) {
      assignments.push(event.data as unknown as SubjectAssigned);
      continue;
    }
    const normalised = normaliseEvent(event);
    if (!normalised) continue;
    if (isRetraction(normalised)) retractions.push(normalised);
    else versions.push(normalised);
  }
  return { versions, retractions, assignments };
}

/** The latest instant any of these was known at: the event-time position they move to. */
export function latestKnownAt(versions: readonly RecordVersion[], retractions: readonly Retraction[]): string | undefined {
  const instants = [...versions.map((v) => v.knownAt), ...retractions.map((r) => r.knownAt)].sort();
  return instants[instants.length - 1];
}

/**
 * A projection's own copy of people's linked timelines, in its schema: every record version
 * (non-personal content only), retractions, and the subject -> person table kept from
 * subject-assigned events in log order. Facts of a subject not yet assigned wait in the tables and
 * join a person when the assignment arrives.
 */
export class TimelineStore {
  constructor(private readonly schema: string) {}

  async install(client: PoolClient): Promise<void> {
    const s = this.schema;
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${s}.subjects (stream_id text PRIMARY KEY, person_ref text NOT NULL);
      CREATE INDEX IF NOT EXISTS subjects_person ON ${s}.subjects (person_ref);
      CREATE TABLE IF NOT EXISTS ${s}.record_versions (
        position bigint PRIMARY KEY, stream_id text NOT NULL, record_key text NOT NULL, known_at timestamptz NOT NULL, body jsonb NOT NULL);
      CREATE INDEX IF NOT EXISTS record_versions_stream ON ${s}.record_versions (stream_id);
      CREATE INDEX IF NOT EXISTS record_versions_key ON ${s}.record_versions (record_key);
      CREATE TABLE IF NOT EXISTS ${s}.retractions (
        target_key text NOT NULL, position bigint NOT NULL, known_at timestamptz NOT NULL, PRIMARY KEY (target_key, position));`);
  }

  /** Stores the facts, retractions and assignments of a page of revealed events (in log order). */
  async apply(client: Queryable, events: readonly StoredEvent[]): Promise<TimelineChanges> {
    const { versions, retractions, assignments } = timelineEntries(events);
    await this.insertVersions(client, versions);
    await this.insertRetractions(client, retractions);
    const persons = new Set<string>();
    const reassigned = new Set<string>();
    // The subjects' persons before the page, then each assignment in log order (one read, one write).
    const current = await this.personByStream(client, [...new Set(assignments.map((a) => a.subjectStream))]);
    for (const assignment of assignments) {
      const before = current.get(assignment.subjectStream);
      current.set(assignment.subjectStream, assignment.personRef);
      for (const person of [assignment.personRef, assignment.previousPersonRef, before]) {
        if (!person) continue;
        persons.add(person);
        if (before !== undefined || assignment.previousPersonRef) reassigned.add(person);
      }
    }
    await this.assign(client, assignments.length === 0 ? new Map() : current);
    const touchedStreams = new Set(versions.map((v) => v.streamId));
    if (retractions.length > 0) {
      const { rows } = await client.query<{ stream_id: string }>(
        `SELECT DISTINCT stream_id FROM ${this.schema}.record_versions WHERE record_key = ANY($1::text[])`,
        [retractions.map((r) => r.targetKey)],
      );
      for (const row of rows) touchedStreams.add(row.stream_id);
    }
    for (const person of await this.personsOf(client, [...touchedStreams])) persons.add(person);
    return { persons, reassigned, watermark: latestKnownAt(versions, retractions), versions, retractions };
  }

  /** Every version and retraction of each of these people's linked records (one read for all of them). */
  async loadMany(client: Queryable, personRefs: readonly string[]): Promise<PersonTimeline[]> {
    if (personRefs.length === 0) return [];
    const { rows: streamRows } = await client.query<{ person_ref: string; stream_id: string }>(
      `SELECT person_ref, stream_id FROM ${this.schema}.subjects WHERE person_ref = ANY($1::text[]) ORDER BY person_ref, stream_id`, [personRefs],
    );
    const personOf = new Map(streamRows.map((row) => [row.stream_id, row.person_ref]));
    const { rows } = await client.query<{ body: RecordVersion }>(
      `SELECT body FROM ${this.schema}.record_versions WHERE stream_id = ANY($1::text[]) ORDER BY position`, [[...personOf.keys()]],
    );
    const retractions = await this.retractionsOf(client, [...new Set(rows.map((row) => row.body.key))]);
    const timelines = new Map(personRefs.map((personRef) => [personRef, { personRef, streams: [] as string[], versions: [] as RecordVersion[], retractions: [] as Retraction[] }]));
    for (const { person_ref, stream_id } of streamRows) timelines.get(person_ref)!.streams.push(stream_id);
    // A correction can move a record to another subject: its key then belongs to both people.
    const personsOfKey = new Map<string, Set<string>>();
    for (const { body } of rows) {
      const personRef = personOf.get(body.streamId)!;
      timelines.get(personRef)!.versions.push(body);
      personsOfKey.set(body.key, (personsOfKey.get(body.key) ?? new Set()).add(personRef));
    }
    for (const retraction of retractions) {
      for (const personRef of personsOfKey.get(retraction.targetKey) ?? []) timelines.get(personRef)!.retractions.push(retraction);
    }
    return [...timelines.values()];
  }

  async personsOf(client: Queryable, streams: readonly string[]): Promise<string[]> {
    if (streams.length === 0) return [];
    const { rows } = await client.query<{ person_ref: string }>(
      `SELECT DISTINCT person_ref FROM ${this.schema}.subjects WHERE stream_id = ANY($1::text[])`, [streams],
    );
    return rows.map((row) => row.person_ref);
  }

  /** The person each of these subject streams belongs to now (streams linked to nobody are absent). */
  async personByStream(client: Queryable, streams: readonly string[]): Promise<Map<string, string>> {
    if (streams.length === 0) return new Map();
    const { rows } = await client.query<{ stream_id: string; person_ref: string }>(
      `SELECT stream_id, person_ref FROM ${this.schema}.subjects WHERE stream_id = ANY($1::text[])`, [streams],
    );
    return new Map(rows.map((row) => [row.stream_id, row.person_ref]));
  }

  async personOfStream(client: Queryable, stream: string): Promise<string | undefined> {
    return (await this.personsOf(client, [stream]))[0];
  }

  /** Every version and retraction of the person's linked records. */
  async load(client: Queryable, personRef: string): Promise<PersonTimeline> {
    const { rows: streamRows } = await client.query<{ stream_id: string }>(
      `SELECT stream_id FROM ${this.schema}.subjects WHERE person_ref = $1 ORDER BY stream_id`, [personRef],
    );
    const streams = streamRows.map((row) => row.stream_id);
    if (streams.length === 0) return { personRef, streams, versions: [], retractions: [] };
    const { rows } = await client.query<{ body: RecordVersion }>(
      `SELECT body FROM ${this.schema}.record_versions WHERE stream_id = ANY($1::text[]) ORDER BY position`, [streams],
    );
    const versions = rows.map((row) => row.body);
    const retractions = await this.retractionsOf(client, [...new Set(versions.map((v) => v.key))]);
    return { personRef, streams, versions, retractions };
  }

  /** The subject stream a record was published under. */
  async streamOf(client: Queryable, recordKey: string): Promise<string | undefined> {
    const { rows } = await client.query<{ stream_id: string }>(
      `SELECT stream_id FROM ${this.schema}.record_versions WHERE record_key = $1 ORDER BY position LIMIT 1`, [recordKey],
    );
    return rows[0]?.stream_id;
  }

  /** Every version and retraction of the given records, whoever they belong to (area-level rules). */
  async loadRecords(client: Queryable, keys: readonly string[]): Promise<Pick<PersonTimeline, 'versions' | 'retractions'>> {
    if (keys.length === 0) return { versions: [], retractions: [] };
    const { rows } = await client.query<{ body: RecordVersion }>(
      `SELECT body FROM ${this.schema}.record_versions WHERE record_key = ANY($1::text[]) ORDER BY position`, [keys],
    );
    return { versions: rows.map((row) => row.body), retractions: await this.retractionsOf(client, keys) };
  }

  private async retractionsOf(client: Queryable, keys: readonly string[]): Promise<Retraction[]> {
    const { rows } = await client.query<{ target_key: string; position: string; known_at: Date }>(
      `SELECT target_key, position, known_at FROM ${this.schema}.retractions WHERE target_key = ANY($1::text[]) ORDER BY position`, [keys],
    );
    return rows.map((row) => ({ targetKey: row.target_key, position: Number(row.position), knownAt: row.known_at.toISOString() }));
  }

  /** Sets the person of each stream (one row per stream). */
  private async assign(client: Queryable, personOf: ReadonlyMap<string, string>): Promise<void> {
    if (personOf.size === 0) return;
    await client.query(
      `INSERT INTO ${this.schema}.subjects (stream_id, person_ref) SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (stream_id) DO UPDATE SET person_ref = excluded.person_ref`,
      [[...personOf.keys()], [...personOf.values()]],
    );
  }

  private async insertVersions(client: Queryable, versions: readonly RecordVersion[]): Promise<void> {
    if (versions.length === 0) return;
    // One JSON document for the page: the bodies are embedded as they are, not escaped again
    // as elements of a jsonb[] literal (the costliest step of a rebuild before).
    await client.query(
      `INSERT INTO ${this.schema}.record_versions (position, stream_id, record_key, known_at, body)
       SELECT (v->>'position')::bigint, v->>'streamId', v->>'key', (v->>'knownAt')::timestamptz, v
       FROM jsonb_array_elements($1::jsonb) AS v
       ON CONFLICT (position) DO NOTHING`,
      [`[${versions.map((v) => JSON.stringify(v)).join(',')}]`],
    );
  }

  private async insertRetractions(client: Queryable, retractions: readonly Retraction[]): Promise<void> {
    if (retractions.length === 0) return;
    await client.query(
      `INSERT INTO ${this.schema}.retractions (target_key, position, known_at)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::timestamptz[]) ON CONFLICT DO NOTHING`,
      [retractions.map((r) => r.targetKey), retractions.map((r) => r.position), retractions.map((r) => r.knownAt)],
    );
  }
}
