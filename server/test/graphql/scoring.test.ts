// Issue 9: scoring profiles through GraphQL. Every person is a fresh identity (test files share
// one database); the superuser connection is the independent witness of what the database holds.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { roundScore, scoreListing, type ScorableListing } from '#src/modules/scoring/score.js';
import { connectAs, databaseOf, withDatabase } from '../support/sql.js';
import { gql, newIdentity, startTestServer, type GraphQLResponse, type TestServer } from '../support/server.js';

interface Person {
  token: string;
  userId: string;
}

interface ProfileRow {
  id: string;
  name: string;
  is_default: boolean;
  weights: Record<string, unknown>;
  updated_at: Date;
}

interface ProfileNode {
  id: string;
  name: string;
  isDefault: boolean;
  weights: Record<string, number>;
}

type Weights = Record<'price' | 'cpu' | 'gpu' | 'ram' | 'storage' | 'condition', number>;

let server: TestServer;
let superuser: pg.Client;

const PROFILE_FIELDS = 'id name isDefault weights { price cpu gpu ram storage condition }';
const CREATE = `mutation Create($input: CreateScoringProfileInput!) {
  createScoringProfile(input: $input) { scoringProfile { ${PROFILE_FIELDS} } }
}`;
const UPDATE = `mutation Update($input: UpdateScoringProfileInput!) {
  updateScoringProfile(input: $input) { scoringProfile { ${PROFILE_FIELDS} } }
}`;
const SET_DEFAULT = `mutation SetDefault($input: SetDefaultScoringProfileInput!) {
  setDefaultScoringProfile(input: $input) { scoringProfile { id isDefault } }
}`;
const DELETE = `mutation Delete($input: DeleteScoringProfileInput!) {
  deleteScoringProfile(input: $input) { deletedScoringProfileId defaultScoringProfile { id } }
}`;
const LIST = `query List($first: Int, $after: String, $last: Int, $before: String) {
  scoringProfiles(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { ${PROFILE_FIELDS} } }
    pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
  }
}`;
const DEFAULT = `{ defaultScoringProfile { ${PROFILE_FIELDS} } }`;
const NODE = `query Node($id: ID!) { node(id: $id) { id ... on ScoringProfile { name isDefault } } }`;
const CREATE_LISTING = `mutation CreateListing($input: CreateListingInput!) { createListing(input: $input) { listing { id } } }`;

const BALANCED: Weights = { price: 30, cpu: 25, gpu: 15, ram: 15, storage: 5, condition: 10 };
const BUDGET: Weights = { price: 60, cpu: 10, gpu: 5, ram: 10, storage: 5, condition: 10 };

const rawId = (global: string) => Buffer.from(global, 'base64').toString('utf8').split(':').slice(1).join(':');
const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const codeOf = (res: GraphQLResponse<unknown>) => res.body.errors?.[0]?.extensions?.code;
const issuesOf = (res: GraphQLResponse<unknown>) => res.body.errors?.[0]?.extensions?.issues;

async function person(name: string): Promise<Person> {
  const { token } = await newIdentity(server, name);
  const res = await gql<{ viewer: { id: string } }>(server, token, '{ viewer { id } }');
  return { token, userId: rawId(res.body.data!.viewer.id) };
}

async function create(who: Person, input: Record<string, unknown>) {
  return gql<{ createScoringProfile: { scoringProfile: ProfileNode } }>(server, who.token, CREATE, { input });
}

/** Creates a profile and answers its global id (the test fails on any error). */
async function createOk(who: Person, name: string, weights: Weights = BALANCED, isDefault?: boolean): Promise<string> {
  const res = await create(who, { name, weights, ...(isDefault === undefined ? {} : { isDefault }) });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.createScoringProfile.scoringProfile.id;
}

const setDefault = (who: Person, id: string) => gql(server, who.token, SET_DEFAULT, { input: { id } });
const remove = (who: Person, id: string) =>
  gql<{ deleteScoringProfile: { deletedScoringProfileId: string; defaultScoringProfile: { id: string } | null } }>(
    server,
    who.token,
    DELETE,
    { input: { id } },
  );

