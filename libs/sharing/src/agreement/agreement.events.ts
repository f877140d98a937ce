import type { AgreementStatus } from '@hub/kernel';
import type { AgreementTerms } from './agreement-terms';

/** Who changed the agreement, why, and when (an ISO instant): every event records it. */
export interface ChangeRecord {
  readonly agreementId: string;
  /** The agency or user id that made the change (`hub:clock` for automatic expiry). */
  readonly by: string;
  readonly reason: string;
  readonly at: string;
}

export type AgreementRegistered = {
  readonly type: 'AgreementRegistered';
  readonly data: ChangeRecord & { readonly version: number; readonly status: AgreementStatus; readonly terms: AgreementTerms };
};

export type AgreementActivated = {
  readonly type: 'AgreementActivated';
  readonly data: ChangeRecord & { readonly version: number; readonly from: 'draft' | 'suspended' };
};

export type AgreementSuspended = {
  readonly type: 'AgreementSuspended';
  readonly data: ChangeRecord & { readonly version: number };
};

export type AgreementExpired = {
  readonly type: 'AgreementExpired';
  readonly data: ChangeRecord & {
    readonly version: number;
    readonly from: 'active' | 'suspended';
    readonly effectiveTo: string;
    /** True when decided from an observed date rather than by a person. */
    readonly automatic: boolean;
  };
};

export type AgreementTerminated = {
  readonly type: 'AgreementTerminated';
  readonly data: ChangeRecord & { readonly version: number; readonly from: 'active' | 'suspended' };
};

export type AgreementRevised = {
  readonly type: 'AgreementRevised';
  readonly data: ChangeRecord & { readonly version: number; readonly previousVersion: number; readonly terms: AgreementTerms };
};

export type AgreementEvent =
  | AgreementRegistered
  | AgreementActivated
  | AgreementSuspended
  | AgreementExpired
  | AgreementTerminated
  | AgreementRevised;

export type AgreementEventType = AgreementEvent['type'];

/** One stream per agreement. */
export function agreementStreamId(agreementId: string): string {
  return `agreement-${agreementId}`;
}
