// Session tokens and the JWKS: what @clerk/backend's verifyToken accepts and refuses, and the exact
// header and claims a token carries.
import { createPublicKey } from 'node:crypto';
import { verifyToken } from '@clerk/backend';
import { SignJWT, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLocalIdentityProvider, type LocalIdentityProvider } from './index.js';
import { generateSigningKey, type LocalSigningKey } from './signing-key.js';
import { claimsOf, headerOf, PARTY, verificationReason } from '../../../test/support/local-identity.js';

function memoryProvider(options: Partial<Parameters<typeof createLocalIdentityProvider>[0]> = {}) {
  return createLocalIdentityProvider({ stateDir: null, authorizedParty: PARTY, ...options });
}

/** Any claims, signed as the provider signs: a test states exactly what a crafted token holds. */
function craft(key: LocalSigningKey, claims: JWTPayload): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid }).sign(key.privateKey);
}

describe('session tokens', () => {
  let provider: LocalIdentityProvider;
  beforeAll(async () => {
    provider = await memoryProvider();
  });

  it('verify with @clerk/backend verifyToken and the provider public key', async () => {
    const session = await provider.startSession('alice@example.com');
    const payload = await verifyToken(session.token, { jwtKey: provider.publicKeyPem, authorizedParties: [PARTY] });
    expect(payload.sub).toBe('user_local_alice');
    expect(payload.sid).toBe(session.sessionId);
  });

  it('carry Clerk-shaped claims and header', async () => {
    const before = Math.floor(Date.now() / 1000);
    const session = await provider.startSession('Bob@Example.com ');
    const header = headerOf(session.token);
    const claims = claimsOf(session.token);
    expect(header).toEqual({ alg: 'RS256', typ: 'JWT', kid: provider.kid });
    const iat = claims.iat as number;
    expect(iat).toBeGreaterThanOrEqual(before);
    expect(claims).toEqual({
      sub: 'user_local_bob',
      sid: session.sessionId,
      azp: PARTY,
      iat,
      nbf: iat - 5,
      exp: iat + 3600,
      email: 'bob@example.com',
      first_name: 'Bob',
      last_name: 'Baker',
      v: 2,
    });
    expect(claims).not.toHaveProperty('iss');
    expect(claims).not.toHaveProperty('image_url');
    expect(session.sessionId).toMatch(/^sess_local_[0-9a-f]+$/);
    expect(session.userId).toBe('user_local_bob');
    expect(session.expiresAt).toBe((iat + 3600) * 1000);
  });

  it('honour ttlSeconds and refuse out-of-range ones', async () => {
    const session = await provider.startSession('alice@example.com', { ttlSeconds: 60 });
    const claims = claimsOf(session.token);
    expect((claims.exp as number) - (claims.iat as number)).toBe(60);
    await expect(provider.startSession('alice@example.com', { ttlSeconds: 0 })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(provider.startSession('alice@example.com', { ttlSeconds: 1.5 })).rejects.toThrow(/ttlSeconds/);
  });

  it('omit null profile claims for created identities', async () => {
    await provider.createIdentity({ email: 'nameless@example.com' });
    const claims = claimsOf((await provider.startSession('nameless@example.com')).token);
    expect(claims).not.toHaveProperty('first_name');
    expect(claims).not.toHaveProperty('last_name');
    expect(claims.email).toBe('nameless@example.com');
  });

  it('from another provider fail with token-invalid-signature', async () => {
    const other = await memoryProvider();
    expect(other.kid).not.toBe(provider.kid);
    const token = (await other.startSession('alice@example.com')).token;
    expect(await verificationReason(token, provider.publicKeyPem)).toBe('token-invalid-signature');
  });

  it('expire: a provider whose clock is two hours behind mints already-expired tokens', async () => {
    const past = await memoryProvider({ now: () => Date.now() - 2 * 3600 * 1000 });
    const session = await past.startSession('alice@example.com');
    expect(await verificationReason(session.token, past.publicKeyPem)).toBe('token-expired');
  });

  it('are checked against authorized parties', async () => {
    const session = await provider.startSession('alice@example.com');
    expect(await verificationReason(session.token, provider.publicKeyPem, ['https://app.example.com'])).toBe(
      'token-invalid-authorized-parties',
    );
  });

  it('can be crafted with an injected signing key', async () => {
    const key = generateSigningKey();
    const crafted = await memoryProvider({ signingKey: key });
    expect(crafted.kid).toBe(key.kid);
    const iat = Math.floor(Date.now() / 1000);
    const claims = { sub: 'user_local_alice', sid: 'sess_x', iat, nbf: iat - 5, exp: iat + 60 };
    const good = await craft(key, { ...claims, azp: PARTY });
    expect(await verificationReason(good, crafted.publicKeyPem)).toBe('ok');
    const wrongAzp = await craft(key, { ...claims, azp: 'https://evil.example' });
    expect(await verificationReason(wrongAzp, crafted.publicKeyPem)).toBe('token-invalid-authorized-parties');
    const expired = await craft(key, { ...claims, azp: PARTY, exp: iat - 120 });
    expect(await verificationReason(expired, crafted.publicKeyPem)).toBe('token-expired');
  });

  it('refuses an authorized party that is not a bare origin', async () => {
    await expect(memoryProvider({ authorizedParty: 'http://localhost:3000/' })).rejects.toThrow(/bare origin/);
  });
});

describe('JWKS', () => {
  it('publishes the public key as an RS256 signing JWK', async () => {
    const provider = await memoryProvider();
    const { keys } = provider.jwks();
    expect(keys).toHaveLength(1);
    const [jwk] = keys;
    expect(jwk).toMatchObject({ kid: provider.kid, alg: 'RS256', use: 'sig', kty: 'RSA', e: 'AQAB' });
    const fromJwk = createPublicKey({ key: { kty: jwk?.kty, n: jwk?.n, e: jwk?.e }, format: 'jwk' });
    expect(fromJwk.export({ type: 'spki', format: 'pem' })).toBe(provider.publicKeyPem);
    expect(fromJwk.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });
});
