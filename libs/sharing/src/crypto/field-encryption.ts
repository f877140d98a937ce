import { randomBytesFromPool } from './random-pool';
import { CryptoError } from './crypto-error';
import { openSealed, requireKey, sealBytes } from './sealed-box';

/**
 * Per-person field encryption for crypto-shredding: each person's personal fields are
 * encrypted under that person's data key; deleting the key erases them everywhere.
 * Bind each value to where it belongs with `aad`, e.g. `person:p-7f3a/familyName`, so a
 * token copied to another person or field does not decrypt.
 */
export function generateDataKey(): Buffer {
  // A copy: a key outlives the pool it was drawn from, and is never a view on shared memory.
  return Buffer.from(randomBytesFromPool(32));
}

export function encryptField(key: Uint8Array, plaintext: string, aad: string): string {
  return sealBytes('f1', key, Buffer.from(plaintext, 'utf8'), aad);
}

export function decryptField(key: Uint8Array, token: string, aad: string): string {
  return openSealed('f1', key, token, aad).toString('utf8');
}

/**
 * A per-person data key sealed under the hub's master key, for the key table. `context`
 * (e.g. the personRef) is authenticated: a wrapped key moved to another row fails to unwrap.
 */
export function wrapKey(masterKey: Uint8Array, dataKey: Uint8Array, context: string): string {
  requireKey(masterKey, 'master key');
  requireKey(dataKey, 'data key');
  return sealBytes('k1', masterKey, dataKey, context);
}

export function unwrapKey(masterKey: Uint8Array, wrapped: string, context: string): Buffer {
  const dataKey = openSealed('k1', masterKey, wrapped, context);
  requireKey(dataKey, 'unwrapped data key');
  return dataKey;
}

/** Keys in configuration (the master key, the blind-index key) are base64url text. */
export function encodeKey(key: Uint8Array): string {
  requireKey(key);
  return Buffer.from(key).toString('base64url');
}

export function decodeKey(text: string): Buffer {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]+$/.test(text)) {
    throw new CryptoError('CRYPTO.INVALID_KEY', 'a key must be base64url text');
  }
  const key = Buffer.from(text, 'base64url');
  requireKey(key);
  return key;
}
