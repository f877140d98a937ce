import { join } from 'node:path';
import type { PoolClient } from 'pg';
import { type Database, installSql, prepared, type Queryable } from '@hub/database';
import { contentHashOf } from './content-hash';
import {
  type AppendOutcome, type AppendRequest, type EventStore, type NewEvent, type ReadOptions, type ReadPage,
  WrongExpectedVersionError,
} from './event-store.port';
import { type Checkpoint, checkpointOf, logStart, type StoredEvent } from './stored-event';

export const eventStoreSqlFolder = join(__dirname, '..', 'sql');
export const appendedChannel = 'event_store_appended';

/** An id already claimed, raced by a concurrent writer after we looked: the whole append is retried. */
/** A concurrent writer claimed an event id or stream position first: the transaction is retried. */
export class ConcurrentClaimError extends Error {
  readonly code = '40001';
}

export interface AppendOptions {
  /** Ids the caller looked up in this attempt, with their content hashes. */
  readonly knownHashes?: ReadonlyMap<string, string>;
  /**
   * Versions of streams this transaction has already locked with `lockStreams` (and not appended
   * to since); the other streams are locked here.
   */
  readonly lockedVersions?: ReadonlyMap<string, number>;
}

/** Advisory-lock namespace (first key) for stream buckets, and how many buckets there are (a power of two). */
const streamLockNamespace = 20_251;
const streamLockBuckets = 256;

const eventColumns = storedEventColumns();

/** A query selecting positions of the log (one column, `global_position`) and its parameters: which events to read. */
export interface PositionSelection {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** The columns `toStoredEvent` reads, each qualified with `alias` if given (for a reader joining the log to its own tables). */
export function storedEventColumns(alias?: string): string {
  const columns = ['global_position', 'transaction_id', 'event_id', 'stream_id', 'stream_position', 'type', 'source', 'subject', 'occurred_at', 'recorded_at', 'data', 'metadata'];
  return columns.map((column) => (alias ? `${alias}.${column}` : column)).join(', ');
}

export class PostgresEventStore implements EventStore {
  constructor(private readonly database: Database) {}

  static async install(database: Database): Promise<void> {
    await installSql(database, [eventStoreSqlFolder]);
  }

  async append(requests: readonly AppendRequest[]): Promise<readonly AppendOutcome[]> {
    if (requests.every((request) => request.events.length === 0)) return [];
    return this.database.transaction((client) => this.appendIn(client, requests), 10);
  }

