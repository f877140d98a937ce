import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError, type Purpose, purposes } from '@hub/kernel';

/**
 * The purpose a read is for, from the `X-Purpose` header or the `purpose` query parameter.
 * Missing or unknown: refused with a clear error (REQUEST.PURPOSE_REQUIRED / REQUEST.UNKNOWN_PURPOSE).
 */
export const ReadPurpose = createParamDecorator((_: unknown, context: ExecutionContext): Purpose => {
  const request = context.switchToHttp().getRequest<Request>();
  const header = request.headers['x-purpose'];
  const query = request.query.purpose;
  const value = (Array.isArray(header) ? header[0] : header) ?? (typeof query === 'string' ? query : undefined);
  if (!value) {
    throw new DomainError('REQUEST.PURPOSE_REQUIRED', `Every read names its purpose: send the X-Purpose header or ?purpose= (one of ${purposes.join(', ')})`);
  }
  if (!(purposes as readonly string[]).includes(value)) {
    throw new DomainError('REQUEST.UNKNOWN_PURPOSE', `X-Purpose: ${JSON.stringify(value)} is not a purpose (one of ${purposes.join(', ')})`);
  }
  return value as Purpose;
});

/** Reads about the sharing itself (agreements, the disclosure log) rather than about people. */
export const governancePurposes = ['data-protection'] as const;
export type GovernancePurpose = Purpose | (typeof governancePurposes)[number];

function purposeOf(request: Request): string | undefined {
  const header = request.headers['x-purpose'];
  const query = request.query.purpose;
  return (Array.isArray(header) ? header[0] : header) ?? (typeof query === 'string' ? query : undefined);
}

/**
 * The purpose of a read about the sharing itself: `data-protection` (a data protection officer's
 * oversight) or, where `sharing` is true, one of the sharing purposes.
 */
export const OversightPurpose = createParamDecorator((options: { sharing: boolean }, context: ExecutionContext): GovernancePurpose => {
  const allowed: readonly string[] = options.sharing ? [...governancePurposes, ...purposes] : governancePurposes;
  const value = purposeOf(context.switchToHttp().getRequest<Request>());
  if (!value) {
    throw new DomainError('REQUEST.PURPOSE_REQUIRED', `Every read names its purpose: send the X-Purpose header or ?purpose= (one of ${allowed.join(', ')})`);
  }
  if (!allowed.includes(value)) {
    throw new DomainError('REQUEST.UNKNOWN_PURPOSE', `X-Purpose: ${JSON.stringify(value)} is not a purpose of this read (one of ${allowed.join(', ')})`);
  }
  return value as GovernancePurpose;
});
