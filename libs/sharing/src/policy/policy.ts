import { purposes as allPurposes, type LocalDate, type Purpose } from '@hub/kernel';
import {
  activeClauses, clauseName, clauseNames, coveredTypeOf, coversType, noActiveAgreementReason, preferredClause,
  type Clause, type PolicyAgreement,
} from './agreement-clauses';

export interface AccessRequest {
  /** The agency asking to see (or to be sent) the data. */
  readonly recipient: string;
  readonly purpose: Purpose;
  /** The agency that published the data. */
  readonly provider: string;
  readonly eventType: string;
  /** The day of the read, in Europe/London. */
  readonly on: LocalDate;
  /** For `<kind>.record.retracted.v1`: the type it retracts, which it counts as. */
  readonly retractedType?: string;
}

export interface AccessGranted {
  readonly allowed: true;
  readonly agreementId: string;
  readonly agreementVersion: number;
  /** e.g. `dsa-northshire-cdp v1 / near-miss-alerting`, as written to the disclosure log. */
  readonly clause: string;
  readonly purpose: Purpose;
  /** The type the grant covers (a retraction's retracted type). */
  readonly eventType: string;
  /** False: aggregates only (with disclosure control), never person-level rows. */
  readonly personLevel: boolean;
  /** The clause's field grant; `all` when it lists none (every field of the covered type). */
  readonly fields: readonly string[] | 'all';
}

export interface AccessDenied {
  readonly allowed: false;
  /** Names what is missing: no active agreement, not a recipient, provider not named, type not covered. */
  readonly reason: string;
}

export type AccessDecision = AccessGranted | AccessDenied;

const deny = (reason: string): AccessDenied => ({ allowed: false, reason });

/** Deny by default: allowed only where an active agreement grants exactly this recipient, purpose, provider and type. */
export function evaluateAccess(agreements: readonly PolicyAgreement[], request: AccessRequest): AccessDecision {
  const { recipient, purpose, provider, on } = request;
  const covered = coveredTypeOf(request.eventType, request.retractedType);
  if (!covered.ok) return deny(covered.reason);
  const forPurpose = activeClauses(agreements, on).filter((c) => c.terms.purpose === purpose);
  if (forPurpose.length === 0) return deny(noActiveAgreementReason(agreements, on, purpose));
  const forRecipient = forPurpose.filter((c) => c.terms.recipients.includes(recipient));
  if (forRecipient.length === 0) {
    return deny(`${recipient} is not a recipient for ${purpose} under ${clauseNames(forPurpose)}`);
  }
  const fromProvider = forRecipient.filter((c) => c.terms.providers.includes(provider));
  if (fromProvider.length === 0) {
    return deny(`provider ${provider} is not named for ${purpose} under ${clauseNames(forRecipient)}`);
  }
  const clause = preferredClause(fromProvider.filter((c) => coversType(c, covered.type)));
  if (clause === undefined) {
    return deny(`type ${covered.type} is not covered for ${purpose} under ${clauseNames(fromProvider)}`);
  }
  return grant(clause, covered.type);
}

function grant(clause: Clause, eventType: string): AccessGranted {
  return {
    allowed: true,
    agreementId: clause.agreement.id,
    agreementVersion: clause.agreement.version,
    clause: clauseName(clause),
    purpose: clause.terms.purpose,
    eventType,
    personLevel: clause.terms.personLevel,
    fields: clause.terms.fields ?? 'all',
  };
}

export interface PublishRequest {
  readonly provider: string;
  readonly eventType: string;
  /** The arrival day, in Europe/London. */
  readonly on: LocalDate;
  readonly retractedType?: string;
}

export type PublishDecision =
  | { readonly allowed: true; readonly agreementId: string; readonly agreementVersion: number; readonly clause: string }
  | AccessDenied;

/** Ingest: an active agreement names the agency as a provider of the type, for any purpose. */
export function mayPublish(agreements: readonly PolicyAgreement[], request: PublishRequest): PublishDecision {
  const { provider, on } = request;
  const covered = coveredTypeOf(request.eventType, request.retractedType);
  if (!covered.ok) return deny(covered.reason);
  const active = activeClauses(agreements, on);
  if (active.length === 0) return deny(noActiveAgreementReason(agreements, on));
  const naming = active.filter((c) => c.terms.providers.includes(provider));
  if (naming.length === 0) return deny(`provider ${provider} is not named by any active agreement on ${on}`);
  const clause = preferredClause(naming.filter((c) => coversType(c, covered.type)));
  if (clause === undefined) {
    return deny(`type ${covered.type} is not covered for provider ${provider} under ${clauseNames(naming)}`);
  }
  return { allowed: true, agreementId: clause.agreement.id, agreementVersion: clause.agreement.version, clause: clauseName(clause) };
}

export interface RoutingRequest {
  /** Omit to consider every purpose (one grant per recipient and purpose). */
  readonly purpose?: Purpose;
  readonly provider: string;
  readonly eventType: string;
  readonly on: LocalDate;
  /** The agencies the rule would notify; only those an agreement allows are returned, in this order. */
  readonly candidates: readonly string[];
  readonly retractedType?: string;
}

export type RecipientGrant = AccessGranted & { readonly recipient: string };

/** Alert routing: which candidates may receive data of this type from this provider, and under which clause. */
export function recipientsFor(agreements: readonly PolicyAgreement[], request: RoutingRequest): readonly RecipientGrant[] {
  const purposes = request.purpose === undefined ? allPurposes : [request.purpose];
  return [...new Set(request.candidates)].flatMap((recipient) =>
    purposes.flatMap((purpose) => {
      const decision = evaluateAccess(agreements, { ...request, recipient, purpose });
      return decision.allowed ? [{ ...decision, recipient }] : [];
    }));
}
