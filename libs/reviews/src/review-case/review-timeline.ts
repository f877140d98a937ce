import type { LocalDate } from '@hub/kernel';
import { factDate, type Fact, type RecordVersion, type TimelineView } from '@hub/timeline';
import { twelveMonthsBefore } from './review-flags';

/** One entry of the multi-agency timeline a panel reviews: what happened, when, who recorded it. */
export interface TimelineEntry {
  readonly on: LocalDate;
  readonly type: string;
  readonly provider: string;
  /** Named as in the sharing vocabulary, so agreements' field grants apply (free text and person blocks never appear). */
  readonly fields: Readonly<Record<string, unknown>>;
}

/**
 * The person's records in the 12 months before death, in date order (then as they became known),
 * with every report of the death and the inquest whenever they came.
 */
export function reviewTimeline(view: TimelineView, diedOn: LocalDate): TimelineEntry[] {
  const from = twelveMonthsBefore(diedOn);
  return view.records
    .filter((r) => r.fact.kind === 'death-report' || r.fact.kind === 'inquest' || (from <= factDate(r.fact) && factDate(r.fact) <= diedOn))
    .map((r) => ({ record: r, entry: entryOf(r) }))
    .sort((a, b) => (a.entry.on < b.entry.on ? -1 : a.entry.on > b.entry.on ? 1 : a.record.knownAt < b.record.knownAt ? -1 : a.record.knownAt > b.record.knownAt ? 1 : a.record.position - b.record.position))
    .map(({ entry }) => entry);
}

function entryOf(record: RecordVersion): TimelineEntry {
  return { on: factDate(record.fact), type: record.type, provider: record.provider, fields: fieldsOf(record.fact) };
}

function fieldsOf(fact: Fact): Record<string, unknown> {
  switch (fact.kind) {
    case 'release':
      return {
        releasedOn: fact.releasedOn, prisonId: fact.prisonId, releaseType: fact.releaseType, destinationLocalAuthority: fact.destinationLocalAuthority,
        treatmentNeed: fact.treatmentNeed, substanceGroup: fact.substanceGroup, referralProviderId: fact.referral?.providerId ?? null,
        referredOn: fact.referral?.referredOn ?? null, naloxoneIssued: fact.naloxoneIssued,
      };
    case 'reception': return { receivedOn: fact.receivedOn, prisonId: fact.prisonId, receptionReason: fact.reason };
    case 'referral': return { referralReceivedOn: fact.receivedOn, providerId: fact.providerId, referralSource: fact.referralSource };
    case 'treatment-started':
      return { engagedSince: fact.startedOn, providerId: fact.providerId, localAuthority: fact.localAuthority, treatmentSetting: fact.setting, substanceGroup: fact.substanceGroup };
    case 'treatment-discharged': return { dischargedOn: fact.dischargedOn, providerId: fact.providerId, dischargeReason: fact.reason };
    case 'supervision-started':
      return { supervisionStartedOn: fact.startedOn, localAuthority: fact.localAuthority, supervisionRequirement: fact.requirement, drugRehabilitationRequirement: fact.drugRehabilitationRequirement };
    case 'supervision-ended': return { supervisionEndedOn: fact.endedOn };
    case 'overdose':
      return { overdoseAt: fact.occurredAt, localAuthority: fact.localAuthority, overdoseSetting: fact.setting, suspectedSubstances: fact.suspectedSubstances, naloxoneAdministered: fact.naloxoneAdministered };
    case 'drug-test':
      return { testedAt: fact.testedAt, localAuthority: fact.localAuthority, triggerOffence: fact.triggerOffence, drugTestResults: fact.results, requiredAssessment: fact.requiredAssessment };
    case 'death-report': return { diedOn: fact.diedOn, localAuthority: fact.localAuthority, suspectedSubstances: fact.suspectedSubstances };
    case 'inquest': return { inquestConcludedOn: fact.concludedOn, drugRelated: fact.drugRelated, substances: fact.substances };
  }
}
