// Issue 12, parts 1, 3 and 5: an admin's role and status changes through the real server, on a database
// of this file's own (the last-admin guard counts every admin in the database, which other test files
// would change). The guards with their reasons, under real concurrency; FORBIDDEN for everyone else,
// API keys included; refusals that change nothing (the superuser reads it independently); the change on
// the target's next request (no identity cache); the ban at the local stand-in ending the sessions and
// refusing sign-in; audit events in the same transaction (a trigger that fails the event's insert rolls
// the change back, and the ban with it); and Clerk unreachable in Clerk mode rolling everything back.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_AUTH_PREFIX, LOCAL_AUTH_SECRET_HEADER } from '@deal-brain/shared/local-auth';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { freshDatabase, type FreshDatabase } from '../db/support/fresh-database.js';
import { startClerkModeServer, type ClerkModeServer } from '../auth/support/clerk-mode-server.js';
import { mint, sessionClaims } from '../auth/support/tokens.js';
import { freePort } from '../support/free-port.js';
import { connectAs, withDatabase } from '../support/sql.js';
import { gql, startTestServer, type GraphQLResponse, type TestServer } from '../support/server.js';

interface Person {
  id: string;
  rawId: string;
  email: string;
  clerkId: string;
  token: string;
  sessionId: string;
}

let fresh: FreshDatabase;
let server: TestServer;
let superuser: pg.Client;
let alice: Person; // admin
let bruno: Person; // admin
let target: Person;
let other: Person;

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const rawId = (global: string) => Buffer.from(global, 'base64').toString().split(':')[1]!;
const codesOf = (res: GraphQLResponse<unknown>) => res.body.errors?.map((error) => error.extensions?.code);

const SET_ROLE = `mutation R($input: SetUserRoleInput!) { setUserRole(input: $input) { user { id role } } }`;
const DEACTIVATE = `mutation D($input: DeactivateUserInput!) { deactivateUser(input: $input) { user { id active status } } }`;
const REACTIVATE = `mutation A($input: ReactivateUserInput!) { reactivateUser(input: $input) { user { id active status } } }`;
const USERS = `{ users(first: 1) { totalCount } }`;

async function makePerson(name: string): Promise<Person> {
  const email = `${name}-${randomUUID()}@example.test`;
  const identity = await server.identity.createIdentity({ email, firstName: name, lastName: 'Tester' });
  const { token, sessionId } = await server.identity.startSession(email);
  const res = await gql<{ viewer: { id: string } }>(server, token, '{ viewer { id } }');
  if (!res.body.data) throw new Error(JSON.stringify(res.body.errors));
  const id = res.body.data.viewer.id;
  // Its webhooks (user.created, session.created) delivered: no late write changes a snapshot.
  await server.app.localWebhooks?.idle();
  return { id, rawId: rawId(id), email, clerkId: identity.clerkId, token, sessionId };
}

