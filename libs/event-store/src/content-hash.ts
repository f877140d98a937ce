import { createHash } from 'node:crypto';
import { canonicalJson } from '@hub/kernel';

/** SHA-256 of canonical JSON: equal as JSON, key order aside, means equal hash. */
export function contentHashOf(content: unknown): string {
  return createHash('sha256').update(canonicalJson(content)).digest('base64url');
}