/** What the database holds for `who`, by name. */
async function rows(who: Person): Promise<ProfileRow[]> {
  const result = await superuser.query<ProfileRow>(
    `SELECT id, name, is_default, weights, updated_at FROM scoring_profiles WHERE owner_id = $1 ORDER BY name, id`,
    [who.userId],
  );
  return result.rows;
}

async function row(global: string): Promise<ProfileRow | undefined> {
  const result = await superuser.query<ProfileRow>(
    `SELECT id, name, is_default, weights, updated_at FROM scoring_profiles WHERE id = $1`,
    [rawId(global)],
  );
  return result.rows[0];
}

/** The global ids of `who`'s default profiles, according to the database. */
async function defaults(who: Person): Promise<string[]> {
  return (await rows(who)).filter((r) => r.is_default).map((r) => globalId('ScoringProfile', r.id));
}

/** The invariant: exactly one default while any profile exists, none otherwise. */
async function expectOneDefault(who: Person, context = '') {
  const all = await rows(who);
  expect(all.filter((r) => r.is_default).length, context).toBe(all.length > 0 ? 1 : 0);
}

/** Sets updated_at so "most recently updated" is decided by the test, not the clock. */
async function touch(global: string, minutesAgo: number) {
  await superuser.query(`UPDATE scoring_profiles SET updated_at = now() - make_interval(mins => $2) WHERE id = $1`, [
    rawId(global),
    minutesAgo,
  ]);
}

beforeAll(async () => {
  server = await startTestServer();
  const { url, superuserUrl } = inject('database');
  superuser = await connectAs(withDatabase(superuserUrl, databaseOf(url)));
});

afterAll(async () => {
  await server?.close();
  await superuser?.end();
});

