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
import { type PairEvent, PairLinker, type PairLinkerOptions } from './probabilistic/pair-linker';
import { personRefFrom } from './person-ref';
import { IdentityStore, type RecordKeys } from './store/identity-store';

export interface IdentityProcessorDependencies {
  /** Opens sealed person blocks; `blind` is the keyed hash of the blocking keys and personRefs. */
  readonly vault: {
    reveal(events: readonly StoredEvent[], client: Queryable): Promise<StoredEvent[]>;
    blind(normalisedValue: string): string;
  };
  readonly matcher?: PersonMatcher;
  /** The probabilistic model and thresholds (issue 8); `false`: exact rules only. Default: `defaultModel`. */
  readonly probabilistic?: PairLinkerOptions | false;
}

/** The event that made a subject need a decision: named in the decided events' ids. */
type Trigger = Pick<StoredEvent, 'eventId' | 'globalPosition' | 'recordedAt'>;

/** What a page of facts changed for one subject, and the first event that changed it (the trigger). */
interface Touched {
  readonly trigger: Trigger;
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
  readonly version = 1;
  readonly eventTypes: readonly string[] = [...timelineFactTypes, ...retractionEventTypes, ...identityEventTypes];
  private readonly matcher: PersonMatcher;
  private readonly pairs: PairLinker | undefined;

  constructor(private readonly deps: IdentityProcessorDependencies) {
    this.matcher = deps.matcher ?? new PersonMatcher();
    this.pairs = deps.probabilistic === false ? undefined
      : new PairLinker(deps.probabilistic ?? { model: defaultModel }, this.matcher, { reveal: (e, c) => deps.vault.reveal(e, c), blind: (v) => deps.vault.blind(v) });
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
    const needing = await this.index(store, events.filter((e) => !isIdentityEvent(e)), context.client);
    for (const event of events.filter((e) => e.type === modelTrainedType)) await store.saveModel((event.data as unknown as ModelTrainedData).model);
    // A reviewer's decision (appended by a command): the pair's subjects are decided again, with the decision as trigger.
    const reviewed = events.filter((e) => e.type === reviewDecidedType);
    for (const event of reviewed) {
      const pair = await store.pair((event.data as unknown as ReviewDecidedData).pairId);
      if (!pair) continue;
      await store.recordPairs([event]);
      for (const stream of [pair.a, pair.b]) if (!needing.has(stream)) needing.set(stream, { trigger: event });
    }
    // Subjects replayed (rebuild) after the last decision the log holds are decided now.
    for (const { stream, trigger } of await store.takePending()) if (!needing.has(stream)) needing.set(stream, { trigger });
    await this.decideAndAppend(store, needing, last.globalPosition, context);
  }

  /** After a rebuild, the subjects no decision covers yet are decided without waiting for the next event. */
  async tick(context: ProjectionContext): Promise<void> {
    const store = new IdentityStore(context.client, context.schema);
    const pending = await store.takePending();
    if (pending.length === 0) return;
    const needing = new Map(pending.map(({ stream, trigger }) => [stream, { trigger }]));
    await this.decideAndAppend(store, needing, Math.max(...pending.map((p) => p.trigger.globalPosition)), context);
  }

  private async decideAndAppend(store: IdentityStore, needing: ReadonlyMap<string, Touched>, decidedThrough: number, context: ProjectionContext): Promise<void> {
    if (needing.size === 0) return;
    const decided = await this.decide(store, needing, decidedThrough, context.client);
    if (decided.length > 0) await context.append(decided.map(toAppendRequest));
  }

