// Issue 12, part 1: the admin console's users list and user detail through the real server. Search,
// filters, both orders in both directions paged forwards and backwards (neither skipping nor repeating
// a user, never-signed-in users last), totalCount of the filtered set, the new User fields, and who may
// ask (admins with a session only). Test files share the database: every list here is scoped by a
// search on this run's tag, which only this file's users carry.
import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectAs, databaseOf, withDatabase } from '../support/sql.js';
import { gql, startTestServer, type GraphQLResponse, type TestServer } from '../support/server.js';

interface Person {
  /** Global id. */
  id: string;
  rawId: string;
  email: string;
  token: string;
}

let server: TestServer;
let superuser: pg.Client;
const tag = `zq${randomBytes(4).toString('hex')}`;
let admin: Person;
let plain: Person;
/**
 * This file's users: [ann, ben, cat, dan, eve, fay], all with the tag in their address. Eve is deleted, so her
 * address is gone (a tombstone keeps no personal data: docs/privacy.md): tag-scoped lists hold the other five.
 */
let people: Person[] = [];

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const rawId = (global: string) => Buffer.from(global, 'base64').toString().split(':')[1]!;
const codesOf = (res: GraphQLResponse<unknown>) => res.body.errors?.map((error) => error.extensions?.code);

async function makePerson(first: string, last: string, local: string): Promise<Person> {
  const email = `${local}@example.test`;
  await server.identity.createIdentity({ email, firstName: first, lastName: last });
  const { token } = await server.identity.startSession(email);
  const res = await gql<{ viewer: { id: string } }>(server, token, '{ viewer { id } }');
  if (!res.body.data) throw new Error(JSON.stringify(res.body.errors));
  const id = res.body.data.viewer.id;
  return { id, rawId: rawId(id), email, token };
}

async function createKey(who: Person, scopes: string[]): Promise<{ secret: string; id: string }> {
  const res = await gql<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
    server,
    who.token,
    `mutation K($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }`,
    { input: { name: 'admin test', scopes } },
  );
  if (!res.body.data) throw new Error(JSON.stringify(res.body.errors));
  return { secret: res.body.data.createApiKey.secret, id: res.body.data.createApiKey.apiKey.id };
}

const LIST = `query Users($search: String, $filter: UserFilter, $orderBy: UserOrder,
  $first: Int, $after: String, $last: Int, $before: String) {
  users(search: $search, filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id email } }
  }
}`;

interface ListData {
  users: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
    edges: { cursor: string; node: { id: string; email: string } }[];
  };
}

async function list(variables: Record<string, unknown>, token = admin.token) {
  const res = await gql<ListData>(server, token, LIST, { search: tag, ...variables });
  if (!res.body.data) throw new Error(JSON.stringify(res.body.errors));
  return res.body.data.users;
}

const emailsOf = (users: ListData['users']) => users.edges.map((edge) => edge.node.email);
const nameOf = (email: string) => email.split('.')[1]!.split('@')[0]!;

beforeAll(async () => {
  server = await startTestServer();
  const { url, superuserUrl } = inject('database');
  superuser = await connectAs(withDatabase(superuserUrl, databaseOf(url)));
  admin = await makePerson('Admin', 'Console', `admin-${randomUUID()}`);
  await superuser.query(`UPDATE users SET role = 'ADMIN' WHERE id = $1`, [admin.rawId]);
  plain = await makePerson('Plain', 'User', `plain-${randomUUID()}`);
  people = [];
  for (const [first, last] of [
    ['Ann', `Lee`],
    ['Ben', 'Okafor'],
    ['Cat', 'Lee'],
    ['Dan', `O'Brien`],
    ['Eve', 'Stone'],
    ['Fay', 'Moss'],
  ] as const) {
    people.push(await makePerson(first, last, `${tag}.${first.toLowerCase()}`));
  }
  const [ann, ben, cat, dan, eve, fay] = people as [Person, Person, Person, Person, Person, Person];
  // The sign-ins' session.created webhooks first: they move last_sign_in_at, which is set below.
  await server.app.localWebhooks?.idle();
  // Ties on both keys, and never-signed-in users (fay, and ben), so the id decides within a tie.
  const t0 = '2026-01-01T00:00:00Z';
  const t1 = '2026-02-01T00:00:00Z';
  await superuser.query(
    `UPDATE users SET created_at = v.created::timestamptz, last_sign_in_at = v.signed::timestamptz
     FROM (VALUES ($1::uuid, $7, $8), ($2::uuid, $7, NULL), ($3::uuid, $8, $8), ($4::uuid, $8, $7),
                  ($5::uuid, $7, $8), ($6::uuid, $8, NULL)) AS v(id, created, signed)
     WHERE users.id = v.id`,
    [ann.rawId, ben.rawId, cat.rawId, dan.rawId, eve.rawId, fay.rawId, t0, t1],
  );
  await superuser.query(`UPDATE users SET role = 'ADMIN' WHERE id = $1`, [cat.rawId]);
  await superuser.query(`UPDATE users SET active = false WHERE id = $1`, [dan.rawId]);
  await superuser.query(`UPDATE users SET active = false, deleted_at = now() WHERE id = $1`, [eve.rawId]);
});