describe('creating, reading, updating, deleting', () => {
  let alice: Person;
  beforeAll(async () => {
    alice = await person('alice');
  });

  it('the first profile is the default even when not asked; the name is trimmed; the row is the viewer’s', async () => {
    const res = await create(alice, { name: '  Balanced  ', weights: BALANCED, isDefault: false });
    expect(res.body.errors).toBeUndefined();
    const profile = res.body.data!.createScoringProfile.scoringProfile;
    expect(profile).toMatchObject({ name: 'Balanced', isDefault: true, weights: BALANCED });
    const stored = await superuser.query(
      `SELECT owner_id, name, is_default, weights FROM scoring_profiles WHERE id = $1`,
      [rawId(profile.id)],
    );
    expect(stored.rows).toEqual([{ owner_id: alice.userId, name: 'Balanced', is_default: true, weights: BALANCED }]);
  });

  it('a later profile is not the default unless asked; asked, it takes over from the old default', async () => {
    const budget = await createOk(alice, 'Budget first', BUDGET);
    expect((await row(budget))?.is_default).toBe(false);
    const gaming = await createOk(alice, 'Gaming', { ...BALANCED, gpu: 100 }, true);
    expect(await defaults(alice)).toEqual([gaming]);
  });

  it('scoringProfiles lists only the viewer’s, default first, then by name, with a totalCount', async () => {
    const res = await gql<{ scoringProfiles: { totalCount: number; edges: { node: ProfileNode }[] } }>(
      server,
      alice.token,
      LIST,
      { first: 10 },
    );
    expect(res.body.errors).toBeUndefined();
    const { totalCount, edges } = res.body.data!.scoringProfiles;
    expect(totalCount).toBe(3);
    expect(edges.map((edge) => [edge.node.name, edge.node.isDefault])).toEqual([
      ['Gaming', true],
      ['Balanced', false],
      ['Budget first', false],
    ]);
  });

  it('pages forwards and backwards without gaps or repeats', async () => {
    type Page = GraphQLResponse<{
      scoringProfiles: {
        edges: { node: { name: string } }[];
        pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string; startCursor: string };
      };
    }>;
    const first: Page = await gql(server, alice.token, LIST, { first: 2 });
    const second: Page = await gql(server, alice.token, LIST, {
      first: 2,
      after: first.body.data!.scoringProfiles.pageInfo.endCursor,
    });
    const names = (page: Page) => page.body.data!.scoringProfiles.edges.map((edge) => edge.node.name);
    expect([names(first), names(second)]).toEqual([['Gaming', 'Balanced'], ['Budget first']]);
    expect(first.body.data!.scoringProfiles.pageInfo.hasNextPage).toBe(true);
    expect(second.body.data!.scoringProfiles.pageInfo.hasNextPage).toBe(false);

    const back: Page = await gql(server, alice.token, LIST, {
      last: 2,
      before: second.body.data!.scoringProfiles.pageInfo.startCursor,
    });
    expect(names(back)).toEqual(['Gaming', 'Balanced']);
  });

  it('defaultScoringProfile is the default', async () => {
    const res = await gql<{ defaultScoringProfile: ProfileNode }>(server, alice.token, DEFAULT);
    expect(res.body.data?.defaultScoringProfile).toMatchObject({ name: 'Gaming', isDefault: true });
  });

  it('updateScoringProfile renames, or replaces the weights, and keeps what it is not given', async () => {
    const [budget] = (await rows(alice)).filter((r) => r.name === 'Budget first');
    const id = globalId('ScoringProfile', budget!.id);

    const renamed = await gql(server, alice.token, UPDATE, { input: { id, name: ' Cheap ' } });
    expect(renamed.body.errors).toBeUndefined();
    expect(await row(id)).toMatchObject({ name: 'Cheap', weights: BUDGET, is_default: false });

    const weights = { ...BUDGET, condition: 0, ram: 12.5 };
    const reweighed = await gql<{ updateScoringProfile: { scoringProfile: ProfileNode } }>(
      server,
      alice.token,
      UPDATE,
      { input: { id, weights, name: null } },
    );
    expect(reweighed.body.data?.updateScoringProfile.scoringProfile).toMatchObject({ name: 'Cheap', weights });
    expect(await row(id)).toMatchObject({ name: 'Cheap', weights, is_default: false });
    await expectOneDefault(alice);
  });

  it('setDefaultScoringProfile moves the default, and setting it again changes nothing', async () => {
    const [cheap] = (await rows(alice)).filter((r) => r.name === 'Cheap');
    const id = globalId('ScoringProfile', cheap!.id);
    const res = await setDefault(alice, id);
    expect(res.body).toEqual({ data: { setDefaultScoringProfile: { scoringProfile: { id, isDefault: true } } } });
    expect(await defaults(alice)).toEqual([id]);

    const before = await rows(alice);
    expect((await setDefault(alice, id)).body.errors).toBeUndefined();
    expect(await rows(alice)).toEqual(before);
  });

  it('deleting a profile that is not the default leaves the default alone', async () => {
    const [gaming] = (await rows(alice)).filter((r) => r.name === 'Gaming');
    const id = globalId('ScoringProfile', gaming!.id);
    const before = await defaults(alice);
    const res = await remove(alice, id);
    expect(res.body.data?.deleteScoringProfile).toEqual({
      deletedScoringProfileId: id,
      defaultScoringProfile: { id: before[0] },
    });
    expect(await row(id)).toBeUndefined();
    expect(await defaults(alice)).toEqual(before);
  });

  it('deleting the default promotes the most recently updated of the rest; deleting the last leaves none', async () => {
    const a = await createOk(alice, 'Old');
    const b = await createOk(alice, 'Recent');
    const [current] = await defaults(alice);
    await touch(a, 30);
    await touch(b, 10);
    // "Balanced" was created first and is older still than both.
    const [balanced] = (await rows(alice)).filter((r) => r.name === 'Balanced');
    await touch(globalId('ScoringProfile', balanced!.id), 60);

    const res = await remove(alice, current!);
    expect(res.body.data?.deleteScoringProfile.defaultScoringProfile).toEqual({ id: b });
    expect(await defaults(alice)).toEqual([b]);

    for (const r of await rows(alice)) {
      expect((await remove(alice, globalId('ScoringProfile', r.id))).body.errors).toBeUndefined();
      await expectOneDefault(alice, `after deleting ${r.name}`);
    }
    expect(await rows(alice)).toEqual([]);
    const none = await gql(server, alice.token, DEFAULT);
    expect(none.body).toEqual({ data: { defaultScoringProfile: null } });
  });
});

