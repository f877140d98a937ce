import type { Queryable } from '@hub/database';
import { readEventsAt, type StoredEvent } from '@hub/event-store';
import type { PersonBlock } from '@hub/kernel';
import {
  pairLinkedType, type PairLinkedData, pairUnlinkedType, type PairUnlinkedData, reviewRequestedType, type ReviewRequestedData,
} from '../identity.events';
import type { Blind, BlockingKey, PersonMatcher } from '../matching/linking.rules';
import { personRefFrom } from '../person-ref';
import type { IdentityStore, KeyRow } from '../store/identity-store';
import { blockingKeysOf } from './blocking';
import { compare, comparable, type ComparablePerson } from './comparisons';
import { type FellegiSunterModel, scorePair } from './fellegi-sunter';
import { namesInCommon } from './linkage';
import { decideMatch, defaultMatchThresholds, type MatchThresholds } from './match-decision';

/** Pseudo-subjects of the term-frequency prior (see `score`). */
const priorSubjects = 1000;

/** A pair event the processor records and appends (stream `identity-pair:<pairId>`). */
export type PairEvent =
  | { readonly type: typeof pairLinkedType; readonly data: PairLinkedData }
  | { readonly type: typeof pairUnlinkedType; readonly data: PairUnlinkedData }
  | { readonly type: typeof reviewRequestedType; readonly data: ReviewRequestedData };

export interface PairLinkerOptions {
  readonly model: FellegiSunterModel;
  readonly thresholds?: MatchThresholds;
}

/**
 * The probabilistic model inside the identity processor. Privacy (docs/DEVELOPING.md decision 2):
 * the tables hold only blind blocking keys (`probable:<rule>` of Soundex, year, date of birth and
 * initials) and blind name keys for term frequencies (`tf-given`, `tf-family`: a name's frequency
 * is the number of subjects holding its blind index). The values compared are opened at decision
 * time, in memory only, from the subjects' current records in the log (`hub.vault.reveal`); what is
 * stored and appended is the comparison levels and weights, never a value.
 */
export class PairLinker {
  private readonly thresholds: MatchThresholds;

  constructor(
    private readonly options: PairLinkerOptions,
    private readonly matcher: PersonMatcher,
    private readonly vault: { reveal(events: readonly StoredEvent[], client: Queryable): Promise<StoredEvent[]>; blind: Blind },
  ) {
    this.thresholds = options.thresholds ?? defaultMatchThresholds;
  }

  /** The model's blocking keys and the name keys of a person block (blind). */
  keysOf(person: unknown): BlockingKey[] {
    if (typeof person !== 'object' || person === null) return [];
    const compared = comparable(person as PersonBlock);
    const keys: BlockingKey[] = blockingKeysOf(compared)
      .filter((key) => key.rule === 'soundex-family-year' || key.rule === 'dob-initial' || key.rule === 'given-soundex-family-initial-dob-month-day')
      .map((key) => ({ rule: `probable:${key.rule}`, key: `probable:${this.vault.blind(key.value)}`, qualifier: '' }));
    if (compared.givenName) keys.push({ rule: 'tf-given', key: `tf-given:${this.vault.blind(`given|${compared.givenName}`)}`, qualifier: '' });
    if (compared.familyName) keys.push({ rule: 'tf-family', key: `tf-family:${this.vault.blind(`family|${compared.familyName}`)}`, qualifier: '' });
    return keys;
  }

  pairIdOf(a: string, b: string): string {
    return personRefFrom(this.vault.blind(`pair|${a}|${b}`)).replace(/^P-/, 'L-');
  }

