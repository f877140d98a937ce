import type { LocalDate, Purpose } from '@hub/kernel';
import type { RecordKey } from '@hub/timeline';

/** SPEC section 6. */
export const alertCodes = [
  'ENGAGEMENT_AT_RISK', 'POST_RELEASE_OVERDOSE', 'OVERDOSE_NOT_IN_TREATMENT', 'REPEAT_OVERDOSE', 'OVERDOSE_CLUSTER',
  'DTOA_POSITIVE_NOT_IN_TREATMENT',
] as const;
export type AlertCode = (typeof alertCodes)[number];

export const alertPriorities = ['medium', 'high'] as const;
export type AlertPriority = (typeof alertPriorities)[number];

export const alertStatuses = ['open', 'acknowledged', 'resolved', 'closed'] as const;
export type AlertStatus = (typeof alertStatuses)[number];

/** Why an alert resolved itself. */
export type ResolutionReason = 'treatment-started' | 'record-retracted' | 'returned-to-custody' | 'died' | 'condition-ended';

/** Who should act on an alert, before the agreements are asked who may be told. */
export interface AlertAudience {
  /** Treatment agencies (by agency id), most responsible first. */
  readonly treatment: readonly string[];
  /** Treatment provider codes (`providerId`) still to be turned into agencies (a release's referral). */
  readonly treatmentProviderIds: readonly string[];
  /** When no treatment agency is known: every treatment agency of the area. */
  readonly areaTreatmentFallback: boolean;
  readonly probation: readonly string[];
  /** Released on licence with no supervision recorded yet: the area's probation service. */
  readonly areaProbationFallback: boolean;
  /** The local drug information panel (OVERDOSE_CLUSTER). */
  readonly drugInformationPanel: boolean;
}

/** The source record an alert discloses: recipients need a grant for each. */
export interface TriggerRecord {
  readonly recordKey: RecordKey;
  readonly provider: string;
  readonly type: string;
}

/** A rule's finding: an alert whose condition holds. */
export interface AlertTrigger {
  /** Deterministic: code and the records that triggered it. */
  readonly alertId: string;
  readonly code: AlertCode;
  readonly priority: AlertPriority;
  readonly purpose: Purpose;
  readonly personLevel: boolean;
  readonly triggers: readonly TriggerRecord[];
  readonly localAuthority: string | null;
  /** The business date of the trigger (overdose day, release day + 7...). */
  readonly occurredOn: LocalDate;
  /** Named as in the sharing vocabulary (`policy/projection-fields.ts`), so field grants apply. */
  readonly details: Readonly<Record<string, unknown>>;
  readonly audience: AlertAudience;
}

export const noAudience: AlertAudience = {
  treatment: [], treatmentProviderIds: [], areaTreatmentFallback: false, probation: [], areaProbationFallback: false, drugInformationPanel: false,
};