  /**
   * Appends inside the caller's transaction (a projection or processor writing with its checkpoint).
   * Stream versions come from the log itself (the last position); appenders to the same stream are
   * serialised by transaction-scoped advisory locks on the streams' hash buckets, taken in a fixed
   * order (no deadlocks, no rows written for locking). `knownHashes`: the caller already looked the
   * ids up in this attempt (saves a round trip).
   */
  async appendIn(client: PoolClient, requests: readonly AppendRequest[], options: AppendOptions = {}): Promise<readonly AppendOutcome[]> {
    const knownHashes = options.knownHashes;
    const hashed = requests.map((request) => ({
      ...request,
      events: request.events.map((event) => ({ ...event, contentHash: event.contentHash ?? contentHashOf(contentOf(event)) })),
    }));
    const eventIds = hashed.flatMap((request) => request.events.map((event) => event.eventId));
    // Without the caller's lookups, the ids are looked up and every stream written to is locked in one round trip.
    const { existing, lockedVersions } = knownHashes || options.lockedVersions
      ? { existing: knownHashes ?? await this.existingHashesIn(client, eventIds), lockedVersions: options.lockedVersions }
      : await this.lookUpAndLock(client, eventIds, [...new Set(hashed.filter((request) => request.events.length > 0).map((request) => request.streamId))]);
    // One outcome per event, in call order; an id repeated within the call counts like one stored earlier.
    const outcomes: (AppendOutcome | undefined)[] = [];
    const claimedInCall = new Map<string, string>();
    const fresh = hashed.map((request) => ({
      request,
      events: request.events.flatMap((event) => {
        const index = outcomes.push(undefined) - 1;
        const claimed = existing.get(event.eventId) ?? claimedInCall.get(event.eventId);
        if (claimed !== undefined) {
          outcomes[index] = { eventId: event.eventId, status: claimed === event.contentHash ? 'duplicate' : 'id-reused' };
          return [];
        }
        claimedInCall.set(event.eventId, event.contentHash);
        return [{ event, index }];
      }),
    }));
    const increments = new Map<string, number>();
    for (const { request, events } of fresh) increments.set(request.streamId, (increments.get(request.streamId) ?? 0) + events.length);
    const locked = lockedVersions ?? new Map<string, number>();
    const unlocked = [...increments].filter(([id, n]) => n > 0 && !locked.has(id)).map(([id]) => id);
    const versions = new Map([...locked, ...(await this.lockStreams(client, unlocked))]);
    const rows: { event: NewEvent & { contentHash: string }; streamId: string; position: number; index: number }[] = [];
    for (const { request, events } of fresh) {
      // An all-duplicate request is an idempotent retry: its expected version is already spent.
      if (events.length === 0) continue;
      const current = versions.get(request.streamId)!;
      checkExpectedVersion(request, current);
      let position = current;
      for (const { event, index } of events) rows.push({ event, streamId: request.streamId, position: ++position, index });
      versions.set(request.streamId, position);
    }
    const inserted = await this.insertEvents(client, rows);
    for (const row of rows) outcomes[row.index] = inserted.get(row.event.eventId);
    return outcomes as AppendOutcome[];
  }

  async readStream(streamId: string, fromPosition = 1): Promise<readonly StoredEvent[]> {
    const { rows } = await this.database.query<EventRow>(
      `SELECT ${eventColumns} FROM event_store.events WHERE stream_id = $1 AND stream_position >= $2 ORDER BY stream_position`,
      [streamId, fromPosition],
    );
    return rows.map(toStoredEvent);
  }

  async readAll(after: Checkpoint, options: ReadOptions = {}): Promise<ReadPage> {
    return readLog(this.database, after, options);
  }

  async existingHashes(eventIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    return this.existingHashesIn(this.database, eventIds);
  }

  async head(): Promise<Checkpoint> {
    const { rows } = await this.database.query<{ transaction_id: string; global_position: string }>(
      // Ordered by the columns, not the output's text (an ORDER BY name means the output column first:
      // as text, xid 999 sorts after 1000, and the head was neither found by index nor right).
      `SELECT e.transaction_id::text, e.global_position FROM event_store.events e ORDER BY e.transaction_id DESC, e.global_position DESC LIMIT 1`,
    );
    const row = rows[0];
    return row ? { transactionId: BigInt(row.transaction_id), globalPosition: Number(row.global_position) } : logStart;
  }

  private async existingHashesIn(queryable: Queryable, eventIds: readonly string[]): Promise<Map<string, string>> {
    if (eventIds.length === 0) return new Map();
    const { rows } = await queryable.query<{ event_id: string; content_hash: string }>(
      prepared('SELECT event_id, content_hash FROM event_store.events WHERE event_id = ANY($1::text[])'),
      [eventIds],
    );
    return new Map(rows.map((row) => [row.event_id, row.content_hash]));
  }

  /**
   * `existingHashesIn` and `lockStreams` in one statement (the ids are looked up in the statement's
   * snapshot, taken before the locks, as when they are two): for an appender whose events are
   * rarely repeats, a stream written only by repeats is locked for nothing.
   */
  private async lookUpAndLock(client: PoolClient, eventIds: readonly string[], streamIds: readonly string[]): Promise<{ existing: Map<string, string>; lockedVersions: Map<string, number> }> {
    if (streamIds.length === 0) return { existing: new Map(), lockedVersions: new Map() };
    const { rows } = await client.query<{ existing: { event_id: string; content_hash: string }[] | null; versions: { stream_id: string; version: number }[] | null }>(
      prepared(`SELECT (SELECT json_agg(json_build_object('event_id', event_id, 'content_hash', content_hash)) FROM event_store.events WHERE event_id = ANY($1::text[])) AS existing,
         (SELECT json_agg(json_build_object('stream_id', stream_id, 'version', version)) FROM event_store.lock_streams($2::text[], $3, $4)) AS versions`),
      [eventIds, streamIds, streamLockNamespace, streamLockBuckets],
    );
    return {
      existing: new Map((rows[0]?.existing ?? []).map((row) => [row.event_id, row.content_hash])),
      lockedVersions: new Map((rows[0]?.versions ?? []).map((row) => [row.stream_id, Number(row.version)])),
    };
  }

