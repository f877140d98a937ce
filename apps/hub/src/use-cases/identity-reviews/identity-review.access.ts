import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError } from '@hub/kernel';
import type { Principal } from '@hub/security';

/**
 * Clerical review of person links is the hub's own linkage work, not a sharing purpose: it is for
 * the hub administrator (`hub admin-token`), under the purpose `identity-resolution`. What it shows
 * is pseudonymous (subject streams, personRefs, comparison levels and weights), never a name, date
 * of birth or identifier, so nothing in it goes to the disclosure log (libs/identity/README.md).
 */
export const identityReviewPurpose = 'identity-resolution';

export const IdentityReviewPurpose = createParamDecorator((_: unknown, context: ExecutionContext): typeof identityReviewPurpose => {
  const request = context.switchToHttp().getRequest<Request>();
  const header = request.headers['x-purpose'];
  const query = request.query.purpose;
  const value = (Array.isArray(header) ? header[0] : header) ?? (typeof query === 'string' ? query : undefined);
  if (!value) throw new DomainError('REQUEST.PURPOSE_REQUIRED', `Every read names its purpose: send the X-Purpose header or ?purpose=${identityReviewPurpose}`);
  if (value !== identityReviewPurpose) throw new DomainError('REQUEST.UNKNOWN_PURPOSE', `X-Purpose: ${JSON.stringify(value)} is not the purpose of identity review (${identityReviewPurpose})`);
  return identityReviewPurpose;
});

export function requireIdentityReviewer(principal: Principal): void {
  if (principal.role !== 'hub-admin') {
    throw new DomainError('ACCESS.DENIED', `${principal.agencyId} may not review person links: only the hub administrator (hub admin-token) may`);
  }
}
