const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A pseudonymous personRef from a keyed hash (the vault's blind index, base64url): `P-` and 12
 * Crockford base-32 characters (60 bits). Named by what started the person (its trigger event and
 * subject stream), never by an identifier.
 */
export function personRefFrom(keyedHash: string): string {
  const bytes = Buffer.from(keyedHash, 'base64url');
  if (bytes.length < 8) throw new Error(`personRefFrom: a keyed hash of at least 8 bytes is needed, got ${bytes.length}`);
  let bits = 0n;
  for (const byte of bytes.subarray(0, 8)) bits = (bits << 8n) | BigInt(byte);
  let ref = '';
  for (let i = 0; i < 12; i++) ref += crockford[Number((bits >> BigInt(64 - 5 * (i + 1))) & 31n)];
  return `P-${ref}`;
}
