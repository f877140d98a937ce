import type { PoolClient } from 'pg';
import type { RejectionCode } from '@hub/kernel';

export type IngestChannel = 'http' | 'cli' | 'kafka';

export interface IngestContext {
  readonly channel: IngestChannel;
  /** The agency the caller authenticated as (HTTP) or whose topic carried the event (Kafka); absent for the operator's CLI. */
  readonly publisher?: string;
  /**
   * Runs inside the batch's transaction, after the appends and rejection records: writes that
   * must commit with the batch or not at all (the Kafka consumer's receipts into the outbox).
   */
  readonly withinTransaction?: (client: PoolClient, batch: IngestedBatch) => Promise<void>;
}

/** What `withinTransaction` sees: each input's outcome, in input order, and the area. */
export interface IngestedBatch {
  readonly outcomes: readonly IngestOutcome[];
  /** The configured area's id; undefined before `hub init`. */
  readonly areaId: string | undefined;
}

/** One input of a batch: a parsed JSON value, or a line that was not JSON. */
export type IngestInput = { readonly kind: 'parsed'; readonly value: unknown } | { readonly kind: 'unparseable'; readonly error: string };

export type IngestOutcome =
  | { readonly status: 'accepted'; readonly id: string; readonly globalPosition: number }
  | { readonly status: 'duplicate'; readonly id: string }
  | { readonly status: 'rejected'; readonly id: string | null; readonly code: RejectionCode; readonly message: string; readonly pointer?: string };

export interface IngestSummary {
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
}

export function summarise(outcomes: readonly IngestOutcome[]): IngestSummary {
  let accepted = 0;
  let duplicates = 0;
  let rejected = 0;
  for (const outcome of outcomes) {
    if (outcome.status === 'accepted') accepted++;
    else if (outcome.status === 'duplicate') duplicates++;
    else rejected++;
  }
  return { accepted, duplicates, rejected };
}
