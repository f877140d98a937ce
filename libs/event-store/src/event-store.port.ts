import type { Checkpoint, StoredEvent } from './stored-event';

/** `any`: no check; `no-stream`: the stream must be empty; a number: its current version must equal it. */
export type ExpectedVersion = 'any' | 'no-stream' | number;

export interface NewEvent {
  readonly eventId: string;
  readonly type: string;
  readonly source: string;
  readonly subject?: string | null;
  readonly occurredAt: string;
  readonly data: unknown;
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** Hash of the canonical content, for telling duplicates from reused ids; computed when absent. */
  readonly contentHash?: string;
}

export interface AppendRequest {
  readonly streamId: string;
  readonly expectedVersion: ExpectedVersion;
  readonly events: readonly NewEvent[];
}

export type AppendOutcome =
  | { readonly eventId: string; readonly status: 'appended'; readonly streamId: string; readonly streamPosition: number; readonly globalPosition: number }
  | { readonly eventId: string; readonly status: 'duplicate' }
  | { readonly eventId: string; readonly status: 'id-reused' };

export interface ReadOptions {
  readonly limit?: number;
  /** Only these types (the subscriber still advances past the others). */
  readonly types?: readonly string[];
}

export interface ReadPage {
  readonly events: readonly StoredEvent[];
  /** Where the next read continues; past skipped (filtered) events too. */
  readonly next: Checkpoint;
}

export interface EventStore {
  /**
   * Appends to several streams in one transaction. Ids already in the store are not stored again:
   * equal content is a `duplicate`, different content `id-reused`. A wrong expected version fails
   * the whole call with WrongExpectedVersionError.
   */
  append(requests: readonly AppendRequest[]): Promise<readonly AppendOutcome[]>;
  readStream(streamId: string, fromPosition?: number): Promise<readonly StoredEvent[]>;
  /** The log in order after `after`, gap-free under concurrent writers. */
  readAll(after: Checkpoint, options?: ReadOptions): Promise<ReadPage>;
  /** The content hashes of ids the store already holds. */
  existingHashes(eventIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /** The newest checkpoint any subscriber will reach once in-flight appends have committed. */
  head(): Promise<Checkpoint>;
}

export const EVENT_STORE = Symbol('EventStore');

export class WrongExpectedVersionError extends Error {
  readonly code = 'EVENT_STORE.WRONG_EXPECTED_VERSION';
  constructor(readonly streamId: string, readonly expected: ExpectedVersion, readonly actual: number) {
    super(`Wrong expected version: ${String(expected)} (stream ${streamId}, at ${actual})`);
    this.name = 'WrongExpectedVersionError';
  }
}
