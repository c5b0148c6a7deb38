// Issue 15: the identity cache (auth/identity-cache.ts) is invalidated across instances. Two instances on
// one database (support/twin-servers.ts), each with its own cache and LISTEN connection. For each change a
// user's credential is first served by both, and B is seen answering it from its cache (a `hit` counted on
// B); the change is then made through A (or straight in SQL) and B must obey it on its very next request.
// Without the notification B would go on answering from that entry: the control at the end shows it.
// B is given NOTIFY_ALLOWANCE_MS to hear a change (see there): asked at once, it had not always heard a
// change made straight in SQL yet; changes made through A were obeyed on the first request every time.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { CacheName, LookupOutcome } from '#src/auth/identity-cache.js';
import { IDENTITY_LISTENER_APPLICATION_NAME } from '#src/db/identity-listener.js';
import { gql, type GraphQLResponse, type TestServer } from './support/server.js';
import { connectAs, databaseOf, withDatabase } from './support/sql.js';
import { startTwinServers, type TwinServers } from './support/twin-servers.js';
import { clerkFixture, deliver, WEBHOOK_SECRET } from './support/webhooks.js';

interface Person {
  email: string;
  clerkId: string;
  token: string;
  /** Global id (User:…). */
  id: string;
  rawId: string;
}

let twins: TwinServers;
let a: TestServer;
let b: TestServer;
let superuser: pg.Client;
let admin: Person;

const VIEWER = '{ viewer { id } }';
/** Admins only: FORBIDDEN for a user. */
const USERS = '{ users(first: 1) { totalCount } }';
const SET_ROLE = `mutation R($input: SetUserRoleInput!) { setUserRole(input: $input) { user { id role } } }`;
const DEACTIVATE = `mutation D($input: DeactivateUserInput!) { deactivateUser(input: $input) { user { id active } } }`;
const CREATE_KEY = `mutation K($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } secret } }`;
const REVOKE_KEY = `mutation V($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { apiKey { id revokedAt } } }`;
const SHARE = `mutation S($input: ShareCollectionInput!) { shareCollection(input: $input) { collection { id } } }`;
const REVOKE_SHARE = `mutation U($input: RevokeCollectionShareInput!) { revokeCollectionShare(input: $input) { collection { id } } }`;
/** What a grantee sees of one shared collection and one listing in it. */
const SEES = `query Sees($collectionId: ID!, $listingId: ID!) {
  node(id: $collectionId) { id ... on Collection { items(first: 10) { edges { node { listing { id } } } } } }
  listing(id: $listingId) { id }
  sharedCollections(first: 100) { edges { node { id } } }
}`;

const rawId = (global: string) => Buffer.from(global, 'base64').toString().split(':')[1]!;
const codesOf = (res: GraphQLResponse<unknown>) => res.body.errors?.map((error) => error.extensions?.code);

/** The mutation's answer, which must carry no error. */
async function ok<T>(res: Promise<GraphQLResponse<T>>): Promise<T> {
  const { body } = await res;
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data!;
}

type Lookups = Partial<Record<`${CacheName | 'token'}:${LookupOutcome}`, number>>;

async function lookupCounts(server: TestServer): Promise<Lookups> {
  const metric = await server.app.metrics.identityCacheLookups.get();
  return Object.fromEntries(metric.values.map(({ labels, value }) => [`${labels.cache}:${labels.outcome}`, value]));
}

/** `server`'s answer to one request, and the identity lookups it counted meanwhile (tests run one at a time). */
async function lookupsOf(
  server: TestServer,
  credential: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ res: GraphQLResponse; lookups: Lookups }> {
  const before = await lookupCounts(server);
  const res = await gql(server, credential, query, variables);
  const after = await lookupCounts(server);
  const lookups: Lookups = {};
  for (const [name, value] of Object.entries(after) as [keyof Lookups, number][]) {
    if (value !== (before[name] ?? 0)) lookups[name] = value - (before[name] ?? 0);
  }
  return { res, lookups };
}

/**
 * `credential` served by A and by B, then B's answer from its cache (a hit, no lookup in the database):
 * what makes each test able to fail, as B would keep answering from that entry if nothing reached it.
 */
