import type { PoolClient } from 'pg';
import type { AppendOutcome, AppendRequest, StoredEvent } from '@hub/event-store';

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
}

export const PROJECTIONS = Symbol('Projections');