async function createKey(who: Person, scopes: string[]): Promise<string> {
  const res = await gql<{ createApiKey: { secret: string } }>(
    server,
    who.token,
    `mutation K($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
    { input: { name: 'admin actions', scopes } },
  );
  if (!res.body.data) throw new Error(JSON.stringify(res.body.errors));
  return res.body.data.createApiKey.secret;
}

/** The users' rows and every admin audit event, as the superuser reads them. */
async function snapshot() {
  const users = await superuser.query(`SELECT id, role, active, deleted_at, updated_at FROM users ORDER BY id`);
  const events = await superuser.query(
    `SELECT id, type, metadata FROM audit_events WHERE type LIKE 'user.%' AND actor_id IS NOT NULL
     AND type IN ('user.role_changed', 'user.deactivated', 'user.reactivated') ORDER BY id`,
  );
  return { users: users.rows, events: events.rows };
}

async function eventsAbout(subject: Person, type: string) {
  const { rows } = await superuser.query<{
    actor_id: string;
    subject_user_id: string;
    ip: string | null;
    user_agent: string | null;
    metadata: Record<string, unknown>;
  }>(
    `SELECT actor_id, subject_user_id, ip, user_agent, metadata FROM audit_events
     WHERE subject_user_id = $1 AND type = $2 ORDER BY created_at, id`,
    [subject.rawId, type],
  );
  return rows;
}

async function userRow(who: Person) {
  const { rows } = await superuser.query<{ role: string; active: boolean }>(
    `SELECT role, active FROM users WHERE id = $1`,
    [who.rawId],
  );
  return rows[0]!;
}

/** Exactly these admins (active), everyone else a user; everyone of this file active. */
async function resetTo(admins: Person[]): Promise<void> {
  await superuser.query(
    `UPDATE users SET role = CASE WHEN id = ANY ($1::uuid[]) THEN 'ADMIN'::"Role" ELSE 'USER'::"Role" END,
       active = true, deleted_at = NULL`,
    [admins.map((admin) => admin.rawId)],
  );
}

beforeAll(async () => {
  fresh = await freshDatabase('admin_actions');
  server = await startTestServer({}, { databaseUrl: fresh.url });
  superuser = await connectAs(withDatabase(inject('database').superuserUrl, fresh.name));
  alice = await makePerson('alice');
  bruno = await makePerson('bruno');
  target = await makePerson('target');
  other = await makePerson('other');
  await server.app.localWebhooks?.idle();
});

afterAll(async () => {
  await server?.close();
  await superuser?.end();
  await fresh?.drop();
});

beforeEach(async () => {
  await server.app.localWebhooks?.idle();
  await resetTo([alice, bruno]);
});

describe('setUserRole', () => {
  it('promotes and demotes; the target’s next request has the new role; audited with before, after, reason, ip', async () => {
    expect(codesOf(await gql(server, target.token, USERS))).toEqual(['FORBIDDEN']);
    const promoted = await gql(server, alice.token, SET_ROLE, {
      input: { userId: target.id, role: 'ADMIN', reason: '  runs support  ' },
    });
    expect(promoted.body).toEqual({ data: { setUserRole: { user: { id: target.id, role: 'ADMIN' } } } });
    expect((await gql(server, target.token, USERS)).body.errors).toBeUndefined();

    const demoted = await gql(server, alice.token, SET_ROLE, { input: { userId: target.id, role: 'USER' } });
    expect(demoted.body).toEqual({ data: { setUserRole: { user: { id: target.id, role: 'USER' } } } });
    expect(codesOf(await gql(server, target.token, USERS))).toEqual(['FORBIDDEN']);

    const events = await eventsAbout(target, 'user.role_changed');
    expect(events).toEqual([
      {
        actor_id: alice.rawId,
        subject_user_id: target.rawId,
        ip: expect.any(String),
        user_agent: expect.any(String),
        metadata: { before: { role: 'USER' }, after: { role: 'ADMIN' }, reason: 'runs support' },
      },
      {
        actor_id: alice.rawId,
        subject_user_id: target.rawId,
        ip: expect.any(String),
        user_agent: expect.any(String),
        metadata: { before: { role: 'ADMIN' }, after: { role: 'USER' }, reason: null },
      },
    ]);
    expect(events[0]!.ip).toMatch(/127\.0\.0\.1|::1/);
  });

  it('the same role again is a no-op: success, nothing written, no event', async () => {
    const before = await snapshot();
    const res = await gql(server, alice.token, SET_ROLE, { input: { userId: target.id, role: 'USER' } });
    expect(res.body).toEqual({ data: { setUserRole: { user: { id: target.id, role: 'USER' } } } });
    const self = await gql(server, alice.token, SET_ROLE, { input: { userId: alice.id, role: 'ADMIN' } });
    expect(self.body.errors).toBeUndefined();
    expect(await snapshot()).toEqual(before);
  });

  it('self-demotion is FORBIDDEN with reason self-demotion, and changes nothing', async () => {
    const before = await snapshot();
    const res = await gql(server, alice.token, SET_ROLE, { input: { userId: alice.id, role: 'USER' } });
    expect(codesOf(res)).toEqual(['FORBIDDEN']);
    expect(res.body.errors![0]!.extensions!.reason).toBe('self-demotion');
    expect(res.body.errors![0]!.message).toMatch(/own admin role/);
    expect(res.body.data).toBeNull();
    expect(await snapshot()).toEqual(before);
  });
});

describe('the last admin', () => {
  /** Both requests pass authentication as admins, then wait on a row lock the superuser holds; then race. */
  async function race(requests: [Person, string, Record<string, unknown>][]) {
    const locker = await connectAs(withDatabase(inject('database').superuserUrl, fresh.name));
    try {
      await locker.query('BEGIN');
      await locker.query(`SELECT 1 FROM users WHERE id = ANY ($1::uuid[]) FOR UPDATE`, [[alice.rawId, bruno.rawId]]);
      const pending = requests.map(([who, document, variables]) => gql(server, who.token, document, variables));
      for (let waited = 0; ; waited += 20) {
        const { rows } = await superuser.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`,
          [fresh.name],
        );
        if (rows[0]!.n >= requests.length) break;
        if (waited > 10_000) throw new Error('the requests never waited on the lock');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await locker.query('COMMIT');
      return await Promise.all(pending);
    } finally {
      await locker.end();
    }
  }

  it.each([
    ['demoting', SET_ROLE, (who: Person) => ({ input: { userId: who.id, role: 'USER' } })],
    ['deactivating', DEACTIVATE, (who: Person) => ({ input: { userId: who.id, reason: 'race' } })],
  ] as const)(
    'two admins %s each other at once: one wins, the other is refused as last-admin',
    async (_what, document, input) => {
      const { rows: clock } = await superuser.query<{ since: Date }>(`SELECT clock_timestamp() AS since`);
      const results = await race([
        [alice, document, input(bruno)],
        [bruno, document, input(alice)],
      ]);
      const refused = results.filter((res) => res.body.errors);
      expect(refused).toHaveLength(1);
      expect(codesOf(refused[0]!)).toEqual(['FORBIDDEN']);
      expect(refused[0]!.body.errors![0]!.extensions!.reason).toBe('last-admin');
      const { rows } = await superuser.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM users WHERE role = 'ADMIN' AND active AND deleted_at IS NULL`,
      );
      expect(rows[0]!.n).toBe(1);
      const events = await superuser.query(
        `SELECT 1 FROM audit_events WHERE type IN ('user.role_changed', 'user.deactivated') AND created_at >= $1`,
        [clock[0]!.since],
      );
      expect(events.rowCount).toBe(1);
      // The loser of a deactivation race was banned at the stand-in: back to where the other tests start.
      await server.app.localWebhooks?.idle();
      for (const who of [alice, bruno]) {
        await server.identity.setBanned(who.clerkId, false);
        Object.assign(who, await server.identity.startSession(who.email));
      }
    },
  );
});

describe('deactivateUser and reactivateUser', () => {
  it('self-deactivation is FORBIDDEN with reason self-deactivation, and changes nothing', async () => {
    const before = await snapshot();
    const res = await gql(server, alice.token, DEACTIVATE, { input: { userId: alice.id, reason: 'leaving' } });
    expect(codesOf(res)).toEqual(['FORBIDDEN']);
    expect(res.body.errors![0]!.extensions!.reason).toBe('self-deactivation');
    expect(await snapshot()).toEqual(before);
    expect(server.identity.findIdentityByClerkId(alice.clerkId)?.banned ?? false).toBe(false);
  });

  it('deactivation: 403 ACCOUNT_DISABLED for their session and key, sessions ended, sign-in refused; reactivation restores', async () => {
    const who = await makePerson('deactivated');
    const key = await createKey(who, ['READ']);
    expect((await gql(server, key, '{ viewer { id } }')).status).toBe(200);

    const res = await gql(server, alice.token, DEACTIVATE, { input: { userId: who.id, reason: ' spam ' } });
    expect(res.body).toEqual({
      data: { deactivateUser: { user: { id: who.id, active: false, status: 'DEACTIVATED' } } },
    });

    // The account check comes before session liveness: ACCOUNT_DISABLED, though the ban ended the session.
    for (const credential of [who.token, key]) {
      const next = await gql(server, credential, '{ viewer { id } }');
      expect(next.status).toBe(403);
      expect(codesOf(next)).toEqual(['ACCOUNT_DISABLED']);
    }
    expect(server.identity.getSession(who.sessionId)).toMatchObject({ endedAt: expect.any(Number), revoked: true });
    expect(server.identity.findIdentityByClerkId(who.clerkId)?.banned).toBe(true);
    const signIn = await fetch(`${server.url}${LOCAL_AUTH_PREFIX}/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [LOCAL_AUTH_SECRET_HEADER]: server.identity.bootSecret },
      body: JSON.stringify({ email: who.email }),
    });
    expect(signIn.status).toBe(403);
    expect(await signIn.json()).toEqual({
      error: 'identity_banned',
      message: 'This account is disabled. Contact your administrator.',
    });
    // The ended session's webhook arrived as a sign-out, as a revocation's does.
    await server.app.localWebhooks?.idle();
    const signOuts = await eventsAbout(who, 'auth.sign_out');
    expect(signOuts.map((event) => event.metadata.sessionId)).toContain(who.sessionId);

    expect(await eventsAbout(who, 'user.deactivated')).toEqual([
      {
        actor_id: alice.rawId,
        subject_user_id: who.rawId,
        ip: expect.any(String),
        user_agent: expect.any(String),
        metadata: { before: { active: true }, after: { active: false }, reason: 'spam', clerk: 'banned' },
      },
    ]);

    // Again: already deactivated, nothing changes.
    const before = await snapshot();
    const again = await gql(server, alice.token, DEACTIVATE, { input: { userId: who.id, reason: 'again' } });
    expect(again.body.errors).toBeUndefined();
    expect(await snapshot()).toEqual(before);

    const back = await gql(server, bruno.token, REACTIVATE, { input: { userId: who.id } });
    expect(back.body).toEqual({ data: { reactivateUser: { user: { id: who.id, active: true, status: 'ACTIVE' } } } });
    expect((await gql(server, key, '{ viewer { id } }')).status).toBe(200);
    // The banned session stays ended; a new sign-in works.
    expect((await gql(server, who.token, '{ viewer { id } }')).status).toBe(401);
    const { token } = await server.identity.startSession(who.email);
    expect((await gql(server, token, '{ viewer { id } }')).body.errors).toBeUndefined();
    expect(await eventsAbout(who, 'user.reactivated')).toEqual([
      {
        actor_id: bruno.rawId,
        subject_user_id: who.rawId,
        ip: expect.any(String),
        user_agent: expect.any(String),
        metadata: { before: { active: false }, after: { active: true }, reason: null, clerk: 'unbanned' },
      },
    ]);
  });

  it('a deactivated admin stops counting as an admin, and their session is refused', async () => {
    await resetTo([alice, bruno, target]);
    const res = await gql(server, alice.token, DEACTIVATE, { input: { userId: target.id, reason: 'left' } });
    expect(res.body.errors).toBeUndefined();
    expect(codesOf(await gql(server, target.token, USERS))).toEqual(['ACCOUNT_DISABLED']);
    await gql(server, alice.token, REACTIVATE, { input: { userId: target.id } });
    target = { ...target, ...(await server.identity.startSession(target.email)) };
    expect((await gql(server, target.token, USERS)).body.errors).toBeUndefined();
  });
});

