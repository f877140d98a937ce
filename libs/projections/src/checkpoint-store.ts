import type { Queryable } from '@hub/database';
import { type Checkpoint, logStart } from '@hub/event-store';

export async function loadCheckpoint(queryable: Queryable, subscriber: string, lock = false): Promise<Checkpoint> {
  const { rows } = await queryable.query<{ transaction_id: string; global_position: string }>(
    `SELECT transaction_id::text, global_position FROM event_store.checkpoints WHERE subscriber = $1 ${lock ? 'FOR UPDATE' : ''}`,
    [subscriber],
  );
  const row = rows[0];
  return row ? { transactionId: BigInt(row.transaction_id), globalPosition: Number(row.global_position) } : logStart;
}

export async function saveCheckpoint(queryable: Queryable, subscriber: string, checkpoint: Checkpoint): Promise<void> {
  await queryable.query(
    `INSERT INTO event_store.checkpoints (subscriber, transaction_id, global_position, updated_at)
     VALUES ($1, $2::xid8, $3, statement_timestamp())
     ON CONFLICT (subscriber) DO UPDATE SET transaction_id = excluded.transaction_id,
       global_position = excluded.global_position, updated_at = excluded.updated_at`,
    [subscriber, checkpoint.transactionId.toString(), checkpoint.globalPosition],
  );
}

export async function deleteCheckpoint(queryable: Queryable, subscriber: string): Promise<void> {
  await queryable.query('DELETE FROM event_store.checkpoints WHERE subscriber = $1', [subscriber]);
}

export function sameCheckpoint(a: Checkpoint, b: Checkpoint): boolean {
  return a.transactionId === b.transactionId && a.globalPosition === b.globalPosition;
}

/**
 * Moves a subscriber's stored checkpoint from `from` to `to` in one statement, if it is still at
 * `from` (compare-and-set); false when it is not (another runner moved it, or it was never saved).
 * For a read that found none of the subscriber's types: nothing to apply, only the position to keep.
 */
export async function advanceCheckpoint(queryable: Queryable, subscriber: string, from: Checkpoint, to: Checkpoint): Promise<boolean> {
  const { rowCount } = await queryable.query(
    `UPDATE event_store.checkpoints SET transaction_id = $4::xid8, global_position = $5, updated_at = statement_timestamp()
     WHERE subscriber = $1 AND transaction_id = $2::xid8 AND global_position = $3`,
    [subscriber, from.transactionId.toString(), from.globalPosition, to.transactionId.toString(), to.globalPosition],
  );
  return rowCount === 1;
}
