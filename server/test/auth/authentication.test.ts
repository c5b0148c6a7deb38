// Issue #2, part 8: every authentication claim, through HTTP against the real server and database.
// The server runs in Clerk mode with networkless verification (CLERK_JWT_KEY) so the test can mint
// any token, good or bad; a local stand-in answers Clerk Backend API profile lookups.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateSigningKey } from '#src/dev/local-identity/signing-key.js';
import { connectAs, databaseOf, withDatabase } from '../support/sql.js';
import { post, startClerkModeServer, type ClerkModeServer, type PostResult } from './support/clerk-mode-server.js';
import { handMade, hs256, mint, nowSeconds, sessionClaims, withPayload } from './support/tokens.js';

let server: ClerkModeServer;
let superuser: pg.Client;

beforeAll(async () => {
  server = await startClerkModeServer();
  const { url, superuserUrl } = inject('database');
  superuser = await connectAs(withDatabase(superuserUrl, databaseOf(url)));
});

afterAll(async () => {
  await server?.close();
  await superuser?.end();
});

const newClerkId = () => `user_${randomUUID().replaceAll('-', '')}`;
const bearer = (token: string) => `Bearer ${token}`;

/** A valid token for a brand-new identity whose profile rides in the claims. */
function freshToken(extra: Record<string, unknown> = {}): { clerkId: string; token: string; email: string } {
  const clerkId = newClerkId();
  const email = `${clerkId}@example.test`;
  return { clerkId, email, token: mint(server.key, sessionClaims(clerkId, { email, ...extra })) };
}

async function userRow(clerkId: string) {
  const { rows } = await superuser.query<{
    id: string;
    email: string | null;
    first_name: string | null;
    last_name: string | null;
    avatar_url: string | null;
    role: string;
  }>(`SELECT id, email, first_name, last_name, avatar_url, role FROM users WHERE clerk_id = $1`, [clerkId]);
  return rows;
}

function codeOf(res: PostResult): unknown {
  return res.body.errors?.[0]?.extensions?.code;
}

/** The body of a refused request: errors only, no `data` key at all (not even null). */
function expectNoData(res: PostResult): void {
  expect(Object.keys(res.body)).toEqual(['errors']);
}

describe('no credential', () => {
  it('is anonymous: a field anyone may call is answered', async () => {
    const res = await post(server, null, '{ __typename }');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { __typename: 'Query' } });
  });

  it.each([
    ['viewer', '{ viewer { id } }'],
    ['listings', '{ listings(first: 1) { totalCount } }'],
    ['listing', `{ listing(id: "${Buffer.from(`Listing:${randomUUID()}`).toString('base64')}") { id } }`],
    ['createListing', 'mutation { createListing(input: { title: "x", price: "1" }) { listing { id } } }'],
  ])('an anonymous call of a protected field (%s) is UNAUTHENTICATED with HTTP 401', async (_name, query) => {
    const res = await post(server, null, query);
    expect(res.status).toBe(401);
    expect(codeOf(res)).toBe('UNAUTHENTICATED');
    expect(res.body.errors?.[0]?.message).toBe('Authentication required');
    // No credential was presented, so RFC 6750 §3.1 says no error code in the challenge.
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    // Nothing resolved: data is null, or (for a nullable field) holds only null.
    expect(Object.values(res.body.data ?? {}).filter((value) => value !== null)).toEqual([]);
  });
});