afterAll(async () => {
  await server?.close();
  await superuser?.end();
});

describe('users: search', () => {
  it('blank search lists everyone (the whole table counts)', async () => {
    const res = await gql<ListData>(server, admin.token, LIST, { search: '   ', first: 1 });
    const { rows } = await superuser.query<{ n: number }>(`SELECT count(*)::int AS n FROM users`);
    expect(res.body.data!.users.totalCount).toBeGreaterThanOrEqual(rows[0]!.n);
  });

  it('matches any part of the email, first name, last name or "first last", case-insensitively', async () => {
    const names = async (search: string) => emailsOf(await list({ search, first: 100 })).map(nameOf);
    expect((await list({ first: 100 })).totalCount).toBe(5);
    expect(await names(`${tag.toUpperCase()}.AN`)).toEqual(['ann']);
    // A name search cannot also carry the tag: these check this file's users in the answer.
    const lee = emailsOf(await list({ search: 'ann lee', first: 100 }));
    expect(lee).toContain(`${tag}.ann@example.test`);
    expect(lee).not.toContain(`${tag}.cat@example.test`);
    const brien = emailsOf(await list({ search: "o'bri", first: 100 }));
    expect(brien).toContain(`${tag}.dan@example.test`);
    const okafor = emailsOf(await list({ search: 'KAFO', first: 100 }));
    expect(okafor).toContain(`${tag}.ben@example.test`);
  });

  it('takes % and _ literally: the text is never a pattern', async () => {
    expect((await list({ search: `${tag}%` })).totalCount).toBe(0);
    expect((await list({ search: `${tag.slice(0, 3)}_${tag.slice(4)}` })).totalCount).toBe(0);
    expect((await list({ search: `${tag}\\` })).totalCount).toBe(0);
  });

  it('a search over 100 characters is BAD_USER_INPUT on `search`', async () => {
    const res = await gql(server, admin.token, LIST, { search: 'x'.repeat(101) });
    expect(codesOf(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.body.errors![0]!.extensions!.issues).toEqual([{ path: 'search', message: expect.any(String) }]);
  });
});

describe('users: filters', () => {
  const names = async (filter: Record<string, unknown>) => {
    const users = await list({ filter, first: 100 });
    return { total: users.totalCount, names: emailsOf(users).map(nameOf).sort() };
  };

  it('by role, active and deleted, alone and together; totalCount is the filtered set', async () => {
    expect(await names({ role: 'ADMIN' })).toEqual({ total: 1, names: ['cat'] });
    expect(await names({ role: 'USER' })).toEqual({ total: 4, names: ['ann', 'ben', 'dan', 'fay'] });
    expect(await names({ active: false })).toEqual({ total: 1, names: ['dan'] });
    expect(await names({ active: true })).toEqual({ total: 4, names: ['ann', 'ben', 'cat', 'fay'] });
    // Eve, deleted, has no address left to match the tag; unsearched, the deleted filter finds her (oldest first).
    expect(await names({ deleted: true })).toEqual({ total: 0, names: [] });
    const deleted = await list({
      search: null,
      filter: { deleted: true },
      orderBy: { field: 'CREATED_AT', direction: 'ASC' },
      first: 100,
    });
    expect(deleted.edges.find((edge) => edge.node.id === people[4]!.id)?.node).toEqual({
      id: people[4]!.id,
      email: null,
    });
    expect(await names({ deleted: false, active: false })).toEqual({ total: 1, names: ['dan'] });
    expect(await names({ role: 'ADMIN', active: false })).toEqual({ total: 0, names: [] });
    expect(await names({ role: null, active: null, deleted: null })).toEqual({
      total: 5,
      names: ['ann', 'ben', 'cat', 'dan', 'fay'],
    });
  });
});

describe('users: order and pages', () => {
  interface Row {
    email: string;
    id: string;
    created: number;
    signed: number | null;
  }
  let rows: Row[];

  beforeAll(async () => {
    const res = await superuser.query<{ email: string; id: string; created: Date; signed: Date | null }>(
      `SELECT email, id::text AS id, created_at AS created, last_sign_in_at AS signed FROM users WHERE email LIKE $1`,
      [`${tag}.%`],
    );
    rows = res.rows.map((row) => ({ ...row, created: row.created.getTime(), signed: row.signed?.getTime() ?? null }));
  });

  /** The order the API must give: the key, never-signed-in last either way, then the id, in the same direction. */
  function expected(field: 'CREATED_AT' | 'LAST_SIGN_IN_AT', direction: 'ASC' | 'DESC'): string[] {
    const sign = direction === 'ASC' ? 1 : -1;
    return [...rows]
      .sort((a, b) => {
        const [ka, kb] = field === 'CREATED_AT' ? [a.created, b.created] : [a.signed, b.signed];
        if (ka === null || kb === null) {
          if (ka !== kb) return ka === null ? 1 : -1;
        } else if (ka !== kb) return sign * (ka - kb);
        return sign * (a.id < b.id ? -1 : 1);
      })
      .map((row) => row.email);
  }

  const ORDERS = [
    ['CREATED_AT', 'DESC'],
    ['CREATED_AT', 'ASC'],
    ['LAST_SIGN_IN_AT', 'DESC'],
    ['LAST_SIGN_IN_AT', 'ASC'],
  ] as const;

  it('default: newest first', async () => {
    expect(emailsOf(await list({ first: 10 }))).toEqual(expected('CREATED_AT', 'DESC'));
  });

  it.each(ORDERS)(
    '%s %s: the whole order at once, and paged forwards and backwards by 2 without skips or repeats',
    async (field, direction) => {
      const orderBy = { field, direction };
      const want = expected(field, direction);
      expect(emailsOf(await list({ orderBy, first: 10 }))).toEqual(want);
      if (field === 'LAST_SIGN_IN_AT') expect(want.slice(-2).map(nameOf).sort()).toEqual(['ben', 'fay']);

      const forward: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 10; page++) {
        const users: ListData['users'] = await list({ orderBy, first: 2, after });
        forward.push(...emailsOf(users));
        expect(users.totalCount).toBe(5);
        expect(users.pageInfo.hasPreviousPage).toBe(after !== null);
        if (!users.pageInfo.hasNextPage) break;
        after = users.pageInfo.endCursor;
      }
      expect(forward).toEqual(want);

      const backward: string[] = [];
      let before: string | null = null;
      for (let page = 0; page < 10; page++) {
        const users: ListData['users'] = await list({ orderBy, last: 2, before });
        backward.unshift(...emailsOf(users));
        if (!users.pageInfo.hasPreviousPage) break;
        before = users.pageInfo.startCursor;
      }
      expect(backward).toEqual(want);
    },
  );

  it('a cursor of a user outside the filter still marks its place; an unknown one gives an empty page', async () => {
    const all = await list({ first: 10 });
    const want = expected('CREATED_AT', 'DESC');
    const dan = all.edges.find((edge) => nameOf(edge.node.email) === 'dan')!;
    const active = await list({ filter: { active: true }, first: 10, after: dan.cursor });
    const rest = want.slice(want.indexOf(dan.node.email) + 1).filter((email) => !/\.(dan|eve)@/.test(email));
    expect(emailsOf(active)).toEqual(rest);
    const decoded = Buffer.from(dan.cursor, 'base64').toString();
    const unknown = Buffer.from(decoded.replace(rawId(dan.node.id), randomUUID())).toString('base64');
    expect(unknown).not.toBe(dan.cursor);
    const res = await gql<ListData>(server, admin.token, LIST, { search: tag, first: 2, after: unknown });
    expect(res.body.data?.users.edges ?? []).toEqual([]);
  });
});

