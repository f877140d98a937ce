import type { PoolClient } from 'pg';
import type { AppendOutcome, AppendRequest, StoredEvent } from '@hub/event-store';
import type { CopyValue } from './bulk-copy';

/**
 * `live`: following the log as it grows; processors may decide and append events.
 * `rebuild`: replaying history into fresh tables; decisions are already in the log, so nothing is appended.
 */
export type ProjectionMode = 'live' | 'rebuild';

export interface ProjectionContext {
  readonly client: PoolClient;
  /** The PostgreSQL schema holding this generation's tables; qualify every table with it. */
  readonly schema: string;
  readonly mode: ProjectionMode;
  /** The hub's clock, for processors that act on time (never for evolving state). */
  readonly now: Date;
  /** Appends hub events in the same transaction as the read-model change and checkpoint. */
  append(requests: readonly AppendRequest[]): Promise<readonly AppendOutcome[]>;
}

/** A read model kept from the log: installs its tables, then applies pages of events in log order. */
export interface Projection {
  readonly name: string;
  /** Bump when the tables' shape or meaning changes: a new version rebuilds from the log. */
  readonly version: number;
  /** Types this projection reads; absent means all. */
  readonly eventTypes?: readonly string[];
  install(client: PoolClient, schema: string): Promise<void>;
  apply(events: readonly StoredEvent[], context: ProjectionContext): Promise<void>;
  /** Optional periodic work from the hub's clock (e.g. time-based alerts), in its own transaction. */
  tick?(context: ProjectionContext): Promise<void>;
  /**
   * Optional faster rebuild (`bulk-rebuild.ts`): folds the log in large pages and writes its rows in
   * bulk, leaving the tables exactly as `apply` in rebuild mode would.
   */
  bulkRebuild?(context: BulkRebuildContext): BulkRebuild;
}

/** What a bulk rebuild writes with: its own transaction's client, the new generation's schema, COPY. */
export interface BulkRebuildContext {
  readonly client: PoolClient;
  readonly schema: string;
  /** Appends rows to `${schema}.${table}` with COPY FROM STDIN. */
  copy(table: string, columns: readonly string[], rows: Iterable<readonly CopyValue[]>): Promise<number>;
}

/**
 * A rebuild that folds pages of the log and writes rows in bulk into tables without their secondary
 * indexes; memory stays bounded by writing finished rows as it goes.
 */
export interface BulkRebuild {
  /** The next page of the log (its types only, in log order). */
  apply(events: readonly StoredEvent[]): Promise<void>;
  /** Writes what the fold still holds; the secondary indexes are built after this. */
  finish(): Promise<void>;
  /** Rows derived from the loaded tables (read back through their indexes), written last. */
  derive?(): Promise<void>;
}

export const PROJECTIONS = Symbol('Projections');
