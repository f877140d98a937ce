import { assertNever, type Agency, type FactEventType } from '@hub/kernel';
import { msPerDay, type SimulationContext } from '../simulation-context';
import type { Fact } from '../story/facts';

/** A fact as one agency will write it: which agency, which type, and the data fields after `person`. */
export interface Draft {
  readonly agency: Agency;
  readonly type: FactEventType;
  /** Prefix of the agency's record id. */
  readonly code: string;
  readonly businessMs: number;
  /** True when the business time is an instant (arrest, overdose), false for a calendar date. */
  readonly isInstant: boolean;
  readonly fields: Record<string, unknown>;
  /** The field an agency may first get wrong and later correct. */
  readonly correctable: string | undefined;
}

export function draftOf(fact: Fact, context: SimulationContext): Draft | undefined {
  const { area } = context;
  const date = (day: number) => context.calendar.dateOf(day);
  const instant = (epochMs: number) => context.calendar.instantOf(epochMs);
  const onDay = (agency: Agency | undefined, type: FactEventType, code: string, day: number, fields: Record<string, unknown>, correctable?: string) =>
    agency ? { agency, type, code, businessMs: context.fromMs + day * msPerDay, isInstant: false, fields, correctable } : undefined;
  const atInstant = (agency: Agency | undefined, type: FactEventType, code: string, atMs: number, fields: Record<string, unknown>, correctable?: string) =>
    agency ? { agency, type, code, businessMs: atMs, isInstant: true, fields, correctable } : undefined;
  switch (fact.type) {
    case 'reception':
      return onDay(fact.prison, 'prison.reception.recorded.v1', 'REC', fact.day, {
        receivedOn: date(fact.day), prisonId: fact.prison.prisonId, reason: fact.reason,
      }, 'receivedOn');
    case 'release':
      return onDay(fact.prison, 'prison.release.recorded.v1', 'REL', fact.day, {
        releasedOn: date(fact.day), prisonId: fact.prison.prisonId, releaseType: fact.releaseType,
        destinationLocalAuthority: fact.localAuthority, treatmentNeed: fact.treatmentNeed, substanceGroup: fact.substanceGroup,
        referral: fact.referral && { providerId: fact.referral.provider.providerId, referredOn: date(fact.referral.day) },
        naloxoneIssued: fact.naloxoneIssued,
      }, 'releasedOn');
    case 'referral':
      return onDay(fact.provider, 'treatment.referral.received.v1', 'REF', fact.day, {
        receivedOn: date(fact.day), providerId: fact.provider.providerId, referralSource: fact.referralSource,
      }, 'receivedOn');
    case 'treatment-start':
      return onDay(fact.provider, 'treatment.started.v1', 'TRS', fact.day, {
        startedOn: date(fact.day), providerId: fact.provider.providerId, localAuthority: fact.localAuthority,
        setting: fact.setting, substanceGroup: fact.substanceGroup,
      }, 'startedOn');
    case 'treatment-discharge':
      return onDay(fact.provider, 'treatment.discharged.v1', 'TRD', fact.day, {
        dischargedOn: date(fact.day), providerId: fact.provider.providerId, reason: fact.reason,
      }, 'dischargedOn');
    case 'supervision-start':
      return onDay(area.probation, 'probation.supervision.started.v1', 'SUP', fact.day, {
        startedOn: date(fact.day), localAuthority: fact.localAuthority, requirement: fact.requirement,
        drugRehabilitationRequirement: fact.drugRehabilitationRequirement,
      }, 'startedOn');
    case 'supervision-end':
      return onDay(area.probation, 'probation.supervision.ended.v1', 'SUE', fact.day, { endedOn: date(fact.day), reason: fact.reason }, 'endedOn');
    case 'drug-test':
      return atInstant(area.police, 'police.drug-test-on-arrest.recorded.v1', 'DTA', fact.atMs, {
        testedAt: instant(fact.atMs), localAuthority: fact.localAuthority, triggerOffence: fact.triggerOffence,
        results: fact.results, requiredAssessment: fact.requiredAssessment,
      }, 'triggerOffence');
    case 'overdose':
      return atInstant(fact.setting === 'emergency-department' ? area.hospital : area.ambulance, 'nhs.non-fatal-overdose.recorded.v1', 'NFO', fact.atMs, {
        occurredAt: instant(fact.atMs), localAuthority: fact.localAuthority, setting: fact.setting,
        suspectedSubstances: fact.suspectedSubstances, naloxoneAdministered: fact.naloxoneAdministered,
      }, 'localAuthority');
    case 'death':
      return onDay(area.police, 'police.suspected-drug-death.reported.v1', 'DRD', fact.day, {
        diedOn: date(fact.day), localAuthority: fact.localAuthority, suspectedSubstances: fact.suspectedSubstances,
        circumstances: fact.circumstances,
      }, 'diedOn');
    case 'inquest':
      return onDay(area.coroner, 'coroner.inquest.concluded.v1', 'INQ', fact.day, {
        concludedOn: date(fact.day), drugRelated: fact.drugRelated, substances: fact.substances, conclusion: fact.conclusion,
      });
    default:
      return assertNever(fact, 'fact');
  }
}
