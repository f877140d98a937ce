/** An event as the store holds it: the producer's facts plus where and when the store put it. */
export interface StoredEvent<TData = Record<string, unknown>> {
  readonly globalPosition: number;
  readonly transactionId: bigint;
  readonly eventId: string;
  readonly streamId: string;
  readonly streamPosition: number;
  readonly type: string;
  readonly source: string;
  readonly subject: string | null;
  /** Business or producer time (CloudEvents `time`), ISO 8601. */
  readonly occurredAt: string;
  /** Arrival: when the store recorded it, ISO 8601. */
  readonly recordedAt: string;
  readonly data: TData;
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** A position in the log, `(transaction id, global position)`; reads continue strictly after it. */
export interface Checkpoint {
  readonly transactionId: bigint;
  readonly globalPosition: number;
}

export const logStart: Checkpoint = { transactionId: 0n, globalPosition: 0 };

export function compareCheckpoints(a: Checkpoint, b: Checkpoint): number {
  if (a.transactionId !== b.transactionId) return a.transactionId < b.transactionId ? -1 : 1;
  return a.globalPosition - b.globalPosition;
}

export function checkpointOf(event: StoredEvent): Checkpoint {
  return { transactionId: event.transactionId, globalPosition: event.globalPosition };
}
