import { hkdfSync } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { prepared, type Queryable } from '@hub/database';
import { type EventRow, type PositionSelection, type StoredEvent, storedEventColumns, toStoredEvent } from '@hub/event-store';
import { blindIndex, decryptField, encryptField, generateDataKey, unwrapKey, wrapKey } from '@hub/sharing';

/** Top-level data fields that carry personal data: the person block and free text. */
const alwaysSealed = new Set(['person', 'circumstances', 'conclusion']);
/** `reason` is free text for these types (an enum elsewhere). */
const freeTextReasonTypes = /^(probation\.supervision\.ended\.v1|[a-z-]+\.record\.retracted\.v1)$/;

/** An event as projections see it: personal fields in clear, or `erased` once its key is gone. */
export type RevealedEvent = StoredEvent & { readonly erased: boolean };

const keyCacheLimit = 50_000;

/**
 * Per-subject encryption of personal data in the append-only log (AES-256-GCM, keys wrapped under
 * the master key), blind indexes for exact matching without clear identifiers, and erasure by key
 * deletion.
 */
export class PersonalDataVault {
  private readonly indexKey: Buffer;
  /**
   * Unwrapped keys of recent streams. Evicting from a plain Map by its first key slows as deleted
   * entries pile up at its front (ingest spent 1.3 s in it per 200k events): an LRU evicts in O(1).
   */
  private readonly cache = new LRUCache<string, { key: Buffer; wrapped: string }>({ max: keyCacheLimit });

