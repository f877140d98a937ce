import type { PoolClient } from 'pg';
import type { Queryable } from '@hub/database';
import type { AppendRequest, NewEvent, StoredEvent } from '@hub/event-store';
import { agencyIdOfSource, isRetractionEventType, retractionEventTypes } from '@hub/kernel';
import type { Projection, ProjectionContext } from '@hub/projections';
import { deterministicId, recordKeyOf, timelineFactTypes } from '@hub/timeline';
import {
  identityEventTypes, identityStreamId, type ModelTrainedData, modelTrainedType, pairEventTypes, pairStreamId, type PersonsMergedData, personsMergedType, reviewDecidedType,
  type ReviewDecidedData, type SubjectAssignedData, subjectAssignedType,
} from './identity.events';
import { decidePartition } from './linking/person-partition.decider';
import { PersonMatcher } from './matching/linking.rules';
import { defaultModel } from './probabilistic/default-model';
import { type PairEvent, PairLinker, type PairLinkerOptions, type PairLinkerVault } from './probabilistic/pair-linker';
import { personRefFrom } from './person-ref';
import { IdentityStore } from './store/identity-store';
import type { KeyCounts, PendingSubject, RecordKeys } from './store/record-index';

export interface IdentityProcessorDependencies {
  /** Opens sealed person blocks; `blind` is the keyed hash of the blocking keys and personRefs. */
  readonly vault: PairLinkerVault & { reveal(events: readonly StoredEvent[], client: Queryable): Promise<StoredEvent[]> };
  readonly matcher?: PersonMatcher;
  /** The probabilistic model and thresholds (issue 8); `false`: exact rules only. Default: `defaultModel`. */
  readonly probabilistic?: PairLinkerOptions | false;
}

/** Facts in a page from which it is a catch-up's page, which looks for stale statistics first (`IdentityStore.analyzeGrown`). */
const catchUpPage = 100;

/** The event that made a subject need a decision: named in the decided events' ids. */
type Trigger = Pick<StoredEvent, 'eventId' | 'globalPosition' | 'recordedAt'>;

/** What a page of facts changed for one subject, and the first event that changed it (the trigger). */
interface Touched {
  readonly trigger: Trigger;
}

/** The subjects a page touched that need a decision, and the model and name keys (with counts) of the subjects it touched. */
interface Indexed {
  readonly needing: Map<string, Touched>;
  readonly counts: KeyCounts;
  /** The subjects `counts` covers. */
  readonly covered: ReadonlySet<string>;
}

/**
 * Links agency subjects into persons as the log grows (SPEC section 5, exact rules). For each page:
 * keeps each record's current version (corrections supersede, retractions remove) with its blocking
 * keys, recomputes the keys of the subjects touched, and for each subject that is new or whose keys
 * changed, decides the persons of its linked closure. In live mode it appends a
 * `hub.identity.subject-assigned.v1` for every subject whose person changes and a
 * `hub.identity.persons-merged.v1` for every person merged into an older one, with ids named by the
 * trigger event, so re-running a page appends duplicates. In rebuild mode it decides nothing: it
 * replays its own events, and remembers the subjects whose facts came after the last decision, which
 * its `tick` (or the first live page) then decides.
 */
export class IdentityProcessor implements Projection {
  readonly name: string = 'identity';
  readonly version = 2;
  readonly eventTypes: readonly string[] = [...timelineFactTypes, ...retractionEventTypes, ...identityEventTypes];
  private readonly matcher: PersonMatcher;
  private readonly pairs: PairLinker | undefined;

  constructor(private readonly deps: IdentityProcessorDependencies) {
    this.matcher = deps.matcher ?? new PersonMatcher();
    this.pairs = deps.probabilistic === false ? undefined
      : new PairLinker(deps.probabilistic ?? { model: defaultModel }, this.matcher, { revealAt: (c, p) => deps.vault.revealAt(c, p), blind: (v) => deps.vault.blind(v) });
  }

  async install(client: PoolClient, schema: string): Promise<void> {
    await IdentityStore.install(client, schema);
  }

