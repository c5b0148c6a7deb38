// Issue #13, finding 3 (ADR 0062): only tokens of active sessions pass, and in JWKS mode (only
// CLERK_SECRET_KEY set) forged key ids cannot make the server call Clerk more than a capped number of times.
// Through HTTP against the real app and database, with a local JWKS server standing in for Clerk.
import { createPublicKey, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { freePort } from '@deal-brain/shared/testing/free-port';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_MAX_REFETCHES_PER_WINDOW } from '#src/auth/jwks.js';
import { createSessionTokenVerifier } from '#src/auth/session-token.js';
import { createLocalIdentityProvider } from '#src/dev/local-identity/index.js';
import { generateSigningKey, type LocalSigningKey } from '#src/dev/local-identity/signing-key.js';
import { connectAs, databaseOf, withDatabase } from '../support/sql.js';
import { startClerkBackendStub, type ClerkBackendStub } from './support/clerk-backend-stub.js';
import { post, startClerkModeServer, type ClerkModeServer, type PostResult } from './support/clerk-mode-server.js';
import { mint, PARTY, sessionClaims } from './support/tokens.js';

const VIEWER = '{ viewer { id } }';
const bearer = (token: string) => `Bearer ${token}`;
const newClerkId = () => `user_${randomUUID().replaceAll('-', '')}`;
const codeOf = (res: PostResult) => res.body.errors?.[0]?.extensions?.code;

/** A valid token for a new identity whose profile rides in the claims (no Backend API profile call). */
function tokenFor(key: LocalSigningKey, extra: Record<string, unknown> = {}) {
  const clerkId = newClerkId();
  return { clerkId, token: mint(key, sessionClaims(clerkId, { email: `${clerkId}@example.test`, ...extra })) };
}

function jwksOf(...keys: LocalSigningKey[]) {
  return {
    keys: keys.map((key) => {
      const { n, e } = createPublicKey(key.publicKeyPem).export({ format: 'jwk' });
      return { kid: key.kid, kty: 'RSA', alg: 'RS256', use: 'sig', n, e };
    }),
  };
}

const jwksFetches = (clerk: ClerkBackendStub) => clerk.requests.filter((r) => r.path === 'GET /v1/jwks').length;

/** A key that signs well but that no JWKS lists, under a random key id each time. */
const stranger = generateSigningKey();
const randomKid = () => ({ ...stranger, kid: `ins_${randomUUID().replaceAll('-', '')}` });

let superuser: pg.Client;
beforeAll(async () => {
  const { url, superuserUrl } = inject('database');
  superuser = await connectAs(withDatabase(superuserUrl, databaseOf(url)));
});
afterAll(() => superuser?.end());

async function userCount(clerkId: string): Promise<number> {
  const { rows } = await superuser.query<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE clerk_id = $1', [
    clerkId,
  ]);
  return rows[0]!.n;
}

describe('only session tokens of active sessions pass', () => {
  let server: ClerkModeServer;
  beforeAll(async () => {
    server = await startClerkModeServer();
  });
  afterAll(() => server?.close());

  it.each([
    ['without sid', { sid: undefined }, 'token-missing-session'],
    ['with sts pending', { sts: 'pending' }, 'token-session-pending'],
  ])('a validly signed token %s gets 401 and creates no user', async (_name, claims, reason) => {
    const { clerkId, token } = tokenFor(server.key, claims);
    const res = await post(server, bearer(token), VIEWER);
    expect(res.status).toBe(401);
    expect(codeOf(res)).toBe('UNAUTHENTICATED');
    expect(res.body).not.toHaveProperty('data');
    expect(server.logLines().some((line) => line.event === 'auth.failed' && line.reason === reason)).toBe(true);
    expect(await userCount(clerkId)).toBe(0);
  });

  it('a pending token of an existing user does not sign them in', async () => {
    const clerkId = newClerkId();
    const email = `${clerkId}@example.test`;
    const active = await post(server, bearer(mint(server.key, sessionClaims(clerkId, { email }))), VIEWER);
    expect(active.status).toBe(200);
    const pending = await post(
      server,
      bearer(mint(server.key, sessionClaims(clerkId, { email, sts: 'pending' }))),
      VIEWER,
    );
    expect(pending.status).toBe(401);
    expect(await userCount(clerkId)).toBe(1);
  });

  it('the local identity provider mints sid and never sts, so its tokens pass', async () => {
    const provider = await createLocalIdentityProvider({ stateDir: null, authorizedParty: PARTY });
    const session = await provider.startSession('alice@example.com');
    const payload = JSON.parse(Buffer.from(session.token.split('.')[1]!, 'base64url').toString()) as object;
    expect(payload).toHaveProperty('sid', session.sessionId);
    expect(payload).not.toHaveProperty('sts');
    const verify = createSessionTokenVerifier({
      jwtKey: provider.publicKeyPem,
      secretKey: undefined,
      apiUrl: undefined,
      authorizedParties: [PARTY],
    });
    expect(await verify(session.token)).toMatchObject({ sub: session.userId, sid: session.sessionId });
  });
});

