// Issue #9, parts 2 and 3: the listings connection ordered by score and by valuation delta. The
// superuser connection computes the expected order with the same SQL functions, independently of
// the server; pages are walked forwards and backwards and must cover every listing exactly once.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectAs, databaseOf, withDatabase } from '../support/sql.js';
import { gql, newIdentity, startTestServer, type GraphQLResponse, type TestServer } from '../support/server.js';

interface Person {
  token: string;
  userId: string;
}

interface PageData {
  listings: {
    totalCount: number;
    edges: { cursor: string; node: { id: string; title: string } }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  };
}

let server: TestServer;
let superuser: pg.Client;
let alice: Person;
let bob: Person;
let nobody: Person;
const profiles: Record<string, string> = {};
const rulesets: Record<string, string> = {};

const PAGE = `query Page($first: Int, $after: String, $last: Int, $before: String, $orderBy: ListingOrder) {
  listings(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {
    totalCount
    edges { cursor node { id title } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const rawId = (global: string) => Buffer.from(global, 'base64').toString().split(':')[1]!;
const codeOf = (res: GraphQLResponse<unknown>) => res.body.errors?.[0]?.extensions?.code;
const COLUMNS = 'l.price, l.condition, l.cpu, l.gpu, l.ram_gb, l.storage_gb';

async function person(name: string): Promise<Person> {
  const { token } = await newIdentity(server, name);
  const res = await gql<{ viewer: { id: string } }>(server, token, '{ viewer { id } }');
  return { token, userId: rawId(res.body.data!.viewer.id) };
}

/** 23 listings with varied specs, including exact duplicates (equal keys: the id breaks the tie). */
async function seedListings(owner: Person): Promise<void> {
  await superuser.query(
    `INSERT INTO listings (owner_id, title, price, condition, cpu, gpu, ram_gb, storage_gb)
     SELECT $1::uuid, 'Order ' || g.n, (ARRAY[99.00, 250.00, 480.50, 1200.00])[1 + g.n % 4],
            (ARRAY['NEW', 'USED', 'FOR_PARTS', 'REFURBISHED', 'LIKE_NEW'])[1 + g.n % 5]::"ListingCondition",
            (ARRAY['Intel Core i5-8500T', 'AMD Ryzen 9 7940HS', NULL])[1 + g.n % 3],
            (ARRAY['NVIDIA RTX 3070', NULL])[1 + g.n % 2],
            (ARRAY[8, 16, 32, NULL])[1 + g.n % 4], (ARRAY[256, 1000, NULL])[1 + g.n % 3]
     FROM generate_series(1, 23) AS g(n)`,
    [owner.userId],
  );
}

async function insertProfile(owner: Person, name: string, isDefault: boolean, weights: object): Promise<string> {
  const { rows } = await superuser.query<{ id: string }>(
    `INSERT INTO scoring_profiles (owner_id, name, is_default, weights) VALUES ($1, $2, $3, $4) RETURNING id::text`,
    [owner.userId, name, isDefault, JSON.stringify(weights)],
  );
  return rows[0]!.id;
}

async function insertRuleset(owner: Person, name: string, isActive: boolean, rules: object[]): Promise<string> {
  const { rows } = await superuser.query<{ id: string }>(
    `INSERT INTO valuation_rulesets (owner_id, name, is_active, rules) VALUES ($1, $2, $3, $4) RETURNING id::text`,
    [owner.userId, name, isActive, JSON.stringify(rules)],
  );
  return rows[0]!.id;
}

/** The owner's listing ids, highest key first, as the SQL functions rank them. */
async function expectedOrder(owner: Person, key: string, params: unknown[]): Promise<string[]> {
  const { rows } = await superuser.query<{ id: string }>(
    `SELECT l.id::text AS id FROM listings l WHERE l.owner_id = $1 ORDER BY ${key} DESC, l.id DESC`,
    [owner.userId, ...params],
  );
  return rows.map((row) => globalId('Listing', row.id));
}

const byScore = (owner: Person, profileId: string) =>
  expectedOrder(owner, `app_listing_score(${COLUMNS}, (SELECT weights FROM scoring_profiles WHERE id = $2))`, [
    profileId,
  ]);
const byDelta = (owner: Person, rulesetId: string) =>
  expectedOrder(
    owner,
    `app_listing_valuation_cents(${COLUMNS}, (SELECT rules FROM valuation_rulesets WHERE id = $2)) - (l.price * 100)::bigint`,
    [rulesetId],
  );

async function page(who: Person, variables: Record<string, unknown>) {
  const res = await gql<PageData>(server, who.token, PAGE, variables);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.listings;
}

/** Every page forwards with `first: size`, following endCursor. */
async function forwards(who: Person, orderBy: object, size: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 50; guard++) {
    const { edges, pageInfo }: PageData['listings'] = await page(who, { first: size, after, orderBy });
    ids.push(...edges.map((edge) => edge.node.id));
    if (!pageInfo.hasNextPage) return ids;
    after = pageInfo.endCursor;
  }
  throw new Error('pagination did not end');
}

/** Every page backwards with `last: size`, following startCursor; returned in connection order. */
async function backwards(who: Person, orderBy: object, size: number): Promise<string[]> {
  const pages: string[][] = [];
  let before: string | null = null;
  for (let guard = 0; guard < 50; guard++) {
    const { edges, pageInfo }: PageData['listings'] = await page(who, { last: size, before, orderBy });
    pages.unshift(edges.map((edge) => edge.node.id));
    if (!pageInfo.hasPreviousPage) return pages.flat();
    before = pageInfo.startCursor;
  }
  throw new Error('pagination did not end');
}

beforeAll(async () => {
  server = await startTestServer();
  const provided = inject('database');
  superuser = await connectAs(withDatabase(provided.superuserUrl, databaseOf(provided.url)));
  [alice, bob, nobody] = [await person('alice'), await person('bob'), await person('nobody')];
  await seedListings(alice);
  await seedListings(bob);
  profiles.balanced = await insertProfile(alice, 'Balanced', true, {
    price: 30,
    cpu: 25,
    gpu: 15,
    ram: 15,
    storage: 5,
    condition: 10,
  });
  profiles.ram = await insertProfile(alice, 'RAM only', false, { ram: 1 });
  profiles.bobs = await insertProfile(bob, 'Bob', true, { price: 1 });
  const rules = [
    { when: { attribute: 'RAM_GB', operator: 'BELOW', value: 16 }, adjust: { kind: 'SUBTRACT', amount: '30.00' } },
    { when: { attribute: 'GPU', operator: 'CONTAINS', value: 'rtx' }, adjust: { kind: 'ADD', amount: '75.00' } },
    {
      when: { attribute: 'CONDITION', operator: 'EQUALS', value: 'FOR_PARTS' },
      adjust: { kind: 'MULTIPLY', factor: '0.3' },
    },
  ];
  rulesets.active = await insertRuleset(alice, 'Components', true, rules);
  rulesets.cpu = await insertRuleset(alice, 'CPU', false, [
    { when: { attribute: 'CPU', operator: 'CONTAINS', value: 'ryzen' }, adjust: { kind: 'MULTIPLY', factor: '2' } },
  ]);
  rulesets.bobs = await insertRuleset(bob, 'Bob', true, rules);
});

afterAll(async () => {
  await superuser?.end();
  await server?.close();
});

describe('ordering by score', () => {
  it('under the default profile: every page, forwards and backwards, in the SQL order, each listing once', async () => {
    const expected = await byScore(alice, profiles.balanced!);
    expect(expected).toHaveLength(23);
    expect(await forwards(alice, { field: 'SCORE' }, 5)).toEqual(expected);
    expect(await backwards(alice, { field: 'SCORE' }, 4)).toEqual(expected);
    const first = await page(alice, { first: 10, orderBy: { field: 'SCORE' } });
    expect(first.totalCount).toBe(23);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  it("agrees with the listings' own score and valuation fields: never increasing down the page", async () => {
    const query = `query Scored($orderBy: ListingOrder) {
      listings(first: 100, orderBy: $orderBy) { edges { node { score valuation { delta } } } }
    }`;
    type Scored = { listings: { edges: { node: { score: number; valuation: { delta: string } } }[] } };
    const scored = await gql<Scored>(server, alice.token, query, { orderBy: { field: 'SCORE' } });
    const scores = scored.body.data!.listings.edges.map((edge) => edge.node.score);
    expect(scores).toHaveLength(23);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const valued = await gql<Scored>(server, alice.token, query, { orderBy: { field: 'VALUATION_DELTA' } });
    const deltas = valued.body.data!.listings.edges.map((edge) => Number(edge.node.valuation.delta));
    expect(deltas).toEqual([...deltas].sort((a, b) => b - a));
    expect(new Set(deltas).size).toBeGreaterThan(3);
  });

  it('under a named profile: a different order, still the SQL one', async () => {
    const orderBy = { field: 'SCORE', scoringProfileId: globalId('ScoringProfile', profiles.ram!) };
    const expected = await byScore(alice, profiles.ram!);
    expect(expected).not.toEqual(await byScore(alice, profiles.balanced!));
    expect(await forwards(alice, orderBy, 7)).toEqual(expected);
  });

  it("only the viewer's own listings, even under their own profile", async () => {
    const ids = await forwards(bob, { field: 'SCORE' }, 100);
    expect(ids).toEqual(await byScore(bob, profiles.bobs!));
  });

  it("someone else's profile is NOT_FOUND, like one that does not exist", async () => {
    for (const id of [profiles.bobs!, '00000000-0000-4000-8000-000000000000']) {
      const res = await gql(server, alice.token, PAGE, {
        first: 5,
        orderBy: { field: 'SCORE', scoringProfileId: globalId('ScoringProfile', id) },
      });
      expect(codeOf(res)).toBe('NOT_FOUND');
      expect(res.body.data).toBeNull();
    }
  });

  it('an id of another type is BAD_USER_INPUT with the path of the argument', async () => {
    const res = await gql(server, alice.token, PAGE, {
      first: 5,
      orderBy: { field: 'SCORE', scoringProfileId: globalId('ValuationRuleset', rulesets.active!) },
    });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.extensions?.issues).toEqual([
      { path: 'orderBy.scoringProfileId', message: 'Expected a ScoringProfile id' },
    ]);
  });

  it('without a default profile is BAD_USER_INPUT, not an arbitrary order', async () => {
    const res = await gql(server, nobody.token, PAGE, { first: 5, orderBy: { field: 'SCORE' } });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
  });
});

describe('ordering by valuation delta', () => {
  it('under the active ruleset: every page, forwards and backwards, best deal first', async () => {
    const expected = await byDelta(alice, rulesets.active!);
    expect(await forwards(alice, { field: 'VALUATION_DELTA' }, 6)).toEqual(expected);
    expect(await backwards(alice, { field: 'VALUATION_DELTA' }, 9)).toEqual(expected);
  });

  it('under a named ruleset', async () => {
    const orderBy = { field: 'VALUATION_DELTA', valuationRulesetId: globalId('ValuationRuleset', rulesets.cpu!) };
    expect(await forwards(alice, orderBy, 8)).toEqual(await byDelta(alice, rulesets.cpu!));
  });

  it("someone else's ruleset is NOT_FOUND; no active ruleset is BAD_USER_INPUT", async () => {
    const foreign = await gql(server, alice.token, PAGE, {
      first: 5,
      orderBy: { field: 'VALUATION_DELTA', valuationRulesetId: globalId('ValuationRuleset', rulesets.bobs!) },
    });
    expect(codeOf(foreign)).toBe('NOT_FOUND');
    const none = await gql(server, nobody.token, PAGE, { first: 5, orderBy: { field: 'VALUATION_DELTA' } });
    expect(codeOf(none)).toBe('BAD_USER_INPUT');
  });
});

describe('cursors', () => {
  it('a cursor from the newest-first order continues from that listing in the computed order', async () => {
    const expected = await byScore(alice, profiles.balanced!);
    const newest = await page(alice, { first: 1 });
    const cursor = newest.edges[0]!.cursor;
    const continued = await page(alice, { first: 30, after: cursor, orderBy: { field: 'SCORE' } });
    const at = expected.indexOf(newest.edges[0]!.node.id);
    expect(continued.edges.map((edge) => edge.node.id)).toEqual(expected.slice(at + 1));
  });

  it("a cursor of a listing the viewer cannot see gives an empty page, never someone else's rows", async () => {
    const bobsFirst = await page(bob, { first: 1, orderBy: { field: 'SCORE' } });
    const res = await page(alice, { first: 5, after: bobsFirst.edges[0]!.cursor, orderBy: { field: 'SCORE' } });
    expect(res.edges).toEqual([]);
  });
});
