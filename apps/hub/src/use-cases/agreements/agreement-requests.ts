import { type Agreement, agreementStatuses, DomainError } from '@hub/kernel';
import type { AgreementTerms } from '@hub/sharing';

/** Request bodies of the agreement commands, checked before the decider sees them: errors name the field and value. */
function fail(field: string, value: unknown, problem: string): never {
  throw new DomainError('REQUEST.INVALID_BODY', `${field}: ${JSON.stringify(value) ?? 'undefined'} ${problem}`, { field });
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, value, 'is not a JSON object');
  return value as Record<string, unknown>;
}

export function reasonOf(body: unknown): string {
  const reason = object(body, '(body)').reason;
  if (typeof reason !== 'string' || reason.trim() === '') fail('reason', reason, 'is required: say why (it is recorded with the change)');
  if (reason.length > 2000) fail('reason', `${reason.slice(0, 20)}...`, 'is longer than 2000 characters');
  return reason.trim();
}

function termsOfBody(value: Record<string, unknown>, at: string): AgreementTerms {
  if (typeof value.respectsNationalDataOptOut !== 'boolean') fail(`${at}.respectsNationalDataOptOut`, value.respectsNationalDataOptOut, 'is not a boolean');
  if (!Array.isArray(value.purposes)) fail(`${at}.purposes`, value.purposes, 'is not a list');
  (value.purposes as unknown[]).forEach((clause, i) => object(clause, `${at}.purposes[${i}]`));
  // Dates, purposes, agencies, types, fields and retention are checked by the agreement's own rules (validateTerms).
  return {
    title: value.title as string, effectiveFrom: value.effectiveFrom as string, effectiveTo: value.effectiveTo as string,
    reviewOn: value.reviewOn as string, respectsNationalDataOptOut: value.respectsNationalDataOptOut as boolean,
    purposes: value.purposes as AgreementTerms['purposes'],
  };
}

export function newAgreementOf(body: unknown): Agreement {
  const agreement = object(object(body, '(body)').agreement, 'agreement');
  if (typeof agreement.id !== 'string' || !/^[a-z0-9][a-z0-9-]{0,99}$/.test(agreement.id)) {
    fail('agreement.id', agreement.id, 'must be lower-case letters, digits and hyphens (at most 100)');
  }
  const status = agreement.status ?? 'draft';
  if (!(agreementStatuses as readonly unknown[]).includes(status)) fail('agreement.status', status, `is not one of ${agreementStatuses.join(', ')}`);
  const version = agreement.version ?? 1;
  return { id: agreement.id as string, version: version as number, status: status as Agreement['status'], ...termsOfBody(agreement, 'agreement') };
}

export function revisedTermsOf(body: unknown): AgreementTerms {
  return termsOfBody(object(object(body, '(body)').terms, 'terms'), 'terms');
}
