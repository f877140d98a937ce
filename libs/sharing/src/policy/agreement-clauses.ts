import {
  factEventTypes, isFactEventType, isRetractionEventType, publisherKindOf,
  type Agreement, type AgreementPurpose, type LocalDate, type Purpose,
} from '@hub/kernel';
import type { UnregisteredAgreement } from '../agreement/agreement.state';

/** What the policy reads: aggregate states (unregistered ones are ignored) or plain area-config entries. */
export type PolicyAgreement = Agreement | UnregisteredAgreement;

/** One purpose of one agreement: the unit a grant is made under. */
export interface Clause {
  readonly agreement: Agreement;
  readonly terms: AgreementPurpose;
}

export function registeredAgreements(agreements: readonly PolicyAgreement[]): readonly Agreement[] {
  return agreements.filter((a): a is Agreement => a.status !== 'unregistered');
}

/** Active = status active and `on` within effectiveFrom..effectiveTo, both days included. */
export function isActiveOn(agreement: Agreement, on: LocalDate): boolean {
  return agreement.status === 'active' && agreement.effectiveFrom <= on && on <= agreement.effectiveTo;
}

export function activeClauses(agreements: readonly PolicyAgreement[], on: LocalDate): readonly Clause[] {
  return registeredAgreements(agreements)
    .filter((agreement) => isActiveOn(agreement, on))
    .flatMap((agreement) => agreement.purposes.map((terms) => ({ agreement, terms })));
}

/** How a grant names its clause in decisions and in the disclosure log: `dsa-northshire-cdp v1 / near-miss-alerting`. */
export function clauseName(clause: Clause): string {
  return `${clause.agreement.id} v${clause.agreement.version} / ${clause.terms.purpose}`;
}

export function clauseNames(clauses: readonly Clause[]): string {
  return clauses.map(clauseName).join(', ');
}

/** `*` covers every type. */
export function coversType(clause: Clause, eventType: string): boolean {
  return clause.terms.eventTypes.includes('*') || clause.terms.eventTypes.includes(eventType);
}

/**
 * When several clauses grant the same thing, one must be named in the disclosure log:
 * person-level before aggregate-only, then by agreement id and version.
 */
export function preferredClause(clauses: readonly Clause[]): Clause | undefined {
  return [...clauses].sort((x, y) =>
    Number(y.terms.personLevel) - Number(x.terms.personLevel) ||
    x.agreement.id.localeCompare(y.agreement.id) ||
    x.agreement.version - y.agreement.version)[0];
}

/** Why nothing is active for a purpose on a date, naming each agreement that would otherwise apply. */
export function noActiveAgreementReason(
  agreements: readonly PolicyAgreement[], on: LocalDate, purpose?: Purpose,
): string {
  const what = purpose === undefined ? '' : ` for ${purpose}`;
  const candidates = registeredAgreements(agreements)
    .filter((a) => purpose === undefined || a.purposes.some((p) => p.purpose === purpose));
  if (candidates.length === 0) return `no active agreement${what} on ${on}: none is registered${what}`;
  const why = candidates.map((a) => `${a.id} v${a.version} ${inactiveBecause(a, on)}`).join('; ');
  return `no active agreement${what} on ${on} (${why})`;
}

function inactiveBecause(agreement: Agreement, on: LocalDate): string {
  if (agreement.status !== 'active') return `is ${agreement.status}`;
  if (on < agreement.effectiveFrom) return `takes effect on ${agreement.effectiveFrom}`;
  return `ended on ${agreement.effectiveTo}`;
}

export type CoveredType = { readonly ok: true; readonly type: string } | { readonly ok: false; readonly reason: string };

/** A retraction counts as the type it retracts, which must be a fact type of the same publisher kind. */
export function coveredTypeOf(eventType: string, retractedType?: string): CoveredType {
  if (!isRetractionEventType(eventType)) return { ok: true, type: eventType };
  if (retractedType === undefined) {
    return { ok: false, reason: `${eventType} needs its retractedType: a retraction counts as the type it retracts` };
  }
  if (!isFactEventType(retractedType)) {
    return { ok: false, reason: `retractedType ${retractedType} is not a catalogue fact type` };
  }
  if (factEventTypes[retractedType] !== publisherKindOf(eventType)) {
    return { ok: false, reason: `${eventType} cannot retract ${retractedType}, a ${factEventTypes[retractedType]} type` };
  }
  return { ok: true, type: retractedType };
}
