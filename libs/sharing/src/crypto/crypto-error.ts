/**
 * A key or token problem. Messages never include plaintext, keys or tokens. Not a
 * DomainError: a token that fails to decrypt is a fault to investigate (wrong key, wrong
 * context, tampering), not a business rule a caller broke.
 */
export class CryptoError extends Error {
  constructor(
    readonly code: 'CRYPTO.INVALID_KEY' | 'CRYPTO.MALFORMED_TOKEN' | 'CRYPTO.UNSUPPORTED_VERSION'
      | 'CRYPTO.AUTHENTICATION_FAILED' | 'CRYPTO.INVALID_VALUE',
    message: string,
  ) {
    super(message);
    this.name = 'CryptoError';
  }
}
