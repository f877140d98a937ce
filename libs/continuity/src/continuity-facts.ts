import { ageInCompletedYears, type LocalDate } from '@hub/kernel';
import type { FactOf } from '@hub/timeline';
import { judgeRelease, type PersonFacts, type ReleaseFacts, type ReleaseJudgement } from './continuity.rules';

/** The record kinds continuity of care reads. */
export const continuityKinds = ['release', 'reception', 'treatment-started', 'treatment-discharged', 'death-report'] as const;
export type ContinuityKind = (typeof continuityKinds)[number];
export type ContinuityFact = FactOf<ContinuityKind>;

/** One stored version of a record: non-personal content only (the release keeps its age on release, never a date of birth). */
export interface FactVersion {
  /** `agency|type|recordId`: corrections and retractions match on it. */
  readonly key: string;
  readonly streamId: string;
  /** The publishing agency. */
  readonly provider: string;
  /** CloudEvents `time`: the latest version wins, ties by arrival. */
  readonly time: string;
  /** Arrival in the store: what "as of" compares. */
  readonly recordedAt: string;
  readonly position: number;
  readonly fact: ContinuityFact;
}

export interface RetractionMark {
  readonly targetKey: string;
  readonly recordedAt: string;
  readonly position: number;
}

/**
 * The current version of each record as the hub knew it at `asOf` (all arrivals when absent):
 * the latest by `time` (ties by arrival), records retracted by then removed (SPEC section 3).
 */
export function currentVersions(versions: readonly FactVersion[], retractions: readonly RetractionMark[], asOf?: string): FactVersion[] {
  const arrived = <T extends { recordedAt: string }>(item: T) => asOf === undefined || Date.parse(item.recordedAt) <= Date.parse(asOf);
  const retracted = new Set(retractions.filter(arrived).map((r) => r.targetKey));
  const latest = new Map<string, FactVersion>();
  for (const version of versions) {
    if (!arrived(version) || retracted.has(version.key)) continue;
    const current = latest.get(version.key);
    if (!current || supersedes(version, current)) latest.set(version.key, version);
  }
  return [...latest.values()].sort((a, b) => a.position - b.position);
}

export function supersedes(candidate: Pick<FactVersion, 'time' | 'position'>, current: Pick<FactVersion, 'time' | 'position'>): boolean {
  const a = Date.parse(candidate.time);
  const b = Date.parse(current.time);
  return a > b || (a === b && candidate.position > current.position);
}

/** What the rules read of a person's current records. */
export function personFactsOf(records: readonly Pick<FactVersion, 'fact'>[]): PersonFacts {
  const treatmentStarts: { startedOn: LocalDate; setting: string }[] = [];
  const receptions: { receivedOn: LocalDate }[] = [];
  const deaths: { diedOn: LocalDate }[] = [];
  for (const { fact } of records) {
    switch (fact.kind) {
      case 'treatment-started': treatmentStarts.push({ startedOn: fact.startedOn, setting: fact.setting }); break;
      case 'reception': receptions.push({ receivedOn: fact.receivedOn }); break;
      case 'death-report': deaths.push({ diedOn: fact.diedOn }); break;
      case 'treatment-discharged': if (fact.reason === 'died') deaths.push({ diedOn: fact.dischargedOn }); break;
      case 'release': break;
    }
  }
  return { treatmentStarts, receptions, deaths };
}

export function releaseFactsOf(fact: FactOf<'release'>): ReleaseFacts {
  return {
    releasedOn: fact.releasedOn, releaseType: fact.releaseType, treatmentNeed: fact.treatmentNeed,
    referral: fact.referral, ageOnRelease: fact.ageOnRelease,
  };
}

/** The business date of a continuity fact (the date the window rules compare). */
export function dateOfFact(fact: ContinuityFact): LocalDate {
  switch (fact.kind) {
    case 'release': return fact.releasedOn;
    case 'reception': return fact.receivedOn;
    case 'treatment-started': return fact.startedOn;
    case 'treatment-discharged': return fact.dischargedOn;
    case 'death-report': return fact.diedOn;
  }
}

export function isContinuityFact(fact: { kind: string }): fact is ContinuityFact {
  return (continuityKinds as readonly string[]).includes(fact.kind);
}

/** A release with its judgement, and the person it belongs to (null while no link names its subject). */
export interface JudgedRelease {
  readonly key: string;
  readonly streamId: string;
  readonly provider: string;
  readonly personRef: string | null;
  readonly release: FactOf<'release'>;
  readonly judgement: ReleaseJudgement;
}

/** The people (linked) with a release that has no date of birth of its own: their age comes from a linked record's. */
export function personsWithoutBirthDate(records: readonly FactVersion[], personOf: (streamId: string) => string | undefined): string[] {
  const persons = records.filter((r) => r.fact.kind === 'release' && r.fact.ageOnRelease === null)
    .map((r) => personOf(r.streamId)).filter((p): p is string => p !== undefined);
  return [...new Set(persons)].sort();
}

/**
 * Judges every release among `records` (current versions) against the records of the same person:
 * the person a subject stream is linked to, or the stream alone while it is linked to nobody. A
 * release without a date of birth takes the age from `linkedBirthDates` (per person), else counts as adult.
 */
export function judgeReleases(
  records: readonly FactVersion[], personOf: (streamId: string) => string | undefined,
  linkedBirthDates: ReadonlyMap<string, LocalDate> = new Map(),
): JudgedRelease[] {
  const groupOf = (streamId: string) => personOf(streamId) ?? `stream:${streamId}`;
  const byGroup = new Map<string, FactVersion[]>();
  for (const record of records) {
    const group = groupOf(record.streamId);
    const list = byGroup.get(group);
    if (list) list.push(record);
    else byGroup.set(group, [record]);
  }
  const judged: JudgedRelease[] = [];
  for (const groupRecords of byGroup.values()) {
    const person = personFactsOf(groupRecords);
    for (const record of groupRecords) {
      if (record.fact.kind !== 'release') continue;
      const personRef = personOf(record.streamId);
      const linkedBirthDate = personRef === undefined ? undefined : linkedBirthDates.get(personRef);
      const facts = releaseFactsOf(record.fact);
      const ageOnRelease = facts.ageOnRelease ?? (linkedBirthDate ? ageInCompletedYears(linkedBirthDate, facts.releasedOn) : null);
      judged.push({
        key: record.key, streamId: record.streamId, provider: record.provider, personRef: personOf(record.streamId) ?? null,
        release: record.fact, judgement: judgeRelease({ ...facts, ageOnRelease }, person),
      });
    }
  }
  return judged;
}

/** person -> their streams, sorted. */
export function streamsByPerson(personOf: ReadonlyMap<string, string>): Map<string, string[]> {
  const streams = new Map<string, string[]>();
  for (const [stream, person] of personOf) {
    const list = streams.get(person);
    if (list) list.push(stream);
    else streams.set(person, [stream]);
  }
  for (const list of streams.values()) list.sort();
  return streams;
}
