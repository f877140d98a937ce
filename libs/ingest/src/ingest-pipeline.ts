import { join } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { PoolClient } from 'pg';
import type { ContractRegistry } from '@hub/contracts';
import { type Database, installSql } from '@hub/database';
import { type AppendOptions, type AppendRequest, contentHashOf, type NewEvent, type PostgresEventStore } from '@hub/event-store';
import { type Clock, type CloudEvent, describeValue, londonDateOf } from '@hub/kernel';
import type { PersonalDataVault } from '@hub/security';
import type { AreaDirectoryRepository } from '@hub/sharing';
import { checkEvent, maxNestingDepth, nestingDepth } from './check-event';
import { findUnstorableText, type UnstorableText } from './unstorable-text';
import type { IngestContext, IngestInput, IngestOutcome } from './ingest-outcome';

export const ingestSqlFolder = join(__dirname, '..', 'sql');

type Pending = { readonly index: number; readonly streamId: string; readonly event: NewEvent };

/** A batch checked and ready to write. */
export interface PreparedBatch {
  readonly inputs: readonly IngestInput[];
  readonly context: IngestContext;
  readonly stored: ReadonlyMap<string, string>;
  readonly outcomes: readonly IngestOutcome[];
  readonly pending: readonly Pending[];
  /** The configured area's id, for what `withinTransaction` writes. */
  readonly areaId: string | undefined;
}

/**
 * Checks each event of a batch on its own, then appends the accepted ones in one transaction.
 * The id is checked before anything else: an id the store holds with equal content is a
 * duplicate, with other content ID_REUSED. Only accepted events claim their id.
 */
export class IngestPipeline {
  constructor(
    private readonly database: Database,
    private readonly store: PostgresEventStore,
    private readonly contracts: ContractRegistry,
    private readonly directories: AreaDirectoryRepository,
    private readonly vault: PersonalDataVault,
    private readonly clock: Clock,
  ) {}

  static async install(database: Database): Promise<void> {
    await installSql(database, [ingestSqlFolder]);
  }

  async ingest(inputs: readonly IngestInput[], context: IngestContext): Promise<IngestOutcome[]> {
    return this.commit(await this.prepare(inputs, context));
  }

  /**
   * Ingests batches in order, checking batch N+1 while batch N is being written (the checks need
   * no locks), so the CPU work hides behind the database's. The log keeps the batches' order.
   */
  async ingestBatches(batches: AsyncIterable<readonly IngestInput[]> | Iterable<readonly IngestInput[]>, context: IngestContext, onOutcomes: (outcomes: IngestOutcome[]) => void | Promise<void>): Promise<void> {
    let writing: Promise<void> = Promise.resolve();
    for await (const inputs of batches) {
      const prepared = await this.prepare(inputs, context);
      await writing;
      writing = this.commit(prepared).then(onOutcomes);
    }
    await writing;
  }

  /** Everything but the write: id lookup, contract, source, caller, agreements. */
  async prepare(inputs: readonly IngestInput[], context: IngestContext): Promise<PreparedBatch> {
    const directory = await this.directories.current();
    const deps = { contracts: this.contracts, directory, arrivalDate: londonDateOf(this.clock.now()), permissions: new Map() };
    // Before anything walks the document recursively: deeper input would only exhaust the stack.
    const tooDeep: boolean[] = [];
    const unstorable: (UnstorableText | undefined)[] = [];
    await inSlices(inputs, (input, index) => {
      tooDeep[index] = input.kind === 'parsed' && nestingDepth(input.value, maxNestingDepth) > maxNestingDepth;
      unstorable[index] = input.kind === 'parsed' && !tooDeep[index] ? findUnstorableText(input.value) : undefined;
    });
    const lookUp = inputs.flatMap((input, index) => (!tooDeep[index] && unstorable[index] === undefined && idOf(input) ? [idOf(input)!] : []));
    const stored = await this.store.existingHashes(lookUp);
    const claimedInBatch = new Map<string, string>();
    const outcomes: IngestOutcome[] = [];
    const pending: Pending[] = [];

    await inSlices(inputs, (input, index) => {
      if (input.kind === 'unparseable') {
        outcomes.push({ status: 'rejected', id: null, code: 'SCHEMA_INVALID', pointer: '', message: `(document): not valid JSON: ${input.error}` });
        return;
      }
      if (tooDeep[index]) {
        outcomes.push({ status: 'rejected', id: null, code: 'SCHEMA_INVALID', pointer: '', message: `(document): nested more than ${maxNestingDepth} levels deep; the limit is ${maxNestingDepth}` });
        return;
      }
      const text = unstorable[index];
      if (text) {
        outcomes.push({ status: 'rejected', id: null, code: 'SCHEMA_INVALID', pointer: text.pointer, message: `${text.pointer || '(document)'}: ${text.problem}, which is not allowed in text` });
        return;
      }
      const id = idOf(input);
      const hash = id === undefined ? '' : contentHashOf(input.value);
      const claimed = id === undefined ? undefined : stored.get(id) ?? claimedInBatch.get(id);
      if (id !== undefined && claimed !== undefined) {
        outcomes.push(claimed === hash ? { status: 'duplicate', id } : idReused(id));
        return;
      }
      const checked = checkEvent(input.value, deps, context.publisher);
      if (!checked.ok) {
        outcomes.push({ status: 'rejected', id: id ?? null, ...checked.rejection });
        return;
      }
      claimedInBatch.set(checked.event.id, hash);
      outcomes.push({ status: 'accepted', id: checked.event.id, globalPosition: 0 });
      pending.push({ index, streamId: this.vault.streamIdFor(checked.agency.id, checked.event.subject), event: toNewEvent(checked.event, hash, context) });
    });
    return { inputs, context, stored, outcomes, pending, areaId: directory.area?.id };
  }

