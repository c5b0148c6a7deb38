// Issue 12, part 3: reading the audit log through the real server. A user reads the events about
// themselves (viewer.auditEvents; never with an API key), an admin reads everyone's
// (auditEvents(filter:), User.auditEvents on any user). Newest first, keyset pages on (created_at, id)
// that neither skip nor repeat, even when events share one timestamp; a malformed cursor is
// BAD_USER_INPUT. A user does not see the address and browser of the admin who acted on them. Failed
// authentication is written as aggregated auth.failed rows, and the client address honours only the
// configured forwarding header (TRUSTED_PROXY_HEADER) and only from TRUSTED_PROXIES. Events are inserted
// by the superuser where their content must be exact.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectAs, databaseOf, withDatabase } from '../support/sql.js';
import { gql, newIdentity, startTestServer, type GraphQLResponse, type TestServer } from '../support/server.js';

interface Person {
  email: string;
  token: string;
  userId: string;
  /** Global id of their User. */
  user: string;
}

interface EventJson {
  id: string;
  type: string;
  actor: { id: string } | null;
  subject: { id: string } | null;
  ip: string | null;
  userAgent: string | null;
  count: number;
  reason: string | null;
  metadata: Record<string, unknown>;
  createdAt: string;
}

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: EventJson }[];
}

let server: TestServer;
/** TRUSTED_PROXIES=loopback: the test's own requests come from a trusted proxy (writing X-Forwarded-For). */
let proxied: TestServer;
/** The same behind a proxy that writes Forwarded (TRUSTED_PROXY_HEADER=forwarded). */
let forwardedProxy: TestServer;
let superuser: pg.Client;
let alice: Person;
let bob: Person;
let admin: Person;

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const rawId = (global: string) => Buffer.from(global, 'base64').toString().split(':')[1]!;
const codesOf = (res: GraphQLResponse<unknown>) => res.body.errors?.map((error) => error.extensions?.code);

const EVENT = `id type actor { id } subject { id } ip userAgent count reason metadata createdAt`;
const OWN = `query Own($first: Int, $after: String) {
  viewer { auditEvents(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${EVENT} } }
  } }
}`;
const LOG = `query Log($filter: AuditEventFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${EVENT} } }
  }
}`;
const OF_USER = `query OfUser($id: ID!) { node(id: $id) { ... on User { auditEvents(first: 100) { totalCount edges { node { id type } } } } } }`;
const NODE = `query Node($id: ID!) { node(id: $id) { id ... on AuditEvent { type actor { id } subject { id } } } }`;

async function person(on: TestServer, name: string): Promise<Person> {
  const { email, token } = await newIdentity(on, name);
  const res = await gql<{ viewer: { id: string } }>(on, token, '{ viewer { id } }');
  await on.app.localWebhooks?.idle();
  const user = res.body.data!.viewer.id;
  return { email, token, userId: rawId(user), user };
}

interface Inserted {
  type: string;
  actorId?: string | null;
  subjectId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  metadata?: Record<string, unknown>;
  createdAt: Date;
}