describe('exactly one default', () => {
  it('holds after every step of a long mixed sequence of creates, set-defaults and deletes', async () => {
    const carol = await person('carol');
    // A fixed pseudo-random sequence (mulberry32), so a failure can be replayed.
    let seed = 9;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const ids: string[] = [];
    for (let step = 0; step < 30; step++) {
      const roll = random();
      const pick = () => ids[Math.floor(random() * ids.length)]!;
      if (ids.length === 0 || roll < 0.45) {
        ids.push(await createOk(carol, `p${step}`, BALANCED, random() < 0.4 ? true : undefined));
      } else if (roll < 0.7) {
        const id = pick();
        expect((await setDefault(carol, id)).body.errors).toBeUndefined();
        expect(await defaults(carol)).toEqual([id]);
      } else {
        const id = pick();
        expect((await remove(carol, id)).body.errors).toBeUndefined();
        ids.splice(ids.indexOf(id), 1);
      }
      await expectOneDefault(carol, `step ${step}`);
      expect((await rows(carol)).length).toBe(ids.length);
    }
  });

  it('holds when one user sends many first creates at once', async () => {
    const dave = await person('dave');
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => create(dave, { name: `parallel ${i}`, weights: BALANCED })),
    );
    expect(results.map((res) => res.body.errors)).toEqual(Array(6).fill(undefined));
    expect((await rows(dave)).length).toBe(6);
    await expectOneDefault(dave);
  });

  it('holds when one user deletes the default and the next in line at once', async () => {
    const erin = await person('erin');
    const ids = [await createOk(erin, 'a'), await createOk(erin, 'b'), await createOk(erin, 'c')];
    await touch(ids[1]!, 5);
    await touch(ids[2]!, 10);
    // ids[0] is the default; ids[1] would be promoted — unless it is being deleted too.
    const results = await Promise.all([remove(erin, ids[0]!), remove(erin, ids[1]!)]);
    expect(results.map((res) => res.body.errors)).toEqual([undefined, undefined]);
    expect(await defaults(erin)).toEqual([ids[2]]);
  });
});

