import { assertNever, type Agreement } from '@hub/kernel';
import type { AgreementEvent } from './agreement.events';

export type UnregisteredAgreement = { readonly status: 'unregistered' };

/** A registered agreement is the kernel's `Agreement` (current version and status) plus its last change. */
export type RegisteredAgreement = Agreement & { readonly changedAt: string; readonly changedBy: string };

export type AgreementState = UnregisteredAgreement | RegisteredAgreement;

export const initialAgreementState: AgreementState = { status: 'unregistered' };

export function isRegistered(state: AgreementState): state is RegisteredAgreement {
  return state.status !== 'unregistered';
}

export function evolveAgreement(state: AgreementState, event: AgreementEvent): AgreementState {
  const { data } = event;
  if (event.type === 'AgreementRegistered') {
    const { agreementId: id, version, status, terms } = event.data;
    return { id, version, status, ...terms, changedAt: data.at, changedBy: data.by };
  }
  if (!isRegistered(state)) return state;
  const changed = { changedAt: data.at, changedBy: data.by };
  switch (event.type) {
    case 'AgreementActivated':
      return { ...state, ...changed, status: 'active' };
    case 'AgreementSuspended':
      return { ...state, ...changed, status: 'suspended' };
    case 'AgreementExpired':
      return { ...state, ...changed, status: 'expired' };
    case 'AgreementTerminated':
      return { ...state, ...changed, status: 'terminated' };
    case 'AgreementRevised':
      return { ...state, ...event.data.terms, ...changed, version: event.data.version };
    default:
      return assertNever(event, 'agreement event');
  }
}
