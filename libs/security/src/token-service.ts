import { randomUUID } from 'node:crypto';
import { decodeProtectedHeader, errors, exportJWK, generateKeyPair, importJWK, importSPKI, type JWK, jwtVerify, SignJWT } from 'jose';
import type { Database } from '@hub/database';
import { type Clock, DomainError } from '@hub/kernel';
import { decryptField, encryptField } from '@hub/sharing';
import { AuthenticationError } from './auth-error';

export const tokenAudience = 'cdp-hub';
export const hubIssuer = 'cdp-hub';
const algorithm = 'ES256';
/** The subject of hub administrator tokens: not an agency, so every agency read is denied to it. */
export const hubAdminSubject = 'hub-admin';
/** Rotation: an agency holds at most two active keys (the current one and the next). */
export const maxActiveKeysPerAgency = 2;

/** A signing key as the hub lists it: never the key material. */
export interface SigningKeyInfo {
  readonly kid: string;
  readonly owner: string;
  readonly status: 'active' | 'retired' | 'revoked';
  readonly createdAt: string;
  readonly statusChangedAt: string | null;
  readonly changedBy: string | null;
  readonly changeReason: string | null;
}

export interface Principal {
  /** The agency the caller is. */
  readonly agencyId: string;
  /** Which key signed the token. */
  readonly kid: string;
  readonly expiresAt: string;
  /** `hub-admin`: a hub administrator (tokens the hub signs with `issueAdmin`); absent for agencies. */
  readonly role?: 'hub-admin';
}

/**
 * Bearer tokens: the hub signs tokens for agencies (embedded default, tests, dashboard sign-in),
 * and agencies may sign their own with keys registered here. Audience and expiry are checked;
 * revoked keys fail at once.
 */
export class TokenService {
  constructor(private readonly database: Database, private readonly masterKey: Buffer, private readonly clock: Clock) {}

