// Issue 11, part 3 (and its audit event, part 5): the viewer's sessions through the real server.
//
// Local mode (most of this file): the server's @clerk/backend client talks to the local provider's
// stand-in of Clerk's session calls over its own loopback address, so the code path is the one clerk
// mode runs. A revoked (or signed-out) session's token is refused from its next request on. Clerk mode
// (the end of the file): the same stand-in plays Clerk at CLERK_API_URL, and a Clerk that cannot be
// reached answers IDENTITY_PROVIDER_UNAVAILABLE with nothing changed. Refused writes are checked with
// the superuser as the independent witness.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp, type App } from '#src/app.js';
import { loadConfig } from '#src/config.js';
import type { LocalIdentityProvider } from '#src/dev/local-identity/index.js';
import { createLogger } from '#src/logging.js';
import { listen, type ListeningServer } from '../support/listen.js';
import { harness, PARTY, serveLocalAuth } from '../support/local-identity.js';
import { connectAs, databaseOf, withDatabase } from '../support/sql.js';
import { gql, startTestServer, type GraphQLResponse, type TestServer } from '../support/server.js';
import { UNREACHABLE_RATE_LIMITS } from '../support/rate-limit-budgets.js';

const CHROME_LINUX =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.71 Safari/537.36';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';

const SESSIONS = `{ viewer { id sessions { id browser device createdAt lastActiveAt current } } }`;
const SESSION_IDS = `{ viewer { sessions { id current } } }`;
const REVOKE = `mutation Revoke($input: RevokeSessionInput!) { revokeSession(input: $input) { sessionId } }`;
const WHO = `{ viewer { id } }`;

interface SessionJson {
  id: string;
  browser: string | null;
  device: string | null;
  createdAt: string;
  lastActiveAt: string;
  current: boolean;
}
type SessionsData = { viewer: { id: string; sessions: SessionJson[] | null } };

interface Signed {
  sessionId: string;
  token: string;
}

interface Person {
  email: string;
  clerkId: string;
  userId: string;
  /** Global id of their User. */
  user: string;
  /** The session they signed in with first. */
  first: Signed;
}

let server: TestServer;
let superuser: pg.Client;

const codesOf = (res: GraphQLResponse<unknown>) => res.body.errors?.map((error) => error.extensions?.code);
const rawId = (global: string) => Buffer.from(global, 'base64').toString().split(':')[1]!;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function signIn(provider: LocalIdentityProvider, email: string, userAgent?: string): Promise<Signed> {
  const { sessionId, token } = await provider.startSession(email, userAgent ? { userAgent } : {});
  return { sessionId, token };
}

/** A fresh identity, signed in once (Chrome on Linux), with its user row provisioned. */
async function person(name: string, provider: LocalIdentityProvider = server.identity, url = server.graphqlUrl) {
  const email = `${name}-${crypto.randomUUID()}@example.test`;
  const identity = await provider.createIdentity({ email, firstName: name, lastName: 'Tester' });
  const first = await signIn(provider, email, CHROME_LINUX);
  const res = await post<{ viewer: { id: string } }>(url, first.token, WHO);
  const user = res.body.data!.viewer.id;
  return { email, clerkId: identity.clerkId, userId: rawId(user), user, first } satisfies Person;
}

async function post<T = Record<string, unknown>>(
  url: string,
  token: string | null,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as GraphQLResponse<T>['body'],
  };
}

async function sessionsOf(token: string): Promise<SessionJson[]> {
  const res = await gql<SessionsData>(server, token, SESSIONS);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.viewer.sessions!;
}

function revoke(token: string | null, sessionId: string) {
  return gql<{ revokeSession: { sessionId: string } }>(server, token, REVOKE, { input: { sessionId } });
}

/** session.revoked events by or about the user, as the superuser reads them. */
async function revokedEvents(userId: string) {
  const { rows } = await superuser.query<{ actor_id: string; subject_user_id: string; metadata: unknown }>(
    `SELECT actor_id, subject_user_id, metadata FROM audit_events
     WHERE type = 'session.revoked' AND (actor_id = $1 OR subject_user_id = $1) ORDER BY id`,
    [userId],
  );
  return rows;
}

/** Whether the token still gets through: the API's answer to `{ viewer { id } }`. */
async function works(token: string): Promise<boolean> {
  const res = await gql(server, token, WHO);
  return res.status === 200 && res.body.errors === undefined;
}