  async apply(events: readonly StoredEvent[], context: ProjectionContext): Promise<void> {
    const store = new IdentityStore(context.client, context.schema);
    if (context.mode === 'rebuild') {
      await this.replay(store, events, context.client);
      return;
    }
    const last = events[events.length - 1]!;
    const facts = events.filter((e) => !isIdentityEvent(e));
    // A page of a catch-up (not one new event: linking it stays a few round trips) first keeps the planner's statistics up.
    if (facts.length >= catchUpPage) await store.analyzeGrown();
    const indexed = facts.length > 0 ? await this.index(store, facts, context.client, { takePending: true }) : undefined;
    const needing = indexed?.needing ?? new Map<string, Touched>();
    for (const event of events.filter((e) => e.type === modelTrainedType)) await store.pairs.saveModel((event.data as unknown as ModelTrainedData).model);
    // A reviewer's decision (appended by a command): the pair's subjects are decided again, with the decision as trigger.
    const reviewed = events.filter((e) => e.type === reviewDecidedType);
    for (const event of reviewed) {
      const pair = await store.pairs.pair((event.data as unknown as ReviewDecidedData).pairId);
      if (!pair) continue;
      await store.pairs.recordPairs([event]);
      for (const stream of [pair.a, pair.b]) if (!needing.has(stream)) needing.set(stream, { trigger: event });
    }
    // Subjects replayed (rebuild) after the last decision the log holds are decided now.
    for (const { stream, trigger } of indexed ? indexed.pending : await store.records.takePending()) if (!needing.has(stream)) needing.set(stream, { trigger });
    await this.decideAndAppend(store, needing, last.globalPosition, context, indexed);
  }

  /** After a rebuild, the subjects no decision covers yet are decided without waiting for the next event. */
  async tick(context: ProjectionContext): Promise<void> {
    const store = new IdentityStore(context.client, context.schema);
    const pending = await store.records.takePending();
    if (pending.length === 0) return;
    const needing = new Map(pending.map(({ stream, trigger }) => [stream, { trigger }]));
    await this.decideAndAppend(store, needing, Math.max(...pending.map((p) => p.trigger.globalPosition)), context);
  }

  private async decideAndAppend(store: IdentityStore, needing: ReadonlyMap<string, Touched>, decidedThrough: number, context: ProjectionContext, indexed?: Indexed): Promise<void> {
    if (needing.size === 0) return;
    const decided = await this.decide(store, needing, decidedThrough, context.client, indexed);
    if (decided.length > 0) await context.append(decided.map(toAppendRequest));
  }

  /** Rebuild: the persons come from the log's own identity events; facts only refresh the keys. */
  private async replay(store: IdentityStore, events: readonly StoredEvent[], client: Queryable): Promise<void> {
    let facts: StoredEvent[] = [];
    let decisions: StoredEvent[] = [];
    const flushFacts = async () => {
      if (facts.length === 0) return;
      const { needing } = await this.index(store, facts, client, { takePending: false });
      await store.records.markPending([...needing].map(([stream, { trigger }]) => ({ stream, trigger })));
      facts = [];
    };
    const flushDecisions = async () => {
      if (decisions.length === 0) return;
      await store.pairs.recordPairs(decisions.filter((e) => isPairEvent(e) || e.type === reviewDecidedType));
      for (const event of decisions.filter((e) => e.type === modelTrainedType)) await store.pairs.saveModel((event.data as unknown as ModelTrainedData).model);
      await store.persons.record(decisions.filter((e) => e.type === subjectAssignedType || e.type === personsMergedType).map((e) => (e.type === subjectAssignedType
        ? { type: 'assigned' as const, data: e.data as unknown as SubjectAssignedData }
        : { type: 'merged' as const, data: e.data as unknown as PersonsMergedData })));
      const through = Math.max(...decisions.map((e) => Number((e.metadata as { decidedThrough?: unknown }).decidedThrough)).filter(Number.isFinite));
      if (Number.isFinite(through)) await store.records.clearPendingThrough(through);
      decisions = [];
    };
    for (const event of events) {
      if (isIdentityEvent(event)) {
        await flushFacts();
        decisions.push(event);
      } else {
        await flushDecisions();
        facts.push(event);
      }
    }
    await flushFacts();
    await flushDecisions();
  }

