import { createCipheriv, createDecipheriv } from 'node:crypto';
import { randomBytesFromPool } from './random-pool';
import { CryptoError } from './crypto-error';

/**
 * AES-256-GCM with a fresh random 96-bit IV per message. Token:
 * `<version>.<iv>.<tag>.<ciphertext>`, each part base64url. The version names both the
 * format and what the token holds (`f1` a field, `k1` a wrapped key), and is authenticated
 * with the caller's associated data, so a token cannot be relabelled or moved to another
 * context without failing.
 */
export type TokenVersion = 'f1' | 'k1';

const keyBytes = 32;
const ivBytes = 12;
const tagBytes = 16;

export function requireKey(key: Uint8Array, what = 'key'): void {
  if (!(key instanceof Uint8Array) || key.length !== keyBytes) {
    throw new CryptoError('CRYPTO.INVALID_KEY', `${what} must be ${keyBytes} bytes (AES-256), got ${key?.length ?? 'none'}`);
  }
}

function associatedData(version: TokenVersion, aad: string): Buffer {
  return Buffer.from(`${version}\u0000${aad}`, 'utf8');
}

export function sealBytes(version: TokenVersion, key: Uint8Array, plaintext: Uint8Array, aad: string): string {
  requireKey(key);
  const iv = randomBytesFromPool(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: tagBytes });
  cipher.setAAD(associatedData(version, aad));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'));
  return [version, ...parts].join('.');
}

export function openSealed(version: TokenVersion, key: Uint8Array, token: string, aad: string): Buffer {
  requireKey(key);
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 4) {
    throw new CryptoError('CRYPTO.MALFORMED_TOKEN', `expected a token <version>.<iv>.<tag>.<ciphertext>, got ${parts.length} part(s)`);
  }
  const [tokenVersion, ivText, tagText, ciphertextText] = parts as [string, string, string, string];
  if (tokenVersion !== version) {
    // The found label is not echoed: a value passed here by mistake may be plaintext.
    throw new CryptoError('CRYPTO.UNSUPPORTED_VERSION', `expected a ${version} token, got another version`);
  }
  const [iv, tag, ciphertext] = [ivText, tagText, ciphertextText]
    .map((part) => Buffer.from(part, 'base64url')) as [Buffer, Buffer, Buffer];
  if (iv.length !== ivBytes || tag.length !== tagBytes) {
    throw new CryptoError('CRYPTO.MALFORMED_TOKEN',
      `token IV must be ${ivBytes} bytes and tag ${tagBytes}, got ${iv.length} and ${tag.length}`);
  }
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: tagBytes });
  decipher.setAAD(associatedData(version, aad));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new CryptoError('CRYPTO.AUTHENTICATION_FAILED',
      `${version} token failed authentication: wrong key, wrong associated data, or the token was altered`);
  }
}
