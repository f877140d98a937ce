import type { AgreementPurpose, AgreementStatus, LocalDate } from '@hub/kernel';
import type { RegisteredAgreement } from '@hub/sharing';

/** An agreement as `GET /v1/agreements` shows it: who shares what with whom, for which purpose, its status and review dates. */
export interface AgreementView {
  readonly id: string;
  readonly title: string;
  readonly version: number;
  readonly status: AgreementStatus;
  readonly effectiveFrom: LocalDate;
  readonly effectiveTo: LocalDate;
  readonly reviewOn: LocalDate;
  /** `reviewOn` has come (today in Europe/London is on or after it). */
  readonly reviewDue: boolean;
  /** Active today: status active and today within effectiveFrom..effectiveTo. */
  readonly inForce: boolean;
  readonly respectsNationalDataOptOut: boolean;
  readonly purposes: readonly AgreementPurpose[];
  readonly changedAt: string;
  readonly changedBy: string;
}

export function agreementView(agreement: RegisteredAgreement, today: LocalDate): AgreementView {
  return {
    id: agreement.id, title: agreement.title, version: agreement.version, status: agreement.status,
    effectiveFrom: agreement.effectiveFrom, effectiveTo: agreement.effectiveTo, reviewOn: agreement.reviewOn,
    reviewDue: today >= agreement.reviewOn,
    inForce: agreement.status === 'active' && agreement.effectiveFrom <= today && today <= agreement.effectiveTo,
    respectsNationalDataOptOut: agreement.respectsNationalDataOptOut,
    purposes: agreement.purposes, changedAt: agreement.changedAt, changedBy: agreement.changedBy,
  };
}

export function partiesOf(agreement: RegisteredAgreement): ReadonlySet<string> {
  return new Set(agreement.purposes.flatMap((clause) => [...clause.providers, ...clause.recipients]));
}