  /** Makes the hub's signing key if there is none (on `hub init`); never logs it. */
  async ensureHubKey(): Promise<string> {
    const existing = await this.database.query<{ kid: string }>(
      `SELECT kid FROM security.signing_keys WHERE owner = 'hub' AND status = 'active' ORDER BY created_at DESC LIMIT 1`,
    );
    if (existing.rows[0]) return existing.rows[0].kid;
    const { publicKey, privateKey } = await generateKeyPair(algorithm, { extractable: true });
    const kid = `hub-${randomUUID()}`;
    const sealed = encryptField(this.masterKey, JSON.stringify(await exportJWK(privateKey)), `signing-key:${kid}`);
    await this.database.transaction(async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext('cdp-hub:hub-signing-key'))");
      const again = await client.query(`SELECT 1 FROM security.signing_keys WHERE owner = 'hub' AND status = 'active'`);
      if (again.rowCount) return;
      await client.query(
        `INSERT INTO security.signing_keys (kid, owner, alg, public_jwk, sealed_private_jwk, status) VALUES ($1, 'hub', $2, $3, $4, 'active')`,
        [kid, algorithm, JSON.stringify(await exportJWK(publicKey)), sealed],
      );
    });
    return this.ensureHubKey();
  }

  async issue(agencyId: string, ttlSeconds = 3600): Promise<string> {
    return this.sign(agencyId, ttlSeconds, {});
  }

  private async sign(subject: string, ttlSeconds: number, claims: Record<string, unknown>): Promise<string> {
    const kid = await this.ensureHubKey();
    const { rows } = await this.database.query<{ sealed_private_jwk: string }>(
      'SELECT sealed_private_jwk FROM security.signing_keys WHERE kid = $1', [kid],
    );
    const jwk = JSON.parse(decryptField(this.masterKey, rows[0]!.sealed_private_jwk, `signing-key:${kid}`)) as JWK;
    const key = await importJWK(jwk, algorithm);
    const now = Math.floor(this.clock.now().getTime() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: algorithm, kid, typ: 'JWT' })
      .setIssuer(hubIssuer).setSubject(subject).setAudience(tokenAudience)
      .setIssuedAt(now).setExpirationTime(now + ttlSeconds).setJti(randomUUID())
      .sign(key);
  }

  /** A hub administrator token (`hub admin-token`): administers agreements and reads the whole disclosure log. */
  async issueAdmin(ttlSeconds = 3600): Promise<string> {
    return this.sign(hubAdminSubject, ttlSeconds, { role: 'hub-admin' });
  }

  /**
   * Registers the public half of a key an agency signs its own tokens with (ES256: a P-256 JWK or
   * an SPKI PEM). Rotation: at most two active keys per agency, so a new key can be rolled out
   * before the old one is revoked.
   */
  async registerAgencyKey(request: { agencyId: string; publicKey: string; kid?: string; by: string; reason: string }): Promise<SigningKeyInfo> {
    const jwk = await publicJwkOf(request.publicKey);
    const kid = request.kid ?? `${request.agencyId}-${randomUUID()}`;
    if (!/^[A-Za-z0-9._:-]{1,200}$/.test(kid)) {
      throw new DomainError('KEYS.INVALID_KID', `--kid: ${JSON.stringify(kid)} must be 1-200 letters, digits, '.', '_', ':' or '-'`);
    }
    await this.database.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`cdp-hub:signing-keys:${request.agencyId}`]);
      const { rows } = await client.query<{ kid: string }>(
        `SELECT kid FROM security.signing_keys WHERE owner = $1 AND status = 'active' ORDER BY created_at`, [request.agencyId],
      );
      if (rows.length >= maxActiveKeysPerAgency) {
        throw new DomainError('KEYS.TOO_MANY_ACTIVE',
          `agency ${request.agencyId} already has ${rows.length} active keys (${rows.map((r) => r.kid).join(', ')}); revoke one before adding another`,
          { agencyId: request.agencyId });
      }
      const inserted = await client.query(
        `INSERT INTO security.signing_keys (kid, owner, alg, public_jwk, status, changed_by, change_reason)
         VALUES ($1, $2, $3, $4, 'active', $5, $6) ON CONFLICT (kid) DO NOTHING`,
        [kid, request.agencyId, algorithm, JSON.stringify(jwk), request.by, request.reason],
      );
      if (!inserted.rowCount) throw new DomainError('KEYS.KID_CONFLICT', `--kid: ${JSON.stringify(kid)} is already registered`, { kid });
    });
    return (await this.listKeys()).find((key) => key.kid === kid)!;
  }

  /** Revokes a key at once: tokens it signed are refused from the next request on. */
  async revokeKey(request: { kid: string; by: string; reason: string }): Promise<SigningKeyInfo> {
    const { rowCount } = await this.database.query(
      `UPDATE security.signing_keys SET status = 'revoked', status_changed_at = $2, changed_by = $3, change_reason = $4
       WHERE kid = $1 AND status <> 'revoked'`,
      [request.kid, this.clock.now().toISOString(), request.by, request.reason],
    );
    const key = (await this.listKeys()).find((k) => k.kid === request.kid);
    if (!key) throw new DomainError('KEYS.NOT_FOUND', `--kid: ${JSON.stringify(request.kid)} is not a key of this hub`, { kid: request.kid });
    if (!rowCount) throw new DomainError('KEYS.INVALID_TRANSITION', `key ${request.kid} is already revoked`, { kid: request.kid });
    return key;
  }

  async listKeys(): Promise<SigningKeyInfo[]> {
    const { rows } = await this.database.query<{
      kid: string; owner: string; status: SigningKeyInfo['status']; created_at: Date; status_changed_at: Date | null; changed_by: string | null; change_reason: string | null;
    }>('SELECT kid, owner, status, created_at, status_changed_at, changed_by, change_reason FROM security.signing_keys ORDER BY owner, created_at, kid');
    return rows.map((row) => ({
      kid: row.kid, owner: row.owner, status: row.status, createdAt: row.created_at.toISOString(),
      statusChangedAt: row.status_changed_at?.toISOString() ?? null, changedBy: row.changed_by, changeReason: row.change_reason,
    }));
  }

  async verify(token: string | undefined): Promise<Principal> {
    if (!token) throw new AuthenticationError('AUTH.MISSING', 'A bearer token is required (Authorization: Bearer <token>)');
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      throw new AuthenticationError('AUTH.INVALID', 'The bearer token is not a JWT');
    }
    if (!kid) throw new AuthenticationError('AUTH.INVALID', 'The bearer token has no key id (kid)');
    const { rows } = await this.database.query<{ owner: string; alg: string; public_jwk: JWK; status: string }>(
      'SELECT owner, alg, public_jwk, status FROM security.signing_keys WHERE kid = $1', [kid],
    );
    const row = rows[0];
    if (!row) throw new AuthenticationError('AUTH.UNKNOWN_KEY', `The token's signing key ${JSON.stringify(kid)} is not known to this hub`);
    if (row.status === 'revoked') throw new AuthenticationError('AUTH.REVOKED', `The token's signing key ${JSON.stringify(kid)} has been revoked`);
    const key = await importJWK(row.public_jwk, row.alg);
    try {
      const { payload } = await jwtVerify(token, key, {
        audience: tokenAudience, algorithms: [row.alg], currentDate: this.clock.now(),
        ...(row.owner === 'hub' ? { issuer: hubIssuer } : { issuer: row.owner, subject: row.owner }),
      });
      if (!payload.sub || !payload.exp) throw new AuthenticationError('AUTH.INVALID', 'The token must name its agency (sub) and expire (exp)');
      const expiresAt = new Date(payload.exp * 1000).toISOString();
      // Only the hub's own key can make an administrator; an agency key cannot claim the role.
      if (row.owner === 'hub' && payload.sub === hubAdminSubject && payload.role === 'hub-admin') {
        return { agencyId: hubAdminSubject, kid, expiresAt, role: 'hub-admin' };
      }
      if (payload.sub === hubAdminSubject) throw new AuthenticationError('AUTH.INVALID', 'The bearer token names the administrator without the hub\'s signature');
      return { agencyId: payload.sub, kid, expiresAt };
    } catch (error) {
      if (error instanceof AuthenticationError) throw error;
      if (error instanceof errors.JWTExpired) throw new AuthenticationError('AUTH.EXPIRED', 'The bearer token has expired');
      if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud') {
        throw new AuthenticationError('AUTH.WRONG_AUDIENCE', `The bearer token is not for this hub (audience must be ${JSON.stringify(tokenAudience)})`);
      }
      throw new AuthenticationError('AUTH.INVALID', 'The bearer token failed verification');
    }
  }
}

