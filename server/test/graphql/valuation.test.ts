// Issue 9, part 3: valuation rulesets through GraphQL — CRUD, the one-active invariant, rule
// validation (BAD_USER_INPUT at the bad field's path, nothing stored), strangers (NOT_FOUND,
// nothing changes) and Listing.valuation. People are fresh identities (test files share one
// database); the superuser connection is the independent witness of what the database holds.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectAs, databaseOf, withDatabase } from '../support/sql.js';
import { gql, newIdentity, startTestServer, type GraphQLResponse, type TestServer } from '../support/server.js';

interface Person {
  token: string;
  userId: string;
}

interface RulesetRow {
  id: string;
  owner_id: string;
  name: string;
  rules: unknown;
  is_active: boolean;
  updated_at: Date;
}

interface Ruleset {
  id: string;
  name: string;
  isActive: boolean;
  updatedAt: string;
  rules: Record<string, unknown>[];
}

let server: TestServer;
let superuser: pg.Client;

const RULESET = `id name isActive createdAt updatedAt
  rules { attribute operator number text condition adjustment amount factor label description }`;
const CREATE = `mutation Create($input: CreateValuationRulesetInput!) {
  createValuationRuleset(input: $input) { valuationRuleset { ${RULESET} } }
}`;
const UPDATE = `mutation Update($input: UpdateValuationRulesetInput!) {
  updateValuationRuleset(input: $input) { valuationRuleset { ${RULESET} } }
}`;
const ACTIVATE = `mutation Activate($input: ActivateValuationRulesetInput!) {
  activateValuationRuleset(input: $input) { valuationRuleset { id isActive } }
}`;
const DELETE = `mutation Delete($input: DeleteValuationRulesetInput!) {
  deleteValuationRuleset(input: $input) { deletedValuationRulesetId activeValuationRuleset { id name } }
}`;
const LIST = `query List($first: Int, $after: String) {
  valuationRulesets(first: $first, after: $after) {
    totalCount
    edges { node { id name isActive } }
    pageInfo { hasNextPage endCursor }
  }
  activeValuationRuleset { id name }
}`;
const VALUATIONS = `query Valuations($rulesetId: ID) {
  listings(first: 10) {
    edges { node { id title price valuation(rulesetId: $rulesetId) {
      value delta ruleset { id name }
      appliedRules { index description rule { attribute adjustment label } }
    } } }
  }
}`;

/** The demo seed's rules (seed.ts), as a client sends them. */
const SEED_RULES = [
  { attribute: 'RAM_GB', operator: 'BELOW', number: 16, adjustment: 'SUBTRACT', amount: '30' },
  { attribute: 'RAM_GB', operator: 'ABOVE', number: 31, adjustment: 'ADD', amount: '40.00' },
  { attribute: 'CONDITION', operator: 'EQUALS', condition: 'FOR_PARTS', adjustment: 'MULTIPLY', factor: '0.30' },
  { attribute: 'GPU', operator: 'CONTAINS', text: 'RTX', adjustment: 'ADD', amount: '75', label: 'RTX premium' },
];
const VALID_RULE = SEED_RULES[0]!;

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const rawId = (global: string) => Buffer.from(global, 'base64').toString().split(':')[1]!;
const codeOf = (res: GraphQLResponse<unknown>) => res.body.errors?.[0]?.extensions?.code;
const issuesOf = (res: GraphQLResponse<unknown>) => res.body.errors?.[0]?.extensions?.issues;

async function person(name: string): Promise<Person> {
  const { token } = await newIdentity(server, name);
  const res = await gql<{ viewer: { id: string } }>(server, token, '{ viewer { id } }');
  return { token, userId: rawId(res.body.data!.viewer.id) };
}

async function create(who: Person, input: Record<string, unknown>) {
  return gql<{ createValuationRuleset: { valuationRuleset: Ruleset } }>(server, who.token, CREATE, { input });
}

async function created(who: Person, input: Record<string, unknown>): Promise<Ruleset> {
  const res = await create(who, input);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.createValuationRuleset.valuationRuleset;
}

