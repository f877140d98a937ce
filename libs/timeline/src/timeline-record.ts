import type { LocalDate } from '@hub/kernel';

/**
 * The non-personal content of each catalogue fact, as the person-level rules read it: dates,
 * codes, places and providers. Names, dates of birth and identifiers never enter a timeline;
 * a release keeps only the person's age on the day of release.
 */
export type Fact =
  | {
      readonly kind: 'release'; readonly releasedOn: LocalDate; readonly prisonId: string; readonly releaseType: string;
      readonly destinationLocalAuthority: string; readonly treatmentNeed: boolean; readonly substanceGroup: string | null;
      readonly referral: { readonly providerId: string; readonly referredOn: LocalDate } | null;
      readonly naloxoneIssued: boolean; readonly ageOnRelease: number | null;
    }
  | { readonly kind: 'reception'; readonly receivedOn: LocalDate; readonly prisonId: string; readonly reason: string }
  | {
      readonly kind: 'supervision-started'; readonly startedOn: LocalDate; readonly localAuthority: string;
      readonly requirement: string; readonly drugRehabilitationRequirement: boolean;
    }
  | { readonly kind: 'supervision-ended'; readonly endedOn: LocalDate }
  | { readonly kind: 'referral'; readonly receivedOn: LocalDate; readonly providerId: string; readonly referralSource: string }
  | {
      readonly kind: 'treatment-started'; readonly startedOn: LocalDate; readonly providerId: string; readonly localAuthority: string;
      readonly setting: string; readonly substanceGroup: string | null;
    }
  | { readonly kind: 'treatment-discharged'; readonly dischargedOn: LocalDate; readonly providerId: string; readonly reason: string }
  | {
      readonly kind: 'overdose'; readonly occurredAt: string; readonly on: LocalDate; readonly localAuthority: string; readonly setting: string;
      readonly suspectedSubstances: readonly string[]; readonly naloxoneAdministered: boolean;
    }
  | {
      readonly kind: 'drug-test'; readonly testedAt: string; readonly on: LocalDate; readonly localAuthority: string;
      readonly triggerOffence: boolean; readonly results: readonly DrugTestResult[]; readonly requiredAssessment: boolean;
    }
  | { readonly kind: 'death-report'; readonly diedOn: LocalDate; readonly localAuthority: string; readonly suspectedSubstances: readonly string[] }
  | { readonly kind: 'inquest'; readonly concludedOn: LocalDate; readonly drugRelated: boolean; readonly substances: readonly string[] };

export interface DrugTestResult {
  readonly substance: string;
  readonly result: string;
}

export type FactKind = Fact['kind'];
export type FactOf<K extends FactKind> = Extract<Fact, { kind: K }>;

/** `agency|type|recordId`: what corrections and retractions match on (SPEC section 3). */
export type RecordKey = string;

export function recordKeyOf(provider: string, type: string, recordId: string): RecordKey {
  return `${provider}|${type}|${recordId}`;
}

/** One published version of a record. */
export interface RecordVersion<F extends Fact = Fact> {
  readonly key: RecordKey;
  /** The agency subject's stream (`agency-id:<blind>`): how the record is linked to a person. */
  readonly streamId: string;
  /** The publishing agency. */
  readonly provider: string;
  readonly type: string;
  readonly recordId: string;
  /** CloudEvents `time`: which version is the latest. */
  readonly time: string;
  /** When the hub could first know it: the earlier of `time` and arrival (a future `time` counts from arrival). */
  readonly knownAt: string;
  /** Log position: ties of `time` go to the later arrival. */
  readonly position: number;
  readonly fact: F;
}

/** A retraction of a record (whichever arrives first, the record is gone from then on). */
export interface Retraction {
  readonly targetKey: RecordKey;
  readonly knownAt: string;
  readonly position: number;
}

export function isKind<K extends FactKind>(kind: K) {
  return (version: RecordVersion): version is RecordVersion<FactOf<K>> => version.fact.kind === kind;
}

/** The business date a fact happened on (for timelines and windows). */
export function factDate(fact: Fact): LocalDate {
  switch (fact.kind) {
    case 'release': return fact.releasedOn;
    case 'reception': return fact.receivedOn;
    case 'supervision-started': return fact.startedOn;
    case 'supervision-ended': return fact.endedOn;
    case 'referral': return fact.receivedOn;
    case 'treatment-started': return fact.startedOn;
    case 'treatment-discharged': return fact.dischargedOn;
    case 'overdose': return fact.on;
    case 'drug-test': return fact.on;
    case 'death-report': return fact.diedOn;
    case 'inquest': return fact.concludedOn;
  }
}

export function earlierInstant(a: string, b: string): string {
  return Date.parse(a) <= Date.parse(b) ? a : b;
}

export function laterInstant(a: string, b: string): string {
  return Date.parse(a) >= Date.parse(b) ? a : b;
}
