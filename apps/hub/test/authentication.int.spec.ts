import { exportJWK, exportSPKI, generateKeyPair, type KeyLike, SignJWT } from 'jose';
import { ManualClock } from '@hub/kernel';
import { CdpEvents, testPerson } from '../../../test/support/cdp-events';
import { type HubHttp, serveHubOverHttp } from './support/hub-http';
import { openTestHub, type TestHub } from './support/test-hub';

/** An agency's own key pair, as its identity team would make it. */
async function agencyKey() {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { publicKey, privateKey, jwk: JSON.stringify(await exportJWK(publicKey)), pem: await exportSPKI(publicKey) };
}

describe('authentication: agencies\' own keys with rotation and revocation, audience and expiry', () => {
  let t: TestHub;
  let http: HubHttp;
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  const now = () => Math.floor(clock.now().getTime() / 1000);
  const by = { by: 'cli:ops', reason: 'onboarding' };

  const sign = (privateKey: KeyLike, kid: string, claims: { iss?: string; sub?: string; aud?: string; exp?: number } = {}) =>
    new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid })
      .setIssuer(claims.iss ?? 'probation-northshire').setSubject(claims.sub ?? 'probation-northshire').setAudience(claims.aud ?? 'cdp-hub')
      .setIssuedAt(now()).setExpirationTime(claims.exp ?? now() + 600).sign(privateKey);
  const get = (token: string) => http.callWithToken(token, '/v1/agreements', { purpose: 'data-protection' });

  beforeAll(async () => {
    t = await openTestHub({ clock });
    http = await serveHubOverHttp(t.hub);
  });
  afterAll(async () => {
    await http.close();
    await t.close();
  });

  it('an agency signs its own tokens with a registered key (JWK or PEM); two keys may be active at once, not three', async () => {
    const first = await agencyKey();
    const second = await agencyKey();
    expect(await t.hub.tokens.registerAgencyKey({ agencyId: 'probation-northshire', publicKey: first.jwk, kid: 'probation-2026a', ...by }))
      .toMatchObject({ kid: 'probation-2026a', owner: 'probation-northshire', status: 'active', changedBy: 'cli:ops', changeReason: 'onboarding' });
    await t.hub.tokens.registerAgencyKey({ agencyId: 'probation-northshire', publicKey: second.pem, kid: 'probation-2026b', ...by });
    expect(await get(await sign(first.privateKey, 'probation-2026a'))).toMatchObject({ status: 200 });
    expect(await get(await sign(second.privateKey, 'probation-2026b'))).toMatchObject({ status: 200 });
    const third = await agencyKey();
    await expect(t.hub.tokens.registerAgencyKey({ agencyId: 'probation-northshire', publicKey: third.jwk, kid: 'probation-2026c', ...by }))
      .rejects.toMatchObject({ code: 'KEYS.TOO_MANY_ACTIVE', message: expect.stringContaining('probation-2026a, probation-2026b') });

    // Rotation: revoke the old key, then the third may be added; the revoked key fails at once.
    const oldToken = await sign(first.privateKey, 'probation-2026a');
    await t.hub.tokens.revokeKey({ kid: 'probation-2026a', by: 'cli:ops', reason: 'rotated' });
    expect(await get(oldToken)).toMatchObject({ status: 401, body: { error: { code: 'AUTH.REVOKED' } } });
    await t.hub.tokens.registerAgencyKey({ agencyId: 'probation-northshire', publicKey: third.jwk, kid: 'probation-2026c', ...by });
    expect(await get(await sign(third.privateKey, 'probation-2026c'))).toMatchObject({ status: 200 });
    await expect(t.hub.tokens.revokeKey({ kid: 'probation-2026a', by: 'cli:ops', reason: 'again' })).rejects.toMatchObject({ code: 'KEYS.INVALID_TRANSITION' });
  });

  it('refuses forged, expired, wrong-audience and mis-attributed tokens', async () => {
    const registered = await agencyKey();
    await t.hub.tokens.registerAgencyKey({ agencyId: 'police-northshire', publicKey: registered.jwk, kid: 'police-1', ...by });
    const forger = await agencyKey();
    const police = { iss: 'police-northshire', sub: 'police-northshire' };
    expect(await get(await sign(forger.privateKey, 'police-1', police))).toMatchObject({ status: 401, body: { error: { code: 'AUTH.INVALID' } } });
    expect(await get(await sign(registered.privateKey, 'police-1', { ...police, exp: now() - 5 }))).toMatchObject({ status: 401, body: { error: { code: 'AUTH.EXPIRED' } } });
    expect(await get(await sign(registered.privateKey, 'police-1', { ...police, aud: 'another-hub' }))).toMatchObject({ status: 401, body: { error: { code: 'AUTH.WRONG_AUDIENCE' } } });
    expect(await get(await sign(registered.privateKey, 'police-1', { iss: 'police-northshire', sub: 'probation-northshire' }))).toMatchObject({ status: 401 });
    expect(await get(await sign(registered.privateKey, 'police-1', { iss: 'police-northshire', sub: 'hub-admin' }))).toMatchObject({ status: 401 });
    expect(await get(await sign(registered.privateKey, 'no-such-key', police))).toMatchObject({ status: 401, body: { error: { code: 'AUTH.UNKNOWN_KEY' } } });
    expect(await get('not.a.jwt')).toMatchObject({ status: 401 });
    // The hub's key makes an administrator only with the role it sets itself.
    expect(await get(await t.hub.tokens.issue('hub-admin'))).toMatchObject({ status: 401 });
    expect(await get(await t.hub.tokens.issueAdmin())).toMatchObject({ status: 200 });
  });

  it('a token for agency A cannot publish as agency B', async () => {
    const overdose = new CdpEvents('auth').overdose(testPerson(31, 'Auth'), '2026-02-01T10:00:00Z', { recordId: 'OD-A1' });
    const response = await http.fetchWithToken(await t.hub.tokens.issue('police-northshire'), '/v1/events', {
      method: 'POST', body: overdose, headers: { 'content-type': 'application/cloudevents+json' },
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'SOURCE_MISMATCH' });
  });

  it('refuses private keys and other curves, naming the problem; lists keys without key material', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    await expect(t.hub.tokens.registerAgencyKey({ agencyId: 'police-northshire', publicKey: JSON.stringify(await exportJWK(privateKey)), ...by }))
      .rejects.toMatchObject({ code: 'KEYS.INVALID_KEY', message: expect.stringContaining('private key') });
    const rsa = await generateKeyPair('RS256', { extractable: true });
    await expect(t.hub.tokens.registerAgencyKey({ agencyId: 'police-northshire', publicKey: JSON.stringify(await exportJWK(rsa.publicKey)), ...by }))
      .rejects.toMatchObject({ code: 'KEYS.INVALID_KEY', message: expect.stringContaining('kty "RSA"') });
    const listed = JSON.stringify(await t.hub.tokens.listKeys());
    expect(listed).not.toMatch(/"(d|x|y)":/);
    const { rows } = await t.hub.database.query<{ sealed_private_jwk: string }>(`SELECT sealed_private_jwk FROM security.signing_keys WHERE owner = 'hub'`);
    expect(rows[0]!.sealed_private_jwk).toMatch(/^f1\./); // the hub's private key is held sealed under the master key
  });
});
