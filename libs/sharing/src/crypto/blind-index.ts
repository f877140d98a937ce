import { createHmac } from 'node:crypto';
import { CryptoError } from './crypto-error';

/**
 * A keyed fingerprint (HMAC-SHA-256, base64url) of an identifier, for exact matching
 * (NHS number, PNC ID, NOMIS number, CRN) without storing it in clear. The caller
 * normalises first (SPEC: identifiers without spaces, upper-cased) and should prefix the
 * identifier kind (`nhs:9434765919`) so that equal strings of different kinds do not match.
 * The index key is not a data key: shredding a person leaves it in place.
 */
export function blindIndex(indexKey: Uint8Array, normalisedValue: string): string {
  if (!(indexKey instanceof Uint8Array) || indexKey.length < 32) {
    throw new CryptoError('CRYPTO.INVALID_KEY', `blind-index key must be at least 32 bytes, got ${indexKey?.length ?? 'none'}`);
  }
  if (typeof normalisedValue !== 'string' || normalisedValue === '') {
    throw new CryptoError('CRYPTO.INVALID_VALUE', 'blind index of an empty value: nothing to match on');
  }
  return createHmac('sha256', indexKey).update(normalisedValue, 'utf8').digest('base64url');
}
