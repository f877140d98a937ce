import type { Agreement, LocalDate } from '@hub/kernel';
import type { AgreementTerms } from './agreement-terms';

/** Every command says who asks, why, and at which instant (ISO 8601): time arrives as data. */
export interface CommandMeta {
  readonly by: string;
  readonly reason: string;
  readonly at: string;
}

type TargetedCommand<Type extends string, Extra = unknown> = {
  readonly type: Type;
  readonly data: CommandMeta & { readonly agreementId: string } & Extra;
};

/** An area-config entry: registers it, or revises it if its terms changed, or does nothing. */
export type RegisterAgreement = {
  readonly type: 'RegisterAgreement';
  readonly data: CommandMeta & { readonly agreement: Agreement };
};

export type ActivateAgreement = TargetedCommand<'ActivateAgreement'>;
export type SuspendAgreement = TargetedCommand<'SuspendAgreement'>;
export type ExpireAgreement = TargetedCommand<'ExpireAgreement'>;
export type TerminateAgreement = TargetedCommand<'TerminateAgreement'>;
export type ReviseAgreement = TargetedCommand<'ReviseAgreement', { readonly terms: AgreementTerms }>;
/** The scheduler's daily tick: expires an active or suspended agreement once `today > effectiveTo`. */
export type ObserveDate = TargetedCommand<'ObserveDate', { readonly today: LocalDate }>;

export type AgreementCommand =
  | RegisterAgreement
  | ActivateAgreement
  | SuspendAgreement
  | ExpireAgreement
  | TerminateAgreement
  | ReviseAgreement
  | ObserveDate;