beforeAll(async () => {
  server = await startTestServer();
  const { url, superuserUrl } = inject('database');
  superuser = await connectAs(withDatabase(superuserUrl, databaseOf(url)));
});

afterAll(async () => {
  await server?.app.localWebhooks?.idle();
  await server?.close();
  await superuser?.end();
});

describe('User.sessions', () => {
  it('lists the viewer’s active sessions with browser, device, times and the current one', async () => {
    const before = Date.now();
    const alice = await person('alice');
    const phone = await signIn(server.identity, alice.email, SAFARI_IPHONE);
    const bare = await signIn(server.identity, alice.email);

    const sessions = await sessionsOf(alice.first.token);
    expect(sessions).toHaveLength(3);
    // This request is the newest activity: the current session comes first.
    expect(sessions[0]).toMatchObject({
      id: alice.first.sessionId,
      current: true,
      browser: 'Chrome 120',
      device: 'Linux desktop',
    });
    const byId = new Map(sessions.map((session) => [session.id, session]));
    expect(byId.get(phone.sessionId)).toMatchObject({ current: false, browser: 'Safari 17', device: 'iPhone' });
    expect(byId.get(bare.sessionId)).toMatchObject({ current: false, browser: null, device: null });
    for (const session of sessions) {
      expect(Date.parse(session.createdAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(session.lastActiveAt)).toBeGreaterThanOrEqual(Date.parse(session.createdAt));
    }
    // From another of them, that one is current.
    const fromPhone = await sessionsOf(phone.token);
    expect(fromPhone.filter((session) => session.current).map((session) => session.id)).toEqual([phone.sessionId]);
  });

  it('orders by latest activity: every API request is activity', async () => {
    const bob = await person('bob');
    const second = await signIn(server.identity, bob.email);
    const third = await signIn(server.identity, bob.email);
    await pause(5);
    expect(await works(second.token)).toBe(true);
    await pause(5);
    expect(await works(third.token)).toBe(true);
    await pause(5);
    const order = (await sessionsOf(bob.first.token)).map((session) => session.id);
    expect(order).toEqual([bob.first.sessionId, third.sessionId, second.sessionId]);
    const [, thirdSeen, secondSeen] = await sessionsOf(bob.first.token);
    expect(Date.parse(thirdSeen!.lastActiveAt)).toBeGreaterThan(Date.parse(secondSeen!.lastActiveAt));
  });

  it('never lists another user’s sessions', async () => {
    const carol = await person('carol');
    const dave = await person('dave');
    const daveElsewhere = await signIn(server.identity, dave.email);
    const carolIds = (await sessionsOf(carol.first.token)).map((session) => session.id);
    const daveIds = (await sessionsOf(dave.first.token)).map((session) => session.id);
    expect(carolIds).toEqual([carol.first.sessionId]);
    expect(daveIds.sort()).toEqual([dave.first.sessionId, daveElsewhere.sessionId].sort());
  });

  it('does not list a session that has ended', async () => {
    const erin = await person('erin');
    const other = await signIn(server.identity, erin.email);
    server.identity.endSession(other.sessionId);
    expect((await sessionsOf(erin.first.token)).map((session) => session.id)).toEqual([erin.first.sessionId]);
  });

  it('is null on anyone else’s User, an admin’s view included', async () => {
    const frank = await person('frank');
    const admin = await person('admin');
    await superuser.query(`UPDATE users SET role = 'ADMIN' WHERE id = $1`, [admin.userId]);
    const res = await gql<{ node: { id: string; sessions: unknown } | null }>(
      server,
      admin.first.token,
      `query Other($id: ID!) { node(id: $id) { ... on User { id sessions { id } } } }`,
      { id: frank.user },
    );
    expect(res.body).toEqual({ data: { node: { id: frank.user, sessions: null } } });
    // Their own, as for anyone.
    expect((await sessionsOf(admin.first.token)).map((session) => session.id)).toEqual([admin.first.sessionId]);
  });
});

describe('revokeSession', () => {
  it('ends another session of the viewer: its token is refused from then on, one audit event', async () => {
    const grace = await person('grace');
    const laptop = await signIn(server.identity, grace.email, SAFARI_IPHONE);
    expect(await works(laptop.token)).toBe(true);

    const res = await revoke(grace.first.token, laptop.sessionId);
    expect(res.body).toEqual({ data: { revokeSession: { sessionId: laptop.sessionId } } });

    const refused = await gql(server, laptop.token, WHO);
    expect(refused.status).toBe(401);
    expect(codesOf(refused)).toEqual(['UNAUTHENTICATED']);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    const metric = await server.app.metrics.authFailures.get();
    expect(metric.values.find((value) => value.labels.reason === 'session-ended')?.value).toBeGreaterThanOrEqual(1);

    expect(await works(grace.first.token)).toBe(true);
    expect((await sessionsOf(grace.first.token)).map((session) => session.id)).toEqual([grace.first.sessionId]);
    expect(await revokedEvents(grace.userId)).toEqual([
      { actor_id: grace.userId, subject_user_id: grace.userId, metadata: { sessionId: laptop.sessionId } },
    ]);
    // The provider knows it as revoked, and it cannot be refreshed either.
    expect(server.identity.getSession(laptop.sessionId)).toMatchObject({ revoked: true });
    await expect(server.identity.refreshSession(laptop.sessionId)).rejects.toMatchObject({ code: 'session_not_found' });
  });

  it('answers a session that has already ended as done, without a second event', async () => {
    const heidi = await person('heidi');
    const other = await signIn(server.identity, heidi.email);
    const signedOut = await signIn(server.identity, heidi.email);
    server.identity.endSession(signedOut.sessionId);
    expect((await revoke(heidi.first.token, other.sessionId)).body.errors).toBeUndefined();
    expect((await revoke(heidi.first.token, other.sessionId)).body).toEqual({
      data: { revokeSession: { sessionId: other.sessionId } },
    });
    expect((await revoke(heidi.first.token, signedOut.sessionId)).body.errors).toBeUndefined();
    expect(await revokedEvents(heidi.userId)).toHaveLength(1);
  });

  it('refuses the current session with BAD_USER_INPUT (sign out instead): it keeps working, nothing recorded', async () => {
    const ivan = await person('ivan');
    const res = await revoke(ivan.first.token, ivan.first.sessionId);
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
    expect(res.body.errors).toMatchObject([
      {
        message: 'This is the session you are using: sign out instead',
        extensions: { code: 'BAD_USER_INPUT', issues: [{ path: 'input.sessionId', message: expect.any(String) }] },
      },
    ]);
    expect(await works(ivan.first.token)).toBe(true);
    expect(server.identity.getSession(ivan.first.sessionId)?.endedAt).toBeNull();
    expect(await revokedEvents(ivan.userId)).toEqual([]);
  });

  it('answers NOT_FOUND for another user’s session exactly as for an unknown one; theirs keeps working', async () => {
    const judy = await person('judy');
    const mallory = await person('mallory');
    const theirs = await revoke(mallory.first.token, judy.first.sessionId);
    const unknown = await revoke(mallory.first.token, 'sess_local_000000000000000000000000');
    expect(codesOf(theirs)).toEqual(['NOT_FOUND']);
    expect(theirs.body).toEqual(unknown.body);
    expect(theirs.status).toBe(unknown.status);
    expect(await works(judy.first.token)).toBe(true);
    expect(server.identity.getSession(judy.first.sessionId)?.endedAt).toBeNull();
    expect(await revokedEvents(judy.userId)).toEqual([]);
    expect(await revokedEvents(mallory.userId)).toEqual([]);
    // An admin is no different: sessions are their owner's alone.
    const admin = await person('admin');
    await superuser.query(`UPDATE users SET role = 'ADMIN' WHERE id = $1`, [admin.userId]);
    expect(codesOf(await revoke(admin.first.token, judy.first.sessionId))).toEqual(['NOT_FOUND']);
    expect(await works(judy.first.token)).toBe(true);
  });

  it.each([
    ['an empty id', ''],
    ['a path', '../users/user_local_alice'],
    ['a nested path', 'sess_local_1/revoke'],
    ['a query string', 'sess_local_1?x=1'],
    ['another kind of id', 'user_local_alice'],
    ['a very long id', `sess_${'a'.repeat(200)}`],
  ])('refuses %s with BAD_USER_INPUT at input.sessionId: nothing changes', async (_label, sessionId) => {
    const kim = await person('kim');
    const res = await revoke(kim.first.token, sessionId);
    expect(res.body.errors).toMatchObject([
      {
        extensions: {
          code: 'BAD_USER_INPUT',
          issues: [{ path: 'input.sessionId', message: 'Not a session id (sess_…)' }],
        },
      },
    ]);
    expect(await works(kim.first.token)).toBe(true);
    expect(await revokedEvents(kim.userId)).toEqual([]);
  });

  it('refuses anonymous callers with 401', async () => {
    const leo = await person('leo');
    const res = await revoke(null, leo.first.sessionId);
    expect(res.status).toBe(401);
    expect(codesOf(res)).toEqual(['UNAUTHENTICATED']);
    expect(await works(leo.first.token)).toBe(true);
  });
});

describe('a signed-out session', () => {
  it('has its token refused too (local mode knows the session ended)', async () => {
    const mia = await person('mia');
    expect(server.identity.endSession(mia.first.sessionId)).toBe(true);
    expect((await gql(server, mia.first.token, WHO)).status).toBe(401);
  });
});

describe('with an API key', () => {
  it('sessions and revokeSession are FORBIDDEN, and nothing changes', async () => {
    const nina = await person('nina');
    const other = await signIn(server.identity, nina.email);
    const created = await gql<{ createApiKey: { secret: string } }>(
      server,
      nina.first.token,
      `mutation Key($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
      { input: { name: 'sessions test', scopes: ['READ', 'WRITE'] } },
    );
    expect(created.body.errors).toBeUndefined();
    const key = created.body.data!.createApiKey.secret;

    const listed = await gql<SessionsData>(server, key, SESSIONS);
    expect(codesOf(listed)).toEqual(['FORBIDDEN']);
    expect(listed.body.data?.viewer.sessions).toBeNull();

    const revoked = await revoke(key, other.sessionId);
    expect(codesOf(revoked)).toEqual(['FORBIDDEN']);
    expect(await works(other.token)).toBe(true);
    expect(server.identity.getSession(other.sessionId)?.endedAt).toBeNull();
    expect(await revokedEvents(nina.userId)).toEqual([]);
  });
});

describe('the Backend API stand-in on the server', () => {
  it('refuses the session calls without the provider’s secret key', async () => {
    const olga = await person('olga');
    const list = `${server.url}/__local-auth/v1/sessions?user_id=${olga.clerkId}&status=active`;
    const revokeUrl = `${server.url}/__local-auth/v1/sessions/${olga.first.sessionId}/revoke`;
    expect((await fetch(list)).status).toBe(401);
    expect((await fetch(list, { headers: { authorization: 'Bearer sk_local_wrong' } })).status).toBe(401);
    expect((await fetch(revokeUrl, { method: 'POST' })).status).toBe(401);
    expect(await works(olga.first.token)).toBe(true);
    const allowed = await fetch(list, { headers: { authorization: `Bearer ${server.identity.secretKey}` } });
    expect(allowed.status).toBe(200);
  });
});

// ── clerk mode ─────────────────────────────────────────────────────────────────────────────────

interface ClerkModeServer {
  app: App;
  graphqlUrl: string;
  close(): Promise<void>;
}

/** The real app in clerk mode, verifying tokens of `provider`'s key, with Clerk's Backend API at `apiUrl`. */
async function startClerkModeServer(
  provider: LocalIdentityProvider,
  apiUrl: string,
  secretKey = provider.secretKey,
): Promise<ClerkModeServer> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: '0',
    AUTH_MODE: 'clerk',
    CLERK_JWT_KEY: provider.publicKeyPem,
    CLERK_SECRET_KEY: secretKey,
    CLERK_API_URL: apiUrl,
    // The suite shares one set of counters and one client address (support/rate-limit-budgets.ts).
    ...UNREACHABLE_RATE_LIMITS,
    IDENTITY_CACHE_SIZE: '0',
    CLERK_AUTHORIZED_PARTIES: PARTY,
  });
  const app = await createApp({ config, databaseUrl: inject('database').url, log: createLogger('silent') });
  app.server.listen(0, '127.0.0.1');
  await once(app.server, 'listening');
  const { port } = app.server.address() as AddressInfo;
  return {
    app,
    graphqlUrl: `http://127.0.0.1:${port}/graphql`,
    close: async () => {
      app.server.closeAllConnections();
      await new Promise<void>((resolve) => app.server.close(() => resolve()));
      await app.base.$disconnect();
    },
  };
}

describe('clerk mode', () => {
  let clerkProvider: LocalIdentityProvider;
  /** The stand-in, playing Clerk's Backend API. */
  let fakeClerk: ListeningServer;
  /** Answers every call with a 500. */
  let failingClerk: ListeningServer;
  let up: ClerkModeServer;

  beforeAll(async () => {
    ({ provider: clerkProvider } = await harness({ now: Date.now }));
    fakeClerk = await serveLocalAuth(() => clerkProvider);
    failingClerk = await listen(
      createServer((_req, res) => {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"errors":[]}');
      }),
    );
    up = await startClerkModeServer(clerkProvider, `${fakeClerk.base}/__local-auth`);
  });

  afterAll(async () => {
    await up?.close();
    await fakeClerk?.close();
    await failingClerk?.close();
  });

  it('lists and revokes through Clerk’s session calls', async () => {
    const paul = await person('paul', clerkProvider, up.graphqlUrl);
    const phone = await signIn(clerkProvider, paul.email, SAFARI_IPHONE);
    const listed = await post<SessionsData>(up.graphqlUrl, paul.first.token, SESSIONS);
    expect(listed.body.errors).toBeUndefined();
    expect(
      listed.body.data!.viewer.sessions!.map((session) => [session.id, session.current, session.device]).sort(),
    ).toEqual(
      [
        [paul.first.sessionId, true, 'Linux desktop'],
        [phone.sessionId, false, 'iPhone'],
      ].sort(),
    );

    const revoked = await post(up.graphqlUrl, paul.first.token, REVOKE, { input: { sessionId: phone.sessionId } });
    expect(revoked.body).toEqual({ data: { revokeSession: { sessionId: phone.sessionId } } });
    expect(clerkProvider.getSession(phone.sessionId)).toMatchObject({ revoked: true });
    expect(await revokedEvents(paul.userId)).toHaveLength(1);
    // Clerk mode has no liveness check: the session can no longer refresh its token, whose lifetime
    // (about 60 s with Clerk) bounds how long it still works (docs/architecture.md).
    await expect(clerkProvider.refreshSession(phone.sessionId)).rejects.toMatchObject({ code: 'session_not_found' });
    const after = await post<SessionsData>(up.graphqlUrl, paul.first.token, SESSION_IDS);
    expect(after.body.data!.viewer.sessions).toEqual([{ id: paul.first.sessionId, current: true }]);
  });

  it.each<[string, () => string, string | undefined]>([
    ['unreachable', () => 'http://127.0.0.1:9/__local-auth', undefined],
    ['failing (HTTP 500)', () => failingClerk.base, undefined],
    ['refusing our secret key', () => `${fakeClerk.base}/__local-auth`, 'sk_wrong'],
  ])(
    'answers IDENTITY_PROVIDER_UNAVAILABLE when Clerk is %s, and nothing changes',
    async (_label, apiUrl, secretKey) => {
      const down = await startClerkModeServer(clerkProvider, apiUrl(), secretKey);
      try {
        const quinn = await person('quinn', clerkProvider, down.graphqlUrl);
        const other = await signIn(clerkProvider, quinn.email);

        const listed = await post<SessionsData>(down.graphqlUrl, quinn.first.token, SESSIONS);
        expect(listed.status).toBe(200);
        // The rest of the viewer still answers; only the sessions are missing, with the reason.
        expect(listed.body.data?.viewer).toEqual({ id: quinn.user, sessions: null });
        expect(listed.body.errors).toMatchObject([
          { path: ['viewer', 'sessions'], extensions: { code: 'IDENTITY_PROVIDER_UNAVAILABLE' } },
        ]);

        const revoked = await post(down.graphqlUrl, quinn.first.token, REVOKE, {
          input: { sessionId: other.sessionId },
        });
        expect(codesOf(revoked)).toEqual(['IDENTITY_PROVIDER_UNAVAILABLE']);
        expect(revoked.body.errors?.[0]?.message).toMatch(/cannot be reached/);
        expect(clerkProvider.getSession(other.sessionId)?.endedAt).toBeNull();
        expect(await revokedEvents(quinn.userId)).toEqual([]);
      } finally {
        await down.close();
      }
    },
  );
});
