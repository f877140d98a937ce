import { blindIndex } from './blind-index';
import { CryptoError } from './crypto-error';
import {
  decodeKey, decryptField, encodeKey, encryptField, generateDataKey, unwrapKey, wrapKey,
} from './field-encryption';

const aad = 'person:p-7f3a/familyName';

function refusal(action: () => unknown): CryptoError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(CryptoError);
    return error as CryptoError;
  }
  throw new Error('expected a CryptoError, but the action succeeded');
}

describe('per-person field encryption', () => {
  it('round-trips text, including empty and non-ASCII values', () => {
    const key = generateDataKey();
    for (const value of ['Bloggs', '', 'Zoë Ó Briain', '1988-04-12']) {
      expect(decryptField(key, encryptField(key, value, aad), aad)).toBe(value);
    }
  });

  it('produces a compact self-describing token: version, IV, tag, ciphertext, base64url', () => {
    const token = encryptField(generateDataKey(), 'Bloggs', aad);
    expect(token).toMatch(/^f1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(token).not.toContain('Bloggs');
  });

  it('fails clearly with the wrong key, the wrong associated data, or a tampered token', () => {
    const key = generateDataKey();
    const token = encryptField(key, 'Bloggs', aad);
    expect(refusal(() => decryptField(generateDataKey(), token, aad)).code).toBe('CRYPTO.AUTHENTICATION_FAILED');
    expect(refusal(() => decryptField(key, token, 'person:p-0000/familyName')).message)
      .toBe('f1 token failed authentication: wrong key, wrong associated data, or the token was altered');
    const [version, iv, tag, ciphertext] = token.split('.') as [string, string, string, string];
    const flip = (text: string) => Buffer.from(Buffer.from(text, 'base64url').map((b, i) => (i === 0 ? b ^ 1 : b))).toString('base64url');
    for (const tampered of [[version, flip(iv), tag, ciphertext], [version, iv, flip(tag), ciphertext], [version, iv, tag, flip(ciphertext)]]) {
      expect(refusal(() => decryptField(key, tampered.join('.'), aad)).code).toBe('CRYPTO.AUTHENTICATION_FAILED');
    }
    expect(refusal(() => decryptField(key, `f2.${iv}.${tag}.${ciphertext}`, aad)).code).toBe('CRYPTO.UNSUPPORTED_VERSION');
    expect(refusal(() => decryptField(key, 'Bloggs', aad)).code).toBe('CRYPTO.MALFORMED_TOKEN');
    expect(refusal(() => decryptField(key, `${version}.${iv.slice(2)}.${tag}.${ciphertext}`, aad)).code).toBe('CRYPTO.MALFORMED_TOKEN');
  });

  it('never repeats an IV across 100,000 encryptions under one key', () => {
    const key = generateDataKey();
    const ivs = new Set<string>();
    for (let i = 0; i < 100_000; i++) ivs.add(encryptField(key, 'x', aad).split('.')[1]!);
    expect(ivs.size).toBe(100_000);
  });

  it('refuses keys that are not 256 bits, without echoing them', () => {
    const error = refusal(() => encryptField(Buffer.alloc(16, 7), 'Bloggs', aad));
    expect(error).toMatchObject({ code: 'CRYPTO.INVALID_KEY', message: 'key must be 32 bytes (AES-256), got 16' });
  });
});

describe('key wrapping', () => {
  it('stores a data key sealed under the master key, bound to its person', () => {
    const master = generateDataKey();
    const dataKey = generateDataKey();
    const wrapped = wrapKey(master, dataKey, 'p-7f3a');
    expect(wrapped).toMatch(/^k1\./);
    expect(unwrapKey(master, wrapped, 'p-7f3a').equals(dataKey)).toBe(true);
    expect(refusal(() => unwrapKey(generateDataKey(), wrapped, 'p-7f3a')).code).toBe('CRYPTO.AUTHENTICATION_FAILED');
    expect(refusal(() => unwrapKey(master, wrapped, 'p-0000')).code).toBe('CRYPTO.AUTHENTICATION_FAILED');
  });

  it('does not let a field token pass for a wrapped key, or the reverse', () => {
    const master = generateDataKey();
    const fieldToken = encryptField(master, 'Bloggs', 'p-7f3a');
    expect(refusal(() => unwrapKey(master, fieldToken, 'p-7f3a')).code).toBe('CRYPTO.UNSUPPORTED_VERSION');
    const relabelled = `f1.${wrapKey(master, generateDataKey(), 'p-7f3a').slice(3)}`;
    expect(refusal(() => decryptField(master, relabelled, 'p-7f3a')).code).toBe('CRYPTO.AUTHENTICATION_FAILED');
  });

  it('encodes keys for configuration as base64url and reads them back', () => {
    const key = generateDataKey();
    expect(decodeKey(encodeKey(key)).equals(key)).toBe(true);
    expect(refusal(() => decodeKey('not a key!')).code).toBe('CRYPTO.INVALID_KEY');
    expect(refusal(() => decodeKey(Buffer.alloc(8).toString('base64url'))).code).toBe('CRYPTO.INVALID_KEY');
  });
});

describe('blind index', () => {
  const indexKey = generateDataKey();

  it('is stable for a value and a key, and differs between values', () => {
    expect(blindIndex(indexKey, 'nhs:9434765919')).toBe(blindIndex(Buffer.from(indexKey), 'nhs:9434765919'));
    expect(blindIndex(indexKey, 'nhs:9434765919')).not.toBe(blindIndex(indexKey, 'nhs:9434765920'));
    expect(blindIndex(indexKey, 'nhs:9434765919')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('depends on the key: another hub cannot match the same identifier', () => {
    expect(blindIndex(generateDataKey(), 'nomis:A1234BC')).not.toBe(blindIndex(indexKey, 'nomis:A1234BC'));
  });

  it('is HMAC-SHA-256 in base64url (value computed independently with Python\'s hmac module)', () => {
    expect(blindIndex(Buffer.alloc(32, 0x0b), 'Hi There')).toBe('GYpgfrRL-8aZA6Dxzyu9xboKo_PZrjwcejsWlqC2jPc');
  });

  it('refuses a short key or an empty value', () => {
    expect(refusal(() => blindIndex(Buffer.alloc(16), 'x')).code).toBe('CRYPTO.INVALID_KEY');
    expect(refusal(() => blindIndex(indexKey, '')).code).toBe('CRYPTO.INVALID_VALUE');
  });
});
