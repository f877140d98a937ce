import type { LocalDate } from '@hub/kernel';
import { type FactKind, type FactOf, isKind, type RecordKey, type RecordVersion, type Retraction } from './timeline-record';

/** Every version of a person's records and the retractions that name them. */
export interface PersonTimeline {
  readonly personRef: string;
  readonly streams: readonly string[];
  readonly versions: readonly RecordVersion[];
  readonly retractions: readonly Retraction[];
}

/**
 * The person's records as the hub knew them at `asOf` (every version and retraction known by
 * then; all of them when absent): for each record the latest version by `time` (ties by arrival),
 * retracted records removed. SPEC section 3: superseded and retracted versions count for nothing.
 */
export class TimelineView {
  readonly records: readonly RecordVersion[];
  private readonly byKey: ReadonlyMap<RecordKey, RecordVersion>;

  private constructor(records: readonly RecordVersion[]) {
    this.records = records;
    this.byKey = new Map(records.map((record) => [record.key, record]));
  }

  static of(timeline: Pick<PersonTimeline, 'versions' | 'retractions'>, asOf?: string): TimelineView {
    const known = <T extends { knownAt: string }>(items: readonly T[]): readonly T[] =>
      asOf === undefined ? items : items.filter((item) => item.knownAt <= asOf);
    const retracted = new Set(known(timeline.retractions).map((r) => r.targetKey));
    const latest = new Map<RecordKey, RecordVersion>();
    for (const version of known(timeline.versions)) {
      if (retracted.has(version.key)) continue;
      const current = latest.get(version.key);
      if (!current || supersedes(version, current)) latest.set(version.key, version);
    }
    return new TimelineView([...latest.values()].sort(byKnownThenPosition));
  }

  get(key: RecordKey): RecordVersion | undefined {
    return this.byKey.get(key);
  }

  has(key: RecordKey): boolean {
    return this.byKey.has(key);
  }

  ofKind<K extends FactKind>(kind: K): readonly RecordVersion<FactOf<K>>[] {
    return this.records.filter(isKind(kind));
  }
}

function supersedes(candidate: RecordVersion, current: RecordVersion): boolean {
  const a = Date.parse(candidate.time);
  const b = Date.parse(current.time);
  return a > b || (a === b && candidate.position > current.position);
}

function byKnownThenPosition(a: RecordVersion, b: RecordVersion): number {
  return a.knownAt < b.knownAt ? -1 : a.knownAt > b.knownAt ? 1 : a.position - b.position;
}

/** Every instant at which what the hub knew about the person changed, in order. */
export function knowledgeInstants(timeline: Pick<PersonTimeline, 'versions' | 'retractions'>): string[] {
  return [...new Set([...timeline.versions.map((v) => v.knownAt), ...timeline.retractions.map((r) => r.knownAt)])].sort();
}

export function onOrBetween(date: LocalDate, from: LocalDate, to: LocalDate): boolean {
  return from <= date && date <= to;
}
