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
