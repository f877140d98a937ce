import { ageInCompletedYears, agencyIdOfSource, isRetractionEventType, londonDateOf } from '@hub/kernel';
import type { StoredEvent } from '@hub/event-store';
import { earlierInstant, type Fact, type RecordVersion, type Retraction, recordKeyOf } from './timeline-record';

/** The catalogue types a timeline keeps (every fact type). */
export const timelineFactTypes = [
  'prison.release.recorded.v1', 'prison.reception.recorded.v1', 'probation.supervision.started.v1',
  'probation.supervision.ended.v1', 'treatment.referral.received.v1', 'treatment.started.v1', 'treatment.discharged.v1',
  'nhs.non-fatal-overdose.recorded.v1', 'police.drug-test-on-arrest.recorded.v1', 'police.suspected-drug-death.reported.v1',
  'coroner.inquest.concluded.v1',
] as const;

type Data = Record<string, unknown>;

/**
 * A revealed agency event as a record version or a retraction; undefined for anything else.
 * Reads only non-personal fields (the date of birth only to work out the age on release).
 */
export function normaliseEvent(event: StoredEvent): RecordVersion | Retraction | undefined {
  const provider = agencyIdOfSource(event.source);
  if (!provider) return undefined;
  const data = event.data as Data;
  const knownAt = earlierInstant(new Date(event.occurredAt).toISOString(), new Date(event.recordedAt).toISOString());
  if (isRetractionEventType(event.type)) {
    const type = data.retractedType;
    const recordId = data.retractedRecordId;
    if (typeof type !== 'string' || typeof recordId !== 'string') return undefined;
    return { targetKey: recordKeyOf(provider, type, recordId), knownAt, position: event.globalPosition };
  }
  const fact = factOf(event.type, data);
  if (!fact || typeof data.recordId !== 'string') return undefined;
  return {
    key: recordKeyOf(provider, event.type, data.recordId), streamId: event.streamId, provider, type: event.type,
    recordId: data.recordId, time: new Date(event.occurredAt).toISOString(), knownAt, position: event.globalPosition, fact,
  };
}

export function isRetraction(value: RecordVersion | Retraction): value is Retraction {
  return 'targetKey' in value;
}

function factOf(type: string, d: Data): Fact | undefined {
  switch (type) {
    case 'prison.release.recorded.v1': {
      const referral = d.referral as { providerId: string; referredOn: string } | null;
      return {
        kind: 'release', releasedOn: str(d.releasedOn), prisonId: str(d.prisonId), releaseType: str(d.releaseType),
        destinationLocalAuthority: str(d.destinationLocalAuthority), treatmentNeed: d.treatmentNeed === true,
        substanceGroup: (d.substanceGroup as string | null) ?? null,
        referral: referral ? { providerId: referral.providerId, referredOn: referral.referredOn } : null,
        naloxoneIssued: d.naloxoneIssued === true, ageOnRelease: ageOn(d.person, str(d.releasedOn)),
      };
    }
    case 'prison.reception.recorded.v1':
      return { kind: 'reception', receivedOn: str(d.receivedOn), prisonId: str(d.prisonId), reason: str(d.reason) };
    case 'probation.supervision.started.v1':
      return {
        kind: 'supervision-started', startedOn: str(d.startedOn), localAuthority: str(d.localAuthority),
        requirement: str(d.requirement), drugRehabilitationRequirement: d.drugRehabilitationRequirement === true,
      };
    case 'probation.supervision.ended.v1':
      return { kind: 'supervision-ended', endedOn: str(d.endedOn) };
    case 'treatment.referral.received.v1':
      return { kind: 'referral', receivedOn: str(d.receivedOn), providerId: str(d.providerId), referralSource: str(d.referralSource) };
    case 'treatment.started.v1':
      return {
        kind: 'treatment-started', startedOn: str(d.startedOn), providerId: str(d.providerId), localAuthority: str(d.localAuthority),
        setting: str(d.setting), substanceGroup: (d.substanceGroup as string | null) ?? null,
      };
    case 'treatment.discharged.v1':
      return { kind: 'treatment-discharged', dischargedOn: str(d.dischargedOn), providerId: str(d.providerId), reason: str(d.reason) };
    case 'nhs.non-fatal-overdose.recorded.v1': {
      const occurredAt = new Date(str(d.occurredAt)).toISOString();
      return {
        kind: 'overdose', occurredAt, on: londonDateOf(new Date(occurredAt)), localAuthority: str(d.localAuthority),
        setting: str(d.setting), suspectedSubstances: strings(d.suspectedSubstances), naloxoneAdministered: d.naloxoneAdministered === true,
      };
    }
    case 'police.drug-test-on-arrest.recorded.v1': {
      const testedAt = new Date(str(d.testedAt)).toISOString();
      const results = Array.isArray(d.results) ? (d.results as { substance: string; result: string }[]) : [];
      return {
        kind: 'drug-test', testedAt, on: londonDateOf(new Date(testedAt)), localAuthority: str(d.localAuthority),
        triggerOffence: d.triggerOffence === true, results: results.map((r) => ({ substance: r.substance, result: r.result })),
        requiredAssessment: d.requiredAssessment === true,
      };
    }
    case 'police.suspected-drug-death.reported.v1':
      return { kind: 'death-report', diedOn: str(d.diedOn), localAuthority: str(d.localAuthority), suspectedSubstances: strings(d.suspectedSubstances) };
    case 'coroner.inquest.concluded.v1':
      return { kind: 'inquest', concludedOn: str(d.concludedOn), drugRelated: d.drugRelated === true, substances: strings(d.substances) };
    default:
      return undefined;
  }
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function strings(value: unknown): readonly string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Completed years on the release day from the release's own date of birth; null when unknown (or erased). */
function ageOn(person: unknown, on: string): number | null {
  const dateOfBirth = (person as { dateOfBirth?: unknown } | undefined)?.dateOfBirth;
  return typeof dateOfBirth === 'string' && on ? ageInCompletedYears(dateOfBirth, on) : null;
}
