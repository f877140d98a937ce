import type { Request } from 'express';
import { DomainError } from '@hub/kernel';
import { csrfTokenFor, requireCsrf } from './session';

const post = (body: Record<string, unknown>) => ({ body }) as Request;

describe('dashboard form tokens', () => {
  it('given a session, when a form echoes its token, then the post is accepted', () => {
    expect(() => requireCsrf(post({ _csrf: csrfTokenFor('session-a') }), csrfTokenFor('session-a'))).not.toThrow();
  });

  it('refuses a post without the token, with another session\'s token, or with no session at all', () => {
    for (const [body, expected] of [[{}, csrfTokenFor('a')], [{ _csrf: csrfTokenFor('b') }, csrfTokenFor('a')], [{ _csrf: '' }, undefined]] as const) {
      expect(() => requireCsrf(post(body), expected)).toThrow(expect.objectContaining({ code: 'REQUEST.FORM_EXPIRED' }) as DomainError);
    }
  });

  it('derives different tokens for different sessions', () => {
    expect(csrfTokenFor('a')).not.toBe(csrfTokenFor('b'));
  });
});