async function cachedOnB(
  credential: string,
  cache: CacheName,
  query = VIEWER,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse> {
  await gql(a, credential, query, variables);
  await gql(b, credential, query, variables);
  const { res, lookups } = await lookupsOf(b, credential, query, variables);
  expect(lookups[`${cache}:hit`], JSON.stringify(lookups)).toBe(1);
  return res;
}

/** A fresh identity and session, minted on A (the token verifies on both), its user row made by A. */
async function person(name: string): Promise<Person> {
  const email = `${name}-${randomUUID()}@example.test`;
  const identity = await a.identity.createIdentity({ email, firstName: name, lastName: 'Cache' });
  const { token } = await a.identity.startSession(email);
  const { viewer } = await ok(gql<{ viewer: { id: string } }>(a, token, VIEWER));
  // Its user.created webhook (a verified address: shares bind to it) has arrived.
  await a.app.localWebhooks?.idle();
  return { email, clerkId: identity.clerkId, token, id: viewer.id, rawId: rawId(viewer.id) };
}

/** A READ key of `owner`'s, made on A with their session. */
async function createKey(owner: Person): Promise<{ id: string; secret: string }> {
  const { createApiKey } = await ok(
    gql<{ createApiKey: { apiKey: { id: string }; secret: string } }>(a, owner.token, CREATE_KEY, {
      input: { name: 'cache', scopes: ['READ'] },
    }),
  );
  return { id: createApiKey.apiKey.id, secret: createApiKey.secret };
}

async function setRoleInSql(who: Person, role: 'USER' | 'ADMIN'): Promise<void> {
  await superuser.query(`UPDATE users SET role = $2::"Role" WHERE id = $1`, [who.rawId, role]);
}

function expectRefused(res: GraphQLResponse, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(codesOf(res)).toEqual([code]);
}

/**
 * How long B may take to hear a change. PostgreSQL sends the notification to B's listener when the change
 * commits, but the committing connection learns of the commit first, and a request it makes at once can reach
 * B before the notification does (seen for changes made straight in SQL; never for changes made through A,
 * whose answer takes longer). The control shows that without a notification B's answer outlasts this.
 */
const NOTIFY_ALLOWANCE_MS = 1_500;

/** `check` (a request to B and what it must answer), repeated until it passes, for NOTIFY_ALLOWANCE_MS at most. */
async function obeyedByB(check: () => Promise<void>): Promise<void> {
  await vi.waitFor(check, { timeout: NOTIFY_ALLOWANCE_MS, interval: 5 });
}

beforeAll(async () => {
  twins = await startTwinServers({ CLERK_WEBHOOK_SIGNING_SECRET: WEBHOOK_SECRET });
  ({ a, b } = twins);
  const { url, superuserUrl } = inject('database');
  superuser = await connectAs(withDatabase(superuserUrl, databaseOf(url)));
  admin = await person('admin');
  await setRoleInSql(admin, 'ADMIN');
  expect(a.app.identityCache.listening && b.app.identityCache.listening).toBe(true);
});

afterAll(async () => {
  await twins?.a.app.localWebhooks?.idle();
  await twins?.close();
  await superuser?.end();
});

describe('a change made through A is obeyed by B on its next request', () => {
  it('role change: demoted on A, B refuses the admin field; promoted on A, B grants it', async () => {
    const target = await person('role');
    await setRoleInSql(target, 'ADMIN');
    expect((await cachedOnB(target.token, 'user', USERS)).body.errors).toBeUndefined();

    await ok(gql(a, admin.token, SET_ROLE, { input: { userId: target.id, role: 'USER', reason: 'cache test' } }));
    await obeyedByB(async () => expectRefused(await gql(b, target.token, USERS), 200, 'FORBIDDEN'));

    expect(codesOf(await cachedOnB(target.token, 'user', USERS))).toEqual(['FORBIDDEN']);
    await ok(gql(a, admin.token, SET_ROLE, { input: { userId: target.id, role: 'ADMIN', reason: 'cache test' } }));
    await obeyedByB(async () => expect((await gql(b, target.token, USERS)).body.errors).toBeUndefined());
  });

  it('deactivation: B refuses the session token and the API key (403 ACCOUNT_DISABLED)', async () => {
    const target = await person('deactivated');
    const key = await createKey(target);
    await cachedOnB(target.token, 'user');
    await cachedOnB(key.secret, 'api_key');

    await ok(gql(a, admin.token, DEACTIVATE, { input: { userId: target.id, reason: 'cache test' } }));
    // A's provider ended the session too, but B does not know it: what refuses is B's view of the account.
    await obeyedByB(async () => expectRefused(await gql(b, target.token, VIEWER), 403, 'ACCOUNT_DISABLED'));
    await obeyedByB(async () => expectRefused(await gql(b, key.secret, VIEWER), 403, 'ACCOUNT_DISABLED'));
  });

  it('deletion (Clerk user.deleted, delivered to A): B refuses the session token and the API key', async () => {
    const target = await person('deleted');
    const key = await createKey(target);
    await cachedOnB(target.token, 'user');
    await cachedOnB(key.secret, 'api_key');

    const delivered = await deliver(a, clerkFixture('user.deleted', { userId: target.clerkId }));
    expect(delivered.body.outcome).toBe('applied');
    await obeyedByB(async () => expectRefused(await gql(b, target.token, VIEWER), 403, 'ACCOUNT_DISABLED'));
    await obeyedByB(async () => expectRefused(await gql(b, key.secret, VIEWER), 403, 'ACCOUNT_DISABLED'));
  });

  it('key revocation by its owner on A: B refuses the key (401), the owner’s session still works', async () => {
    const owner = await person('revoker');
    const key = await createKey(owner);
    await cachedOnB(key.secret, 'api_key');
    await cachedOnB(owner.token, 'user');

    await ok(gql(a, owner.token, REVOKE_KEY, { input: { id: key.id } }));
    await obeyedByB(async () => expectRefused(await gql(b, key.secret, VIEWER), 401, 'UNAUTHENTICATED'));
    expect((await gql(b, owner.token, VIEWER)).status).toBe(200);
  });

  it('share revocation on A: the grantee’s next request on B sees neither the collection nor its listing', async () => {
    // Shares are not cached (RLS reads them in every statement); B still holds the grantee's user entry.
    const [owner, grantee] = [await person('sharer'), await person('grantee')];
    const { createListing } = await ok(
      gql<{ createListing: { listing: { id: string } } }>(
        a,
        owner.token,
        `mutation($input: CreateListingInput!) { createListing(input: $input) { listing { id } } }`,
        { input: { title: 'shared deal', price: '100.00' } },
      ),
    );
    const listingId = createListing.listing.id;
    const { createCollection } = await ok(
      gql<{ createCollection: { collection: { id: string } } }>(
        a,
        owner.token,
        `mutation($input: CreateCollectionInput!) { createCollection(input: $input) { collection { id } } }`,
        { input: { name: 'shared' } },
      ),
    );
    const collectionId = createCollection.collection.id;
    await ok(
      gql(
        a,
        owner.token,
        `mutation($input: AddCollectionItemInput!) { addCollectionItem(input: $input) { collection { id } } }`,
        {
          input: { collectionId, listingId },
        },
      ),
    );
    await ok(gql(a, owner.token, SHARE, { input: { collectionId, email: grantee.email, permission: 'VIEW' } }));

    const ids = { collectionId, listingId };
    expect((await cachedOnB(grantee.token, 'user', SEES, ids)).body.data).toEqual({
      node: { id: collectionId, items: { edges: [{ node: { listing: { id: listingId } } }] } },
      listing: { id: listingId },
      sharedCollections: { edges: [{ node: { id: collectionId } }] },
    });

    await ok(gql(a, owner.token, REVOKE_SHARE, { input: { collectionId, email: grantee.email } }));
    const after = await lookupsOf(b, grantee.token, SEES, ids);
    expect(after.res.body).toEqual({ data: { node: null, listing: null, sharedCollections: { edges: [] } } });
    // Still the cached user: a share's revocation needs no invalidation.
    expect(after.lookups['user:hit']).toBe(1);
  });
});

describe('changes made straight in SQL are announced by the triggers', () => {
  it('UPDATE users SET role (superuser): B grants the admin field; UPDATE api_keys SET revoked_at: B refuses the key', async () => {
    const target = await person('sql');
    const key = await createKey(target);
    expect(codesOf(await cachedOnB(target.token, 'user', USERS))).toEqual(['FORBIDDEN']);
    await cachedOnB(key.secret, 'api_key');

    await setRoleInSql(target, 'ADMIN');
    await obeyedByB(async () => expect((await gql(b, target.token, USERS)).body.errors).toBeUndefined());
    await superuser.query(`UPDATE api_keys SET revoked_at = now() WHERE id = $1`, [rawId(key.id)]);
    await obeyedByB(async () => expectRefused(await gql(b, key.secret, VIEWER), 401, 'UNAUTHENTICATED'));
  });
});

describe('listener connection lost', () => {
  it('B stops caching at once, obeys a change made during the outage, and caches again once reconnected', async () => {
    const target = await person('outage');
    expect(codesOf(await cachedOnB(target.token, 'user', USERS))).toEqual(['FORBIDDEN']);
    const portsBefore = twins.bListenerPorts();

    const { rows } = await superuser.query<{ terminated: boolean }>(
      `SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
       WHERE application_name = $1 AND client_port = ANY ($2::int[])`,
      [IDENTITY_LISTENER_APPLICATION_NAME, portsBefore],
    );
    expect(rows).toEqual([{ terminated: true }]);
    // The backend's goodbye reaches B's socket a moment after pg_terminate_backend returns.
    await vi.waitFor(() => expect(b.app.identityCache.listening).toBe(false), { timeout: 500, interval: 5 });

    const refused = await lookupsOf(b, target.token, USERS);
    expect(codesOf(refused.res)).toEqual(['FORBIDDEN']);
    expect(refused.lookups).toEqual({ 'token:hit': 1, 'user:bypass': 1 });
    // Announced to A and every other instance, not to B: B reads the database instead.
    await setRoleInSql(target, 'ADMIN');
    const granted = await lookupsOf(b, target.token, USERS);
    expect(granted.res.body.errors).toBeUndefined();
    expect(granted.lookups).toEqual({ 'token:hit': 1, 'user:bypass': 1 });

    // B retries every second.
    await vi.waitFor(() => expect(b.app.identityCache.listening).toBe(true), { timeout: 3_000, interval: 20 });
    expect(twins.bListenerPorts().length).toBe(portsBefore.length + 1);
    expect((await lookupsOf(b, target.token, USERS)).lookups['user:miss']).toBe(1);
    expect((await lookupsOf(b, target.token, USERS)).lookups['user:hit']).toBe(1);
    // And hears changes again on the new connection.
    await setRoleInSql(target, 'USER');
    await obeyedByB(async () => expect(codesOf(await gql(b, target.token, USERS))).toEqual(['FORBIDDEN']));
  });
});

describe('control: without the notification, B keeps what it cached', () => {
  /**
   * `sql` with the users trigger off, in one transaction: the trigger is disabled, the change made and the
   * trigger enabled again before COMMIT, so no other session (test files run in parallel on this database)
   * ever sees it disabled; a failure rolls all of it back.
   */
  async function unannounced(sql: string, params: unknown[]): Promise<void> {
    await superuser.query('BEGIN');
    try {
      await superuser.query('ALTER TABLE users DISABLE TRIGGER users_identity_changed');
      await superuser.query(sql, params);
      await superuser.query('ALTER TABLE users ENABLE TRIGGER users_identity_changed');
      await superuser.query('COMMIT');
    } catch (error) {
      await superuser.query('ROLLBACK');
      throw error;
    }
  }

  it('CONTROL: a role change with the trigger disabled is not seen by B, which answers from its cache', async () => {
    const target = await person('control');
    expect(codesOf(await cachedOnB(target.token, 'user', USERS))).toEqual(['FORBIDDEN']);

    await unannounced(`UPDATE users SET role = 'ADMIN' WHERE id = $1`, [target.rawId]);
    const { rows } = await superuser.query(`SELECT role FROM users WHERE id = $1`, [target.rawId]);
    expect(rows).toEqual([{ role: 'ADMIN' }]);
    // For longer than B is given to hear a change, B answers from its entry: the old role.
    const until = performance.now() + NOTIFY_ALLOWANCE_MS;
    do {
      const stale = await lookupsOf(b, target.token, USERS);
      expect(codesOf(stale.res)).toEqual(['FORBIDDEN']);
      expect(stale.lookups['user:hit']).toBe(1);
      await sleep(50);
    } while (performance.now() < until);

    // The same kind of change, announced, reaches B (and leaves no stale entry behind).
    await superuser.query(`UPDATE users SET active = false WHERE id = $1`, [target.rawId]);
    await obeyedByB(async () => expectRefused(await gql(b, target.token, USERS), 403, 'ACCOUNT_DISABLED'));
  });
});