describe('a presented credential that is not acceptable', () => {
  const otherKey = generateSigningKey();

  // [case, the Authorization header, the reason logged]. Each gets `{ __typename }`, which an
  // anonymous caller may run: a 401 proves the request was refused, not downgraded.
  const cases: [string, () => string, string][] = [
    ['signed by another key', () => bearer(mint(otherKey, sessionClaims(newClerkId()))), 'token-invalid-signature'],
    [
      'signed by another key under the trusted kid',
      () => bearer(mint({ ...otherKey, kid: server.key.kid }, sessionClaims(newClerkId()))),
      'token-invalid-signature',
    ],
    [
      'tampered with (payload changed after signing)',
      () => {
        const token = mint(server.key, sessionClaims(newClerkId()));
        return bearer(withPayload(token, sessionClaims(newClerkId())));
      },
      'token-invalid-signature',
    ],
    [
      'expired',
      () => bearer(mint(server.key, sessionClaims(newClerkId(), { exp: nowSeconds() - 60 }))),
      'token-expired',
    ],
    [
      'not yet valid (nbf in the future)',
      () => bearer(mint(server.key, sessionClaims(newClerkId(), { nbf: nowSeconds() + 120 }))),
      'token-not-active-yet',
    ],
    [
      'issued in the future (iat)',
      () => bearer(mint(server.key, sessionClaims(newClerkId(), { iat: nowSeconds() + 120 }))),
      'token-iat-in-the-future',
    ],
    [
      'without an expiry',
      () => bearer(mint(server.key, sessionClaims(newClerkId(), { exp: undefined }))),
      'token-verification-failed',
    ],
    [
      'alg none, empty signature',
      () => bearer(handMade({ alg: 'none', typ: 'JWT' }, sessionClaims(newClerkId()))),
      'token-malformed',
    ],
    [
      'alg none, some signature',
      () => bearer(handMade({ alg: 'none', typ: 'JWT' }, sessionClaims(newClerkId()), 'c2ln')),
      'token-invalid-algorithm',
    ],
    [
      'HS256 keyed with the public key',
      () => bearer(hs256(server.key.kid, sessionClaims(newClerkId()), server.key.publicKeyPem)),
      'token-invalid-algorithm',
    ],
    [
      'for another authorized party (azp)',
      () => bearer(mint(server.key, sessionClaims(newClerkId(), { azp: 'https://evil.example' }))),
      'token-invalid-authorized-parties',
    ],
    [
      'without an azp',
      () => bearer(mint(server.key, sessionClaims(newClerkId(), { azp: undefined }))),
      'token-invalid-authorized-parties',
    ],
    ['with an empty subject', () => bearer(mint(server.key, sessionClaims(''))), 'token-missing-subject'],
    ['not a JWT', () => 'Bearer not-a-jwt-at-all', 'token-malformed'],
    ['JWT-shaped but undecodable', () => 'Bearer aaaa.bbbb.cccc', 'token-invalid'],
    ['far too long', () => `Bearer ${'a'.repeat(9000)}`, 'credential-too-long'],
    ['another scheme (Basic)', () => 'Basic dXNlcjpwYXNzd29yZA==', 'malformed-authorization-header'],
    ['"Bearer" alone', () => 'Bearer', 'malformed-authorization-header'],
    [
      'two tokens',
      () => `Bearer ${mint(server.key, sessionClaims(newClerkId()))} ${mint(server.key, sessionClaims(newClerkId()))}`,
      'malformed-authorization-header',
    ],
    ['a token with characters outside b64token', () => 'Bearer abc$def', 'malformed-authorization-header'],
  ];

  it.each(cases)(
    '%s → 401 invalid_token, no data, the reason logged without the token',
    async (_name, authorization, reason) => {
      const header = authorization();
      const res = await post(server, header, '{ __typename }');

      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      expect(codeOf(res)).toBe('UNAUTHENTICATED');
      expectNoData(res);

      const logged = server.logLines().filter((line) => line.requestId === res.requestId);
      expect(logged.filter((line) => line.event === 'auth.failed').map((line) => line.reason)).toEqual([reason]);
      const credential = header.replace(/^\S+\s*/, '');
      if (credential.length >= 16) expect(server.logText()).not.toContain(credential);
      // Nothing identifies the caller in the response either.
      expect(JSON.stringify(res.body)).not.toContain(reason);
    },
  );

  it('is never downgraded to anonymous: a bad token for an existing user yields no viewer', async () => {
    const { clerkId, token } = freshToken();
    expect((await post(server, bearer(token), '{ viewer { id } }')).status).toBe(200);

    const expired = mint(server.key, sessionClaims(clerkId, { exp: nowSeconds() - 60 }));
    const res = await post(server, bearer(expired), '{ __typename viewer { id } }');
    expect(res.status).toBe(401);
    expectNoData(res);
  });

  it.each([
    ['a syntax error', '{ viewer { '],
    ['an unknown field', '{ nope }'],
    ['no query at all', ''],
  ])('is refused before GraphQL looks at the query: 401 even for %s', async (_name, query) => {
    const expired = mint(server.key, sessionClaims(newClerkId(), { exp: nowSeconds() - 60 }));
    const res = await post(server, bearer(expired), query);
    expect(res.status).toBe(401);
    expect(codeOf(res)).toBe('UNAUTHENTICATED');
    const logged = server.logLines().filter((line) => line.requestId === res.requestId);
    expect(logged.filter((line) => line.event === 'auth.failed').map((line) => line.reason)).toEqual(['token-expired']);
  });

  it('creates no user row for a refused credential', async () => {
    const clerkId = newClerkId();
    await post(server, bearer(mint(otherKey, sessionClaims(clerkId, { email: 'x@example.test' }))), '{ __typename }');
    expect(await userRow(clerkId)).toEqual([]);
  });
});

