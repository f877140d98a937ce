import { createHash } from 'node:crypto';

/** The hub's namespace for name-based ids (a fixed random UUID). */
const hubNamespace = Buffer.from('5b0f3c6e8f2a4c1d9e7b2a6c4d8e0f13', 'hex');

/**
 * A UUID (version 5, RFC 9562) named by `parts`: the same trigger always gives the same id, so a
 * processor that decides twice appends a duplicate, never a second alert.
 */
export function deterministicId(...parts: readonly string[]): string {
  const hash = createHash('sha1').update(hubNamespace).update(parts.join('\u001f'), 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