describe('validation', () => {
  let bob: Person;
  let bobsProfile: string;
  beforeAll(async () => {
    bob = await person('bob');
    bobsProfile = await createOk(bob, 'Mine');
  });

  // [case, input, issue path, message]: each is BAD_USER_INPUT and writes nothing.
  const invalid: [string, Record<string, unknown>, string, string][] = [
    ['an empty name', { name: '', weights: BALANCED }, 'input.name', 'Name is required'],
    ['a blank name', { name: '   ', weights: BALANCED }, 'input.name', 'Name is required'],
    [
      'a 101-character name',
      { name: 'n'.repeat(101), weights: BALANCED },
      'input.name',
      'Name must be at most 100 characters',
    ],
    [
      'a negative weight',
      { name: 'x', weights: { ...BALANCED, price: -1 } },
      'input.weights.price',
      'Price weight must be between 0 and 100',
    ],
    [
      'a weight above 100',
      { name: 'x', weights: { ...BALANCED, gpu: 101 } },
      'input.weights.gpu',
      'GPU weight must be between 0 and 100',
    ],
    [
      'all weights zero',
      { name: 'x', weights: { price: 0, cpu: 0, gpu: 0, ram: 0, storage: 0, condition: 0 } },
      'input.weights',
      'At least one weight must be above 0',
    ],
  ];

  it.each(invalid)(
    'createScoringProfile with %s → BAD_USER_INPUT on its path, nothing stored',
    async (_n, input, path, message) => {
      const before = await rows(bob);
      const res = await create(bob, input);
      expect(res.status).toBeLessThan(500);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.body.errors?.[0]?.message).toBe(message);
      expect(issuesOf(res)).toEqual([{ path, message }]);
      expect(res.body.data ?? null).toBeNull();
      expect(await rows(bob)).toEqual(before);
    },
  );

  it('accepts the boundaries: a 100-character name, weights of exactly 0 and 100', async () => {
    const id = await createOk(bob, 'n'.repeat(100), { price: 100, cpu: 0, gpu: 0, ram: 0, storage: 0, condition: 0 });
    expect((await remove(bob, id)).body.errors).toBeUndefined();
  });

  it('a missing weight is refused by the schema itself, never a server error, nothing stored', async () => {
    const { condition: _missing, ...five } = BALANCED;
    const before = await rows(bob);
    const res = await create(bob, { name: 'x', weights: five });
    expect(res.status).toBeLessThan(500);
    expect(res.body.errors?.[0]?.message).toMatch(/condition/);
    expect(await rows(bob)).toEqual(before);
  });

  it.each([
    ['an empty name', { name: '' }, 'input.name', 'Name is required'],
    [
      'all weights zero',
      { weights: { price: 0, cpu: 0, gpu: 0, ram: 0, storage: 0, condition: 0 } },
      'input.weights',
      'At least one weight must be above 0',
    ],
    ['nothing to change', {}, 'input', 'Give a name or weights to change'],
  ])('updateScoringProfile with %s → BAD_USER_INPUT, the row unchanged', async (_n, fields, path, message) => {
    const before = await row(bobsProfile);
    const res = await gql(server, bob.token, UPDATE, { input: { id: bobsProfile, ...fields } });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(issuesOf(res)).toEqual([{ path, message }]);
    expect(await row(bobsProfile)).toEqual(before);
  });

  const wrongIds: [string, string][] = [
    ['not base64 of anything', 'nope'],
    ['a Listing global id', globalId('Listing', randomUUID())],
    ['a ScoringProfile global id whose key is not a UUID', globalId('ScoringProfile', 'x')],
  ];
  const operations: [string, (id: string) => Promise<GraphQLResponse<unknown>>][] = [
    ['updateScoringProfile', (id) => gql(server, bob.token, UPDATE, { input: { id, name: 'x' } })],
    ['setDefaultScoringProfile', (id) => setDefault(bob, id)],
    ['deleteScoringProfile', (id) => remove(bob, id)],
  ];
  it.each(
    wrongIds.flatMap(([idName, id]) => operations.map(([op, run]) => [`${op} with ${idName}`, id, run] as const)),
  )('%s → BAD_USER_INPUT, nothing changed', async (_name, id, run) => {
    const before = await rows(bob);
    const res = await run(id);
    expect(res.status).toBeLessThan(500);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(await rows(bob)).toEqual(before);
  });
});