  /**
   * Stores the current versions and retractions of a page of facts, refreshes the keys of the
   * subjects they touch, and returns the subjects that need a decision: new ones and those whose keys
   * changed, each with the first event that touched it. Round trips: opening the facts, the versions
   * (with the pending subjects in live mode), the keys.
   */
  private async index(store: IdentityStore, facts: readonly StoredEvent[], client: Queryable, options: { readonly takePending: boolean }): Promise<Indexed & { pending: PendingSubject[] }> {
    const revealed = await this.deps.vault.reveal(facts.filter((e) => !isRetractionEventType(e.type)), client);
    const opened = new Map(revealed.map((e) => [e.globalPosition, e]));
    const triggers = new Map<string, Trigger>();
    const touch = (stream: string, event: Trigger) => {
      if (!triggers.has(stream)) triggers.set(stream, event);
    };
    const versions = new Map<string, RecordKeys>();
    const versionEvents = new Map<string, StoredEvent>();
    const retracted = new Map<string, StoredEvent>();
    const factStreams = new Set<string>();
    for (const event of facts) {
      const provider = agencyIdOfSource(event.source);
      const data = (opened.get(event.globalPosition) ?? event).data as Record<string, unknown>;
      if (!provider) continue;
      if (isRetractionEventType(event.type)) {
        if (typeof data.retractedType === 'string' && typeof data.retractedRecordId === 'string') {
          retracted.set(this.blindRecordKey(provider, data.retractedType, data.retractedRecordId), event);
        }
        continue;
      }
      if (typeof data.recordId !== 'string') continue;
      touch(event.streamId, event);
      factStreams.add(event.streamId);
      const version: RecordKeys = {
        recordKey: this.blindRecordKey(provider, event.type, data.recordId), streamId: event.streamId, time: new Date(event.occurredAt).toISOString(),
        position: event.globalPosition,
        keys: [...this.matcher.keysOf(data.person, (value) => this.deps.vault.blind(value)), ...(this.pairs?.keysOf(data.person) ?? [])],
      };
      const held = versions.get(version.recordKey);
      if (!held || laterVersion(version, held)) {
        versions.set(version.recordKey, version);
        versionEvents.set(version.recordKey, event);
      }
    }
    // A correction can move a record to another subject, and a retraction removes it: its subject (before the page) is touched too.
    const { heldBy, pending } = await store.records.upsertVersions([...versions.values()], [...retracted.keys()], options);
    for (const [recordKey, stream] of heldBy) touch(stream, versionEvents.get(recordKey) ?? retracted.get(recordKey)!);
    const streams = [...triggers.keys()];
    const { changed, unassigned, counts } = await store.records.refreshKeys(streams, [...factStreams]);
    const needing = new Map<string, Touched>();
    for (const [stream, trigger] of [...triggers].sort(([, a], [, b]) => a.globalPosition - b.globalPosition)) {
      if (changed.has(stream) || unassigned.has(stream)) needing.set(stream, { trigger });
    }
    return { needing, counts, covered: new Set(streams), pending };
  }

  /** The model and name keys (with counts) of these subjects: from the page's index where it covers them, else read. */
  private async countsOf(store: IdentityStore, streams: readonly string[], indexed?: Indexed): Promise<KeyCounts> {
    const missing = streams.filter((stream) => !indexed?.covered.has(stream));
    if (missing.length === 0 && indexed) return indexed.counts;
    const read = await store.records.countedKeysOf(missing);
    return { keys: new Map([...(indexed?.counts.keys ?? []), ...read.keys]), subjects: read.subjects };
  }

  /** Agencies' record ids may embed identifiers: the tables keep only a blind index of the record key. */
  private blindRecordKey(provider: string, type: string, recordId: string): string {
    return this.deps.vault.blind(`record|${recordKeyOf(provider, type, recordId)}`);
  }

