// Issue #2, parts 10 and 12: RLS through GraphQL for listings. Alice and Bob are fresh identities
// (test files share one database); the superuser connection is the independent witness of what
// the database holds.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectAs, databaseOf, withDatabase } from '../support/sql.js';
import { gql, newIdentity, startTestServer, type GraphQLResponse, type TestServer } from '../support/server.js';

interface Person {
  token: string;
  clerkId: string;
  userId: string;
}

interface ListingRow {
  id: string;
  owner_id: string;
  title: string;
  price: string;
  url: string | null;
  updated_at: Date;
}

let server: TestServer;
let superuser: pg.Client;
let alice: Person;
let bob: Person;
let admin: Person;
/** Global ids, newest first (the order `listings` promises). */
let aliceListings: string[];
let bobListings: string[];
let adminListings: string[];

const CREATE = `mutation Create($input: CreateListingInput!) {
  createListing(input: $input) { listing { id title price url condition } }
}`;
const UPDATE = `mutation Update($id: ID!, $input: UpdateListingInput!) {
  updateListing(id: $id, input: $input) { listing { id title price } }
}`;
const DELETE = `mutation Delete($id: ID!) { deleteListing(id: $id) { deletedListingId } }`;
const LISTING = `query One($id: ID!) { listing(id: $id) { id title } }`;
const NODE = `query Node($id: ID!) { node(id: $id) { id ... on Listing { title } } }`;
const PAGE = `query Page($first: Int, $after: String) {
  listings(first: $first, after: $after) {
    totalCount
    edges { cursor node { id title } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const rawId = (global: string) => Buffer.from(global, 'base64').toString().split(':')[1]!;
const codeOf = (res: GraphQLResponse<unknown>) => res.body.errors?.[0]?.extensions?.code;

async function person(name: string): Promise<Person> {
  const { token, clerkId } = await newIdentity(server, name);
  const res = await gql<{ viewer: { id: string } }>(server, token, '{ viewer { id } }');
  return { token, clerkId, userId: rawId(res.body.data!.viewer.id) };
}

async function create(who: Person, input: Record<string, unknown>) {
  return gql<{ createListing: { listing: { id: string; title: string; price: string; url: string | null } } }>(
    server,
    who.token,
    CREATE,
    { input },
  );
}

async function createMany(who: Person, count: number, label: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await create(who, { title: `${label} ${i}`, price: `${100 + i}.50` });
    expect(res.body.errors).toBeUndefined();
    ids.unshift(res.body.data!.createListing.listing.id);
  }
  return ids;
}

async function row(global: string): Promise<ListingRow | undefined> {
  const { rows } = await superuser.query<ListingRow>(
    `SELECT id, owner_id, title, price::text AS price, url, updated_at FROM listings WHERE id = $1`,
    [rawId(global)],
  );
  return rows[0];
}

async function ownedCount(who: Person): Promise<number> {
  const { rows } = await superuser.query<{ n: number }>(`SELECT count(*)::int AS n FROM listings WHERE owner_id = $1`, [
    who.userId,
  ]);
  return rows[0]!.n;
}

/** Every page of `listings(first: size)`, following endCursor. */
async function allPages(who: Person, size: number) {
  const pages: { totalCount: number; ids: string[]; hasNextPage: boolean; cursors: string[] }[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 20; guard++) {
    const res: GraphQLResponse<{
      listings: {
        totalCount: number;
        edges: { cursor: string; node: { id: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    }> = await gql(server, who.token, PAGE, { first: size, after });
    expect(res.body.errors).toBeUndefined();
    const { totalCount, edges, pageInfo } = res.body.data!.listings;
    pages.push({
      totalCount,
      ids: edges.map((edge) => edge.node.id),
      hasNextPage: pageInfo.hasNextPage,
      cursors: edges.map((edge) => edge.cursor),
    });
    if (!pageInfo.hasNextPage) return pages;
    after = pageInfo.endCursor;
  }
  throw new Error('pagination did not end');
}

beforeAll(async () => {
  server = await startTestServer();
  const { url, superuserUrl } = inject('database');
  superuser = await connectAs(withDatabase(superuserUrl, databaseOf(url)));
  [alice, bob, admin] = [await person('alice'), await person('bob'), await person('admin')];
  await superuser.query(`UPDATE users SET role = 'ADMIN' WHERE id = $1`, [admin.userId]);
  aliceListings = await createMany(alice, 5, 'alice');
  bobListings = await createMany(bob, 3, 'bob');
  adminListings = await createMany(admin, 1, 'admin');
});

afterAll(async () => {
  await server?.close();
  await superuser?.end();
});

describe('listings (the connection)', () => {
  it("returns only the viewer's own listings, newest first, with their totalCount", async () => {
    for (const [who, expected] of [
      [alice, aliceListings],
      [bob, bobListings],
    ] as const) {
      const [page] = await allPages(who, 100);
      expect(page).toMatchObject({ totalCount: expected.length, ids: expected, hasNextPage: false });
    }
  });

  it.each([
    ['without totalCount', '{ listings(first: 2) { edges { node { id } } } }', undefined],
    [
      'with totalCount through a fragment',
      '{ listings(first: 2) { ...Count edges { node { id } } } } fragment Count on ListingConnection { totalCount }',
      true,
    ],
    [
      'twice under aliases',
      '{ a: listings(first: 1) { totalCount } b: listings(first: 2) { totalCount edges { node { id } } } }',
      true,
    ],
  ])('answers %s, with the same rows and count', async (_name, query, counted) => {
    const res = await gql<Record<string, { totalCount?: number; edges?: { node: { id: string } }[] }>>(
      server,
      alice.token,
      query,
    );
    expect(res.body.errors).toBeUndefined();
    for (const connection of Object.values(res.body.data!)) {
      if (counted) expect(connection.totalCount).toBe(aliceListings.length);
      else expect(connection).not.toHaveProperty('totalCount');
      if (connection.edges)
        expect(connection.edges.map((edge) => edge.node.id)).toEqual(aliceListings.slice(0, connection.edges.length));
    }
  });

  it('pages through with first/after: no gaps, no repeats, totalCount on every page', async () => {
    const pages = await allPages(alice, 2);
    expect(pages.map((page) => page.ids.length)).toEqual([2, 2, 1]);
    expect(pages.map((page) => page.hasNextPage)).toEqual([true, true, false]);
    expect(pages.map((page) => page.totalCount)).toEqual([5, 5, 5]);
    expect(pages.flatMap((page) => page.ids)).toEqual(aliceListings);
  });

  it('refuses a cursor that does not decode, as a client error', async () => {
    const res = await gql(server, alice.token, PAGE, { first: 2, after: 'not-a-cursor' });
    expect(res.status).toBeLessThan(500);
    expect(res.body.errors?.[0]?.message).toMatch(/cursor/i);
  });

  it("a cursor taken from Bob's list does not reveal Bob's listings to Alice", async () => {
    const [bobPage] = await allPages(bob, 1);
    const res = await gql<{ listings: { edges: { node: { id: string } }[] } }>(server, alice.token, PAGE, {
      first: 10,
      after: bobPage!.cursors[0],
    });
    const ids = res.body.data?.listings.edges.map((edge) => edge.node.id) ?? [];
    expect(ids.filter((id) => bobListings.includes(id))).toEqual([]);
  });

  it("an admin's listings are the admin's own (resolvers filter by owner)", async () => {
    const [page] = await allPages(admin, 100);
    expect(page).toMatchObject({ totalCount: adminListings.length, ids: adminListings });
  });
});

describe("another user's listing", () => {
  it('is null to listing(id:), exactly like a listing that does not exist', async () => {
    const other = await gql(server, alice.token, LISTING, { id: bobListings[0] });
    const missing = await gql(server, alice.token, LISTING, { id: globalId('Listing', randomUUID()) });
    expect(other.body).toEqual({ data: { listing: null } });
    expect(other.body).toEqual(missing.body);
    // Positive control: Bob sees it.
    const own = await gql<{ listing: { id: string } }>(server, bob.token, LISTING, { id: bobListings[0] });
    expect(own.body.data?.listing?.id).toBe(bobListings[0]);
  });

  it('is null to node(id:)', async () => {
    const res = await gql(server, alice.token, NODE, { id: bobListings[0] });
    expect(res.body).toEqual({ data: { node: null } });
  });

  it('cannot be updated: NOT_FOUND (never FORBIDDEN), and nothing changes', async () => {
    const before = await row(bobListings[0]!);
    const res = await gql(server, alice.token, UPDATE, { id: bobListings[0], input: { title: 'pwned', price: '1' } });
    expect(codeOf(res)).toBe('NOT_FOUND');
    expect(res.body.errors?.[0]?.message).toBe('Listing not found');
    expect(res.body.data ?? null).toBeNull();
    expect(await row(bobListings[0]!)).toEqual(before);

    // Same answer as for a listing that does not exist: no existence oracle.
    const missing = await gql(server, alice.token, UPDATE, {
      id: globalId('Listing', randomUUID()),
      input: { title: 'x' },
    });
    expect(missing.body.errors?.map((e) => [e.message, e.extensions?.code])).toEqual(
      res.body.errors?.map((e) => [e.message, e.extensions?.code]),
    );
  });

  it('cannot be deleted: NOT_FOUND (never FORBIDDEN), and the row stays', async () => {
    const before = await row(bobListings[1]!);
    const res = await gql(server, alice.token, DELETE, { id: bobListings[1] });
    expect(codeOf(res)).toBe('NOT_FOUND');
    expect(res.body.errors?.[0]?.message).toBe('Listing not found');
    expect(await row(bobListings[1]!)).toEqual(before);
  });

  it('is readable by an admin through listing(id:) and node(id:)', async () => {
    const viaListing = await gql<{ listing: { id: string; title: string } }>(server, admin.token, LISTING, {
      id: bobListings[2],
    });
    const viaNode = await gql<{ node: { id: string; title: string } }>(server, admin.token, NODE, {
      id: bobListings[2],
    });
    expect(viaListing.body.data?.listing).toEqual({ id: bobListings[2], title: 'bob 0' });
    expect(viaNode.body.data?.node).toEqual({ id: bobListings[2], title: 'bob 0' });
  });
});

describe('own listings', () => {
  it('createListing stores the listing for the viewer, with a trimmed title and a two-decimal price', async () => {
    const res = await create(alice, { title: '  Spaced out  ', price: '10000000', url: 'https://example.com/x' });
    expect(res.body.errors).toBeUndefined();
    const listing = res.body.data!.createListing.listing;
    expect(listing).toMatchObject({ title: 'Spaced out', price: '10000000.00', url: 'https://example.com/x' });
    expect(await row(listing.id)).toMatchObject({ owner_id: alice.userId, title: 'Spaced out', price: '10000000.00' });
    await gql(server, alice.token, DELETE, { id: listing.id });
  });

  it('updateListing changes only the fields given', async () => {
    const { body } = await create(alice, { title: 'to update', price: '5', url: 'http://example.com/u' });
    const id = body.data!.createListing.listing.id;
    const res = await gql(server, alice.token, UPDATE, { id, input: { price: '6.25' } });
    expect(res.body.errors).toBeUndefined();
    expect(await row(id)).toMatchObject({ title: 'to update', price: '6.25', url: 'http://example.com/u' });
    await gql(server, alice.token, DELETE, { id });
  });

  it('deleteListing removes the row and answers its global id', async () => {
    const { body } = await create(alice, { title: 'to delete', price: '5' });
    const id = body.data!.createListing.listing.id;
    const res = await gql(server, alice.token, DELETE, { id });
    expect(res.body).toEqual({ data: { deleteListing: { deletedListingId: id } } });
    expect(await row(id)).toBeUndefined();
  });
});

describe('createListing validation', () => {
  // [case, input, the message]: each is BAD_USER_INPUT and writes nothing.
  const invalid: [string, Record<string, unknown>, string | RegExp][] = [
    ['empty title', { title: '', price: '1' }, 'Title is required'],
    ['blank title', { title: '   ', price: '1' }, 'Title is required'],
    ['201-character title', { title: 'x'.repeat(201), price: '1' }, 'Title must be at most 200 characters'],
    ['negative price', { title: 'x', price: '-1' }, 'Price must be between 0 and 10,000,000'],
    ['price above 10,000,000', { title: 'x', price: '10000000.01' }, 'Price must be between 0 and 10,000,000'],
    ['price with three decimals', { title: 'x', price: '1.234' }, /at most two decimal places/],
    ['price that is not a number', { title: 'x', price: 'abc' }, /at most two decimal places/],
    ['javascript: URL', { title: 'x', price: '1', url: 'javascript:alert(1)' }, 'URL must be an http or https address'],
    ['ftp:// URL', { title: 'x', price: '1', url: 'ftp://example.com/file' }, 'URL must be an http or https address'],
    [
      'data: URL',
      { title: 'x', price: '1', url: 'data:text/html,<script>1</script>' },
      'URL must be an http or https address',
    ],
    ['relative URL', { title: 'x', price: '1', url: '/listings/1' }, 'URL must be an http or https address'],
    ['overlong notes', { title: 'x', price: '1', notes: 'n'.repeat(5001) }, 'Notes must be at most 5000 characters'],
    ['negative RAM', { title: 'x', price: '1', ramGb: -8 }, 'RAM cannot be negative'],
  ];

  it.each(invalid)('%s → BAD_USER_INPUT with a specific message, nothing written', async (_name, input, message) => {
    const before = await ownedCount(bob);
    const res = await create(bob, input);
    expect(res.status).toBeLessThan(500);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.message).toMatch(message);
    expect(res.body.data ?? null).toBeNull();
    expect(await ownedCount(bob)).toBe(before);
  });

  it.each([
    ['a 200-character title', { title: 'y'.repeat(200), price: '1' }],
    ['a price of 0', { title: 'free', price: '0' }],
    ['a price of exactly 10,000,000.00', { title: 'max', price: '10000000.00' }],
    ['an http URL', { title: 'http', price: '1', url: 'http://example.com' }],
  ])('accepts the boundary: %s', async (_name, input) => {
    const res = await create(bob, input);
    expect(res.body.errors).toBeUndefined();
    await gql(server, bob.token, DELETE, { id: res.body.data!.createListing.listing.id });
  });

  it('updateListing validates the same way and changes nothing', async () => {
    const before = await row(bobListings[0]!);
    for (const input of [{ title: '' }, { price: '-5' }, { url: 'javascript:alert(1)' }]) {
      const res = await gql(server, bob.token, UPDATE, { id: bobListings[0], input });
      expect(codeOf(res), JSON.stringify(input)).toBe('BAD_USER_INPUT');
    }
    expect(await row(bobListings[0]!)).toEqual(before);
  });
});

describe('an id that is not a listing global id', () => {
  // Clients make these mistakes: each must be answered as the client's error, never a 500 or the
  // masked "Unexpected error." of a server fault.
  const ids: [string, string][] = [
    ['not base64 of anything', 'nope'],
    ['a User global id', globalId('User', randomUUID())],
    ['a Listing global id whose key is not a UUID', globalId('Listing', 'not-a-uuid')],
    ['a Listing global id with an empty key', globalId('Listing', '')],
  ];
  const operations: [string, string, (id: string) => Record<string, unknown>][] = [
    ['listing(id:)', LISTING, (id) => ({ id })],
    ['node(id:)', NODE, (id) => ({ id })],
    ['updateListing', UPDATE, (id) => ({ id, input: { title: 'x' } })],
    ['deleteListing', DELETE, (id) => ({ id })],
  ];
  const table = ids.flatMap(([idName, id]) =>
    operations.map(([opName, query, vars]) => [`${opName} with ${idName}`, query, vars(id)] as const),
  );

  it.each(table)('%s → nothing resolved, and never a server error', async (_name, query, variables) => {
    const res = await gql(server, alice.token, query, variables);
    expect(res.status).toBeLessThan(500);
    // node(id:) takes any type, so a well-formed id of another type may simply be null.
    expect(Object.values(res.body.data ?? {}).filter((value) => value !== null)).toEqual([]);
    if (!query.startsWith('query Node')) expect(res.body.errors?.length ?? 0).toBeGreaterThan(0);
    for (const error of res.body.errors ?? []) {
      expect(error.message).not.toBe('Unexpected error.');
      expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
    }
  });
});
