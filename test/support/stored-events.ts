import type { Queryable } from '@hub/database';

export interface StoredRow {
  readonly event_id: string;
  readonly stream_id: string;
  readonly stream_position: number;
  readonly type: string;
  readonly source: string;
  readonly occurred_at: string;
  readonly content_hash: string;
}

/** The agency events in a hub's store, as comparable rows (sealed payloads differ by nonce; content hashes do not). */
export async function storedAgencyEvents(db: Queryable): Promise<StoredRow[]> {
  const { rows } = await db.query<StoredRow>(
    `SELECT event_id, stream_id, stream_position, type, source, occurred_at::text, content_hash
     FROM event_store.events WHERE source LIKE 'agency:%' ORDER BY event_id`,
  );
  return rows;
}

export async function countAgencyEvents(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM event_store.events WHERE source LIKE 'agency:%'`);
  return Number(rows[0]!.n);
}
