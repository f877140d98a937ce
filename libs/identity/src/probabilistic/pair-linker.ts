import type { Queryable } from '@hub/database';
import type { PositionSelection, StoredEvent } from '@hub/event-store';
import type { PersonBlock } from '@hub/kernel';
import {
  pairLinkedType, type PairLinkedData, pairUnlinkedType, type PairUnlinkedData, reviewRequestedType, type ReviewRequestedData,
} from '../identity.events';
import type { Blind, BlockingKey, PersonMatcher } from '../matching/linking.rules';
import { personRefFrom } from '../person-ref';
import type { IdentityStore, PairRow } from '../store/identity-store';
import { type CountedKeyRow, groupBy, type KeyCounts, type KeyRow } from '../store/record-index';
import { blockingKeysOf, keysWithinCap } from './blocking';
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

/** What the linker needs of the vault: blind indexes, and the records at positions of the log, opened in memory. */
export interface PairLinkerVault {
  revealAt(client: Queryable, positions: readonly number[] | PositionSelection): Promise<StoredEvent[]>;
  readonly blind: Blind;
}

export interface PairLinkerOptions {
  readonly model: FellegiSunterModel;
  readonly thresholds?: MatchThresholds;
}

/**
 * The probabilistic model inside the identity processor. Privacy (docs/DEVELOPING.md decision 2):
 * the tables hold only blind blocking keys (`probable:<rule>` of Soundex, year, date of birth and
 * initials) and blind name keys for term frequencies (`tf-given`, `tf-family`: a name's frequency
 * is the number of subjects holding its blind index). The values compared are opened at decision
 * time, in memory only, from the subjects' current records in the log (`hub.vault.revealAt`); what is
 * stored and appended is the comparison levels and weights, never a value.
 */
export class PairLinker {
  private readonly thresholds: MatchThresholds;

  constructor(
    private readonly options: PairLinkerOptions,
    private readonly matcher: PersonMatcher,
    private readonly vault: PairLinkerVault,
  ) {
    this.thresholds = options.thresholds ?? defaultMatchThresholds;
  }

  /**
   * The model's blocking keys (each rule's, and the tighter keys refining it, whose qualifier is the
   * key they refine) and the name keys of a person block, all blind.
   */
  keysOf(person: unknown): BlockingKey[] {
    if (typeof person !== 'object' || person === null) return [];
    const compared = comparable(person as PersonBlock);
    const blind = (value: string) => `probable:${this.vault.blind(value)}`;
    const keys: BlockingKey[] = blockingKeysOf(compared).filter((key) => key.tighter).flatMap((key): BlockingKey[] => {
      const own = blind(key.value);
      return [{ rule: `probable:${key.rule}`, key: own, qualifier: '' }, ...(key.tighter ?? []).map((t): BlockingKey => ({ rule: `probable:${t.rule}`, key: blind(t.value), qualifier: own }))];
    });
    if (compared.givenName) keys.push({ rule: 'tf-given', key: `tf-given:${this.vault.blind(`given|${compared.givenName}`)}`, qualifier: '' });
    if (compared.familyName) keys.push({ rule: 'tf-family', key: `tf-family:${this.vault.blind(`family|${compared.familyName}`)}`, qualifier: '' });
    return keys;
  }

  pairIdOf(a: string, b: string): string {
    return personRefFrom(this.vault.blind(`pair|${a}|${b}`)).replace(/^P-/, 'L-');
  }