/** The public JWK of an ES256 key given as a JWK (JSON) or an SPKI PEM; refuses private keys and other curves. */
export async function publicJwkOf(text: string): Promise<JWK> {
  const trimmed = text.trim();
  let jwk: JWK;
  if (trimmed.startsWith('-----BEGIN PUBLIC KEY-----')) {
    try {
      jwk = await exportJWK(await importSPKI(trimmed, algorithm, { extractable: true }));
    } catch (error) {
      throw new DomainError('KEYS.INVALID_KEY', `--public-key: the PEM is not a P-256 (ES256) public key: ${(error as Error).message}`);
    }
  } else {
    try {
      jwk = JSON.parse(trimmed) as JWK;
    } catch {
      throw new DomainError('KEYS.INVALID_KEY', '--public-key: neither a JWK (JSON) nor an SPKI PEM (-----BEGIN PUBLIC KEY-----)');
    }
  }
  if (typeof jwk !== 'object' || jwk === null || jwk.kty !== 'EC' || jwk.crv !== 'P-256') {
    throw new DomainError('KEYS.INVALID_KEY', `--public-key: kty ${JSON.stringify(jwk?.kty)} crv ${JSON.stringify(jwk?.crv)} is not an EC P-256 key (ES256)`);
  }
  if ('d' in jwk) throw new DomainError('KEYS.INVALID_KEY', '--public-key: this is a private key; register only the public half (drop "d")');
  try {
    await importJWK(jwk, algorithm);
  } catch (error) {
    throw new DomainError('KEYS.INVALID_KEY', `--public-key: not a usable P-256 public key: ${(error as Error).message}`);
  }
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
}