  constructor(private readonly database: Queryable, private readonly masterKey: Buffer) {
    this.indexKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'cdp-hub blind index v1', 32));
  }

  /** Stream of one agency subject: the subject itself never appears in clear. */
  streamIdFor(agencyId: string, subject: string): string {
    return `${agencyId}:${this.blind(subject).slice(0, 22)}`;
  }

  /** Keyed hash of a normalised value, for exact matching (identity index, subject access). */
  blind(normalisedValue: string): string {
    return blindIndex(this.indexKey, normalisedValue);
  }

  /**
   * Data keys of these streams. With `create` (the writer's path, inside its transaction) the key
   * rows are locked FOR KEY SHARE until the writer commits, so an erasure of the same stream waits for
   * it (and then erases what it wrote too); missing keys are made, except for streams erased
   * before: those never get a key again. An event for an erased stream is sealed under a
   * throw-away key that is never stored: it is erased on arrival (see docs/SECURITY.md).
   * `likelyNew` (the writer's streams at version 0, locked by it) get a key made straight away,
   * in the same statement that locks the others' keys; one that turns out to have a key keeps it.
   * Without `create`, only keys that still exist are returned (the cache never outlives an erasure
   * made by another process: presence is always checked in the table).
   */
  async keysFor(client: Queryable, streamIds: readonly string[], create: boolean, likelyNew: ReadonlySet<string> = new Set()): Promise<Map<string, Buffer>> {
    const wanted = [...new Set(streamIds)];
    const keys = new Map<string, Buffer>();
    if (wanted.length === 0) return keys;
    if (!create) {
      await this.loadKeys(client, wanted, keys, false);
      return keys;
    }
    // Round 1: make keys for the streams believed new, lock and read the others'.
    const { notMade, absent } = await this.makeOrLoadKeys(client, wanted.filter((id) => likelyNew.has(id)), wanted.filter((id) => !likelyNew.has(id)), keys);
    // Streams that had no key (retention dropped it, or erased): make one, unless erased.
    const stillNotMade = absent.length > 0 ? (await this.makeOrLoadKeys(client, absent, [], keys)).notMade : [];
    // Keys made concurrently, or existing already, are used as they are (locked like the others).
    const unmade = [...notMade, ...stillNotMade];
    const stillMissing = unmade.length > 0 ? await this.loadKeys(client, unmade, keys, true) : [];
    // Erased streams: a key nobody keeps, so what arrives now is unreadable like the rest.
    for (const id of stillMissing) keys.set(id, generateDataKey());
    return keys;
  }

  /**
   * One statement: inserts fresh keys for `make` (not for erased streams, nor where a key exists)
   * and reads the keys of `load`, locked FOR KEY SHARE in stream order. Returns the streams of
   * `make` that got no key and those of `load` that have none.
   */
  private async makeOrLoadKeys(client: Queryable, make: readonly string[], load: readonly string[], keys: Map<string, Buffer>): Promise<{ notMade: string[]; absent: string[] }> {
    const fresh = new Map(make.map((id) => [id, generateDataKey()]));
    const wrapped = new Map(make.map((id) => [id, wrapKey(this.masterKey, fresh.get(id)!, `subject-key:${id}`)]));
    const { rows } = await client.query<{ made: boolean; stream_id: string; wrapped_key: string }>(
      prepared(`WITH made AS (
         INSERT INTO security.subject_keys (stream_id, wrapped_key)
         SELECT v.stream_id, v.wrapped_key FROM unnest($1::text[], $2::text[]) AS v (stream_id, wrapped_key)
         WHERE NOT EXISTS (SELECT 1 FROM security.erasures e WHERE e.stream_id = v.stream_id)
         ON CONFLICT (stream_id) DO NOTHING
         RETURNING stream_id
       ), held AS (
         SELECT stream_id, wrapped_key FROM security.subject_keys WHERE stream_id = ANY($3::text[]) ORDER BY stream_id FOR KEY SHARE
       )
       SELECT true AS made, stream_id, NULL AS wrapped_key FROM made
       UNION ALL SELECT false, stream_id, wrapped_key FROM held`),
      [make, make.map((id) => wrapped.get(id)!), load],
    );
    const made = new Set<string>();
    for (const row of rows) {
      if (row.made) {
        made.add(row.stream_id);
        const key = fresh.get(row.stream_id)!;
        this.cache.set(row.stream_id, { key, wrapped: wrapped.get(row.stream_id)! });
        keys.set(row.stream_id, key);
      } else {
        keys.set(row.stream_id, this.unwrapCached(row.stream_id, row.wrapped_key));
      }
    }
    const absent = load.filter((id) => !keys.has(id));
    for (const id of absent) this.cache.delete(id);
    return { notMade: make.filter((id) => !made.has(id)), absent };
  }

  /** Reads (and with `lock`, locks FOR KEY SHARE) the stored keys of `streamIds` into `keys`; returns the ids that have none. */
  private async loadKeys(client: Queryable, streamIds: readonly string[], keys: Map<string, Buffer>, lock: boolean): Promise<string[]> {
    const { rows } = await client.query<{ stream_id: string; wrapped_key: string }>(
      prepared(`SELECT stream_id, wrapped_key FROM security.subject_keys WHERE stream_id = ANY($1::text[]) ORDER BY stream_id${lock ? ' FOR KEY SHARE' : ''}`),
      [streamIds],
    );
    for (const row of rows) keys.set(row.stream_id, this.unwrapCached(row.stream_id, row.wrapped_key));
    const found = new Set(rows.map((row) => row.stream_id));
    const absent = streamIds.filter((id) => !found.has(id));
    for (const id of absent) this.cache.delete(id);
    return absent;
  }

  /**
   * Seals an event's subject and personal fields with the stream's key, in one encryption: they
   * leave `data` and travel together in `data.$sealed`; the subject column stays empty.
   */
  seal(key: Buffer, streamId: string, type: string, subject: string, data: Record<string, unknown>): { subject: null; data: Record<string, unknown> } {
    const open: Record<string, unknown> = {};
    const personal: Record<string, unknown> = { subject };
    for (const field of Object.keys(data)) {
      if (isSealedField(type, field)) personal[field] = data[field];
      else open[field] = data[field];
    }
    open.$sealed = encryptField(key, JSON.stringify(personal), `${streamId}/personal`);
    return { subject: null, data: open };
  }

  /** Opens sealed fields for projections; events of erased streams come back with those fields removed. */
  async reveal(events: readonly StoredEvent[], queryable: Queryable = this.database): Promise<RevealedEvent[]> {
    const sealedStreams = events.filter((event) => typeof event.data.$sealed === 'string').map((event) => event.streamId);
    const keys = sealedStreams.length ? await this.keysFor(queryable, sealedStreams, false) : new Map<string, Buffer>();
    return events.map((event) => this.open(event, keys));
  }

  /**
   * The committed events at these global positions (or those a query selects), in position order,
   * opened as `reveal` opens them: the events and their streams' keys in one round trip (for a
   * processor that needs records it indexed earlier).
   */
  async revealAt(queryable: Queryable, positions: readonly number[] | PositionSelection): Promise<RevealedEvent[]> {
    if (Array.isArray(positions) && positions.length === 0) return [];
    const selection = 'sql' in positions ? positions : { sql: 'SELECT unnest($1::bigint[]) AS global_position', params: [positions] };
    const { rows } = await queryable.query<EventRow & { wrapped_key: string | null }>(
      prepared(`SELECT ${storedEventColumns('e')}, k.wrapped_key FROM (${selection.sql}) AS selected
       JOIN event_store.events e ON e.global_position = selected.global_position
       LEFT JOIN security.subject_keys k ON k.stream_id = e.stream_id AND e.data ? '$sealed'
       ORDER BY e.global_position`), [...selection.params],
    );
    const keys = new Map<string, Buffer>();
    for (const row of rows) {
      if (row.wrapped_key !== null) keys.set(row.stream_id, this.unwrapCached(row.stream_id, row.wrapped_key));
      else if (typeof row.data.$sealed === 'string') this.cache.delete(row.stream_id);
    }
    return rows.map((row) => this.open(toStoredEvent(row), keys));
  }

  private open(event: StoredEvent, keys: ReadonlyMap<string, Buffer>): RevealedEvent {
    const token = event.data.$sealed;
    if (typeof event.data.$shredded === 'string') {
      const { $shredded: _shredded, ...open } = event.data;
      return { ...event, subject: null, data: open, erased: true };
    }
    if (typeof token !== 'string') return { ...event, erased: false };
    const { $sealed: _sealed, ...open } = event.data;
    const key = keys.get(event.streamId);
    if (!key) return { ...event, subject: null, data: open, erased: true };
    const { subject, ...personal } = JSON.parse(decryptField(key, token, `${event.streamId}/personal`)) as { subject: string } & Record<string, unknown>;
    return { ...event, subject, data: { ...open, ...personal }, erased: false };
  }

  /**
   * Deletes the keys of these streams inside the caller's transaction: their personal fields can
   * never be read again. The tombstones (security.erasures) are written first and the key rows
   * locked, so a writer sealing for one of these streams either commits before (and its events
   * are erased with the rest) or sees the tombstone and never makes a new key. Returns how many
   * keys were deleted.
   */
  async erase(client: Queryable, streamIds: readonly string[], reason: string): Promise<number> {
    const ids = [...new Set(streamIds)].sort();
    if (ids.length === 0) return 0;
    await client.query(
      `INSERT INTO security.erasures (stream_id, reason) SELECT unnest($1::text[]), $2 ON CONFLICT (stream_id) DO NOTHING`,
      [ids, reason],
    );
    await client.query('SELECT stream_id FROM security.subject_keys WHERE stream_id = ANY($1::text[]) ORDER BY stream_id FOR UPDATE', [ids]);
    const { rowCount } = await client.query('DELETE FROM security.subject_keys WHERE stream_id = ANY($1::text[])', [ids]);
    for (const id of ids) this.cache.delete(id);
    return rowCount ?? 0;
  }

  /**
   * Retention: removes the sealed personal fields of single events (the stream's key stays for
   * its younger events), marking them `$shredded` so `reveal` reports them erased. Idempotent:
   * returns how many events still had their token.
   */
  async shredEvents(client: Queryable, globalPositions: readonly number[], reason: string): Promise<number> {
    if (globalPositions.length === 0) return 0;
    const { rowCount } = await client.query(
      `UPDATE event_store.events SET data = (data - '$sealed') || jsonb_build_object('$shredded', $2::text)
       WHERE global_position = ANY($1::bigint[]) AND data ? '$sealed'`,
      [globalPositions, reason],
    );
    return rowCount ?? 0;
  }

  /**
   * Retention, once every event of a stream has been shredded: deletes the stream's key without a
   * tombstone (the person was not erased; a later event gets a new key). The key rows are locked
   * first, so writers holding them have committed; a stream that still has a sealed event keeps its key.
   */
  async dropKeysOfShreddedStreams(client: Queryable, streamIds: readonly string[]): Promise<number> {
    const ids = [...new Set(streamIds)].sort();
    if (ids.length === 0) return 0;
    await client.query('SELECT stream_id FROM security.subject_keys WHERE stream_id = ANY($1::text[]) ORDER BY stream_id FOR UPDATE', [ids]);
    const { rows } = await client.query<{ stream_id: string }>(
      `DELETE FROM security.subject_keys k WHERE k.stream_id = ANY($1::text[])
       AND NOT EXISTS (SELECT 1 FROM event_store.events e WHERE e.stream_id = k.stream_id AND e.data ? '$sealed')
       RETURNING k.stream_id`,
      [ids],
    );
    for (const row of rows) this.cache.delete(row.stream_id);
    return rows.length;
  }

  /** After an erasure elsewhere (another process), forget cached keys. */
  forget(streamIds?: readonly string[]): void {
    if (!streamIds) this.cache.clear();
    else for (const id of streamIds) this.cache.delete(id);
  }

  private unwrapCached(streamId: string, wrapped: string): Buffer {
    const cached = this.cache.get(streamId);
    const key = cached && cached.wrapped === wrapped ? cached.key : unwrapKey(this.masterKey, wrapped, `subject-key:${streamId}`);
    this.cache.set(streamId, { key, wrapped });
    return key;
  }
}

function isSealedField(type: string, field: string): boolean {
  return alwaysSealed.has(field) || (field === 'reason' && freeTextReasonTypes.test(type));
}