  /**
   * Decides the persons of the linked closure of the subjects that changed, all at once; records
   * and returns the events to append. Each person's events are named by its earliest trigger.
   */
  private async decide(store: IdentityStore, needing: ReadonlyMap<string, Touched>, decidedThrough: number, client: Queryable, indexed?: Indexed): Promise<NewEvent[]> {
    const pairEvents: PairEvent[] = this.pairs ? await this.pairs.score(store, [...needing.keys()], await this.countsOf(store, [...needing.keys()], indexed), client) : [];
    await store.pairs.recordPairs(pairEvents);
    const closure = await store.persons.closure([...needing.keys()], (a, b) => this.matcher.decide(a, b));
    const earliest = [...needing.values()].map((t) => t.trigger).reduce((a, b) => (b.globalPosition < a.globalPosition ? b : a));
    const triggerOf = (stream: string): Trigger => needing.get(stream)?.trigger ?? earliest;
    const decision = decidePartition({
      ...closure,
      personOrder: closure.personOrder,
      newPersonRef: (stream) => personRefFrom(this.deps.vault.blind(`person-ref|${triggerOf(stream).eventId}|${stream}`)),
    });
    const causeOf = new Map<string, Trigger>();
    for (const person of decision.persons) {
      const triggers = person.subjects.filter((s) => needing.has(s)).map(triggerOf);
      const cause = triggers.length > 0 ? triggers.reduce((a, b) => (b.globalPosition < a.globalPosition ? b : a)) : earliest;
      for (const subject of person.subjects) causeOf.set(subject, cause);
      causeOf.set(person.personRef, cause);
    }
    await store.persons.record([
      ...decision.merges.map((data) => ({ type: 'merged' as const, data })),
      ...decision.assignments.map((data) => ({ type: 'assigned' as const, data })),
    ]);
    const event = (type: string, name: string, cause: Trigger, data: SubjectAssignedData | PersonsMergedData): NewEvent => ({
      eventId: deterministicId(type, cause.eventId, name), type, source: 'hub', subject: null,
      occurredAt: new Date(cause.recordedAt).toISOString(), data, metadata: { decidedBy: 'identity', decidedThrough, trigger: cause.eventId },
    });
    const pairEvent = ({ type, data }: PairEvent): NewEvent => {
      const cause = needing.get(data.subjects[0])?.trigger ?? needing.get(data.subjects[1])?.trigger ?? earliest;
      return {
        eventId: deterministicId(type, cause.eventId, data.pairId), type, source: 'hub', subject: null,
        occurredAt: new Date(cause.recordedAt).toISOString(), data, metadata: { decidedBy: 'identity', decidedThrough, trigger: cause.eventId },
      };
    };
    return [
      ...pairEvents.map(pairEvent),
      ...decision.merges.map((data) => event(personsMergedType, data.mergedPersonRef, causeOf.get(data.survivingPersonRef)!, data)),
      ...decision.assignments.map((data) => event(subjectAssignedType, data.subjectStream, causeOf.get(data.subjectStream)!, data)),
    ];
  }
}

function isIdentityEvent(event: StoredEvent): boolean {
  return (identityEventTypes as readonly string[]).includes(event.type);
}

function laterVersion(a: RecordKeys, b: RecordKeys): boolean {
  const [ta, tb] = [Date.parse(a.time), Date.parse(b.time)];
  return ta !== tb ? ta > tb : a.position > b.position;
}

function isPairEvent(event: StoredEvent): boolean {
  return (pairEventTypes as readonly string[]).includes(event.type);
}

function toAppendRequest(event: NewEvent): AppendRequest {
  if ((pairEventTypes as readonly string[]).includes(event.type)) {
    return { streamId: pairStreamId((event.data as { pairId: string }).pairId), expectedVersion: 'any', events: [event] };
  }
  const data = event.data as { personRef?: string; survivingPersonRef?: string };
  return { streamId: identityStreamId(data.personRef ?? data.survivingPersonRef!), expectedVersion: 'any', events: [event] };
}
