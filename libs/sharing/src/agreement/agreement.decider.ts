import { DomainError, assertNever, type AgreementStatus } from '@hub/kernel';
import { sameTerms, termsOf, validateTerms, type AgreementTerms } from './agreement-terms';
import type { AgreementCommand, CommandMeta, ObserveDate, RegisterAgreement } from './agreement.commands';
import type { AgreementEvent, ChangeRecord } from './agreement.events';
import {
  evolveAgreement, initialAgreementState, isRegistered,
  type AgreementState, type RegisteredAgreement,
} from './agreement.state';

/**
 * Lifecycle: draft -> active <-> suspended; active|suspended -> expired|terminated.
 * Expired and terminated are final: no transition and no revision leaves them.
 */
export function decideAgreement(command: AgreementCommand, state: AgreementState): readonly AgreementEvent[] {
  requireWhoWhyWhen(command);
  switch (command.type) {
    case 'RegisterAgreement':
      return register(command, state);
    case 'ObserveDate':
      return observeDate(command, state);
    case 'ActivateAgreement': {
      const current = existing(state, command.data.agreementId);
      const from = requireStatus(current, 'active', ['draft', 'suspended']);
      return [{ type: 'AgreementActivated', data: { ...change(current, command.data), version: current.version, from } }];
    }
    case 'SuspendAgreement': {
      const current = existing(state, command.data.agreementId);
      requireStatus(current, 'suspended', ['active']);
      return [{ type: 'AgreementSuspended', data: { ...change(current, command.data), version: current.version } }];
    }
    case 'ExpireAgreement': {
      const current = existing(state, command.data.agreementId);
      const from = requireStatus(current, 'expired', ['active', 'suspended']);
      const data = { ...change(current, command.data), version: current.version, from, effectiveTo: current.effectiveTo };
      return [{ type: 'AgreementExpired', data: { ...data, automatic: false } }];
    }
    case 'TerminateAgreement': {
      const current = existing(state, command.data.agreementId);
      const from = requireStatus(current, 'terminated', ['active', 'suspended']);
      return [{ type: 'AgreementTerminated', data: { ...change(current, command.data), version: current.version, from } }];
    }
    case 'ReviseAgreement':
      return revise(existing(state, command.data.agreementId), command.data.terms, command.data);
    default:
      return assertNever(command, 'agreement command');
  }
}

/**
 * First registration records the entry with its status as given. Later registrations of the
 * same id compare terms only: equal terms give no events (loading area.json twice is a no-op);
 * changed terms give a revision. The file's `status` and `version` are not re-applied: status
 * changes are lifecycle commands, so reloading a file never reactivates a suspended agreement.
 */
function register(command: RegisterAgreement, state: AgreementState): readonly AgreementEvent[] {
  const { agreement, ...meta } = command.data;
  const terms = termsOf(agreement);
  if (isRegistered(state)) return revise(state, terms, meta);
  validateTerms(agreement.id, terms);
  if (!Number.isInteger(agreement.version) || agreement.version < 1) {
    throw new DomainError('AGREEMENT.INVALID_TERMS',
      `agreement ${agreement.id}: version ${JSON.stringify(agreement.version)} is not a whole number from 1`,
      { agreementId: agreement.id, field: 'version', value: agreement.version });
  }
  const record: ChangeRecord = { agreementId: agreement.id, by: meta.by, reason: meta.reason, at: meta.at };
  return [{ type: 'AgreementRegistered', data: { ...record, version: agreement.version, status: agreement.status, terms } }];
}

function revise(current: RegisteredAgreement, terms: AgreementTerms, meta: CommandMeta): readonly AgreementEvent[] {
  if (sameTerms(current, terms)) return [];
  if (current.status === 'terminated' || current.status === 'expired') {
    throw new DomainError('AGREEMENT.INVALID_TRANSITION',
      `agreement ${current.id} v${current.version} cannot be revised: it is ${current.status}, which is final ` +
      `(a revision would keep status ${current.status}); register a new agreement instead`,
      { agreementId: current.id, from: current.status, to: current.status });
  }
  validateTerms(current.id, terms);
  const data = { ...change(current, meta), version: current.version + 1, previousVersion: current.version };
  return [{ type: 'AgreementRevised', data: { ...data, terms: termsOf(terms) } }];
}

function observeDate(command: ObserveDate, state: AgreementState): readonly AgreementEvent[] {
  if (!isRegistered(state)) return [];
  const { today } = command.data;
  if (state.status !== 'active' && state.status !== 'suspended') return [];
  if (today <= state.effectiveTo) return [];
  const reason = `effectiveTo ${state.effectiveTo} has passed (today is ${today})`;
  const data = { ...change(state, { ...command.data, reason }), version: state.version, from: state.status };
  return [{ type: 'AgreementExpired', data: { ...data, effectiveTo: state.effectiveTo, automatic: true } }];
}

/** Who, why and when are part of the record: a change without them is refused. */
function requireWhoWhyWhen(command: AgreementCommand): void {
  const { by, reason, at } = command.data;
  const fail = (field: string, value: unknown, problem: string): never => {
    throw new DomainError('AGREEMENT.INVALID_COMMAND', `${command.type}: ${field} ${JSON.stringify(value)} ${problem}`,
      { command: command.type, field, value });
  };
  if (typeof by !== 'string' || by.trim() === '') fail('by', by, 'is empty: say which agency or user asks');
  if (typeof reason !== 'string' || reason.trim() === '') fail('reason', reason, 'is empty: say why');
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) fail('at', at, 'is not an ISO 8601 instant');
}

function existing(state: AgreementState, agreementId: string): RegisteredAgreement {
  if (isRegistered(state)) return state;
  throw new DomainError('AGREEMENT.NOT_FOUND', `agreement ${agreementId} is not registered`, { agreementId });
}

function requireStatus<From extends AgreementStatus>(
  current: RegisteredAgreement, to: AgreementStatus, allowed: readonly From[],
): From {
  const from = current.status;
  if ((allowed as readonly AgreementStatus[]).includes(from)) return from as From;
  throw new DomainError('AGREEMENT.INVALID_TRANSITION',
    `agreement ${current.id} v${current.version} cannot go from ${from} to ${to} ` +
    `(${to} is reached only from ${allowed.join(' or ')})`,
    { agreementId: current.id, from, to });
}

function change(current: RegisteredAgreement, meta: CommandMeta): ChangeRecord {
  return { agreementId: current.id, by: meta.by, reason: meta.reason, at: meta.at };
}

/** Emmett-style decider: pure `decide` and `evolve`, and the state a new stream starts from. */
export const agreementDecider = {
  decide: decideAgreement,
  evolve: evolveAgreement,
  initialState: (): AgreementState => initialAgreementState,
} as const;