  /** Seals and appends the accepted events and records the rejections, in one transaction. */
  async commit(batch: PreparedBatch): Promise<IngestOutcome[]> {
    const outcomes = [...batch.outcomes];
    await this.database.transaction(async (client, attempt) => {
      // The first attempt reuses the lookup made in prepare; a retry (an id claimed concurrently) looks again.
      await this.appendPending(client, batch.pending, outcomes, attempt === 1 ? { knownHashes: batch.stored } : {});
      await recordRejections(client, batch.inputs, outcomes, batch.context);
      await batch.context.withinTransaction?.(client, { outcomes, areaId: batch.areaId });
    }, 10);
    return outcomes;
  }

  private async appendPending(client: PoolClient, pending: readonly Pending[], outcomes: IngestOutcome[], options: AppendOptions): Promise<void> {
    if (pending.length === 0) return;
    const byStream = new Map<string, Pending[]>();
    for (const item of pending) {
      const items = byStream.get(item.streamId);
      if (items) items.push(item);
      else byStream.set(item.streamId, [item]);
    }
    // The streams are locked first: their versions tell which are new, and a new stream's key is
    // made without looking for it (one stream, one writer at a time: never made twice).
    const versions = await this.store.lockStreams(client, [...byStream.keys()]);
    const newStreams = new Set([...versions].filter(([, version]) => version === 0).map(([streamId]) => streamId));
    // Personal fields are sealed with the subject's key before they reach the log.
    const keys = await this.vault.keysFor(client, [...byStream.keys()], true, newStreams);
    const requests: AppendRequest[] = [...byStream].map(([streamId, items]) => ({
      streamId,
      expectedVersion: 'any',
      events: items.map(({ event }) => {
        const sealed = this.vault.seal(keys.get(streamId)!, streamId, event.type, event.subject!, event.data as Record<string, unknown>);
        return { ...event, subject: sealed.subject, data: sealed.data };
      }),
    }));
    const appended = await this.store.appendIn(client, requests, { ...options, lockedVersions: versions });
    const order = [...byStream.values()].flat();
    appended.forEach((result, i) => {
      const { index } = order[i]!;
      // A concurrent writer may have claimed the id since we looked.
      if (result.status === 'appended') outcomes[index] = { status: 'accepted', id: result.eventId, globalPosition: result.globalPosition };
      else if (result.status === 'duplicate') outcomes[index] = { status: 'duplicate', id: result.eventId };
      else outcomes[index] = idReused(result.eventId);
    });
  }
}

/**
 * Runs `work` on each input in slices, letting the event loop run between them: the checks of the
 * next batch run while this one is written (`ingestBatches`), and a slice at a time they never hold
 * up the writer's next statement for long.
 */
async function inSlices(inputs: readonly IngestInput[], work: (input: IngestInput, index: number) => void): Promise<void> {
  const slice = 100;
  for (let start = 0; start < inputs.length; start += slice) {
    if (start > 0) await yieldToEventLoop();
    for (let index = start; index < Math.min(start + slice, inputs.length); index++) work(inputs[index]!, index);
  }
}

function idOf(input: IngestInput): string | undefined {
  if (input.kind !== 'parsed' || typeof input.value !== 'object' || input.value === null) return undefined;
  const id = (input.value as { id?: unknown }).id;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

function idReused(id: string): IngestOutcome {
  return { status: 'rejected', id, code: 'ID_REUSED', pointer: '/id', message: `/id: ${describeValue(id)} was already used for an event with different content` };
}

function toNewEvent(event: CloudEvent, contentHash: string, context: IngestContext): NewEvent {
  const { specversion, id, source, type, subject, time, datacontenttype, data, ...extensions } = event;
  return {
    eventId: id, type, source, subject, occurredAt: time, data, contentHash,
    metadata: { specversion, datacontenttype: datacontenttype ?? 'application/json', channel: context.channel, ...(Object.keys(extensions).length ? { extensions } : {}) },
  };
}

async function recordRejections(client: PoolClient, inputs: readonly IngestInput[], outcomes: readonly IngestOutcome[], context: IngestContext): Promise<void> {
  const rows = outcomes.flatMap((outcome, index) => {
    if (outcome.status !== 'rejected') return [];
    const value = inputs[index]?.kind === 'parsed' ? (inputs[index] as { value: unknown }).value : undefined;
    const envelope = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
    const source = typeof envelope.source === 'string' ? envelope.source.replace(/^agency:/, '') : null;
    return [[context.channel, context.publisher ?? source, outcome.id, typeof envelope.type === 'string' ? envelope.type : null, outcome.code, outcome.pointer ?? null]];
  });
  if (rows.length === 0) return;
  const columns = ['channel', 'agency_id', 'event_id', 'event_type', 'code', 'pointer'];
  await client.query(
    `INSERT INTO ingest.rejections (${columns.join(', ')})
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`,
    columns.map((_, c) => rows.map((row) => truncate(row[c] ?? null))),
  );
}

function truncate(value: string | null): string | null {
  return value === null ? null : value.replace(/\u0000/g, '').slice(0, 200);
}
