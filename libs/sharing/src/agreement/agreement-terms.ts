import {
  DomainError, canonicalJson, isAgencyEventType, isRealDate, purposes,
  type Agreement, type AgreementPurpose,
} from '@hub/kernel';
import { isProjectionField } from '../policy/projection-fields';

/** What an agreement says, apart from its identity, version and lifecycle status. */
export type AgreementTerms = Pick<
  Agreement, 'title' | 'effectiveFrom' | 'effectiveTo' | 'reviewOn' | 'respectsNationalDataOptOut' | 'purposes'
>;

/** The terms of an area-config entry, keeping only the keys SPEC section 4 defines. */
export function termsOf(agreement: AgreementTerms): AgreementTerms {
  return {
    title: agreement.title,
    effectiveFrom: agreement.effectiveFrom,
    effectiveTo: agreement.effectiveTo,
    reviewOn: agreement.reviewOn,
    respectsNationalDataOptOut: agreement.respectsNationalDataOptOut,
    purposes: agreement.purposes.map(clauseOf),
  };
}

function clauseOf(clause: AgreementPurpose): AgreementPurpose {
  return {
    purpose: clause.purpose,
    lawfulBasis: clause.lawfulBasis,
    providers: [...clause.providers],
    recipients: [...clause.recipients],
    eventTypes: [...clause.eventTypes],
    personLevel: clause.personLevel,
    retentionDays: clause.retentionDays,
    ...(clause.fields === undefined ? {} : { fields: [...clause.fields] }),
  };
}

/**
 * Equal in meaning: the order of purposes and of the agency, type and field lists does not
 * matter (reordering area.json is not a new version of the agreement).
 */
export function sameTerms(a: AgreementTerms, b: AgreementTerms): boolean {
  return canonicalJson(normalised(a)) === canonicalJson(normalised(b));
}

function normalised(terms: AgreementTerms): AgreementTerms {
  const sorted = (list: readonly string[]) => [...list].sort();
  const clauses = termsOf(terms).purposes.map((clause) => ({
    ...clause,
    providers: sorted(clause.providers),
    recipients: sorted(clause.recipients),
    eventTypes: sorted(clause.eventTypes),
    ...(clause.fields === undefined ? {} : { fields: sorted(clause.fields) }),
  }));
  return { ...termsOf(terms), purposes: clauses.sort((x, y) => x.purpose.localeCompare(y.purpose)) };
}

/** Refuses terms a policy could not apply safely; the message names the field and the value. */
export function validateTerms(agreementId: string, terms: AgreementTerms): void {
  const fail = (field: string, value: unknown, problem: string): never => {
    throw new DomainError(
      'AGREEMENT.INVALID_TERMS',
      `agreement ${agreementId}: ${field} ${JSON.stringify(value)} ${problem}`,
      { agreementId, field, value },
    );
  };
  if (typeof terms.title !== 'string' || terms.title.trim() === '') fail('title', terms.title, 'is empty');
  for (const field of ['effectiveFrom', 'effectiveTo', 'reviewOn'] as const) {
    if (typeof terms[field] !== 'string' || !isRealDate(terms[field])) fail(field, terms[field], 'is not a date (YYYY-MM-DD)');
  }
  if (terms.effectiveTo < terms.effectiveFrom) {
    fail('effectiveTo', terms.effectiveTo, `is before effectiveFrom ${terms.effectiveFrom}`);
  }
  if (!Array.isArray(terms.purposes) || terms.purposes.length === 0) fail('purposes', terms.purposes, 'is empty');
  const seen = new Set<string>();
  terms.purposes.forEach((clause, index) => {
    const at = `purposes[${index}]`;
    if (seen.has(clause.purpose)) fail(`${at}.purpose`, clause.purpose, 'appears twice (a clause is named by its purpose)');
    seen.add(clause.purpose);
    validateClause(clause, at, fail);
  });
}

type Fail = (field: string, value: unknown, problem: string) => never;

function validateClause(clause: AgreementPurpose, at: string, fail: Fail): void {
  if (!(purposes as readonly string[]).includes(clause.purpose)) {
    fail(`${at}.purpose`, clause.purpose, `is not one of ${purposes.join(', ')}`);
  }
  if (typeof clause.lawfulBasis !== 'string' || clause.lawfulBasis.trim() === '') {
    fail(`${at}.lawfulBasis`, clause.lawfulBasis, 'is empty');
  }
  for (const list of ['providers', 'recipients', 'eventTypes'] as const) {
    if (!Array.isArray(clause[list]) || clause[list].length === 0) fail(`${at}.${list}`, clause[list], 'is empty');
  }
  clause.eventTypes.forEach((type, i) => {
    if (type !== '*' && !isAgencyEventType(type)) fail(`${at}.eventTypes[${i}]`, type, 'is neither a catalogue type nor "*"');
  });
  (clause.fields ?? []).forEach((field, i) => {
    if (!isProjectionField(field)) fail(`${at}.fields[${i}]`, field, 'is not a projection field name');
  });
  if (typeof clause.personLevel !== 'boolean') fail(`${at}.personLevel`, clause.personLevel, 'is not a boolean');
  if (!Number.isInteger(clause.retentionDays) || clause.retentionDays <= 0) {
    fail(`${at}.retentionDays`, clause.retentionDays, 'is not a positive whole number of days');
  }
}