describe("another user's profile", () => {
  let owner: Person;
  let stranger: Person;
  let admin: Person;
  let ownersDefault: string;
  let ownersOther: string;

  beforeAll(async () => {
    [owner, stranger, admin] = [await person('owner'), await person('stranger'), await person('admin')];
    await superuser.query(`UPDATE users SET role = 'ADMIN' WHERE id = $1`, [admin.userId]);
    ownersDefault = await createOk(owner, 'Owner default');
    ownersOther = await createOk(owner, 'Owner other');
    await createOk(stranger, 'Stranger’s own');
  });

  const attempts: [string, (who: Person, id: string) => Promise<GraphQLResponse<unknown>>][] = [
    ['updated', (who, id) => gql(server, who.token, UPDATE, { input: { id, name: 'pwned', weights: BUDGET } })],
    ['made the default', (who, id) => setDefault(who, id)],
    ['deleted', (who, id) => remove(who, id)],
  ];

  it.each(attempts)('cannot be %s by a stranger: NOT_FOUND like a missing one, nothing changes', async (_name, run) => {
    const before = await rows(owner);
    const strangersBefore = await rows(stranger);
    const res = await run(stranger, ownersOther);
    expect(codeOf(res)).toBe('NOT_FOUND');
    expect(res.body.errors?.[0]?.message).toBe('Scoring profile not found');
    expect(await rows(owner)).toEqual(before);
    expect(await rows(stranger)).toEqual(strangersBefore);

    const missing = await run(stranger, globalId('ScoringProfile', randomUUID()));
    expect(missing.body.errors?.map((e) => [e.message, e.extensions?.code])).toEqual(
      res.body.errors?.map((e) => [e.message, e.extensions?.code]),
    );
  });

  it.each(attempts)('cannot be %s by an admin either (the API works on the viewer’s own)', async (_name, run) => {
    const before = await rows(owner);
    expect(codeOf(await run(admin, ownersDefault))).toBe('NOT_FOUND');
    expect(await rows(owner)).toEqual(before);
  });

  it('is null to a stranger’s node(id:), and absent from their lists', async () => {
    expect((await gql(server, stranger.token, NODE, { id: ownersDefault })).body).toEqual({ data: { node: null } });
    const list = await gql<{ scoringProfiles: { totalCount: number; edges: { node: ProfileNode }[] } }>(
      server,
      stranger.token,
      LIST,
      { first: 100 },
    );
    expect(list.body.data?.scoringProfiles.totalCount).toBe(1);
    expect(list.body.data?.scoringProfiles.edges.map((edge) => edge.node.name)).toEqual(['Stranger’s own']);
    const own = await gql<{ defaultScoringProfile: ProfileNode }>(server, stranger.token, DEFAULT);
    expect(own.body.data?.defaultScoringProfile.name).toBe('Stranger’s own');
  });

  it('is readable by an admin through node(id:), while the admin’s own lists stay the admin’s', async () => {
    const res = await gql(server, admin.token, NODE, { id: ownersDefault });
    expect(res.body).toEqual({
      data: { node: { id: ownersDefault, name: 'Owner default', isDefault: true } },
    });
    const list = await gql<{ scoringProfiles: { totalCount: number } }>(server, admin.token, LIST, { first: 100 });
    expect(list.body.data?.scoringProfiles.totalCount).toBe(0);
    expect((await gql(server, admin.token, DEFAULT)).body).toEqual({ data: { defaultScoringProfile: null } });
  });
});