describe('account state', () => {
  async function provisioned(): Promise<{ clerkId: string; token: string }> {
    const identity = freshToken();
    const res = await post(server, bearer(identity.token), '{ viewer { id } }');
    expect(res.status).toBe(200);
    return identity;
  }

  it.each([
    ['deactivated', `UPDATE users SET active = false WHERE clerk_id = $1`],
    ['soft-deleted', `UPDATE users SET deleted_at = now() WHERE clerk_id = $1`],
  ])('a %s user is refused with 403 ACCOUNT_DISABLED, even for a public field', async (_state, sql) => {
    const { clerkId, token } = await provisioned();
    await superuser.query(sql, [clerkId]);

    for (const query of ['{ viewer { id } }', '{ __typename }']) {
      const res = await post(server, bearer(token), query);
      expect(res.status).toBe(403);
      expect(codeOf(res)).toBe('ACCOUNT_DISABLED');
      expectNoData(res);
      const logged = server.logLines().filter((line) => line.requestId === res.requestId);
      expect(logged.map((line) => line.event)).toContain('auth.account_disabled');
    }
  });

  it('reads the account state on every request: a reactivated user is let back in', async () => {
    const { clerkId, token } = await provisioned();
    await superuser.query(`UPDATE users SET active = false WHERE clerk_id = $1`, [clerkId]);
    expect((await post(server, bearer(token), '{ viewer { id } }')).status).toBe(403);
    await superuser.query(`UPDATE users SET active = true WHERE clerk_id = $1`, [clerkId]);
    expect((await post(server, bearer(token), '{ viewer { id } }')).status).toBe(200);
  });
});

describe('authorization', () => {
  const USERS = '{ users(first: 5) { totalCount edges { node { id } } } }';

  it('a user calling an admin-only field gets FORBIDDEN and no data', async () => {
    const { token } = freshToken();
    const res = await post(server, bearer(token), USERS);
    expect(codeOf(res)).toBe('FORBIDDEN');
    expect(res.body.data ?? null).toBeNull();
  });

  it('a token that claims admin does not make its user an admin (the users table decides)', async () => {
    const { token } = freshToken({ role: 'ADMIN', org_role: 'org:admin', metadata: { role: 'admin' } });
    const res = await post(server, bearer(token), USERS);
    expect(codeOf(res)).toBe('FORBIDDEN');
  });

  it('an admin (by the users table) may call it', async () => {
    const { clerkId, token } = freshToken();
    expect((await post(server, bearer(token), '{ viewer { id } }')).status).toBe(200);
    await superuser.query(`UPDATE users SET role = 'ADMIN' WHERE clerk_id = $1`, [clerkId]);

    const res = await post(server, bearer(token), USERS);
    expect(res.body.errors).toBeUndefined();
    const { rows } = await superuser.query<{ n: number }>(`SELECT count(*)::int AS n FROM users`);
    expect((res.body.data as { users: { totalCount: number } }).users.totalCount).toBe(rows[0]?.n);
  });
});

