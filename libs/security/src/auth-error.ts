/** Why a request could not be authenticated; `code` is stable, the message is safe to return. */
export class AuthenticationError extends Error {
  constructor(readonly code: 'AUTH.MISSING' | 'AUTH.INVALID' | 'AUTH.EXPIRED' | 'AUTH.WRONG_AUDIENCE' | 'AUTH.REVOKED' | 'AUTH.UNKNOWN_KEY' | 'AUTH.UNKNOWN_AGENCY', message: string) {
    super(message);
    this.name = 'AuthenticationError';
  }
}