describe('JWKS mode: bounded refetch on unknown key ids (verifier against a local JWKS server)', () => {
  let clerk: ClerkBackendStub;
  const clerkKey = generateSigningKey();
  beforeAll(async () => {
    clerk = await startClerkBackendStub();
    clerk.jwks = jwksOf(clerkKey);
  });
  afterAll(() => clerk?.close());

  it('100 tokens with random key ids cause at most the capped number of JWKS fetches', async () => {
    const verify = createSessionTokenVerifier({
      jwtKey: undefined,
      secretKey: 'sk_test_jwks',
      apiUrl: clerk.url,
      authorizedParties: [PARTY],
    });
    const before = jwksFetches(clerk);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 100 }, () => verify(mint(randomKid(), sessionClaims(newClerkId())))),
    );
    expect(outcomes.every((o) => o.status === 'rejected' && o.reason.name === 'InvalidCredentialError')).toBe(true);
    // Concurrent unknown kids share the fetch under way.
    expect(jwksFetches(clerk) - before).toBe(1);
    // One by one, each could start its own fetch: the cap stops them.
    for (let i = 0; i < 100; i++) {
      await verify(mint(randomKid(), sessionClaims(newClerkId()))).catch(() => undefined);
    }
    expect(jwksFetches(clerk) - before).toBe(DEFAULT_MAX_REFETCHES_PER_WINDOW);
    // A real token is not held back by the cap: its key is held.
    expect((await verify(mint(clerkKey, sessionClaims('user_real')))).sub).toBe('user_real');
    expect(jwksFetches(clerk) - before).toBe(DEFAULT_MAX_REFETCHES_PER_WINDOW);
  });
});

describe('JWKS mode through the real server', () => {
  const clerkKey = generateSigningKey();

  it('caps JWKS fetches under 100 forged key ids, and a real token still works', async () => {
    const server = await startClerkModeServer({ env: { CLERK_JWT_KEY: '' } });
    try {
      server.clerk.jwks = jwksOf(clerkKey);
      const good = await post(server, bearer(tokenFor(clerkKey).token), VIEWER);
      expect(good.status).toBe(200);
      expect(jwksFetches(server.clerk)).toBe(1);
      const forged: PostResult[] = [];
      for (let i = 0; i < 100; i++)
        forged.push(await post(server, bearer(tokenFor(randomKid()).token), '{ __typename }'));
      // 401 each (429 once the per-address limit for failed authentication steps in: never a pass, never a 5xx).
      expect(forged.every((res) => res.status === 401 || res.status === 429)).toBe(true);
      expect(jwksFetches(server.clerk)).toBeLessThanOrEqual(DEFAULT_MAX_REFETCHES_PER_WINDOW);
    } finally {
      await server.close();
    }
  });

  it('with the JWKS server down, known keys still verify (and unknown ones, whose lookup failed, get 503)', async () => {
    const server = await startClerkModeServer({ env: { CLERK_JWT_KEY: '' } });
    try {
      server.clerk.jwks = jwksOf(clerkKey);
      expect((await post(server, bearer(tokenFor(clerkKey).token), VIEWER)).status).toBe(200);
      await server.clerk.close();
      const again = await post(server, bearer(tokenFor(clerkKey).token), VIEWER);
      expect(again.status).toBe(200);
      expect(again.body.data).toMatchObject({ viewer: { id: expect.any(String) } });
      // The key may exist (Clerk rotated while we could not ask): not the holder's fault, so no 401.
      const unknown = await post(server, bearer(tokenFor(randomKid()).token), VIEWER);
      expect(unknown.status).toBe(503);
      expect(codeOf(unknown)).toBe('IDENTITY_PROVIDER_UNAVAILABLE');
      expect(server.logLines().some((line) => line.event === 'auth.jwks_fetch_failed')).toBe(true);
    } finally {
      await server.close().catch(() => undefined);
    }
  });

  it('with no key ever fetched and the JWKS server down, answers 503 IDENTITY_PROVIDER_UNAVAILABLE', async () => {
    const nobody = `http://127.0.0.1:${await freePort()}`;
    const server = await startClerkModeServer({ env: { CLERK_JWT_KEY: '', CLERK_API_URL: nobody } });
    try {
      const { clerkId, token } = tokenFor(clerkKey);
      const res = await post(server, bearer(token), VIEWER);
      expect(res.status).toBe(503);
      expect(codeOf(res)).toBe('IDENTITY_PROVIDER_UNAVAILABLE');
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.body).not.toHaveProperty('data');
      expect(await userCount(clerkId)).toBe(0);
      // No credential at all is still answered: only tokens need the keys.
      expect((await post(server, null, '{ __typename }')).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