  /**
   * Locks these streams for appending until the transaction ends (by hash bucket: at most
   * `streamLockBuckets` locks per transaction, however many streams) and returns each one's
   * version: its last position, 0 when new. One round trip (`event_store.lock_streams`).
   */
  async lockStreams(client: PoolClient, streamIds: readonly string[]): Promise<Map<string, number>> {
    if (streamIds.length === 0) return new Map();
    const { rows } = await client.query<{ stream_id: string; version: number }>(
      prepared('SELECT stream_id, version FROM event_store.lock_streams($1::text[], $2, $3)'),
      [streamIds, streamLockNamespace, streamLockBuckets],
    );
    return new Map(rows.map((row) => [row.stream_id, row.version]));
  }

  private async insertEvents(
    client: PoolClient,
    rows: readonly { event: NewEvent & { contentHash: string }; streamId: string; position: number }[],
  ): Promise<Map<string, AppendOutcome>> {
    const outcomes = new Map<string, AppendOutcome>();
    const chunkSize = 1000;
    for (let start = 0; start < rows.length; start += chunkSize) {
      const chunk = rows.slice(start, start + chunkSize);
      // The batch travels as one JSON document, expanded by the server: one parameter whatever
      // the batch size, and each event's data embedded as it is (not escaped again).
      const batch = chunk.map(({ event, streamId, position }, n) => `{"n":${n},"event_id":${JSON.stringify(event.eventId)},"stream_id":${
        JSON.stringify(streamId)},"stream_position":${position},"type":${JSON.stringify(event.type)},"source":${
        JSON.stringify(event.source)},"subject":${JSON.stringify(event.subject ?? null)},"occurred_at":${
        JSON.stringify(event.occurredAt)},"content_hash":${JSON.stringify(event.contentHash)},"data":${
        JSON.stringify(event.data)},"metadata":${JSON.stringify(event.metadata ?? {})}}`);
      // A plain INSERT: the ids were looked up in this attempt, so a unique violation means a
      // concurrent writer claimed an id or a position since, and the whole append is retried.
      // Listeners are notified in the same statement (delivered on commit).
      const result = await client.query<{ event_id: string; stream_id: string; stream_position: number; global_position: string }>(
        prepared(`WITH appended AS (
           INSERT INTO event_store.events (event_id, stream_id, stream_position, type, source, subject, occurred_at, content_hash, data, metadata)
           SELECT event_id, stream_id, stream_position, type, source, subject, occurred_at, content_hash, data, metadata
           FROM jsonb_to_recordset($1::jsonb) AS batch(n integer, event_id text, stream_id text, stream_position integer, type text,
             source text, subject text, occurred_at timestamptz, content_hash text, data jsonb, metadata jsonb)
           ORDER BY n
           RETURNING event_id, stream_id, stream_position, global_position
         ), notified AS (SELECT pg_notify('${appendedChannel}', ''))
         SELECT appended.* FROM appended, notified`),
        [`[${batch.join(',')}]`],
      ).catch((error: { code?: string; constraint?: string }) => {
        if (error.code === '23505' && error.constraint === 'events_stream_position') {
          throw new ConcurrentClaimError('Another writer took a position in one of these streams; retrying the append');
        }
        if (error.code === '23505' && error.constraint === 'events_event_id') {
          throw new ConcurrentClaimError('An event id was claimed concurrently; retrying the append');
        }
        throw error;
      });
      for (const row of result.rows) {
        outcomes.set(row.event_id, {
          eventId: row.event_id, status: 'appended', streamId: row.stream_id,
          streamPosition: row.stream_position, globalPosition: Number(row.global_position),
        });
      }
    }
    return outcomes;
  }

}

/** Reads the log after a checkpoint, never past the oldest transaction still in flight. */
export async function readLog(queryable: Queryable, after: Checkpoint, options: ReadOptions = {}): Promise<ReadPage> {
  const limit = options.limit ?? 1000;
  const typeFilter = options.types ? 'AND type = ANY($4::text[])' : '';
  const params: unknown[] = [after.transactionId.toString(), after.globalPosition, limit];
  if (options.types) params.push(options.types);
  // The horizon is taken once and returned, so that the skip-ahead below uses the same one: with a
  // fresh horizon, an event committed in between could be skipped over without ever being read.
  const { rows } = await queryable.query<Partial<EventRow> & { horizon: string }>(
    `SELECT horizon.xmin::text AS horizon, e.* FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin) AS horizon
     LEFT JOIN LATERAL (
       SELECT ${eventColumns} FROM event_store.events
       WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
         AND transaction_id < horizon.xmin
         ${typeFilter}
       ORDER BY transaction_id, global_position
       LIMIT $3
     ) AS e ON true
     ORDER BY e.transaction_id, e.global_position`,
    params,
  );
  const events = rows.filter((row) => row.global_position != null).map((row) => toStoredEvent(row as EventRow));
  const last = events[events.length - 1];
  if (last) return { events, next: checkpointOf(last) };
  if (!options.types) return { events, next: after };
  return { events, next: await filteredReadEnd(queryable, after, rows[0]!.horizon) };
}

/**
 * With a type filter and nothing matching, advance to the newest event below the same horizon, so the
 * next read starts there. Not to the horizon itself: after a crash PostgreSQL can hand out again the
 * ids of transactions that never reached its WAL, and events written after the restart would be left
 * behind such a checkpoint (the fault suite's PostgreSQL restart caught exactly that).
 */
async function filteredReadEnd(queryable: Queryable, after: Checkpoint, horizon: string): Promise<Checkpoint> {
  const { rows } = await queryable.query<{ transaction_id: string; global_position: string }>(
    `SELECT e.transaction_id::text, e.global_position FROM event_store.events e
     WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
       AND e.transaction_id < $3::xid8
     ORDER BY e.transaction_id DESC, e.global_position DESC LIMIT 1`,
    [after.transactionId.toString(), after.globalPosition, horizon],
  );
  const row = rows[0];
  return row ? { transactionId: BigInt(row.transaction_id), globalPosition: Number(row.global_position) } : after;
}

function checkExpectedVersion(request: AppendRequest, current: number): void {
  const { expectedVersion } = request;
  if (expectedVersion === 'any') return;
  const wanted = expectedVersion === 'no-stream' ? 0 : expectedVersion;
  if (current !== wanted) throw new WrongExpectedVersionError(request.streamId, expectedVersion, current);
}

function contentOf(event: NewEvent): unknown {
  return { type: event.type, source: event.source, subject: event.subject ?? null, time: event.occurredAt, data: event.data };
}

export interface EventRow {
  global_position: string;
  transaction_id: string;
  event_id: string;
  stream_id: string;
  stream_position: number;
  type: string;
  source: string;
  subject: string | null;
  occurred_at: Date;
  recorded_at: Date;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** An event as read from `event_store.events` (the columns of `storedEventColumns`). */
export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    globalPosition: Number(row.global_position),
    transactionId: BigInt(row.transaction_id),
    eventId: row.event_id,
    streamId: row.stream_id,
    streamPosition: row.stream_position,
    type: row.type,
    source: row.source,
    subject: row.subject,
    occurredAt: row.occurred_at.toISOString(),
    recordedAt: row.recorded_at.toISOString(),
    data: row.data,
    metadata: row.metadata,
  };
}