/** Inserts events as the superuser; their ids, in the order given. */
async function insert(events: Inserted[]): Promise<string[]> {
  const ids: string[] = [];
  for (const event of events) {
    const { rows } = await superuser.query<{ id: string }>(
      `INSERT INTO audit_events (type, actor_id, subject_user_id, ip, user_agent, metadata, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        event.type,
        event.actorId ?? null,
        event.subjectId ?? null,
        event.ip ?? null,
        event.userAgent ?? null,
        JSON.stringify(event.metadata ?? {}),
        event.createdAt,
      ],
    );
    ids.push(rows[0]!.id);
  }
  return ids;
}

async function pageThrough(
  on: TestServer,
  who: Person,
  document: string,
  pick: (data: Record<string, unknown>) => Page,
  variables: Record<string, unknown>,
  first: number,
): Promise<EventJson[]> {
  const seen: EventJson[] = [];
  let after: string | null = null;
  for (let i = 0; i < 50; i++) {
    const res = await gql(on, who.token, document, { ...variables, first, after });
    expect(res.body.errors).toBeUndefined();
    const page = pick(res.body.data!);
    seen.push(...page.edges.map((edge) => edge.node));
    if (!page.pageInfo.hasNextPage) return seen;
    after = page.pageInfo.endCursor;
  }
  throw new Error('too many pages');
}

const newestFirst = (a: { createdAt: string; id: string }, b: { createdAt: string; id: string }) =>
  b.createdAt.localeCompare(a.createdAt) || rawId(b.id).localeCompare(rawId(a.id));

beforeAll(async () => {
  [server, proxied, forwardedProxy] = await Promise.all([
    // A proxy elsewhere: the test's own requests (from loopback) come from an untrusted peer, and their
    // forwarding headers reach the address logic instead of local mode's refusal of proxied requests.
    startTestServer({ TRUSTED_PROXIES: '192.0.2.254' }),
    startTestServer({ TRUSTED_PROXIES: 'loopback' }),
    startTestServer({ TRUSTED_PROXIES: 'loopback', TRUSTED_PROXY_HEADER: 'forwarded' }),
  ]);
  const { url, superuserUrl } = inject('database');
  superuser = await connectAs(withDatabase(superuserUrl, databaseOf(url)));
  alice = await person(server, 'alice');
  bob = await person(server, 'bob');
  admin = await person(server, 'admin');
  await superuser.query(`UPDATE users SET role = 'ADMIN' WHERE id = $1`, [admin.userId]);
});

afterAll(async () => {
  await server?.close();
  await proxied?.close();
  await forwardedProxy?.close();
  await superuser?.end();
});

describe('viewer.auditEvents', () => {
  it('pages through the viewer’s own events newest first, neither skipping nor repeating when timestamps tie', async () => {
    const me = await person(server, 'pager');
    const tie = new Date('2031-01-01T00:00:00.000Z');
    const ids = await insert([
      ...Array.from({ length: 23 }, (_, i) => ({
        type: 'auth.sign_in',
        subjectId: me.userId,
        actorId: me.userId,
        metadata: { i },
        createdAt: tie,
      })),
      { type: 'auth.sign_out', subjectId: me.userId, actorId: me.userId, createdAt: new Date('2031-01-02T00:00:00Z') },
      { type: 'auth.sign_in', subjectId: me.userId, actorId: me.userId, createdAt: new Date('2030-12-31T00:00:00Z') },
    ]);
    const seen = await pageThrough(
      server,
      me,
      OWN,
      (data) => (data.viewer as { auditEvents: Page }).auditEvents,
      {},
      4,
    );
    const mine = seen.filter((event) => ids.includes(rawId(event.id)));
    expect(mine).toHaveLength(ids.length);
    expect(new Set(seen.map((event) => event.id)).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort(newestFirst));
    expect(seen[0]!.type).toBe('auth.sign_out');
    // Every event is about the viewer.
    expect(seen.every((event) => event.subject?.id === me.user)).toBe(true);
  });

  it('shows a user their own events only, and not the admin who acted on them, nor the admin’s address', async () => {
    const [aboutAlice, aboutBob] = await insert([
      {
        type: 'user.role_changed',
        actorId: admin.userId,
        subjectId: alice.userId,
        ip: '192.0.2.1',
        userAgent: 'admin browser',
        metadata: { before: { role: 'USER' }, after: { role: 'ADMIN' }, reason: 'runs the shop' },
        createdAt: new Date(),
      },
      { type: 'auth.sign_in', actorId: bob.userId, subjectId: bob.userId, createdAt: new Date() },
    ]);
    const res = await gql<{ viewer: { auditEvents: Page } }>(server, alice.token, OWN, { first: 100 });
    const events = res.body.data!.viewer.auditEvents.edges.map((edge) => edge.node);
    expect(events.map((event) => rawId(event.id))).toContain(aboutAlice);
    expect(events.map((event) => rawId(event.id))).not.toContain(aboutBob);
    expect(events.find((event) => rawId(event.id) === aboutAlice)).toEqual({
      id: globalId('AuditEvent', aboutAlice!),
      type: 'user.role_changed',
      actor: null,
      subject: { id: alice.user },
      // The admin's address and browser are theirs, not the subject's to read.
      ip: null,
      userAgent: null,
      count: 1,
      reason: 'runs the shop',
      metadata: { before: { role: 'USER' }, after: { role: 'ADMIN' }, reason: 'runs the shop' },
      createdAt: expect.any(String) as string,
    });

    // By id: her own event, never bob's (null, like an unknown id); the admin reads both, actor included.
    const own = await gql(server, alice.token, NODE, { id: globalId('AuditEvent', aboutAlice!) });
    expect(own.body.data).toEqual({
      node: {
        id: globalId('AuditEvent', aboutAlice!),
        type: 'user.role_changed',
        actor: null,
        subject: { id: alice.user },
      },
    });
    const other = await gql(server, alice.token, NODE, { id: globalId('AuditEvent', aboutBob!) });
    const unknown = await gql(server, alice.token, NODE, { id: globalId('AuditEvent', randomUUID()) });
    expect(other.body).toEqual({ data: { node: null } });
    expect(unknown.body).toEqual(other.body);
    const asAdmin = await gql(server, admin.token, NODE, { id: globalId('AuditEvent', aboutAlice!) });
    expect(asAdmin.body.data).toEqual({
      node: {
        id: globalId('AuditEvent', aboutAlice!),
        type: 'user.role_changed',
        actor: { id: admin.user },
        subject: { id: alice.user },
      },
    });
  });

  it('shows ip and user agent to the actor and to an admin, never to the subject of someone else’s act', async () => {
    const me = await person(server, 'client-visibility');
    const [byAdmin, byMe, refused, deletedActor] = await insert([
      {
        type: 'user.deactivated',
        actorId: admin.userId,
        subjectId: me.userId,
        ip: '192.0.2.10',
        userAgent: 'admin browser',
        createdAt: new Date(),
      },
      {
        type: 'user.profile_updated',
        actorId: me.userId,
        subjectId: me.userId,
        ip: '192.0.2.11',
        userAgent: 'my browser',
        createdAt: new Date(),
      },
      // Someone presented my own credential: where from is what my security activity is for.
      {
        type: 'api_key.refused',
        subjectId: me.userId,
        ip: '192.0.2.12',
        userAgent: 'curl',
        metadata: { reason: 'api-key-revoked', count: 2 },
        createdAt: new Date(),
      },
      // An admin's act whose admin was since deleted (actor set null): still not mine to read.
      {
        type: 'user.role_changed',
        subjectId: me.userId,
        ip: '192.0.2.13',
        userAgent: 'gone admin',
        createdAt: new Date(),
      },
    ]);
    const client = (events: EventJson[]) =>
      Object.fromEntries(
        events
          .filter((event) => [byAdmin, byMe, refused, deletedActor].includes(rawId(event.id)))
          .map((event) => [rawId(event.id), { ip: event.ip, userAgent: event.userAgent }]),
      );
    const own = await gql<{ viewer: { auditEvents: Page } }>(server, me.token, OWN, { first: 100 });
    expect(client(own.body.data!.viewer.auditEvents.edges.map((edge) => edge.node))).toEqual({
      [byAdmin!]: { ip: null, userAgent: null },
      [byMe!]: { ip: '192.0.2.11', userAgent: 'my browser' },
      [refused!]: { ip: '192.0.2.12', userAgent: 'curl' },
      [deletedActor!]: { ip: null, userAgent: null },
    });
    // By id the same.
    const byId = await gql<{ node: { ip: string | null } }>(
      server,
      me.token,
      `query($id: ID!) { node(id: $id) { ... on AuditEvent { ip userAgent } } }`,
      { id: globalId('AuditEvent', byAdmin!) },
    );
    expect(byId.body.data).toEqual({ node: { ip: null, userAgent: null } });
    // The admin (app_admin) sees every one, through the log and through the user.
    const log = await gql<{ auditEvents: Page }>(server, admin.token, LOG, {
      filter: { subjectId: me.user },
      first: 100,
    });
    expect(client(log.body.data!.auditEvents.edges.map((edge) => edge.node))).toEqual({
      [byAdmin!]: { ip: '192.0.2.10', userAgent: 'admin browser' },
      [byMe!]: { ip: '192.0.2.11', userAgent: 'my browser' },
      [refused!]: { ip: '192.0.2.12', userAgent: 'curl' },
      [deletedActor!]: { ip: '192.0.2.13', userAgent: 'gone admin' },
    });
    const ofUser = await gql<{ node: { auditEvents: { edges: { node: EventJson }[] } } }>(
      server,
      admin.token,
      `query($id: ID!) { node(id: $id) { ... on User { auditEvents(first: 100) { edges { node { id ip userAgent } } } } } }`,
      { id: me.user },
    );
    expect(ofUser.body.errors).toBeUndefined();
    expect(client(ofUser.body.data!.node.auditEvents.edges.map((edge) => edge.node))[byAdmin!]).toEqual({
      ip: '192.0.2.10',
      userAgent: 'admin browser',
    });
  });

  it('is refused to an API key (FORBIDDEN), even the owner’s own, and to anonymous callers', async () => {
    const me = await person(server, 'keyholder');
    const created = await gql<{ createApiKey: { secret: string } }>(
      server,
      me.token,
      `mutation { createApiKey(input: { name: "audit", scopes: [READ] }) { secret } }`,
    );
    const secret = created.body.data!.createApiKey.secret;
    const byKey = await gql(server, secret, OWN, { first: 5 });
    expect(codesOf(byKey)).toEqual(['FORBIDDEN']);
    expect(byKey.body.data).toBeNull();
    const anonymous = await gql(server, null, OWN, { first: 5 });
    expect(anonymous.status).toBe(401);
    expect(codesOf(anonymous)).toEqual(['UNAUTHENTICATED']);
  });

  it('counts aggregated events and reads reason only when it is a string', async () => {
    const me = await person(server, 'counted');
    await insert([
      {
        type: 'auth.failed',
        subjectId: me.userId,
        metadata: { reason: 'account-disabled', count: 42 },
        createdAt: new Date(),
      },
      {
        type: 'api_key.refused',
        subjectId: me.userId,
        metadata: { reason: 7, count: 'many' },
        createdAt: new Date(Date.now() - 1000),
      },
    ]);
    const res = await gql<{ viewer: { auditEvents: Page } }>(server, me.token, OWN, { first: 100 });
    const picked = res.body
      .data!.viewer.auditEvents.edges.map(({ node }) => node)
      .filter((event) => event.type === 'auth.failed' || event.type === 'api_key.refused')
      .map(({ type, count, reason }) => ({ type, count, reason }));
    expect(picked).toEqual([
      { type: 'auth.failed', count: 42, reason: 'account-disabled' },
      { type: 'api_key.refused', count: 1, reason: null },
    ]);
  });
});

describe('User.auditEvents', () => {
  it('an admin reads any user’s events; a user reads no one else’s User', async () => {
    const me = await person(server, 'subject');
    const [id] = await insert([
      { type: 'user.deactivated', actorId: admin.userId, subjectId: me.userId, createdAt: new Date() },
    ]);
    const asAdmin = await gql<{ node: { auditEvents: { totalCount: number; edges: { node: { id: string } }[] } } }>(
      server,
      admin.token,
      OF_USER,
      { id: me.user },
    );
    expect(asAdmin.body.errors).toBeUndefined();
    expect(asAdmin.body.data!.node.auditEvents.edges.map((edge) => rawId(edge.node.id))).toContain(id);
    const { rows } = await superuser.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM audit_events WHERE subject_user_id = $1',
      [me.userId],
    );
    expect(asAdmin.body.data!.node.auditEvents.totalCount).toBe(rows[0]!.n);
    const asOther = await gql(server, alice.token, OF_USER, { id: me.user });
    expect(asOther.body).toEqual({ data: { node: null } });
  });
});

describe('auditEvents (admins only)', () => {
  let subject: Person;
  let actor: Person;
  const base = Date.parse('2032-06-01T12:00:00.000Z');
  const at = (minutes: number) => new Date(base + minutes * 60_000);
  let ids: Record<string, string>;

  beforeAll(async () => {
    subject = await person(server, 'filtered');
    actor = await person(server, 'actor');
    const [created, revoked, refused, role, signIn] = await insert([
      { type: 'api_key.created', actorId: subject.userId, subjectId: subject.userId, createdAt: at(0) },
      { type: 'api_key.revoked', actorId: subject.userId, subjectId: subject.userId, createdAt: at(1) },
      {
        type: 'api_key.refused',
        subjectId: subject.userId,
        metadata: { count: 3, reason: 'api-key-revoked' },
        createdAt: at(2),
      },
      { type: 'user.role_changed', actorId: actor.userId, subjectId: subject.userId, createdAt: at(3) },
      { type: 'auth.sign_in', actorId: actor.userId, subjectId: actor.userId, createdAt: at(4) },
    ]);
    ids = { created: created!, revoked: revoked!, refused: refused!, role: role!, signIn: signIn! };
  });

  // From a minute before the first inserted event (unless the case says): the users' own sign-up events are older.
  async function log(filter: Record<string, unknown>, first = 100) {
    const res = await gql<{ auditEvents: Page }>(server, admin.token, LOG, {
      filter: { from: at(-1).toISOString(), ...filter },
      first,
    });
    expect(res.body.errors).toBeUndefined();
    const page = res.body.data!.auditEvents;
    return { ids: page.edges.map((edge) => rawId(edge.node.id)), totalCount: page.totalCount };
  }

  it('filters by subject, newest first, and by exact type and family prefix', async () => {
    expect(await log({ subjectId: subject.user })).toEqual({
      ids: [ids.role, ids.refused, ids.revoked, ids.created],
      totalCount: 4,
    });
    expect(await log({ subjectId: subject.user, type: 'api_key.' })).toEqual({
      ids: [ids.refused, ids.revoked, ids.created],
      totalCount: 3,
    });
    expect(await log({ subjectId: subject.user, type: ' api_key.created ' })).toEqual({
      ids: [ids.created],
      totalCount: 1,
    });
    // A blank type is no filtering on the type.
    expect((await log({ subjectId: subject.user, type: '  ' })).totalCount).toBe(4);
  });

  it('filters by actor, and by time (from inclusive, to exclusive)', async () => {
    expect(await log({ actorId: actor.user })).toEqual({ ids: [ids.signIn, ids.role], totalCount: 2 });
    expect(await log({ subjectId: subject.user, from: at(1).toISOString(), to: at(3).toISOString() })).toEqual({
      ids: [ids.refused, ids.revoked],
      totalCount: 2,
    });
    expect(await log({ actorId: actor.user, from: at(4).toISOString() })).toEqual({ ids: [ids.signIn], totalCount: 1 });
    expect(await log({ actorId: actor.user, to: at(4).toISOString() })).toEqual({ ids: [ids.role], totalCount: 1 });
  });

  it('pages the filtered log without skipping or repeating', async () => {
    const seen = await pageThrough(
      server,
      admin,
      LOG,
      (data) => data.auditEvents as Page,
      { filter: { subjectId: subject.user, from: at(-1).toISOString() } },
      1,
    );
    expect(seen.map((event) => rawId(event.id))).toEqual([ids.role, ids.refused, ids.revoked, ids.created]);
  });

  it('refuses bad filters with BAD_USER_INPUT naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ actorId: globalId('Listing', randomUUID()) }, 'filter.actorId'],
      [{ subjectId: globalId('AuditEvent', randomUUID()) }, 'filter.subjectId'],
      [{ from: at(2).toISOString(), to: at(2).toISOString() }, 'filter.to'],
      [{ from: at(3).toISOString(), to: at(2).toISOString() }, 'filter.to'],
      [{ type: 'DROP TABLE' }, 'filter.type'],
      [{ type: `${'a'.repeat(100)}.x` }, 'filter.type'],
    ];
    for (const [filter, path] of cases) {
      const res = await gql(server, admin.token, LOG, { filter, first: 5 });
      expect(codesOf(res), JSON.stringify(filter)).toEqual(['BAD_USER_INPUT']);
      const issues = res.body.errors![0]!.extensions!.issues as { path: string }[];
      expect(issues.map((issue) => issue.path)).toContain(path);
    }
    const notAnId = await gql(server, admin.token, LOG, { filter: { actorId: 'nonsense' }, first: 5 });
    expect(codesOf(notAnId)).toEqual(['BAD_USER_INPUT']);
    const notADate = await gql(server, admin.token, LOG, { filter: { from: 'yesterday' }, first: 5 });
    expect(codesOf(notADate)).toEqual(['BAD_USER_INPUT']);
  });

  it('caps a page at 100 events', async () => {
    const res = await gql<{ auditEvents: Page }>(server, admin.token, LOG, { first: 500 });
    expect(res.body.data?.auditEvents.edges.length ?? 0).toBeLessThanOrEqual(100);
  });

  it('is FORBIDDEN to a user, and to an admin’s API key', async () => {
    const asUser = await gql(server, alice.token, LOG, { first: 5 });
    expect(codesOf(asUser)).toEqual(['FORBIDDEN']);
    const created = await gql<{ createApiKey: { secret: string } }>(
      server,
      admin.token,
      `mutation { createApiKey(input: { name: "admin key", scopes: [READ] }) { secret } }`,
    );
    const asKey = await gql(server, created.body.data!.createApiKey.secret, LOG, { first: 5 });
    expect(codesOf(asKey)).toEqual(['FORBIDDEN']);
    const anonymous = await gql(server, null, LOG, { first: 5 });
    expect(codesOf(anonymous)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('malformed cursors', () => {
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  const BAD_CURSORS = [
    'garbage!!',
    b64('nonsense'),
    b64('GPC:S:not-a-uuid'),
    b64('GPC:T:["not-a-uuid"]'),
    b64('GPC:T:[1]'),
    b64('GPC:T:["a","b"]'),
    b64('GPC:T:[[['),
    b64(`GPC:S:${randomUUID()}x`),
    b64(`GPC:N:5`),
  ];
  const OWN_BEFORE = `query OwnBefore($last: Int, $before: String) {
    viewer { id auditEvents(last: $last, before: $before) { edges { node { id } } } }
  }`;
  const LOG_BEFORE = `query LogBefore($last: Int, $before: String) {
    auditEvents(last: $last, before: $before) { edges { node { id } } }
  }`;
  const USER_AFTER = `query UserAfter($id: ID!, $after: String) {
    node(id: $id) { id ... on User { auditEvents(first: 5, after: $after) { edges { node { id } } } } }
  }`;

  function expectBadCursor(res: GraphQLResponse<unknown>, path: string, label: string) {
    expect(res.status, label).toBe(200);
    expect(codesOf(res), label).toEqual(['BAD_USER_INPUT']);
    const issues = res.body.errors![0]!.extensions!.issues as { path: string }[];
    expect(
      issues.map((issue) => issue.path),
      label,
    ).toEqual([path]);
  }

  it('answer BAD_USER_INPUT on the connection (path after / before), never a 500', async () => {
    for (const cursor of BAD_CURSORS) {
      expectBadCursor(await gql(server, alice.token, OWN, { first: 5, after: cursor }), 'after', `viewer ${cursor}`);
      expectBadCursor(
        await gql(server, alice.token, OWN_BEFORE, { last: 5, before: cursor }),
        'before',
        `viewer before ${cursor}`,
      );
      expectBadCursor(await gql(server, admin.token, LOG, { first: 5, after: cursor }), 'after', `log ${cursor}`);
      expectBadCursor(
        await gql(server, admin.token, LOG_BEFORE, { last: 5, before: cursor }),
        'before',
        `log before ${cursor}`,
      );
      expectBadCursor(
        await gql(server, admin.token, USER_AFTER, { id: alice.user, after: cursor }),
        'after',
        `user ${cursor}`,
      );
    }
  });

  it('a well-formed cursor of an unknown event is an empty page, not an error', async () => {
    const unknown = b64(`GPC:S:${randomUUID()}`);
    const own = await gql<{ viewer: { auditEvents: Page } }>(server, alice.token, OWN, { first: 5, after: unknown });
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data!.viewer.auditEvents.edges).toEqual([]);
    const log = await gql<{ auditEvents: Page }>(server, admin.token, LOG, { first: 5, after: unknown });
    expect(log.body.errors).toBeUndefined();
    expect(log.body.data!.auditEvents.edges).toEqual([]);
  });

  it('a real cursor still pages', async () => {
    const first = await gql<{ viewer: { auditEvents: Page } }>(server, alice.token, OWN, { first: 1 });
    const cursor = first.body.data!.viewer.auditEvents.pageInfo.endCursor;
    expect(Buffer.from(cursor!, 'base64').toString()).toMatch(/^GPC:S:[0-9a-f-]{36}$/);
    const next = await gql(server, alice.token, OWN, { first: 1, after: cursor });
    expect(next.body.errors).toBeUndefined();
  });
});

// ── failed authentication and the client address ──────────────────────────────────────────────

/** A unique documentation address (2001:db8::/32) per call: rows of other tests never match. */
const testAddress = () => `2001:db8:${randomUUID().slice(0, 4)}::${randomUUID().slice(0, 4)}`;

async function post(
  on: TestServer,
  token: string | null,
  headers: Record<string, string> = {},
  query = '{ viewer { id } }',
) {
  const response = await fetch(on.graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify({ query }),
  });
  await response.arrayBuffer();
  return response.status;
}

async function failedRows(ips: string[]) {
  const { rows } = await superuser.query<{ ip: string; subject: string | null; metadata: Record<string, unknown> }>(
    `SELECT ip, subject_user_id AS subject, metadata FROM audit_events
     WHERE type = 'auth.failed' AND ip = ANY ($1) ORDER BY ip, metadata->>'reason'`,
    [ips],
  );
  return rows;
}

describe('failed authentication', () => {
  it('a flood of 500 bad tokens becomes one row per (reason, client address) with its count', async () => {
    const [first, second] = [testAddress(), testAddress()];
    const bad = 'not-a-token-at-all';
    const statuses: number[] = [];
    for (let batch = 0; batch < 10; batch++) {
      statuses.push(
        ...(await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            post(proxied, i % 5 === 0 ? 'eyJ.eyJ.sig' : bad, { 'x-forwarded-for': batch < 7 ? first : second }),
          ),
        )),
      );
    }
    expect(new Set(statuses)).toEqual(new Set([401]));
    await proxied.app.authFailures.flush();
    const rows = await failedRows([first, second]);
    const summary = rows.map((row) => ({ ip: row.ip, reason: row.metadata.reason, count: row.metadata.count }));
    expect(summary.reduce((sum, row) => sum + (row.count as number), 0)).toBe(500);
    expect(summary.length).toBeLessThanOrEqual(4);
    expect(summary.filter((row) => row.ip === first).reduce((sum, row) => sum + (row.count as number), 0)).toBe(350);
    expect(summary.filter((row) => row.ip === second).reduce((sum, row) => sum + (row.count as number), 0)).toBe(150);
    for (const row of rows) {
      expect(row.metadata).toEqual({
        reason: expect.any(String) as string,
        count: expect.any(Number) as number,
        windowStart: expect.any(String) as string,
        windowEnd: expect.any(String) as string,
      });
      expect(row.subject).toBeNull();
    }
    // Never the credential.
    const { rows: leaked } = await superuser.query(
      `SELECT 1 FROM audit_events WHERE metadata::text LIKE '%not-a-token%' OR metadata::text LIKE '%eyJ.eyJ%'`,
    );
    expect(leaked).toEqual([]);
  });

  it('a disabled account is recorded as account-disabled, about that account', async () => {
    const me = await person(proxied, 'disabled');
    await superuser.query('UPDATE users SET active = false WHERE id = $1', [me.userId]);
    const address = testAddress();
    expect(await post(proxied, me.token, { 'x-forwarded-for': address })).toBe(403);
    expect(await post(proxied, me.token, { 'x-forwarded-for': address })).toBe(403);
    await proxied.app.authFailures.flush();
    const rows = await failedRows([address]);
    expect(
      rows.map((row) => ({ subject: row.subject, reason: row.metadata.reason, count: row.metadata.count })),
    ).toEqual([{ subject: me.userId, reason: 'account-disabled', count: 2 }]);
    // The account sees it in its own activity once reactivated.
    await superuser.query('UPDATE users SET active = true WHERE id = $1', [me.userId]);
    const own = await gql<{ viewer: { auditEvents: Page } }>(proxied, me.token, OWN, { first: 100 });
    const failed = own.body.data!.viewer.auditEvents.edges.find((edge) => edge.node.type === 'auth.failed')?.node;
    expect(failed).toMatchObject({ ip: address, count: 2, reason: 'account-disabled', actor: null });
  });

  it('ignores forwarding headers from an untrusted peer: the socket address is recorded (no spoofing)', async () => {
    const spoofed = testAddress();
    expect(await post(server, 'not-a-token', { 'x-forwarded-for': spoofed, forwarded: `for="[${spoofed}]"` })).toBe(
      401,
    );
    await server.app.authFailures.flush();
    expect(await failedRows([spoofed])).toEqual([]);
  });
});

describe('the client address', () => {
  it('behind a proxy that writes X-Forwarded-For, is what it wrote, never a Forwarded header the client sent through it', async () => {
    // nginx's proxy_add_x_forwarded_for, AWS ALB, GCP: X-Forwarded-For only; the client's own Forwarded passes.
    const address = testAddress();
    const claimed = testAddress();
    expect(
      await post(proxied, 'not-a-token', {
        forwarded: `for="[${claimed}]"`,
        'x-forwarded-for': `${claimed}, ${address}`,
      }),
    ).toBe(401);
    // With no X-Forwarded-For the client's Forwarded is still not believed: the peer (the proxy) is recorded.
    const alone = testAddress();
    expect(await post(proxied, 'not-a-token', { forwarded: `for="[${alone}]"` })).toBe(401);
    await proxied.app.authFailures.flush();
    expect((await failedRows([address, claimed, alone])).map((row) => row.ip)).toEqual([address]);
  });

  it('behind a proxy that writes Forwarded, is the hop it reports (quoted, with a port), never the client’s X-Forwarded-For', async () => {
    const address = testAddress();
    const claimed = testAddress();
    const xffClaim = testAddress();
    expect(
      await post(forwardedProxy, 'not-a-token', {
        forwarded: `for="[${claimed}]", for="[${address}]:443"`,
        'x-forwarded-for': xffClaim,
      }),
    ).toBe(401);
    const alone = testAddress();
    expect(await post(forwardedProxy, 'not-a-token', { 'x-forwarded-for': alone })).toBe(401);
    await forwardedProxy.app.authFailures.flush();
    expect((await failedRows([address, claimed, xffClaim, alone])).map((row) => row.ip)).toEqual([address]);
  });

  it('of an event written during a request is the forwarded client, with the user agent truncated', async () => {
    const me = await person(proxied, 'forwarded');
    const address = testAddress();
    const response = await fetch(proxied.graphqlUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${me.token}`,
        'x-forwarded-for': `192.0.2.1, ${address}`,
        'user-agent': 'U'.repeat(1000),
      },
      body: JSON.stringify({
        query: `mutation { updatePreferences(input: { app: { theme: DARK } }) { user { id } } }`,
      }),
    });
    expect(response.status).toBe(200);
    const { rows } = await superuser.query<{ ip: string; user_agent: string }>(
      `SELECT ip, user_agent FROM audit_events WHERE type = 'user.preferences_updated' AND subject_user_id = $1`,
      [me.userId],
    );
    expect(rows).toEqual([{ ip: address, user_agent: 'U'.repeat(256) }]);
  });

  it('from an untrusted peer is the socket address', async () => {
    const before = new Date();
    expect(await post(server, 'not-a-token', { 'x-forwarded-for': testAddress() })).toBe(401);
    await server.app.authFailures.flush();
    const { rows } = await superuser.query<{ ip: string }>(
      `SELECT DISTINCT ip FROM audit_events WHERE type = 'auth.failed' AND created_at >= $1 AND metadata->>'reason' = 'token-malformed'`,
      [before],
    );
    expect(rows.map((row) => row.ip)).toContainEqual(expect.stringMatching(/^(::ffff:)?127\.0\.0\.1$/));
  });
});