describe('users: malformed cursors', () => {
  const cursor = (text: string) => Buffer.from(text).toString('base64');
  const MALFORMED = [
    ['garbage', '!!not a cursor!!'],
    ['not base64 of a cursor', cursor('hello')],
    ['an id that is not a UUID', cursor('GPC:S:not-a-uuid')],
    ['a number', cursor('GPC:N:5')],
    ['a date', cursor('GPC:D:1700000000000')],
    ['empty', ''],
  ] as const;

  it.each(MALFORMED)('%s: BAD_USER_INPUT on after and on before, never a server error', async (_name, bad) => {
    for (const [arg, variables] of [
      ['after', { first: 2, after: bad }],
      ['before', { last: 2, before: bad }],
    ] as const) {
      const res = await gql<ListData>(server, admin.token, LIST, { search: tag, ...variables });
      expect(res.status).toBe(200);
      expect(codesOf(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.body.errors![0]!.extensions?.issues).toEqual([{ path: arg, message: 'Not a cursor of this list' }]);
      expect(res.body.data).toBeNull();
    }
  });
});

describe('user(id:) and the new User fields', () => {
  const DETAIL = `query U($id: ID!) { user(id: $id) {
    id email role active status deletedAt lastSignInAt updatedAt createdAt listingCount collectionCount apiKeyCount
  } }`;

  it('an admin reads any user, deleted ones included, with counts of their own rows', async () => {
    const ann = people[0]!;
    await gql(
      server,
      ann.token,
      `mutation { createListing(input: { title: "one", price: "1.00" }) { listing { id } } }`,
    );
    await gql(
      server,
      ann.token,
      `mutation { createListing(input: { title: "two", price: "2.00" }) { listing { id } } }`,
    );
    await gql(server, ann.token, `mutation { createCollection(input: { name: "mine" }) { collection { id } } }`);
    await createKey(ann, ['READ']);
    const revoked = await createKey(ann, ['READ']);
    await superuser.query(`UPDATE api_keys SET revoked_at = now() WHERE id = $1`, [rawId(revoked.id)]);
    const { rows } = await superuser.query<{ prefix: string; revoked_at: Date | null }>(
      `SELECT prefix, revoked_at FROM api_keys WHERE owner_id = $1`,
      [ann.rawId],
    );
    const liveKeys = rows.filter((row) => row.revoked_at === null).length;

    const res = await gql<{ user: Record<string, unknown> }>(server, admin.token, DETAIL, { id: ann.id });
    expect(res.body.data!.user).toMatchObject({
      id: ann.id,
      email: ann.email,
      role: 'USER',
      active: true,
      status: 'ACTIVE',
      deletedAt: null,
      lastSignInAt: '2026-02-01T00:00:00.000Z',
      listingCount: 2,
      collectionCount: 1,
      apiKeyCount: liveKeys,
    });
    expect(liveKeys).toBeGreaterThanOrEqual(1);

    const eve = await gql<{ user: Record<string, unknown> }>(server, admin.token, DETAIL, { id: people[4]!.id });
    expect(eve.body.data!.user).toMatchObject({
      status: 'DELETED',
      active: false,
      deletedAt: expect.any(String),
      email: null,
    });
    const dan = await gql<{ user: Record<string, unknown> }>(server, admin.token, DETAIL, { id: people[3]!.id });
    expect(dan.body.data!.user).toMatchObject({ status: 'DEACTIVATED', active: false, deletedAt: null });
  });

  it('null for an unknown user and for an id of another type', async () => {
    const unknown = await gql(server, admin.token, DETAIL, { id: globalId('User', randomUUID()) });
    expect(unknown.body).toEqual({ data: { user: null } });
    // A listing's id names no user, even when a user has that very UUID.
    const listing = await gql(server, admin.token, DETAIL, { id: globalId('Listing', people[0]!.rawId) });
    expect(listing.body).toEqual({ data: { user: null } });
  });

  it('a user reads the new fields on their own row (RLS decides), counting their own rows', async () => {
    await server.app.localWebhooks?.idle();
    const res = await gql<{ viewer: Record<string, unknown> }>(
      server,
      plain.token,
      `{ viewer { active status deletedAt lastSignInAt listingCount collectionCount apiKeyCount } }`,
    );
    expect(res.body.data!.viewer).toEqual({
      active: true,
      status: 'ACTIVE',
      deletedAt: null,
      // Their sign-in, from the local provider's session.created webhook.
      lastSignInAt: expect.any(String),
      listingCount: 0,
      collectionCount: 0,
      apiKeyCount: 0,
    });
  });
});

describe('who may ask', () => {
  const FIELDS = [
    ['users', `{ users(first: 1) { totalCount } }`],
    ['user', `query { user(id: "${globalId('User', randomUUID())}") { id } }`],
  ] as const;

  it.each(FIELDS)(
    '%s: FORBIDDEN for a user, a user’s API key and an admin’s API key; UNAUTHENTICATED anonymously',
    async (_name, query) => {
      const userKey = (await createKey(plain, ['READ', 'WRITE'])).secret;
      const adminKey = (await createKey(admin, ['READ', 'WRITE'])).secret;
      for (const token of [plain.token, userKey, adminKey]) {
        const res = await gql(server, token, query);
        expect(codesOf(res)).toEqual(['FORBIDDEN']);
        expect(Object.values(res.body.data ?? {}).filter((value) => value !== null)).toEqual([]);
      }
      const anonymous = await gql(server, null, query);
      expect(codesOf(anonymous)).toEqual(['UNAUTHENTICATED']);
      expect((await gql(server, admin.token, query)).body.errors).toBeUndefined();
    },
  );
});