  /**
   * Scores each subject that changed against the candidates sharing one of its model keys (pairs
   * the exact rules link already, and pairs a reviewer decided, are left as they are), and returns
   * the pair events: a link above the upper threshold, a review between (or above with different NHS
   * numbers), an unlink where a pair the model had linked now falls below.
   */
  async score(store: IdentityStore, streams: readonly string[], client: Queryable): Promise<PairEvent[]> {
    const own = await store.comparisonKeysOf(streams);
    const blocking = own.filter((k) => k.rule.startsWith('probable:'));
    const holders = await store.holdersOf(blocking.map((k) => k.key));
    const candidatesOf = new Map<string, Set<string>>();
    const byKey = groupBy(holders, (k) => k.key);
    for (const mine of blocking) {
      for (const other of byKey.get(mine.key) ?? []) {
        if (other.stream_id === mine.stream_id) continue;
        const set = candidatesOf.get(mine.stream_id) ?? new Set<string>();
        candidatesOf.set(mine.stream_id, set.add(other.stream_id));
      }
    }
    const existing = new Map((await store.pairsOf(streams)).map((p) => [p.pairId, p]));
    if (candidatesOf.size === 0 && [...existing.values()].every((p) => !(p.status === 'linked' && p.decidedBy === 'model'))) return [];
    // A model trained on the hub's own records (hub identity train) replaces the configured one.
    const model = (await store.trainedModel()) ?? this.options.model;
    const involved = [...new Set([...streams, ...[...candidatesOf.values()].flatMap((s) => [...s])])];
    const exactKeys = groupBy(await store.exactKeysOf(involved), (k) => k.stream_id);
    const people = await this.open(store, involved, client);
    // An exact name match has one value on both sides: the changed subject's own name key counts it.
    const nameKeys = groupBy(own.filter((k) => k.rule.startsWith('tf-')), (k) => k.stream_id);
    const { counts, subjects } = candidatesOf.size > 0 ? await store.keyCounts([...nameKeys.values()].flatMap((rows) => rows.map((r) => r.key))) : { counts: new Map<string, number>(), subjects: 0 };
    // A name's frequency among the hub's subjects, shrunk towards the model's u for an exact match by
    // `priorSubjects` pseudo-subjects: a young hub's few records say little about how common a name is.
    const frequencyOf = (stream: string, comparison: 'givenName' | 'familyName') => {
      const key = nameKeys.get(stream)?.find((k) => k.rule === (comparison === 'givenName' ? 'tf-given' : 'tf-family'))?.key;
      if (!key) return undefined;
      const uExact = model.parameters[comparison].u[0]!;
      return ((counts.get(key) ?? 1) + uExact * priorSubjects) / (subjects + priorSubjects);
    };

    const events: PairEvent[] = [];
    const seen = new Set<string>();
    const changed = new Set(streams);
    for (const stream of streams) {
      const candidates = candidatesOf.get(stream) ?? new Set<string>();
      for (const pair of existing.values()) {
        // A pair the model linked whose subject no longer shares a key with the other is scored again (and unlinked).
        if ((pair.a === stream || pair.b === stream) && pair.status === 'linked' && pair.decidedBy === 'model') candidates.add(pair.a === stream ? pair.b : pair.a);
      }
      for (const candidate of candidates) {
        const [a, b] = stream < candidate ? [stream, candidate] : [candidate, stream];
        const pairId = this.pairIdOf(a, b);
        if (seen.has(pairId)) continue;
        seen.add(pairId);
        const held = existing.get(pairId);
        if (held?.decidedBy === 'reviewer') continue;
        if (this.linkedExactly(exactKeys.get(a) ?? [], exactKeys.get(b) ?? [])) continue;
        const [pa, pb] = [people.get(a), people.get(b)];
        const wasLinked = held?.status === 'linked';
        if (!pa || !pb) {
          if (wasLinked) events.push({ type: pairUnlinkedType, data: { pairId, subjects: [a, b], decidedBy: 'model' } });
          continue;
        }
        const names = namesInCommon(pa, pb);
        const scored = scorePair(model, compare(pa, pb), names, (field) => frequencyOf(changed.has(a) ? a : b, field));
        const decision = decideMatch(scored, pa, pb, this.thresholds);
        const data = { pairId, subjects: [a, b] as [string, string], matchWeight: scored.matchWeight, matchProbability: scored.matchProbability, comparisons: scored.comparisons };
        if (decision.outcome === 'link') {
          if (!wasLinked) events.push({ type: pairLinkedType, data: { ...data, decidedBy: 'model' } });
        } else {
          // Unlinked, or taken off the queue, when the records changed and the weight fell below the pair's state.
          if (wasLinked || (held?.status === 'review' && decision.outcome === 'apart')) events.push({ type: pairUnlinkedType, data: { pairId, subjects: [a, b], decidedBy: 'model' } });
          if (decision.outcome === 'review' && held?.status !== 'review') events.push({ type: reviewRequestedType, data: { ...data, conflicts: decision.conflicts } });
        }
      }
    }
    return events;
  }

  private linkedExactly(a: readonly KeyRow[], b: readonly KeyRow[]): boolean {
    const theirs = groupBy(b, (k) => k.key);
    return a.some((mine) => (theirs.get(mine.key) ?? []).some((other) => this.matcher.decide(
      { rule: mine.rule, key: mine.key, qualifier: mine.qualifier }, { rule: other.rule, key: other.key, qualifier: other.qualifier },
    ) !== undefined));
  }

  /** The subjects' person blocks from their latest current records, opened in memory only. */
  private async open(store: IdentityStore, streams: readonly string[], client: Queryable): Promise<Map<string, ComparablePerson>> {
    return openPeople(this.vault, client, [...(await store.latestRecordPositions(streams)).values()]);
  }
}

/** The person blocks of the records at these positions (by subject stream), opened in memory only; erased ones are left out. */
export async function openPeople(vault: { reveal(events: readonly StoredEvent[], client: Queryable): Promise<StoredEvent[]> }, client: Queryable, positions: readonly number[]): Promise<Map<string, ComparablePerson>> {
  const events = await vault.reveal(await readEventsAt(client, positions), client);
  const people = new Map<string, ComparablePerson>();
  for (const event of events) {
    if ((event as { erased?: boolean }).erased) continue;
    const person = (event.data as { person?: unknown }).person;
    if (typeof person === 'object' && person !== null) people.set(event.streamId, comparable(person as PersonBlock));
  }
  return people;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
