import type { Fact, PersonTimeline, RecordVersion, Retraction } from '@hub/timeline';

/** Builds record versions for Given/When/Then tests: dates as data, each record known at 09:00 UTC on its day unless told. */
let position = 0;
let recordNumber = 0;

interface Common {
  readonly knownAt?: string;
  readonly recordId?: string;
  readonly provider?: string;
  readonly stream?: string;
  /** CloudEvents time; defaults to knownAt (a correction needs a later one). */
  readonly time?: string;
}

function version<F extends Fact>(type: string, defaultProvider: string, businessDate: string, fact: F, common: Common): RecordVersion<F> {
  const provider = common.provider ?? defaultProvider;
  const recordId = common.recordId ?? `R${++recordNumber}`;
  const knownAt = new Date(common.knownAt ?? `${businessDate.slice(0, 10)}T09:00:00Z`).toISOString();
  return {
    key: `${provider}|${type}|${recordId}`, streamId: common.stream ?? `${provider}:subject`, provider, type, recordId,
    time: new Date(common.time ?? knownAt).toISOString(), knownAt, position: ++position, fact,
  };
}

export function release(releasedOn: string, options: Common & Partial<{
  referralProviderId: string | null; treatmentNeed: boolean; releaseType: string; age: number | null; localAuthority: string;
}> = {}) {
  const referralProviderId = options.referralProviderId === undefined ? 'NRP' : options.referralProviderId;
  return version('prison.release.recorded.v1', 'prison-hmp-northgate', releasedOn, {
    kind: 'release', releasedOn, prisonId: 'NGI', releaseType: options.releaseType ?? 'licence',
    destinationLocalAuthority: options.localAuthority ?? 'E06000901', treatmentNeed: options.treatmentNeed ?? true, substanceGroup: 'opiate',
    referral: referralProviderId ? { providerId: referralProviderId, referredOn: releasedOn } : null, naloxoneIssued: true,
    ageOnRelease: options.age === undefined ? 30 : options.age,
  }, options);
}

export function treatmentStart(startedOn: string, options: Common & Partial<{ setting: string; providerId: string }> = {}) {
  return version('treatment.started.v1', 'treatment-northshire-recovery', startedOn, {
    kind: 'treatment-started', startedOn, providerId: options.providerId ?? 'NRP', localAuthority: 'E06000901',
    setting: options.setting ?? 'community', substanceGroup: 'opiate',
  }, options);
}

export function treatmentDischarge(dischargedOn: string, options: Common & Partial<{ reason: string; providerId: string }> = {}) {
  return version('treatment.discharged.v1', 'treatment-northshire-recovery', dischargedOn, {
    kind: 'treatment-discharged', dischargedOn, providerId: options.providerId ?? 'NRP', reason: options.reason ?? 'dropped-out',
  }, options);
}

export function referral(receivedOn: string, options: Common = {}) {
  return version('treatment.referral.received.v1', 'treatment-northshire-recovery', receivedOn, {
    kind: 'referral', receivedOn, providerId: 'NRP', referralSource: 'prison',
  }, options);
}

export function overdose(occurredAt: string, options: Common & Partial<{ localAuthority: string; substances: string[] }> = {}) {
  const at = new Date(occurredAt).toISOString();
  return version('nhs.non-fatal-overdose.recorded.v1', 'nhs-northshire-ambulance', occurredAt, {
    kind: 'overdose', occurredAt: at, on: at.slice(0, 10), localAuthority: options.localAuthority ?? 'E06000901', setting: 'ambulance',
    suspectedSubstances: options.substances ?? ['heroin'], naloxoneAdministered: true,
  }, { knownAt: at, ...options });
}

export function drugTest(testedAt: string, results: Record<string, string>, options: Common = {}) {
  const at = new Date(testedAt).toISOString();
  return version('police.drug-test-on-arrest.recorded.v1', 'police-northshire', testedAt, {
    kind: 'drug-test', testedAt: at, on: at.slice(0, 10), localAuthority: 'E06000901', triggerOffence: true,
    results: Object.entries(results).map(([substance, result]) => ({ substance, result })), requiredAssessment: true,
  }, { knownAt: at, ...options });
}

export function reception(receivedOn: string, options: Common = {}) {
  return version('prison.reception.recorded.v1', 'prison-hmp-northgate', receivedOn, { kind: 'reception', receivedOn, prisonId: 'NGI', reason: 'recall' }, options);
}

export function deathReport(diedOn: string, options: Common & Partial<{ localAuthority: string }> = {}) {
  return version('police.suspected-drug-death.reported.v1', 'police-northshire', diedOn, {
    kind: 'death-report', diedOn, localAuthority: options.localAuthority ?? 'E06000901', suspectedSubstances: ['heroin'],
  }, options);
}

export function inquest(concludedOn: string, drugRelated: boolean, options: Common = {}) {
  return version('coroner.inquest.concluded.v1', 'coroner-northshire', concludedOn, { kind: 'inquest', concludedOn, drugRelated, substances: ['heroin'] }, options);
}

export function supervisionStart(startedOn: string, options: Common = {}) {
  return version('probation.supervision.started.v1', 'probation-northshire', startedOn, {
    kind: 'supervision-started', startedOn, localAuthority: 'E06000901', requirement: 'licence', drugRehabilitationRequirement: false,
  }, options);
}

export function supervisionEnd(endedOn: string, options: Common = {}) {
  return version('probation.supervision.ended.v1', 'probation-northshire', endedOn, { kind: 'supervision-ended', endedOn }, options);
}

/** A later version of a record (same key), with other facts. */
export function corrected<F extends Fact>(record: RecordVersion<F>, fact: Partial<F>, knownAt: string): RecordVersion<F> {
  const at = new Date(knownAt).toISOString();
  return { ...record, fact: { ...record.fact, ...fact }, time: at, knownAt: at, position: ++position };
}

export function retraction(record: RecordVersion, knownAt: string): Retraction {
  return { targetKey: record.key, knownAt: new Date(knownAt).toISOString(), position: ++position };
}

export function timeline(...items: (RecordVersion | Retraction)[]): PersonTimeline {
  const versions = items.filter((i): i is RecordVersion => 'key' in i);
  const retractions = items.filter((i): i is Retraction => 'targetKey' in i);
  return { personRef: 'person-1', streams: [...new Set(versions.map((v) => v.streamId))], versions, retractions };
}