  /** Rebuild: the persons come from the log's own identity events; facts only refresh the keys. */
  private async replay(store: IdentityStore, events: readonly StoredEvent[], client: Queryable): Promise<void> {
    let facts: StoredEvent[] = [];
    let decisions: StoredEvent[] = [];
    const flushFacts = async () => {
      if (facts.length === 0) return;
      const needing = await this.index(store, facts, client);
      await store.markPending([...needing].map(([stream, { trigger }]) => ({ stream, trigger })));
      facts = [];
    };
    const flushDecisions = async () => {
      if (decisions.length === 0) return;
      await store.recordPairs(decisions.filter((e) => isPairEvent(e) || e.type === reviewDecidedType));
      for (const event of decisions.filter((e) => e.type === modelTrainedType)) await store.saveModel((event.data as unknown as ModelTrainedData).model);
      await store.record(decisions.filter((e) => e.type === subjectAssignedType || e.type === personsMergedType).map((e) => (e.type === subjectAssignedType
        ? { type: 'assigned' as const, data: e.data as unknown as SubjectAssignedData }
        : { type: 'merged' as const, data: e.data as unknown as PersonsMergedData })));
      const through = Math.max(...decisions.map((e) => Number((e.metadata as { decidedThrough?: unknown }).decidedThrough)).filter(Number.isFinite));
      if (Number.isFinite(through)) await store.clearPendingThrough(through);
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
   * changed, each with the first event that touched it.
   */
  private async index(store: IdentityStore, facts: readonly StoredEvent[], client: Queryable): Promise<Map<string, Touched>> {
    if (facts.length === 0) return new Map();
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
    // A correction can move a record to another subject, and a retraction removes it: its subject now is touched too.
    const heldBy = await store.streamsOfRecords([...versions.keys(), ...retracted.keys()]);
    for (const [recordKey, stream] of heldBy) touch(stream, versionEvents.get(recordKey) ?? retracted.get(recordKey)!);
    await store.upsertVersions([...versions.values()]);
    await store.retract([...retracted.keys()]);
    const streams = [...triggers.keys()];
    const changed = await store.refreshKeys(streams);
    const unassigned = await store.unassigned([...factStreams]);
    const needing = new Map<string, Touched>();
    for (const [stream, trigger] of [...triggers].sort(([, a], [, b]) => a.globalPosition - b.globalPosition)) {
      if (changed.has(stream) || unassigned.has(stream)) needing.set(stream, { trigger });
    }
    return needing;
  }

  /** Agencies' record ids may embed identifiers: the tables keep only a blind index of the record key. */
  private blindRecordKey(provider: string, type: string, recordId: string): string {
    return this.deps.vault.blind(`record|${recordKeyOf(provider, type, recordId)}`);
  }

  /**
   * Decides the persons of the linked closure of the subjects that changed, all at once; records
   * and returns the events to append. Each person's events are named by its earliest trigger.
   */
  private async decide(store: IdentityStore, needing: ReadonlyMap<string, Touched>, decidedThrough: number, client: Queryable): Promise<NewEvent[]> {
    const pairEvents: PairEvent[] = this.pairs ? await this.pairs.score(store, [...needing.keys()], client) : [];
    await store.recordPairs(pairEvents);
    const closure = await store.closure([...needing.keys()], (a, b) => this.matcher.decide(a, b));
    const persons = [...new Set(closure.subjects.map((s) => s.personRef).filter((p): p is string => p !== null))];
    const earliest = [...needing.values()].map((t) => t.trigger).reduce((a, b) => (b.globalPosition < a.globalPosition ? b : a));
    const triggerOf = (stream: string): Trigger => needing.get(stream)?.trigger ?? earliest;
    const decision = decidePartition({
      ...closure,
      personOrder: await store.personOrder(persons),
      newPersonRef: (stream) => personRefFrom(this.deps.vault.blind(`person-ref|${triggerOf(stream).eventId}|${stream}`)),
    });
    const causeOf = new Map<string, Trigger>();
    for (const person of decision.persons) {
      const triggers = person.subjects.filter((s) => needing.has(s)).map(triggerOf);
      const cause = triggers.length > 0 ? triggers.reduce((a, b) => (b.globalPosition < a.globalPosition ? b : a)) : earliest;
      for (const subject of person.subjects) causeOf.set(subject, cause);
      causeOf.set(person.personRef, cause);
    }
    await store.record([
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