async function rows(who: Person): Promise<RulesetRow[]> {
  const result = await superuser.query<RulesetRow>(
    `SELECT id, owner_id, name, rules, is_active, updated_at FROM valuation_rulesets WHERE owner_id = $1 ORDER BY created_at, id`,
    [who.userId],
  );
  return result.rows;
}

async function row(global: string): Promise<RulesetRow | undefined> {
  const result = await superuser.query<RulesetRow>(
    `SELECT id, owner_id, name, rules, is_active, updated_at FROM valuation_rulesets WHERE id = $1`,
    [rawId(global)],
  );
  return result.rows[0];
}

/** Names of the owner's active rulesets, as the database holds them. */
async function activeNames(who: Person): Promise<string[]> {
  return (await rows(who)).filter((r) => r.is_active).map((r) => r.name);
}

async function createListing(who: Person, input: Record<string, unknown>): Promise<string> {
  const res = await gql<{ createListing: { listing: { id: string } } }>(
    server,
    who.token,
    `mutation ($input: CreateListingInput!) { createListing(input: $input) { listing { id } } }`,
    { input },
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.createListing.listing.id;
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

describe('creating rulesets', () => {
  it('stores typed rules in the stored shape and shows them flat, with sentences; the first is active', async () => {
    const alice = await person('alice');
    const ruleset = await created(alice, { name: '  Default  ', rules: SEED_RULES });
    expect(ruleset).toMatchObject({ name: 'Default', isActive: true });
    expect(ruleset.rules).toEqual([
      {
        attribute: 'RAM_GB',
        operator: 'BELOW',
        number: 16,
        text: null,
        condition: null,
        adjustment: 'SUBTRACT',
        amount: '30.00',
        factor: null,
        label: null,
        description: 'RAM below 16 GB: subtract 30.00',
      },
      expect.objectContaining({
        number: 31,
        adjustment: 'ADD',
        amount: '40.00',
        description: 'RAM above 31 GB: add 40.00',
      }),
      expect.objectContaining({
        condition: 'FOR_PARTS',
        adjustment: 'MULTIPLY',
        amount: null,
        factor: '0.3',
        description: 'Condition is for parts: multiply by 0.3',
      }),
      expect.objectContaining({ text: 'rtx', label: 'RTX premium', description: 'GPU contains "rtx": add 75.00' }),
    ]);
    expect(await row(ruleset.id)).toMatchObject({
      owner_id: alice.userId,
      name: 'Default',
      is_active: true,
      rules: [
        { when: { attribute: 'RAM_GB', operator: 'BELOW', value: 16 }, adjust: { kind: 'SUBTRACT', amount: '30.00' } },
        { when: { attribute: 'RAM_GB', operator: 'ABOVE', value: 31 }, adjust: { kind: 'ADD', amount: '40.00' } },
        {
          when: { attribute: 'CONDITION', operator: 'EQUALS', value: 'FOR_PARTS' },
          adjust: { kind: 'MULTIPLY', factor: '0.3' },
        },
        {
          when: { attribute: 'GPU', operator: 'CONTAINS', value: 'rtx' },
          adjust: { kind: 'ADD', amount: '75.00' },
          label: 'RTX premium',
        },
      ],
    });
  });

  it('a later ruleset is inactive unless asked; `active: true` takes over, one active at a time', async () => {
    const alice = await person('alice');
    await created(alice, { name: 'first', rules: [] });
    expect(await created(alice, { name: 'second', rules: [], active: false })).toMatchObject({ isActive: false });
    expect(await created(alice, { name: 'third', rules: [VALID_RULE], active: true })).toMatchObject({
      isActive: true,
    });
    expect(await activeNames(alice)).toEqual(['third']);
  });
});

describe('listing rulesets', () => {
  it('the active one first, then by name; pages with first/after; activeValuationRuleset', async () => {
    const carol = await person('carol');
    for (const name of ['delta', 'alpha', 'charlie']) await created(carol, { name, rules: [] });
    await created(carol, { name: 'bravo', rules: [] });
    type List = {
      valuationRulesets: {
        totalCount: number;
        edges: { node: { name: string; isActive: boolean } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
      activeValuationRuleset: { name: string } | null;
    };
    const first = await gql<List>(server, carol.token, LIST, { first: 2 });
    expect(first.body.errors).toBeUndefined();
    const second = await gql<List>(server, carol.token, LIST, {
      first: 2,
      after: first.body.data!.valuationRulesets.pageInfo.endCursor,
    });
    const names = [first, second].flatMap((res) => res.body.data!.valuationRulesets.edges.map((e) => e.node.name));
    expect(names).toEqual(['delta', 'alpha', 'bravo', 'charlie']);
    expect(first.body.data!.valuationRulesets).toMatchObject({ totalCount: 4, pageInfo: { hasNextPage: true } });
    expect(second.body.data!.valuationRulesets.pageInfo.hasNextPage).toBe(false);
    expect(first.body.data!.activeValuationRuleset).toEqual({ id: expect.any(String), name: 'delta' });
  });

  it('someone without rulesets has an empty list and no active ruleset', async () => {
    const dave = await person('dave');
    const res = await gql(server, dave.token, LIST);
    expect(res.body).toEqual({
      data: {
        valuationRulesets: { totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } },
        activeValuationRuleset: null,
      },
    });
  });
});

describe('updating, activating and deleting', () => {
  it('updateValuationRuleset renames, replaces the rules, and touches updatedAt; omitted fields stay', async () => {
    const alice = await person('alice');
    const ruleset = await created(alice, { name: 'before', rules: SEED_RULES });
    const renamed = await gql<{ updateValuationRuleset: { valuationRuleset: Ruleset } }>(server, alice.token, UPDATE, {
      input: { id: ruleset.id, name: 'after' },
    });
    expect(renamed.body.errors).toBeUndefined();
    expect(renamed.body.data!.updateValuationRuleset.valuationRuleset).toMatchObject({
      name: 'after',
      rules: ruleset.rules,
    });
    expect(Date.parse(renamed.body.data!.updateValuationRuleset.valuationRuleset.updatedAt)).toBeGreaterThan(
      Date.parse(ruleset.updatedAt),
    );

    const replaced = await gql(server, alice.token, UPDATE, {
      input: {
        id: ruleset.id,
        rules: [{ attribute: 'CPU', operator: 'CONTAINS', text: 'i7', adjustment: 'ADD', amount: '5' }],
      },
    });
    expect(replaced.body.errors).toBeUndefined();
    expect(await row(ruleset.id)).toMatchObject({
      name: 'after',
      is_active: true,
      rules: [
        { when: { attribute: 'CPU', operator: 'CONTAINS', value: 'i7' }, adjust: { kind: 'ADD', amount: '5.00' } },
      ],
    });
  });

  it('an update with nothing to change is BAD_USER_INPUT', async () => {
    const alice = await person('alice');
    const ruleset = await created(alice, { name: 'x', rules: [] });
    const res = await gql(server, alice.token, UPDATE, { input: { id: ruleset.id } });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.message).toBe('Nothing to update');
  });

  it('activateValuationRuleset moves the active mark; activating the active one changes nothing', async () => {
    const alice = await person('alice');
    const a = await created(alice, { name: 'a', rules: [] });
    const b = await created(alice, { name: 'b', rules: [] });
    const res = await gql(server, alice.token, ACTIVATE, { input: { id: b.id } });
    expect(res.body).toEqual({
      data: { activateValuationRuleset: { valuationRuleset: { id: b.id, isActive: true } } },
    });
    expect(await activeNames(alice)).toEqual(['b']);

    const before = await row(b.id);
    const again = await gql(server, alice.token, ACTIVATE, { input: { id: b.id } });
    expect(again.body.errors).toBeUndefined();
    expect(await row(b.id)).toEqual(before);
    expect((await row(a.id))?.is_active).toBe(false);
  });

  it('deleting the active ruleset activates the most recently updated remaining one', async () => {
    const alice = await person('alice');
    const a = await created(alice, { name: 'a', rules: [] });
    const b = await created(alice, { name: 'b', rules: [] });
    const c = await created(alice, { name: 'c', rules: [] });
    // b is touched last among the inactive ones; then a (the active one) goes.
    await gql(server, alice.token, UPDATE, { input: { id: b.id, name: 'b2' } });
    const res = await gql(server, alice.token, DELETE, { input: { id: a.id } });
    expect(res.body).toEqual({
      data: {
        deleteValuationRuleset: { deletedValuationRulesetId: a.id, activeValuationRuleset: { id: b.id, name: 'b2' } },
      },
    });
    expect(await row(a.id)).toBeUndefined();
    expect(await activeNames(alice)).toEqual(['b2']);

    // Deleting an inactive one leaves the active one alone.
    const inactive = await gql(server, alice.token, DELETE, { input: { id: c.id } });
    expect(inactive.body.data).toEqual({
      deleteValuationRuleset: { deletedValuationRulesetId: c.id, activeValuationRuleset: { id: b.id, name: 'b2' } },
    });
    // The last one: nothing is left to activate.
    const last = await gql(server, alice.token, DELETE, { input: { id: b.id } });
    expect(last.body.data).toEqual({
      deleteValuationRuleset: { deletedValuationRulesetId: b.id, activeValuationRuleset: null },
    });
    expect(await rows(alice)).toEqual([]);
  });

  it('concurrent creates and activations still leave exactly one active ruleset', async () => {
    const erin = await person('erin');
    const made = await Promise.all(
      ['one', 'two', 'three', 'four', 'five'].map((name) => create(erin, { name, rules: [] })),
    );
    for (const res of made) expect(res.body.errors).toBeUndefined();
    expect(await activeNames(erin)).toHaveLength(1);

    const ids = made.map((res) => res.body.data!.createValuationRuleset.valuationRuleset.id);
    const activated = await Promise.all(ids.map((id) => gql(server, erin.token, ACTIVATE, { input: { id } })));
    for (const res of activated) expect(res.body.errors).toBeUndefined();
    expect(await activeNames(erin)).toHaveLength(1);
  });
});

describe('invalid rules', () => {
  const rule = (overrides: Record<string, unknown>) => ({ ...VALID_RULE, ...overrides });
  // [case, input, the issues]: each is BAD_USER_INPUT and stores nothing.
  const invalid: [string, Record<string, unknown>, { path: string; message: string }[]][] = [
    [
      'a RAM rule without its threshold',
      { name: 'x', rules: [VALID_RULE, rule({ number: null })] },
      [{ path: 'input.rules.1.number', message: 'RAM threshold is required' }],
    ],
    [
      'a negative threshold',
      { name: 'x', rules: [rule({ number: -1 })] },
      [{ path: 'input.rules.0.number', message: 'RAM threshold cannot be negative' }],
    ],
    [
      'a storage rule with ABOVE',
      { name: 'x', rules: [VALID_RULE, VALID_RULE, rule({ attribute: 'STORAGE_GB', operator: 'ABOVE' })] },
      [{ path: 'input.rules.2.operator', message: 'A storage rule compares with BELOW' }],
    ],
    [
      'a CPU rule with two words',
      { name: 'x', rules: [rule({ attribute: 'CPU', operator: 'CONTAINS', number: null, text: 'core i7' })] },
      [{ path: 'input.rules.0.text', message: 'CPU word must be a single word of letters and digits' }],
    ],
    [
      'a GPU rule with a pattern for a word',
      { name: 'x', rules: [rule({ attribute: 'GPU', operator: 'CONTAINS', number: null, text: '.*' })] },
      [{ path: 'input.rules.0.text', message: 'GPU word must be a single word of letters and digits' }],
    ],
    [
      'a condition rule without its condition',
      { name: 'x', rules: [rule({ attribute: 'CONDITION', operator: 'EQUALS', number: null })] },
      [{ path: 'input.rules.0.condition', message: 'Condition is required' }],
    ],
    [
      'a RAM rule with text as well',
      { name: 'x', rules: [rule({ text: 'rtx' })] },
      [{ path: 'input.rules.0.text', message: 'A RAM rule takes number, not text' }],
    ],
    [
      'ADD with a factor instead of an amount',
      { name: 'x', rules: [rule({ adjustment: 'ADD', amount: null, factor: '2' })] },
      [
        { path: 'input.rules.0.amount', message: 'Amount is required' },
        { path: 'input.rules.0.factor', message: 'ADD takes amount, not factor' },
      ],
    ],
    [
      'a zero amount',
      { name: 'x', rules: [rule({ amount: '0' })] },
      [{ path: 'input.rules.0.amount', message: 'Amount must be more than 0 and at most 1,000,000' }],
    ],
    [
      'a negative amount',
      { name: 'x', rules: [rule({ amount: '-5' })] },
      [{ path: 'input.rules.0.amount', message: 'Amount must be more than 0 and at most 1,000,000' }],
    ],
    [
      'a factor of 0',
      { name: 'x', rules: [rule({ adjustment: 'MULTIPLY', amount: null, factor: '0' })] },
      [{ path: 'input.rules.0.factor', message: 'Factor must be more than 0 and at most 100' }],
    ],
    [
      'a factor with five decimals',
      { name: 'x', rules: [rule({ adjustment: 'MULTIPLY', amount: null, factor: '1.00001' })] },
      [
        {
          path: 'input.rules.0.factor',
          message: 'Factor must be a number with at most four decimal places, like "1.1"',
        },
      ],
    ],
    [
      'a 101-character label',
      { name: 'x', rules: [rule({ label: 'l'.repeat(101) })] },
      [{ path: 'input.rules.0.label', message: 'Label must be at most 100 characters' }],
    ],
    ['a blank name', { name: '   ', rules: [] }, [{ path: 'input.name', message: 'Name is required' }]],
    [
      '51 rules',
      { name: 'x', rules: Array(51).fill(VALID_RULE) },
      [{ path: 'input.rules', message: 'A ruleset has at most 50 rules' }],
    ],
  ];

  it.each(invalid)('%s → BAD_USER_INPUT at the path, nothing stored', async (_name, input, issues) => {
    const bob = await person('bob');
    await created(bob, { name: 'kept', rules: [] });
    const before = await rows(bob);
    const res = await create(bob, input);
    expect(res.status).toBeLessThan(500);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(issuesOf(res)).toEqual(issues);
    expect(res.body.data ?? null).toBeNull();
    expect(await rows(bob)).toEqual(before);
  });

  it('an amount the Decimal scalar refuses (three decimals) is BAD_USER_INPUT too, nothing stored', async () => {
    const bob = await person('bob');
    const res = await create(bob, { name: 'x', rules: [{ ...VALID_RULE, amount: '1.234' }] });
    expect(res.status).toBeLessThan(500);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.message).toMatch(/input\.rules\[0\]\.amount.*at most two decimal places/);
    expect(await rows(bob)).toEqual([]);
  });

  it('an invalid update changes nothing', async () => {
    const bob = await person('bob');
    const ruleset = await created(bob, { name: 'kept', rules: SEED_RULES });
    const before = await row(ruleset.id);
    const res = await gql(server, bob.token, UPDATE, {
      input: { id: ruleset.id, name: 'renamed', rules: [VALID_RULE, { ...VALID_RULE, number: 2_000_000 }] },
    });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(issuesOf(res)).toEqual([
      { path: 'input.rules.1.number', message: 'RAM threshold must be at most 1,000,000 GB' },
    ]);
    expect(await row(ruleset.id)).toEqual(before);
  });
});

describe("another user's ruleset", () => {
  let alice: Person;
  let bob: Person;
  let admin: Person;
  let alicesActive: Ruleset;
  let alicesOther: Ruleset;

  beforeAll(async () => {
    [alice, bob, admin] = [await person('alice'), await person('bob'), await person('admin')];
    await superuser.query(`UPDATE users SET role = 'ADMIN' WHERE id = $1`, [admin.userId]);
    alicesActive = await created(alice, { name: 'mine', rules: SEED_RULES });
    alicesOther = await created(alice, { name: 'other', rules: [] });
    await created(bob, { name: "bob's", rules: [] });
  });

  const attempts: [string, string, (id: string) => Record<string, unknown>][] = [
    ['updateValuationRuleset', UPDATE, (id) => ({ input: { id, name: 'pwned', rules: [] } })],
    ['activateValuationRuleset', ACTIVATE, (id) => ({ input: { id } })],
    ['deleteValuationRuleset', DELETE, (id) => ({ input: { id } })],
  ];

  it.each(attempts)(
    '%s: NOT_FOUND (never FORBIDDEN), like a missing id, and nothing changes',
    async (_name, query, vars) => {
      for (const who of [() => bob, () => admin]) {
        const before = await rows(alice);
        const res = await gql(server, who().token, query, vars(alicesOther.id));
        expect(codeOf(res)).toBe('NOT_FOUND');
        expect(res.body.errors?.[0]?.message).toBe('Valuation ruleset not found');
        expect(await rows(alice)).toEqual(before);

        const missing = await gql(server, who().token, query, vars(globalId('ValuationRuleset', randomUUID())));
        expect(missing.body.errors?.map((e) => [e.message, e.extensions?.code])).toEqual(
          res.body.errors?.map((e) => [e.message, e.extensions?.code]),
        );
      }
      expect(await activeNames(alice)).toEqual(['mine']);
    },
  );

  it('is null to node(id:) and absent from lists', async () => {
    const res = await gql(server, bob.token, `query ($id: ID!) { node(id: $id) { id } }`, { id: alicesActive.id });
    expect(res.body).toEqual({ data: { node: null } });
    const list = await gql<{ valuationRulesets: { edges: { node: { name: string } }[] } }>(server, bob.token, LIST);
    expect(list.body.data!.valuationRulesets.edges.map((e) => e.node.name)).toEqual(["bob's"]);
  });

  it('values nothing: a listing valued with it is null', async () => {
    await createListing(bob, { title: 'bob box', price: '10', ramGb: 8 });
    const res = await gql<{ listings: { edges: { node: { valuation: unknown } }[] } }>(server, bob.token, VALUATIONS, {
      rulesetId: alicesActive.id,
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.listings.edges.map((e) => e.node.valuation)).toEqual([null]);
  });
});

describe('Listing.valuation', () => {
  let alice: Person;
  let active: Ruleset;
  let storage: Ruleset;
  const listings: Record<string, string> = {};

  type Valuations = {
    listings: {
      edges: {
        node: {
          id: string;
          title: string;
          valuation: {
            value: string;
            delta: string;
            ruleset: { id: string; name: string };
            appliedRules: {
              index: number;
              description: string;
              rule: { attribute: string; adjustment: string; label: string | null };
            }[];
          } | null;
        };
      }[];
    };
  };

  const valuations = async (rulesetId?: string) => {
    const res = await gql<Valuations>(server, alice.token, VALUATIONS, rulesetId ? { rulesetId } : {});
    expect(res.body.errors).toBeUndefined();
    return Object.fromEntries(res.body.data!.listings.edges.map(({ node }) => [node.title, node.valuation]));
  };

  beforeAll(async () => {
    alice = await person('alice');
    // The demo seed's listings and ruleset, plus a bare listing and one for parts.
    const seeded = {
      tower: {
        price: '849.00',
        condition: 'USED',
        cpu: 'AMD Ryzen 7 5800X',
        gpu: 'NVIDIA RTX 3070',
        ramGb: 32,
        storageGb: 1000,
      },
      tiny: { price: '189.00', condition: 'USED', cpu: 'Intel Core i5-8500T', ramGb: 16, storageGb: 256 },
      micro: { price: '279.99', condition: 'REFURBISHED', cpu: 'Intel Core i7-10700T', ramGb: 32, storageGb: 512 },
      parts: { price: '99.99', condition: 'FOR_PARTS', ramGb: 8 },
      bare: { price: '50' },
    };
    for (const [title, input] of Object.entries(seeded))
      listings[title] = await createListing(alice, { title, ...input });
    active = await created(alice, { name: 'Default components', rules: SEED_RULES });
    storage = await created(alice, {
      name: 'Small disks',
      rules: [{ attribute: 'STORAGE_GB', operator: 'BELOW', number: 300, adjustment: 'SUBTRACT', amount: '10' }],
    });
  });

  it('under the active ruleset: value, delta against the price, and the rules that applied', async () => {
    const byTitle = await valuations();
    const ruleset = { id: active.id, name: 'Default components' };
    expect(byTitle).toEqual({
      tower: {
        value: '964.00',
        delta: '115.00',
        ruleset,
        appliedRules: [
          {
            index: 1,
            description: 'RAM above 31 GB: add 40.00',
            rule: { attribute: 'RAM_GB', adjustment: 'ADD', label: null },
          },
          {
            index: 3,
            description: 'GPU contains "rtx": add 75.00',
            rule: { attribute: 'GPU', adjustment: 'ADD', label: 'RTX premium' },
          },
        ],
      },
      tiny: { value: '189.00', delta: '0.00', ruleset, appliedRules: [] },
      micro: { value: '319.99', delta: '40.00', ruleset, appliedRules: [expect.objectContaining({ index: 1 })] },
      // 99.99 − 30.00 = 69.99; × 0.3 = 20.997 → 21.00.
      parts: {
        value: '21.00',
        delta: '-78.99',
        ruleset,
        appliedRules: [expect.objectContaining({ index: 0 }), expect.objectContaining({ index: 2 })],
      },
      bare: { value: '50.00', delta: '0.00', ruleset, appliedRules: [] },
    });
  });

  it('under a named ruleset that is not the active one', async () => {
    const byTitle = await valuations(storage.id);
    expect(byTitle.tiny).toMatchObject({ value: '179.00', delta: '-10.00', ruleset: { name: 'Small disks' } });
    expect(byTitle.tower).toMatchObject({ value: '849.00', delta: '0.00', appliedRules: [] });
    expect(byTitle.bare).toMatchObject({ value: '50.00', appliedRules: [] });
  });

  it('follows a change of the active ruleset, even later in the same request', async () => {
    type Result = Record<'a' | 'b', { listing: { valuation: { value: string; ruleset: { name: string } } } }>;
    // Mutations run in order: the active ruleset read for `a` must not be reused for `b`.
    const res = await gql<Result>(
      server,
      alice.token,
      `mutation ($input: ActivateValuationRulesetInput!, $listing: ID!) {
        a: updateListing(id: $listing, input: { notes: "1" }) { listing { valuation { value ruleset { name } } } }
        activateValuationRuleset(input: $input) { valuationRuleset { id } }
        b: updateListing(id: $listing, input: { notes: "2" }) { listing { valuation { value ruleset { name } } } }
      }`,
      { input: { id: storage.id }, listing: listings.tiny },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.a.listing.valuation).toEqual({ value: '189.00', ruleset: { name: 'Default components' } });
    expect(res.body.data!.b.listing.valuation).toEqual({ value: '179.00', ruleset: { name: 'Small disks' } });
    expect((await valuations()).tiny).toMatchObject({ value: '179.00', ruleset: { name: 'Small disks' } });
    await gql(server, alice.token, ACTIVATE, { input: { id: active.id } });
    expect((await valuations()).tiny).toMatchObject({ value: '189.00', ruleset: { name: 'Default components' } });
  });

  it('is null for someone with no active ruleset, and for an unknown ruleset id', async () => {
    const frank = await person('frank');
    await createListing(frank, { title: 'f', price: '1' });
    const none = await gql<Valuations>(server, frank.token, VALUATIONS);
    expect(none.body.data!.listings.edges.map((e) => e.node.valuation)).toEqual([null]);
    const unknown = await gql<Valuations>(server, frank.token, VALUATIONS, {
      rulesetId: globalId('ValuationRuleset', randomUUID()),
    });
    expect(unknown.body.data!.listings.edges.map((e) => e.node.valuation)).toEqual([null]);
  });

  it('an id that is not a ruleset id is a client error, never a server error', async () => {
    for (const rulesetId of ['nope', listings.tower, globalId('ValuationRuleset', 'not-a-uuid')]) {
      const res = await gql(server, alice.token, VALUATIONS, { rulesetId });
      expect(res.status).toBeLessThan(500);
      expect(res.body.errors?.length ?? 0).toBeGreaterThan(0);
      for (const error of res.body.errors ?? []) expect(error.message).not.toBe('Unexpected error.');
    }
  });
});
