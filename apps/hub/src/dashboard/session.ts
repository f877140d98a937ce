import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { parse } from 'cookie';
import type { Request, Response } from 'express';
import { DomainError } from '@hub/kernel';

export const sessionCookie = 'hub_session';
/** Before sign-in there is no session to bind a form to: a random value in its own cookie instead. */
export const signInCookie = 'hub_sign_in';
export const dashboardPath = '/dashboard';
/** Dashboard sign-ins are short-lived: an hour, then sign in again. */
export const sessionTtlSeconds = 3600;

export function cookieOf(request: Request, name: string): string | undefined {
  const header = request.headers.cookie;
  return header ? parse(header)[name] : undefined;
}

export function sessionTokenOf(request: Request): string | undefined {
  return cookieOf(request, sessionCookie);
}

const cookieOptions = (request: Request) => ({ httpOnly: true, sameSite: 'strict' as const, secure: request.secure, path: dashboardPath });

export function startSession(request: Request, response: Response, token: string): void {
  response.cookie(sessionCookie, token, { ...cookieOptions(request), maxAge: sessionTtlSeconds * 1000 });
  response.clearCookie(signInCookie, cookieOptions(request));
}

export function endSession(request: Request, response: Response): void {
  response.clearCookie(sessionCookie, cookieOptions(request));
}

/**
 * The CSRF token of a signed-in form: an HMAC keyed by the session token, which a cross-site page
 * can neither read (HttpOnly) nor send (SameSite=Strict), so it cannot forge the form either.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('cdp-hub dashboard form').digest('base64url');
}

/** The sign-in form's token: a random value, also set as a cookie, that the form must echo. */
export function signInCsrfToken(request: Request, response: Response): string {
  const existing = cookieOf(request, signInCookie);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomBytes(32).toString('base64url');
  response.cookie(signInCookie, token, { ...cookieOptions(request), maxAge: 3600 * 1000 });
  return token;
}

/** Refuses a form post whose `_csrf` field does not match what this browser's cookies say it must be. */
export function requireCsrf(request: Request, expected: string | undefined): void {
  const sent = (request.body as Record<string, unknown> | undefined)?._csrf;
  if (!expected || typeof sent !== 'string' || !sameText(sent, expected)) {
    throw new DomainError('REQUEST.FORM_EXPIRED', '_csrf: the form was not sent from this dashboard session (it may have expired); go back, reload the page and try again');
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