describe('Listing.score', () => {
  let frank: Person;
  let gina: Person;
  let balanced: string;
  let budget: string;
  const listings: (ScorableListing & { title: string; price: string })[] = [
    {
      title: 'tower',
      price: '849.00',
      condition: 'USED',
      cpu: 'AMD Ryzen 7 5800X',
      gpu: 'NVIDIA RTX 3070',
      ramGb: 32,
      storageGb: 1000,
    },
    {
      title: 'mini',
      price: '189.00',
      condition: 'REFURBISHED',
      cpu: 'Intel Core i5-8500T',
      gpu: null,
      ramGb: 16,
      storageGb: 256,
    },
    { title: 'mac', price: '529.00', condition: 'LIKE_NEW', cpu: 'Apple M2 Pro', gpu: null, ramGb: 16, storageGb: 512 },
    { title: 'bare', price: '0', condition: 'FOR_PARTS', cpu: null, gpu: null, ramGb: null, storageGb: null },
    {
      title: 'beast',
      price: '4999.99',
      condition: 'NEW',
      cpu: 'i9-14900K',
      gpu: 'RTX 4090',
      ramGb: 128,
      storageGb: 4000,
    },
  ];
  const PAGE = `query Scores($profileId: ID) {
    listings(first: 50) { edges { node { title price condition cpu gpu ramGb storageGb
      byDefault: score
      byProfile: score(profileId: $profileId)
    } } }
  }`;
  type ScoredNode = ScorableListing & { title: string; byDefault: number | null; byProfile: number | null };
  const scores = async (who: Person, profileId: string | null) => {
    const res = await gql<{ listings: { edges: { node: ScoredNode }[] } }>(server, who.token, PAGE, { profileId });
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.listings.edges.map((edge) => edge.node);
  };

  beforeAll(async () => {
    [frank, gina] = [await person('frank'), await person('gina')];
    for (const { title, price, condition, cpu, gpu, ramGb, storageGb } of listings) {
      const res = await gql(server, frank.token, CREATE_LISTING, {
        input: { title, price, condition, cpu, gpu, ramGb, storageGb },
      });
      expect(res.body.errors).toBeUndefined();
    }
  });

  it('is null for every listing while the viewer has no profile', async () => {
    const nodes = await scores(frank, null);
    expect(nodes.map((node) => [node.byDefault, node.byProfile])).toEqual(listings.map(() => [null, null]));
  });

  it('matches the TypeScript definition under the default and under a named profile', async () => {
    balanced = await createOk(frank, 'Balanced', BALANCED);
    budget = await createOk(frank, 'Budget', BUDGET);
    const nodes = await scores(frank, budget);
    expect(nodes).toHaveLength(listings.length);
    for (const node of nodes) {
      expect(node.byDefault, node.title).toBe(roundScore(scoreListing(node, BALANCED)));
      expect(node.byProfile, node.title).toBe(roundScore(scoreListing(node, BUDGET)));
    }
    // The worked example of docs/scoring.md.
    expect(nodes.find((node) => node.title === 'tower')).toMatchObject({ byDefault: 59.1, byProfile: 47.7 });
  });

  it('follows a change of default and of weights', async () => {
    expect((await setDefault(frank, budget)).body.errors).toBeUndefined();
    const heavy = { price: 0, cpu: 0, gpu: 100, ram: 0, storage: 0, condition: 0 };
    expect(
      (await gql(server, frank.token, UPDATE, { input: { id: balanced, weights: heavy } })).body.errors,
    ).toBeUndefined();
    for (const node of await scores(frank, balanced)) {
      expect(node.byDefault).toBe(roundScore(scoreListing(node, BUDGET)));
      expect(node.byProfile).toBe(roundScore(scoreListing(node, heavy)));
    }
  });

  it('scores weights written outside the API the way the SQL does (missing and odd values count as 0, over 100 as 100)', async () => {
    await superuser.query(`UPDATE scoring_profiles SET weights = $2 WHERE id = $1`, [
      rawId(balanced),
      { price: 1000, cpu: 'high', gpu: 25 },
    ]);
    const expectedWeights = { price: 100, cpu: 0, gpu: 25, ram: 0, storage: 0, condition: 0 };
    const node = await gql<{ node: ProfileNode }>(
      server,
      frank.token,
      `query { node(id: "${balanced}") { ... on ScoringProfile { weights { price cpu gpu ram storage condition } } } }`,
    );
    expect(node.body.data?.node.weights).toEqual(expectedWeights);
    for (const listing of await scores(frank, balanced)) {
      expect(listing.byProfile).toBe(roundScore(scoreListing(listing, expectedWeights)));
    }
  });

  it("is null under another user's profile or an unknown one, like a missing profile", async () => {
    const ginasProfile = await createOk(gina, 'Gina');
    for (const profileId of [ginasProfile, globalId('ScoringProfile', randomUUID())]) {
      const nodes = await scores(frank, profileId);
      expect(nodes.map((node) => node.byProfile)).toEqual(listings.map(() => null));
      expect(nodes.every((node) => typeof node.byDefault === 'number')).toBe(true);
    }
  });

  it('refuses a profileId that is not a ScoringProfile id as BAD_USER_INPUT, never a server error', async () => {
    const res = await gql(server, frank.token, PAGE, { profileId: globalId('Listing', randomUUID()) });
    expect(res.status).toBeLessThan(500);
    expect(res.body.errors?.length).toBeGreaterThan(0);
    expect(res.body.errors?.every((error) => error.extensions?.code === 'BAD_USER_INPUT')).toBe(true);
  });
});
