// Issue #9, part 5: `nodes(ids:)` takes at most 100 ids and loads them with one query per type under
// the viewer's RLS context, never one transaction per id. Counted on the wire (statement-counter).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { gql, newIdentity, startTestServer, type GraphQLResponse, type TestServer } from '../support/server.js';
import { isPlumbing, startStatementCounter, tableOf } from '../support/statement-counter.js';

interface Person {
  token: string;
}

type StatementCounter = Awaited<ReturnType<typeof startStatementCounter>>;

let counter: StatementCounter;
let server: TestServer;
let alice: Person;
let bob: Person;
let aliceListings: string[];
let aliceProfile: string;
let bobListing: string;

const NODES = `query Nodes($ids: [ID!]!) {
  nodes(ids: $ids) {
    id
    ... on Listing { title price }
    ... on ScoringProfile { name isDefault }
  }
}`;

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const codeOf = (res: GraphQLResponse<unknown>) => res.body.errors?.[0]?.extensions?.code;
const MISSING = globalId('Listing', '00000000-0000-4000-8000-000000000000');

async function createListing(who: Person, title: string): Promise<string> {
  const res = await gql<{ createListing: { listing: { id: string } } }>(
    server,
    who.token,
    `mutation($input: CreateListingInput!) { createListing(input: $input) { listing { id } } }`,
    { input: { title, price: '10.00' } },
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.createListing.listing.id;
}

async function createProfile(who: Person): Promise<string> {
  const res = await gql<{ createScoringProfile: { scoringProfile: { id: string } } }>(
    server,
    who.token,
    `mutation($input: CreateScoringProfileInput!) { createScoringProfile(input: $input) { scoringProfile { id } } }`,
    { input: { name: 'Mine', weights: { price: 1, cpu: 1, gpu: 1, ram: 1, storage: 1, condition: 1 } } },
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.createScoringProfile.scoringProfile.id;
}

/** The data statements (not BEGIN, COMMIT or the context) of one request, by the table each reads. */
async function tablesRead(who: Person, ids: string[]): Promise<(string | undefined)[]> {
  await gql(server, who.token, NODES, { ids }); // statements prepared, the viewer row warm
  counter.executed.length = 0;
  const res = await gql(server, who.token, NODES, { ids });
  expect(res.body.errors).toBeUndefined();
  return counter.executed.filter((sql) => !isPlumbing(sql)).map(tableOf);
}

beforeAll(async () => {
  counter = await startStatementCounter(inject('database').url);
  server = await startTestServer({}, { databaseUrl: counter.url });
  alice = await newIdentity(server, 'alice');
  bob = await newIdentity(server, 'bob');
  aliceListings = [];
  for (let i = 0; i < 30; i++) aliceListings.push(await createListing(alice, `Alice ${i}`));
  aliceProfile = await createProfile(alice);
  bobListing = await createListing(bob, 'Bob only');
  await server.app.localWebhooks?.idle();
});

afterAll(async () => {
  await server?.close();
  await counter?.close();
});

describe('nodes(ids:)', () => {
  it("answers in the order asked, the viewer's own nodes of each type, null for hidden or missing ones", async () => {
    const ids = [aliceListings[0]!, bobListing, aliceProfile, MISSING, aliceListings[1]!, aliceListings[0]!];
    const res = await gql<{ nodes: ({ id: string; title?: string; name?: string } | null)[] }>(
      server,
      alice.token,
      NODES,
      { ids },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.nodes).toEqual([
      { id: aliceListings[0], title: 'Alice 0', price: '10.00' },
      null,
      { id: aliceProfile, name: 'Mine', isDefault: true },
      null,
      { id: aliceListings[1], title: 'Alice 1', price: '10.00' },
      { id: aliceListings[0], title: 'Alice 0', price: '10.00' },
    ]);
  });

  it('loads each type with one statement, however many ids: 30 listings and a profile are two', async () => {
    const tables = await tablesRead(alice, [...aliceListings, aliceProfile]);
    // The viewer lookup of authentication, then one statement per type.
    expect(tables).toEqual(['users', expect.any(String), expect.any(String)]);
    expect(tables.slice(1).sort()).toEqual(['listings', 'scoring_profiles']);
    expect(await tablesRead(alice, aliceListings.slice(0, 2))).toEqual(['users', 'listings']);
  });

  it('takes 100 ids, and refuses 101 with BAD_USER_INPUT before reading anything', async () => {
    const hundred = Array.from({ length: 100 }, (_, i) => aliceListings[i % aliceListings.length]!);
    const ok = await gql<{ nodes: unknown[] }>(server, alice.token, NODES, { ids: hundred });
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data!.nodes).toHaveLength(100);

    counter.executed.length = 0;
    const refused = await gql(server, alice.token, NODES, { ids: [...hundred, aliceProfile] });
    expect(refused.status).toBe(200);
    expect(codeOf(refused)).toBe('BAD_USER_INPUT');
    expect(refused.body.errors?.[0]?.extensions?.issues).toEqual([
      { path: 'ids', message: 'Got 101 ids; the limit is 100' },
    ]);
    expect(refused.body.data).toBeNull();
    expect(counter.executed.filter((sql) => !isPlumbing(sql)).map(tableOf)).toEqual(['users']);
  });

  it('refuses an id that is not one of ours with BAD_USER_INPUT, and anonymous callers with UNAUTHENTICATED', async () => {
    const invalid = await gql(server, alice.token, NODES, { ids: ['not-a-global-id'] });
    expect(codeOf(invalid)).toBe('BAD_USER_INPUT');
    const anonymous = await gql(server, null, NODES, { ids: [aliceListings[0]!] });
    expect(anonymous.status).toBe(401);
    expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
  });
});