describe('bad input and unknown users change nothing', () => {
  const CASES: [string, string, () => Record<string, unknown>, string, string?][] = [
    [
      'deactivate without a reason',
      DEACTIVATE,
      () => ({ input: { userId: other.id, reason: '   ' } }),
      'BAD_USER_INPUT',
      'input.reason',
    ],
    [
      'deactivate, reason too long',
      DEACTIVATE,
      () => ({ input: { userId: other.id, reason: 'x'.repeat(501) } }),
      'BAD_USER_INPUT',
      'input.reason',
    ],
    [
      'role, reason too long',
      SET_ROLE,
      () => ({ input: { userId: other.id, role: 'ADMIN', reason: 'x'.repeat(501) } }),
      'BAD_USER_INPUT',
      'input.reason',
    ],
    [
      'reactivate, reason too long',
      REACTIVATE,
      () => ({ input: { userId: other.id, reason: 'x'.repeat(501) } }),
      'BAD_USER_INPUT',
      'input.reason',
    ],
    [
      'an unknown user',
      SET_ROLE,
      () => ({ input: { userId: globalId('User', randomUUID()), role: 'ADMIN' } }),
      'NOT_FOUND',
    ],
    [
      'an id of another type',
      DEACTIVATE,
      () => ({ input: { userId: globalId('Listing', other.rawId), reason: 'x' } }),
      'NOT_FOUND',
    ],
    ['an id that is no id', REACTIVATE, () => ({ input: { userId: 'nonsense' } }), 'BAD_USER_INPUT'],
  ];

  it.each(CASES)('%s: %s', async (_name, document, variables, code, path) => {
    const before = await snapshot();
    const res = await gql(server, alice.token, document, variables());
    expect(codesOf(res)).toEqual([code]);
    expect(res.body.data ?? null).toBeNull();
    if (path) expect(res.body.errors![0]!.extensions!.issues).toEqual([{ path, message: expect.any(String) }]);
    expect(await snapshot()).toEqual(before);
  });

  it('a deleted user: BAD_USER_INPUT "This account was deleted" for each action', async () => {
    const gone = await makePerson('gone');
    await superuser.query(`UPDATE users SET active = false, deleted_at = now() WHERE id = $1`, [gone.rawId]);
    const before = await snapshot();
    for (const [document, input] of [
      [SET_ROLE, { userId: gone.id, role: 'ADMIN' }],
      [DEACTIVATE, { userId: gone.id, reason: 'x' }],
      [REACTIVATE, { userId: gone.id }],
    ] as const) {
      const res = await gql(server, alice.token, document, { input });
      expect(codesOf(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.body.errors![0]!.message).toBe('This account was deleted');
    }
    expect(await snapshot()).toEqual(before);
    expect(server.identity.findIdentityByClerkId(gone.clerkId)?.banned ?? false).toBe(false);
  });
});

describe('who may act', () => {
  it('FORBIDDEN for a user, a user’s API key and an admin’s API key on every action; nothing changes', async () => {
    const userKey = await createKey(other, ['READ', 'WRITE']);
    const adminKey = await createKey(alice, ['READ', 'WRITE']);
    const before = await snapshot();
    for (const [document, input] of [
      [SET_ROLE, { userId: target.id, role: 'ADMIN' }],
      [DEACTIVATE, { userId: target.id, reason: 'x' }],
      [REACTIVATE, { userId: target.id }],
    ] as const) {
      for (const credential of [other.token, userKey, adminKey]) {
        const res = await gql(server, credential, document, { input });
        expect(codesOf(res)).toEqual(['FORBIDDEN']);
        expect(res.body.data).toBeNull();
      }
      expect(codesOf(await gql(server, null, document, { input }))).toEqual(['UNAUTHENTICATED']);
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('the audit event commits with the change, or neither does', () => {
  async function failingAudit<T>(type: string, subject: Person, fn: () => Promise<T>): Promise<T> {
    await superuser.query(`
      CREATE FUNCTION admin_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.type = '${type}' AND NEW.subject_user_id = '${subject.rawId}' THEN
          RAISE EXCEPTION 'refused by admin-actions test';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER admin_test_refuse BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION admin_test_refuse();`);
    try {
      return await fn();
    } finally {
      await superuser.query(`DROP TRIGGER admin_test_refuse ON audit_events; DROP FUNCTION admin_test_refuse();`);
    }
  }

  const expectMasked = (res: GraphQLResponse) => {
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
    expect(res.body.errors).toEqual([
      {
        message: 'Unexpected error.',
        path: [expect.any(String)],
        locations: expect.any(Array),
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
    ]);
    expect(JSON.stringify(res.body)).not.toMatch(/refused by admin-actions test|stack/);
  };

  it('setUserRole: neither the role nor the event remains', async () => {
    const before = await snapshot();
    const res = await failingAudit('user.role_changed', other, () =>
      gql(server, alice.token, SET_ROLE, { input: { userId: other.id, role: 'ADMIN' } }),
    );
    expectMasked(res);
    expect(await userRow(other)).toEqual({ role: 'USER', active: true });
    expect(await snapshot()).toEqual(before);
  });

  it('deactivateUser: neither the deactivation nor the event remains, and the ban at the stand-in is undone', async () => {
    const who = await makePerson('rollback');
    const before = await snapshot();
    const res = await failingAudit('user.deactivated', who, () =>
      gql(server, alice.token, DEACTIVATE, { input: { userId: who.id, reason: 'x' } }),
    );
    expectMasked(res);
    expect(await userRow(who)).toEqual({ role: 'USER', active: true });
    expect(await snapshot()).toEqual(before);
    expect(server.identity.findIdentityByClerkId(who.clerkId)?.banned).toBe(false);
    const { token } = await server.identity.startSession(who.email);
    expect((await gql(server, token, '{ viewer { id } }')).status).toBe(200);
  });

  it('reactivateUser: neither the reactivation nor the event remains, and the unban at the stand-in is undone (banned again)', async () => {
    const who = await makePerson('rollback-reactivate');
    const deactivated = await gql(server, alice.token, DEACTIVATE, { input: { userId: who.id, reason: 'x' } });
    expect(deactivated.body.errors).toBeUndefined();
    expect(server.identity.findIdentityByClerkId(who.clerkId)?.banned).toBe(true);
    const before = await snapshot();
    const res = await failingAudit('user.reactivated', who, () =>
      gql(server, alice.token, REACTIVATE, { input: { userId: who.id } }),
    );
    expectMasked(res);
    expect(await userRow(who)).toEqual({ role: 'USER', active: false });
    expect(await snapshot()).toEqual(before);
    // The unban was made and undone: the identity is banned again, and still cannot sign in.
    expect(server.identity.findIdentityByClerkId(who.clerkId)?.banned).toBe(true);
    await expect(server.identity.startSession(who.email)).rejects.toMatchObject({ code: 'identity_banned' });
  });
});

describe('waiting for another admin action', () => {
  it('the rows held locked past the lock timeout: TIMEOUT (reason busy), retryable, and nothing changes', async () => {
    const holder = await connectAs(withDatabase(inject('database').superuserUrl, fresh.name));
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, [other.rawId]);
      const before = await snapshot();
      const started = Date.now();
      const res = await gql(server, alice.token, SET_ROLE, { input: { userId: other.id, role: 'ADMIN' } });
      expect(Date.now() - started).toBeGreaterThanOrEqual(4_500);
      expect(res.status).toBe(200);
      expect(res.body.errors).toEqual([
        expect.objectContaining({
          message: expect.stringMatching(/try again/),
          extensions: { code: 'TIMEOUT', reason: 'busy', retryAfter: 1 },
        }),
      ]);
      await holder.query('ROLLBACK');
      expect(await snapshot()).toEqual(before);
      // Once the other change is done, the same request goes through.
      const retried = await gql(server, alice.token, SET_ROLE, { input: { userId: other.id, role: 'ADMIN' } });
      expect(retried.body.errors).toBeUndefined();
    } finally {
      await holder.end();
    }
  });
});

/**
 * A Clerk Backend API whose first ban is held until `release()`; every other ban or unban is answered at
 * once with the user and its `banned`. Records every request as "METHOD /path".
 */
async function startHeldClerk() {
  const requests: string[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let held = false;
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://held').pathname;
    requests.push(`${req.method} ${path}`);
    const match = /^\/v1\/users\/([^/]+)\/(ban|unban)$/.exec(path);
    const answer = () => {
      res.writeHead(match ? 200 : 404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          match
            ? { object: 'user', id: decodeURIComponent(match[1]!), banned: match[2] === 'ban' }
            : { errors: [{ code: 'resource_not_found', message: 'not found' }] },
        ),
      );
    };
    if (req.method === 'POST' && match?.[2] === 'ban' && !held) {
      held = true;
      void released.then(answer);
    } else answer();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    release,
    close: () => {
      release();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('Clerk mode: the ban at Clerk', () => {
  let clerkServer: ClerkModeServer | undefined;

  afterAll(async () => {
    await clerkServer?.close();
  });

  async function usersFor(server: ClerkModeServer) {
    const adminClerk = `user_admin_${randomUUID()}`;
    const targetClerk = `user_target_${randomUUID()}`;
    const { rows } = await superuser.query<{ id: string; clerk_id: string }>(
      `INSERT INTO users (clerk_id, email, role) VALUES ($1, 'a@example.test', 'ADMIN'), ($2, 't@example.test', 'USER')
       RETURNING id::text, clerk_id`,
      [adminClerk, targetClerk],
    );
    const idOf = (clerkId: string) => rows.find((row) => row.clerk_id === clerkId)!.id;
    return {
      token: mint(server.key, sessionClaims(adminClerk)),
      adminId: idOf(adminClerk),
      targetId: idOf(targetClerk),
    };
  }

  async function deactivate(server: ClerkModeServer, token: string, targetId: string) {
    const response = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: DEACTIVATE,
        variables: { input: { userId: globalId('User', targetId), reason: 'r' } },
      }),
    });
    return (await response.json()) as GraphQLResponse['body'];
  }

  it('Clerk unreachable: IDENTITY_PROVIDER_UNAVAILABLE, and neither the change nor the event remains', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    clerkServer = await startClerkModeServer({ env: { CLERK_API_URL: closed }, databaseUrl: fresh.url });
    const { token, targetId } = await usersFor(clerkServer);
    const body = await deactivate(clerkServer, token, targetId);
    expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['IDENTITY_PROVIDER_UNAVAILABLE']);
    const { rows } = await superuser.query(`SELECT active FROM users WHERE id = $1`, [targetId]);
    expect(rows).toEqual([{ active: true }]);
    const events = await superuser.query(`SELECT 1 FROM audit_events WHERE subject_user_id = $1`, [targetId]);
    expect(events.rowCount).toBe(0);
    await clerkServer.close();
    clerkServer = undefined;
  });

  it('an identity Clerk does not know: deactivated all the same, recorded as not-found', async () => {
    clerkServer = await startClerkModeServer({ databaseUrl: fresh.url });
    const { token, targetId } = await usersFor(clerkServer);
    const body = await deactivate(clerkServer, token, targetId);
    expect(body.errors).toBeUndefined();
    expect(clerkServer.clerk.requests.map((request) => request.path)).toContainEqual(
      expect.stringMatching(/^POST \/v1\/users\/user_target_.*\/ban$/),
    );
    const { rows } = await superuser.query<{ metadata: Record<string, unknown> }>(
      `SELECT metadata FROM audit_events WHERE subject_user_id = $1 AND type = 'user.deactivated'`,
      [targetId],
    );
    expect(rows).toEqual([
      { metadata: { before: { active: true }, after: { active: false }, reason: 'r', clerk: 'not-found' } },
    ]);
  });

  it('no Backend API (networkless verification, no secret key): deactivated all the same, recorded as not-configured', async () => {
    const noKey = await startClerkModeServer({ env: { CLERK_SECRET_KEY: '' }, databaseUrl: fresh.url });
    try {
      const { token, targetId } = await usersFor(noKey);
      const body = await deactivate(noKey, token, targetId);
      expect(body.errors).toBeUndefined();
      expect(noKey.clerk.requests).toEqual([]);
      const { rows } = await superuser.query(`SELECT active FROM users WHERE id = $1`, [targetId]);
      expect(rows).toEqual([{ active: false }]);
      const events = await superuser.query<{ metadata: Record<string, unknown> }>(
        `SELECT metadata FROM audit_events WHERE subject_user_id = $1 AND type = 'user.deactivated'`,
        [targetId],
      );
      expect(events.rows).toEqual([
        { metadata: { before: { active: true }, after: { active: false }, reason: 'r', clerk: 'not-configured' } },
      ]);
    } finally {
      await noKey.close();
    }
  });

  it('while a ban is in flight, an audit event naming a locked admin is written without waiting (FOR NO KEY UPDATE)', async () => {
    const held = await startHeldClerk();
    const server = await startClerkModeServer({ env: { CLERK_API_URL: held.url }, databaseUrl: fresh.url });
    const writer = await connectAs(withDatabase(inject('database').superuserUrl, fresh.name));
    try {
      const { token, adminId, targetId } = await usersFor(server);
      const pending = deactivate(server, token, targetId);
      await vi.waitFor(() => expect(held.requests).toContainEqual(expect.stringMatching(/\/ban$/)), {
        timeout: 5_000,
      });
      // The foreign-key checks of this insert take KEY SHARE locks on the admin's row, which the pending
      // action holds locked: FOR UPDATE would make it wait (and time out), FOR NO KEY UPDATE does not.
      await writer.query('BEGIN');
      await writer.query(`SET LOCAL lock_timeout = '1s'`);
      await writer.query(
        `INSERT INTO audit_events (type, actor_id, subject_user_id, metadata) VALUES ('api_key.created', $1, $1, '{}')`,
        [adminId],
      );
      await writer.query('ROLLBACK');
      held.release();
      const body = await pending;
      expect(body.errors).toBeUndefined();
      const { rows } = await superuser.query<{ metadata: Record<string, unknown> }>(
        `SELECT metadata FROM audit_events WHERE subject_user_id = $1 AND type = 'user.deactivated'`,
        [targetId],
      );
      expect(rows).toEqual([
        { metadata: { before: { active: true }, after: { active: false }, reason: 'r', clerk: 'banned' } },
      ]);
    } finally {
      await writer.end();
      await server.close();
      await held.close();
    }
  });

  it('Clerk answering after the deadline: IDENTITY_PROVIDER_UNAVAILABLE, nothing changes, and the late ban is undone', async () => {
    const held = await startHeldClerk();
    const server = await startClerkModeServer({ env: { CLERK_API_URL: held.url }, databaseUrl: fresh.url });
    try {
      const { token, targetId } = await usersFor(server);
      const body = await deactivate(server, token, targetId);
      expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['IDENTITY_PROVIDER_UNAVAILABLE']);
      const { rows } = await superuser.query(`SELECT active FROM users WHERE id = $1`, [targetId]);
      expect(rows).toEqual([{ active: true }]);
      const events = await superuser.query(`SELECT 1 FROM audit_events WHERE subject_user_id = $1`, [targetId]);
      expect(events.rowCount).toBe(0);
      // Nothing is undone while the ban's outcome is unknown; once Clerk answers that it banned, it is.
      expect(held.requests.filter((request) => request.endsWith('/unban'))).toEqual([]);
      held.release();
      await vi.waitFor(
        () => expect(held.requests).toContainEqual(expect.stringMatching(/^POST \/v1\/users\/user_target_.*\/unban$/)),
        { timeout: 5_000 },
      );
      expect(server.logLines().map((line) => line.event)).toContain('admin.clerk_undone');
    } finally {
      await server.close();
      await held.close();
    }
  }, 30_000);
});