  /**
   * Scores each subject that changed against the candidates sharing one of its model keys, with
   * oversized blocks replaced by their tighter keys (`keysWithinCap`; `counts` holds the subjects'
   * keys and how many subjects hold each). Pairs the exact rules link already, and pairs a reviewer
   * decided, are left as they are. Returns the pair events: a link above the upper threshold, a
   * review between (or above with different NHS numbers), an unlink where a pair the model had
   * linked now falls below. Round trips: the candidates (one), then the records of the pairs worth scoring, with their keys (one).
   */
  async score(store: IdentityStore, streams: readonly string[], counts: KeyCounts, client: Queryable): Promise<PairEvent[]> {
    const chosenOf = new Map(streams.map((stream) => [stream, chosenBlocks(counts.keys.get(stream) ?? [])]));
    const found = await store.pairs.candidates(streams, [...new Set([...chosenOf.values()].flat())]);
    const candidatesOf = new Map<string, Set<string>>();
    for (const [stream, keys] of chosenOf) {
      const set = new Set(keys.flatMap((key) => found.holders.get(key) ?? []));
      set.delete(stream);
      if (set.size > 0) candidatesOf.set(stream, set);
    }
    // By the pair's subjects (in order): its id, a keyed hash, is made only for the pairs scored.
    const existing = new Map(found.pairs.map((p) => [`${p.a}\u001f${p.b}`, p]));
    if (candidatesOf.size === 0 && [...existing.values()].every((p) => !(p.status === 'linked' && p.decidedBy === 'model'))) return [];
    // A model trained on the hub's own records (hub identity train) replaces the configured one.
    const model = found.trainedModel ?? this.options.model;
    const exactKeys = groupBy(found.exactKeys, (k) => k.stream_id);
    // The pairs worth scoring: not those a reviewer decided, nor those the exact rules link already.
    const toScore: { pairId: string; a: string; b: string; held: PairRow | undefined }[] = [];
    const seen = new Set<string>();
    for (const stream of streams) {
      const candidates = candidatesOf.get(stream) ?? new Set<string>();
      for (const pair of existing.values()) {
        // A pair the model linked whose subject no longer shares a key with the other is scored again (and unlinked).
        if ((pair.a === stream || pair.b === stream) && pair.status === 'linked' && pair.decidedBy === 'model') candidates.add(pair.a === stream ? pair.b : pair.a);
      }
      for (const candidate of candidates) {
        const [a, b] = stream < candidate ? [stream, candidate] : [candidate, stream];
        const subjects = `${a}\u001f${b}`;
        if (seen.has(subjects)) continue;
        seen.add(subjects);
        const held = existing.get(subjects);
        if (held?.decidedBy === 'reviewer') continue;
        if (this.linkedExactly(exactKeys.get(a) ?? [], exactKeys.get(b) ?? [])) continue;
        toScore.push({ pairId: held?.pairId ?? this.pairIdOf(a, b), a, b, held });
      }
    }
    if (toScore.length === 0) return [];
    const people = await openPeople(this.vault, client, store.records.latestRecordsOf([...new Set(toScore.flatMap(({ a, b }) => [a, b]))]));
    // A name's frequency among the hub's subjects (an exact name match has one value on both sides:
    // the changed subject's own name key counts it), shrunk towards the model's u for an exact match
    // by `priorSubjects` pseudo-subjects: a young hub's few records say little about how common a name is.
    const frequencyOf = (stream: string, comparison: 'givenName' | 'familyName') => {
      const key = counts.keys.get(stream)?.find((k) => k.rule === (comparison === 'givenName' ? 'tf-given' : 'tf-family'));
      if (!key) return undefined;
      const uExact = model.parameters[comparison].u[0]!;
      return (Math.max(1, key.holders) + uExact * priorSubjects) / (counts.subjects + priorSubjects);
    };

    const events: PairEvent[] = [];
    const changed = new Set(streams);
    for (const { pairId, a, b, held } of toScore) {
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
    return events;
  }

  private linkedExactly(a: readonly KeyRow[], b: readonly KeyRow[]): boolean {
    const theirs = groupBy(b, (k) => k.key);
    return a.some((mine) => (theirs.get(mine.key) ?? []).some((other) => this.matcher.decide(
      { rule: mine.rule, key: mine.key, qualifier: mine.qualifier }, { rule: other.rule, key: other.key, qualifier: other.qualifier },
    ) !== undefined));
  }
}

/** The person blocks of the records at these positions (by subject stream), opened in memory only; erased ones are left out. */
export async function openPeople(vault: Pick<PairLinkerVault, 'revealAt'>, client: Queryable, positions: readonly number[] | PositionSelection): Promise<Map<string, ComparablePerson>> {
  const events = await vault.revealAt(client, positions);
  const people = new Map<string, ComparablePerson>();
  for (const event of events) {
    if ((event as { erased?: boolean }).erased) continue;
    const person = (event.data as { person?: unknown }).person;
    if (typeof person === 'object' && person !== null) people.set(event.streamId, comparable(person as PersonBlock));
  }
  return people;
}

/**
 * The blocking keys a subject is compared through (`keysWithinCap` over its stored rows): each
 * rule's key (qualifier '') whose block is within the cap, else its tighter keys within the cap.
 */
export function chosenBlocks(rows: readonly CountedKeyRow[]): string[] {
  const model = rows.filter((r) => r.rule.startsWith('probable:'));
  const ruleKeys = model.filter((r) => r.qualifier === '').map((row) => ({ row, tighter: model.filter((t) => t.qualifier === row.key).map((t) => ({ row: t })) }));
  return keysWithinCap<{ row: CountedKeyRow; tighter?: { row: CountedKeyRow }[] }>(ruleKeys, (k) => k.row.holders).map((k) => k.row.key);
}