describe('just-in-time provisioning', () => {
  it('20 concurrent first requests of a new identity create exactly one user and agree on its id', async () => {
    const { clerkId, token } = freshToken();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => post(server, bearer(token), '{ viewer { id email } }')),
    );

    for (const res of responses) expect([res.status, res.body.errors]).toEqual([200, undefined]);
    const ids = new Set(responses.map((res) => (res.body.data as { viewer: { id: string } }).viewer.id));
    expect(ids.size).toBe(1);

    const rows = await userRow(clerkId);
    expect(rows).toHaveLength(1);
    expect(Buffer.from([...ids][0]!, 'base64').toString()).toBe(`User:${rows[0]?.id}`);
    const { rows: audits } = await superuser.query(
      `SELECT 1 FROM audit_events WHERE type = 'user.provisioned' AND subject_user_id = $1`,
      [rows[0]?.id],
    );
    expect(audits).toHaveLength(1);
  });

  it('fills the profile from the token claims, with no Backend API call', async () => {
    const clerkId = newClerkId();
    // Clerk would answer differently: proof the claims were used.
    server.clerk.users.set(clerkId, { id: clerkId, emails: ['api@example.test'], primary: 0, firstName: 'Api' });
    const claims = sessionClaims(clerkId, {
      email: 'claims@example.test',
      first_name: 'Claire',
      last_name: 'Claims',
      image_url: 'https://img.example.test/c.png',
    });

    const res = await post(
      server,
      bearer(mint(server.key, claims)),
      '{ viewer { email firstName lastName avatarUrl role } }',
    );

    expect(res.body).toEqual({
      data: {
        viewer: {
          email: 'claims@example.test',
          firstName: 'Claire',
          lastName: 'Claims',
          avatarUrl: 'https://img.example.test/c.png',
          role: 'USER',
        },
      },
    });
    expect(server.clerk.requests.filter((r) => r.path.endsWith(clerkId))).toEqual([]);
  });

  it('without profile claims, asks the Backend API once, with the secret key', async () => {
    const clerkId = newClerkId();
    server.clerk.users.set(clerkId, {
      id: clerkId,
      emails: ['other@example.test', 'primary@example.test'],
      primary: 1,
      firstName: 'Pat',
      lastName: 'Primary',
    });
    const token = mint(server.key, sessionClaims(clerkId));

    const first = await post(server, bearer(token), '{ viewer { email firstName lastName avatarUrl } }');
    const again = await post(server, bearer(token), '{ viewer { email } }');

    expect(first.body.data).toEqual({
      viewer: { email: 'primary@example.test', firstName: 'Pat', lastName: 'Primary', avatarUrl: null },
    });
    expect(again.body.data).toEqual({ viewer: { email: 'primary@example.test' } });
    const calls = server.clerk.requests.filter((r) => r.path === `GET /v1/users/${clerkId}`);
    expect(calls).toEqual([{ path: `GET /v1/users/${clerkId}`, authorization: 'Bearer sk_test_backend_stub' }]);
  });

  it('does not overwrite an existing user from later claims', async () => {
    const { clerkId, token, email } = freshToken();
    await post(server, bearer(token), '{ viewer { id } }');
    const later = mint(server.key, sessionClaims(clerkId, { email: 'changed@example.test' }));
    const res = await post(server, bearer(later), '{ viewer { email } }');
    expect(res.body.data).toEqual({ viewer: { email } });
  });
});
