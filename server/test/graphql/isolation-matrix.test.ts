// Issue 9, parts 1 and 6: isolation proven through GraphQL, the matrix of test/sql/rls-isolation
// one layer up. One real server; fresh identities for every kind of caller: the owner, a VIEW
// grantee, an EDIT grantee, a stranger, an admin, a grantee whose share was revoked, and no one
// (anonymous). The owner makes one of everything through the API: two listings in a collection and
// one in none, two scoring profiles, two valuation rulesets, the collection with its two items and
// its shares. Every other signed-in caller owns a listing, a profile, a ruleset and a collection,
// so "your own" is never trivially empty and scores are computed under the caller's own profile.
//
// OPERATIONS holds every Query and Mutation field of these domains and the fields other modules add
// to their types (Listing.score, Collection.items, …), each with the exact answer for every caller.
// A refused write is checked against the superuser's snapshot of every row the owner or the caller
// owns (nothing may change), and a NOT_FOUND must be exactly the answer a made-up id gets (no
// existence oracle). A write that succeeds runs on throwaway state, so the rows stay independent:
// creates are deleted again at once, and changes to the owner's objects run on a sandbox (a fresh
// owner with the same objects, shared with the same grantees), deleted after the last case.
//
// A walk over the schema's root types fails on any Query or Mutation field that is neither in
// OPERATIONS nor in EXCLUDED (with its reason), so a new field cannot go without its matrix row.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it, type ExpectStatic } from 'vitest';
import { schema } from '#src/graphql/schema.js';
import { MODEL_TABLES } from '../support/datamodel.js';
import { connectAs, databaseOf, withDatabase } from '../support/sql.js';
import { gql, newIdentity, startTestServer, type GraphQLResponse, type TestServer } from '../support/server.js';
import { WEBHOOK_SECRET } from '../support/webhooks.js';

// ── callers and what they own ────────────────────────────────────────────────────────────────

const CALLERS = ['owner', 'viewGrantee', 'editGrantee', 'stranger', 'admin', 'revokedGrantee', 'anonymous'] as const;
type Caller = (typeof CALLERS)[number];
type SignedIn = Exclude<Caller, 'anonymous'>;
const SIGNED_IN = CALLERS.filter((caller): caller is SignedIn => caller !== 'anonymous');
/** First names, and the start of their addresses: lower-case, as shares store addresses. */
const IDENTITY_NAMES: Record<SignedIn, string> = {
  owner: 'owner',
  viewGrantee: 'viewer',
  editGrantee: 'editor',
  stranger: 'stranger',
  admin: 'admin',
  revokedGrantee: 'revoked',
};

/** Global ids of a caller's own objects. */
interface Own {
  listing: string;
  profile: string;
  ruleset: string;
  collection: string;
}

interface Person {
  name: string;
  email: string;
  /** null: anonymous. */
  token: string | null;
  userId: string | null;
  /** Global id of their User. */
  user: string | null;
  own: Own | null;
}

/** What an owner made through the API (global ids): the objects the matrix reads and writes. */
interface Fixture {
  owner: Person;
  /** In the collection (price 500, 16 GB RAM): grantees read it. */
  listing: string;
  /** In the collection too (its second item). */
  secondListing: string;
  /** In no collection: the owner's alone. */
  privateListing: string;
  /** The default profile (price only). */
  profile: string;
  /** Not the default (RAM only). */
  otherProfile: string;
  /** The active ruleset (RAM below 32 GB: add 100). */
  ruleset: string;
  /** Not active. */
  otherRuleset: string;
  collection: string;
  /** The listing, position 0, with a note. */
  item: string;
  /** The second listing, position 1. */
  secondItem: string;
  viewShare: string;
  editShare: string;
  /** The owner's personal API key (READ). */
  apiKey: string;
}

let server: TestServer;
let superuser: pg.Client;
const people = {} as Record<Caller, Person>;
let main: Fixture;
/** Users the sandboxes made: deleted, with everything of theirs, after the last case. */
const sandboxOwners: string[] = [];
/** Tables with an owner_id column: where a refused write could have left a trace. */
let ownedTables: string[];

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const decode = (global: string) => {
  const [typename, id] = Buffer.from(global, 'base64').toString().split(':');
  return { typename: typename!, id: id! };
};
const rawId = (global: string) => decode(global).id;
const tableOf = (global: string) => {
  const { typename } = decode(global);
  const model = MODEL_TABLES.find((m) => m.model === typename);
  if (!model) throw new Error(`no table for ${typename}`);
  return model.table;
};
const settled = () => server.app.localWebhooks!.idle();
const ownOf = (me: Person): Own => {
  if (!me.own) throw new Error(`${me.name} owns nothing`);
  return me.own;
};

async function call<T = Record<string, unknown>>(who: Person, document: string, variables: Record<string, unknown>) {
  return gql<T>(server, who.token, document, variables);
}

/** Runs a document that must succeed; its data. */
async function must<T = Record<string, unknown>>(who: Person, document: string, variables: Record<string, unknown>) {
  const res = await call<T>(who, document, variables);
  if (res.body.errors) throw new Error(`${who.name}: ${JSON.stringify(res.body.errors)}`);
  return res.body.data!;
}

async function person(name: string): Promise<Person> {
  const { email, token } = await newIdentity(server, name);
  const res = await gql<{ viewer: { id: string } }>(server, token, '{ viewer { id } }');
  const user = res.body.data!.viewer.id;
  return { name, email, token, userId: rawId(user), user, own: null };
}

const PRICE_ONLY = { price: 100, cpu: 0, gpu: 0, ram: 0, storage: 0, condition: 0 };
const RAM_ONLY = { price: 0, cpu: 0, gpu: 0, ram: 100, storage: 0, condition: 0 };
const ramBelow32 = (adjustment: 'ADD' | 'SUBTRACT', amount: string) => ({
  attribute: 'RAM_GB',
  operator: 'BELOW',
  number: 32,
  adjustment,
  amount,
});

const CREATE_OBJECTS = `mutation Objects(
  $l: CreateListingInput!, $l2: CreateListingInput!, $lp: CreateListingInput!,
  $p: CreateScoringProfileInput!, $p2: CreateScoringProfileInput!,
  $r: CreateValuationRulesetInput!, $r2: CreateValuationRulesetInput!, $c: CreateCollectionInput!
) {
  l: createListing(input: $l) { listing { id } }
  l2: createListing(input: $l2) { listing { id } }
  lp: createListing(input: $lp) { listing { id } }
  p: createScoringProfile(input: $p) { scoringProfile { id } }
  p2: createScoringProfile(input: $p2) { scoringProfile { id } }
  r: createValuationRuleset(input: $r) { valuationRuleset { id } }
  r2: createValuationRuleset(input: $r2) { valuationRuleset { id } }
  c: createCollection(input: $c) { collection { id } }
}`;
const FILL_AND_SHARE = `mutation Fill($c: ID!, $l: ID!, $l2: ID!, $view: String!, $edit: String!, $revoked: String!) {
  i: addCollectionItem(input: { collectionId: $c, listingId: $l, note: "first pick" }) { collectionItem { id } }
  i2: addCollectionItem(input: { collectionId: $c, listingId: $l2 }) { collectionItem { id } }
  v: shareCollection(input: { collectionId: $c, email: $view, permission: VIEW }) { collection { id } }
  e: shareCollection(input: { collectionId: $c, email: $edit, permission: EDIT }) { collection { id } }
  r: shareCollection(input: { collectionId: $c, email: $revoked, permission: VIEW }) { collection { id } }
  x: revokeCollectionShare(input: { collectionId: $c, email: $revoked }) {
    collection { shares(first: 10) { edges { node { id email } } } }
  }
}`;
const CREATE_OWN = `mutation Own(
  $l: CreateListingInput!, $p: CreateScoringProfileInput!, $r: CreateValuationRulesetInput!, $c: CreateCollectionInput!
) {
  l: createListing(input: $l) { listing { id } }
  p: createScoringProfile(input: $p) { scoringProfile { id } }
  r: createValuationRuleset(input: $r) { valuationRuleset { id } }
  c: createCollection(input: $c) { collection { id } }
}`;

const CREATE_KEY = `mutation Key($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } } }`;

type Created<K extends string> = Record<K, Record<string, { id: string }>>;
const idOf = (created: Record<string, Record<string, { id: string }>>, alias: string) =>
  Object.values(created[alias]!)[0]!.id;

/**
 * The owner's objects, shared with the VIEW and EDIT grantees, and with the revoked grantee until
 * revoked. Two requests: mutations in one document run one after another.
 */
async function makeFixture(owner: Person): Promise<Fixture> {
  const objects = await must<Created<'l' | 'l2' | 'lp' | 'p' | 'p2' | 'r' | 'r2' | 'c'>>(owner, CREATE_OBJECTS, {
    l: { title: 'in the collection', price: '500.00', ramGb: 16 },
    l2: { title: 'also in the collection', price: '900.00' },
    lp: { title: 'in no collection', price: '100.00' },
    p: { name: 'Price only', weights: PRICE_ONLY },
    p2: { name: 'RAM only', weights: RAM_ONLY },
    r: { name: 'Main', rules: [ramBelow32('ADD', '100')] },
    r2: { name: 'Other', rules: [ramBelow32('SUBTRACT', '1')] },
    c: { name: 'Matrix', description: 'shared three ways' },
  });
  const [listing, secondListing, collection] = [idOf(objects, 'l'), idOf(objects, 'l2'), idOf(objects, 'c')];
  const filled = await must<{
    i: { collectionItem: { id: string } };
    i2: { collectionItem: { id: string } };
    x: { collection: { shares: { edges: { node: { id: string; email: string } }[] } } };
  }>(owner, FILL_AND_SHARE, {
    c: collection,
    l: listing,
    l2: secondListing,
    view: people.viewGrantee.email,
    edit: people.editGrantee.email,
    revoked: people.revokedGrantee.email,
  });
  const key = await must<{ createApiKey: { apiKey: { id: string } } }>(owner, CREATE_KEY, {
    input: { name: 'matrix', scopes: ['READ'] },
  });
  const shareTo = (email: string) =>
    filled.x.collection.shares.edges.find((edge) => edge.node.email === email)!.node.id;
  const fixture: Fixture = {
    owner,
    listing,
    secondListing,
    privateListing: idOf(objects, 'lp'),
    profile: idOf(objects, 'p'),
    otherProfile: idOf(objects, 'p2'),
    ruleset: idOf(objects, 'r'),
    otherRuleset: idOf(objects, 'r2'),
    collection,
    item: filled.i.collectionItem.id,
    secondItem: filled.i2.collectionItem.id,
    viewShare: shareTo(people.viewGrantee.email),
    editShare: shareTo(people.editGrantee.email),
    apiKey: key.createApiKey.apiKey.id,
  };
  owner.own = { listing, profile: fixture.profile, ruleset: fixture.ruleset, collection };
  return fixture;
}

/** A caller's own listing, profile (RAM only, so their scores differ from the owner's), ruleset, collection. */
async function giveOwn(who: Person): Promise<void> {
  const created = await must<Created<'l' | 'p' | 'r' | 'c'>>(who, CREATE_OWN, {
    l: { title: `${who.name}'s listing`, price: '500.00', ramGb: 16 },
    p: { name: `${who.name}'s profile`, weights: RAM_ONLY },
    r: { name: `${who.name}'s ruleset`, rules: [ramBelow32('SUBTRACT', '50')] },
    c: { name: `${who.name}'s collection` },
  });
  who.own = {
    listing: idOf(created, 'l'),
    profile: idOf(created, 'p'),
    ruleset: idOf(created, 'r'),
    collection: idOf(created, 'c'),
  };
}

/**
 * A fresh owner with the same objects as the main one, shared with the same grantees: where a
 * change that succeeds runs, so it changes nothing another case looks at. (The reads, which would
 * see its shares to the grantees, run before any write; the owner and everything of theirs is
 * deleted after the last case.)
 */
async function sandbox(): Promise<Fixture> {
  const owner = await person('sandbox');
  sandboxOwners.push(owner.userId!);
  return makeFixture(owner);
}

/**
 * Every row the owner or the caller owns, in every table with an owner, and the audit events by or
 * about either, as the superuser reads them: what a refused write must leave exactly as it was.
 */
async function snapshot(owner: Person, me: Person): Promise<unknown> {
  const ids = [owner.userId, me.userId].filter((id): id is string => id !== null);
  const tables = ownedTables.map(
    (table) =>
      `'${table}', (SELECT coalesce(json_agg(t ORDER BY t.id), '[]') FROM ${table} t WHERE t.owner_id = ANY ($1::uuid[]))`,
  );
  const { rows } = await superuser.query<{ snapshot: unknown }>(
    `SELECT json_build_object(${tables.join(', ')},
       'audit_events', (SELECT coalesce(json_agg(a ORDER BY a.id), '[]') FROM audit_events a
                        WHERE a.actor_id = ANY ($1::uuid[]) OR a.subject_user_id = ANY ($1::uuid[]))) AS snapshot`,
    [ids],
  );
  return rows[0]!.snapshot;
}

/** The fixture with every id replaced by a made-up one of the same type. */
function madeUp(t: Fixture): Fixture {
  const replaced = Object.entries(t).map(([key, value]) => [
    key,
    typeof value === 'string' ? globalId(decode(value).typename, randomUUID()) : value,
  ]);
  return Object.fromEntries(replaced) as Fixture;
}

// ── outcomes ─────────────────────────────────────────────────────────────────────────────────

type ErrorCode = 'NOT_FOUND' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'BAD_USER_INPUT';
type Expected = (t: Fixture, me: Person) => unknown;
type Outcome = { label: string; data: Expected } | { label: ErrorCode; error: ErrorCode };

const answer = (label: string, data: Expected): Outcome => ({ label, data });
const NOT_FOUND: Outcome = { label: 'NOT_FOUND', error: 'NOT_FOUND' };
const FORBIDDEN: Outcome = { label: 'FORBIDDEN', error: 'FORBIDDEN' };
const UNAUTHENTICATED: Outcome = { label: 'UNAUTHENTICATED', error: 'UNAUTHENTICATED' };
const BAD_USER_INPUT: Outcome = { label: 'BAD_USER_INPUT', error: 'BAD_USER_INPUT' };

/** The Clerk (local) session id of a person's token: each person here has signed in exactly once. */
const sessionIdOf = (who: Person) =>
  (JSON.parse(Buffer.from(who.token!.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid;

const GRANTEES = ['viewGrantee', 'editGrantee'] as const;
const NOT_THE_OWNER = ['viewGrantee', 'editGrantee', 'stranger', 'admin', 'revokedGrantee'] as const;

/** An outcome for each signed-in caller: `given` where named, else `rest`. */
function outcomes(given: Partial<Record<SignedIn, Outcome>>, rest: Outcome): Record<SignedIn, Outcome> {
  return {
    owner: given.owner ?? rest,
    viewGrantee: given.viewGrantee ?? rest,
    editGrantee: given.editGrantee ?? rest,
    stranger: given.stranger ?? rest,
    admin: given.admin ?? rest,
    revokedGrantee: given.revokedGrantee ?? rest,
  };
}

/** `ok` for the callers named, `refused` for the others. */
function only(callers: readonly SignedIn[], ok: Outcome, refused: Outcome): Record<SignedIn, Outcome> {
  return outcomes(Object.fromEntries(callers.map((caller) => [caller, ok])), refused);
}

/** Refusals of a change to the owner's listings, profiles or rulesets: everyone else is NOT_FOUND. */
const ownersAlone = (ok: Outcome) => only(['owner'], ok, NOT_FOUND);
/**
 * Refusals of a change to the owner's collection: those who can read it (the grantees, the admin)
 * are FORBIDDEN, those who cannot NOT_FOUND.
 */
const collectionOwnersAlone = (ok: Outcome, editorToo = false) =>
  outcomes({ owner: ok, editGrantee: editorToo ? ok : FORBIDDEN, viewGrantee: FORBIDDEN, admin: FORBIDDEN }, NOT_FOUND);

// ── the operations ───────────────────────────────────────────────────────────────────────────

interface Operation {
  /** What it covers: Query.x, Mutation.y, or a field another module adds to a type (Listing.score). */
  field: string;
  variant?: string;
  document: string;
  variables?: (t: Fixture, me: Person) => Record<string, unknown>;
  /** Per signed-in caller; anonymous callers are UNAUTHENTICATED everywhere. */
  expect: Record<SignedIn, Outcome>;
  /**
   * Writes: a refusal must change nothing. 'create' makes a new row of the caller's (its global id
   * is `created(data)`), deleted again afterwards; 'change' succeeds only on a sandbox.
   */
  write?: 'create' | 'change';
  created?: (data: Record<string, unknown>) => string;
  /** A delete that succeeded: the row that must be gone. */
  gone?: (t: Fixture) => string;
  /** Makes an answer canonical where its order is not what this matrix is about. */
  normalize?: (data: Record<string, unknown>) => unknown;
}

type Target =
  'listing' | 'privateListing' | 'profile' | 'ruleset' | 'collection' | 'item' | 'viewShare' | 'ownerUser' | 'apiKey';
const idFor = (t: Fixture, target: Target) => (target === 'ownerUser' ? t.owner.user! : t[target]);

/** Who reads each of the owner's objects by id (admins read everything through their own policies). */
const READERS: Record<Target, readonly SignedIn[]> = {
  listing: ['owner', 'viewGrantee', 'editGrantee', 'admin'],
  privateListing: ['owner', 'admin'],
  profile: ['owner', 'admin'],
  ruleset: ['owner', 'admin'],
  collection: ['owner', 'viewGrantee', 'editGrantee', 'admin'],
  item: ['owner', 'viewGrantee', 'editGrantee', 'admin'],
  // A grantee reads their own share, never another grantee's.
  viewShare: ['owner', 'viewGrantee', 'admin'],
  ownerUser: ['owner', 'admin'],
  // A key is personal: only its owner reads it by id, admins included (graphql/nodes.ts loadOnlyOwnNodes).
  apiKey: ['owner'],
};
const TARGETS = Object.keys(READERS) as Target[];

const connection = (nodes: unknown[]) => ({ totalCount: nodes.length, edges: nodes.map((node) => ({ node })) });
const byId = (a: { node: { id: string } }, b: { node: { id: string } }) => a.node.id.localeCompare(b.node.id);

const NODE = `query Node($id: ID!) { node(id: $id) { id __typename } }`;
const OF_COLLECTION = (selection: string) =>
  `query Collection($id: ID!) { node(id: $id) { ... on Collection { ${selection} } } }`;

const SCORE = `query Score($listing: ID!, $own: ID!, $profile: ID!) {
  shared: listing(id: $listing) { score viaOwners: score(profileId: $profile) }
  own: listing(id: $own) { viaOwners: score(profileId: $profile) }
}`;
const VALUATION = `query Valuation($listing: ID!, $own: ID!, $ruleset: ID!) {
  shared: listing(id: $listing) { valuation { value delta ruleset { id } } viaOwners: valuation(rulesetId: $ruleset) { value } }
  own: listing(id: $own) { viaOwners: valuation(rulesetId: $ruleset) { value } }
}`;

/** The caller's own listing, or the fixture's private one for anonymous callers. */
const ownListing = (t: Fixture, me: Person) => me.own?.listing ?? t.privateListing;

const READS: Operation[] = [
  {
    // Events about a user: the viewer's own; on someone else's User (only an admin reads one), theirs.
    // Counted by type: the owner shared the collection three times (actor and subject: the owner).
    field: 'User.auditEvents',
    document: `query Activity($id: ID!) {
      viewer { auditEvents(first: 100) { edges { node { type } } } }
      node(id: $id) { ... on User { auditEvents(first: 100) { edges { node { type } } } } }
    }`,
    variables: (t) => ({ id: t.owner.user! }),
    normalize: (data) => {
      type Events = { auditEvents: { edges: { node: { type: string } }[] } };
      const shares = (events: Events) =>
        events.auditEvents.edges.filter((edge) => edge.node.type === 'collection.shared').length;
      const node = data.node as Events | null;
      return { own: shares(data.viewer as Events), about: node ? shares(node) : null };
    },
    expect: outcomes(
      {
        owner: answer('their three shares, on both', () => ({ own: 3, about: 3 })),
        admin: answer('none of their own; the owner’s three on the owner’s User', () => ({ own: 0, about: 3 })),
      },
      answer('none of their own; no such User', () => ({ own: 0, about: null })),
    ),
  },
  {
    field: 'Query.auditEvents',
    document: `query Log($subject: ID!) {
      auditEvents(filter: { subjectId: $subject, type: "collection.shared" }, first: 10) {
        totalCount edges { node { type actor { id } subject { id } } }
      }
    }`,
    variables: (t) => ({ subject: t.owner.user! }),
    expect: only(
      ['admin'],
      answer('the owner’s three shares', (t) => ({
        auditEvents: connection(
          Array.from({ length: 3 }, () => ({
            type: 'collection.shared',
            actor: { id: t.owner.user },
            subject: { id: t.owner.user },
          })),
        ),
      })),
      FORBIDDEN,
    ),
  },
  {
    // The viewer's own keys; on someone else's User (only an admin reads one), none of theirs.
    field: 'User.apiKeys',
    document: `query Keys($id: ID!) {
      viewer { apiKeys(first: 10) { totalCount edges { node { id name scopes } } } }
      node(id: $id) { ... on User { apiKeys(first: 10) { totalCount } } }
    }`,
    variables: (t) => ({ id: t.owner.user! }),
    expect: outcomes(
      {
        owner: answer('their key, on both', (t) => ({
          viewer: { apiKeys: connection([{ id: t.apiKey, name: 'matrix', scopes: ['READ'] }]) },
          node: { apiKeys: { totalCount: 1 } },
        })),
        admin: answer('none of their own; none on the owner’s User', () => ({
          viewer: { apiKeys: connection([]) },
          node: { apiKeys: { totalCount: 0 } },
        })),
      },
      answer('none of their own; no such User', () => ({ viewer: { apiKeys: connection([]) }, node: null })),
    ),
  },
  {
    field: 'Query.listings',
    document: `{ listings(first: 100) { totalCount edges { node { id } } } }`,
    // Which rows, not their order (listings.test.ts and listing-order.test.ts have that).
    normalize: (data) => {
      const listings = data.listings as { totalCount: number; edges: { node: { id: string } }[] };
      return { listings: { ...listings, edges: [...listings.edges].sort(byId) } };
    },
    expect: outcomes(
      {
        owner: answer('the owner’s three', (t) => ({
          listings: {
            totalCount: 3,
            edges: [t.listing, t.secondListing, t.privateListing].map((id) => ({ node: { id } })).sort(byId),
          },
        })),
      },
      answer('their own one only', (_t, me) => ({ listings: connection([{ id: ownOf(me).listing }]) })),
    ),
  },
  {
    field: 'Query.listing',
    variant: 'in the shared collection',
    document: `query Listing($id: ID!) { listing(id: $id) { id title } }`,
    variables: (t) => ({ id: t.listing }),
    expect: only(
      READERS.listing,
      answer('the listing', (t) => ({ listing: { id: t.listing, title: 'in the collection' } })),
      answer('null', () => ({ listing: null })),
    ),
  },
  {
    field: 'Query.listing',
    variant: 'in no collection',
    document: `query Listing($id: ID!) { listing(id: $id) { id title } }`,
    variables: (t) => ({ id: t.privateListing }),
    expect: only(
      READERS.privateListing,
      answer('the listing', (t) => ({ listing: { id: t.privateListing, title: 'in no collection' } })),
      answer('null', () => ({ listing: null })),
    ),
  },
  ...TARGETS.map((target): Operation => ({
    field: 'Query.node',
    variant: target,
    document: NODE,
    variables: (t) => ({ id: idFor(t, target) }),
    expect: only(
      READERS[target],
      answer('the node', (t) => ({ node: { id: idFor(t, target), __typename: decode(idFor(t, target)).typename } })),
      answer('null', () => ({ node: null })),
    ),
  })),
  {
    field: 'Query.nodes',
    variant: 'every object of the owner’s at once',
    document: `query Nodes($ids: [ID!]!) { nodes(ids: $ids) { id } }`,
    variables: (t) => ({ ids: TARGETS.map((target) => idFor(t, target)) }),
    expect: Object.fromEntries(
      SIGNED_IN.map((caller) => [
        caller,
        answer(TARGETS.filter((target) => READERS[target].includes(caller)).join(', ') || 'all null', (t) => ({
          nodes: TARGETS.map((target) => (READERS[target].includes(caller) ? { id: idFor(t, target) } : null)),
        })),
      ]),
    ) as Record<SignedIn, Outcome>,
  },
  {
    field: 'Query.scoringProfiles',
    document: `{ scoringProfiles(first: 100) { totalCount edges { node { id isDefault } } } }`,
    expect: outcomes(
      {
        owner: answer('the owner’s two, the default first', (t) => ({
          scoringProfiles: connection([
            { id: t.profile, isDefault: true },
            { id: t.otherProfile, isDefault: false },
          ]),
        })),
      },
      answer('their own one only', (_t, me) => ({
        scoringProfiles: connection([{ id: ownOf(me).profile, isDefault: true }]),
      })),
    ),
  },
  {
    field: 'Query.defaultScoringProfile',
    document: `{ defaultScoringProfile { id } }`,
    expect: outcomes(
      {},
      answer('their own', (_t, me) => ({ defaultScoringProfile: { id: ownOf(me).profile } })),
    ),
  },
  {
    field: 'Query.valuationRulesets',
    document: `{ valuationRulesets(first: 100) { totalCount edges { node { id isActive } } } }`,
    expect: outcomes(
      {
        owner: answer('the owner’s two, the active first', (t) => ({
          valuationRulesets: connection([
            { id: t.ruleset, isActive: true },
            { id: t.otherRuleset, isActive: false },
          ]),
        })),
      },
      answer('their own one only', (_t, me) => ({
        valuationRulesets: connection([{ id: ownOf(me).ruleset, isActive: true }]),
      })),
    ),
  },
  {
    field: 'Query.activeValuationRuleset',
    document: `{ activeValuationRuleset { id } }`,
    expect: outcomes(
      {},
      answer('their own', (_t, me) => ({ activeValuationRuleset: { id: ownOf(me).ruleset } })),
    ),
  },
  {
    field: 'Query.collections',
    document: `{ collections(first: 100) { totalCount edges { node { id viewerPermission } } } }`,
    expect: outcomes(
      {},
      answer('their own one only', (_t, me) => ({
        collections: connection([{ id: ownOf(me).collection, viewerPermission: 'OWNER' }]),
      })),
    ),
  },
  {
    field: 'Query.sharedCollections',
    document: `{ sharedCollections(first: 100) { totalCount edges { node { id viewerPermission ownerName } } } }`,
    expect: outcomes(
      {
        viewGrantee: answer('the collection, VIEW', (t) => ({
          sharedCollections: connection([{ id: t.collection, viewerPermission: 'VIEW', ownerName: 'owner Tester' }]),
        })),
        editGrantee: answer('the collection, EDIT', (t) => ({
          sharedCollections: connection([{ id: t.collection, viewerPermission: 'EDIT', ownerName: 'owner Tester' }]),
        })),
      },
      answer('empty', () => ({ sharedCollections: connection([]) })),
    ),
  },
  {
    // A score is the viewer's: under their own default profile, never under someone else's.
    field: 'Listing.score',
    document: SCORE,
    variables: (t, me) => ({ listing: t.listing, own: ownListing(t, me), profile: t.profile }),
    expect: outcomes(
      {
        owner: answer('50 under the owner’s profile', () => ({
          shared: { score: 50, viaOwners: 50 },
          own: { viaOwners: 50 },
        })),
        ...Object.fromEntries(
          [...GRANTEES, 'admin'].map((caller) => [
            caller,
            answer('25 under their own profile; null under the owner’s', () => ({
              shared: { score: 25, viaOwners: null },
              own: { viaOwners: null },
            })),
          ]),
        ),
      },
      answer('no listing; null under the owner’s profile', () => ({ shared: null, own: { viaOwners: null } })),
    ),
  },
  {
    // A valuation is the viewer's: under their own active ruleset, never under someone else's.
    field: 'Listing.valuation',
    document: VALUATION,
    variables: (t, me) => ({ listing: t.listing, own: ownListing(t, me), ruleset: t.ruleset }),
    expect: outcomes(
      {
        owner: answer('600 under the owner’s ruleset', (t) => ({
          shared: {
            valuation: { value: '600.00', delta: '100.00', ruleset: { id: t.ruleset } },
            viaOwners: { value: '600.00' },
          },
          own: { viaOwners: { value: '600.00' } },
        })),
        ...Object.fromEntries(
          [...GRANTEES, 'admin'].map((caller) => [
            caller,
            answer('450 under their own ruleset; null under the owner’s', (_t: Fixture, me: Person) => ({
              shared: {
                valuation: { value: '450.00', delta: '-50.00', ruleset: { id: ownOf(me).ruleset } },
                viaOwners: null,
              },
              own: { viaOwners: null },
            })),
          ]),
        ),
      },
      answer('no listing; null under the owner’s ruleset', () => ({ shared: null, own: { viaOwners: null } })),
    ),
  },
  {
    field: 'Collection.viewerPermission',
    document: OF_COLLECTION('viewerPermission ownerName itemCount'),
    variables: (t) => ({ id: t.collection }),
    expect: outcomes(
      {
        owner: answer('OWNER', () => ({
          node: { viewerPermission: 'OWNER', ownerName: 'owner Tester', itemCount: 2 },
        })),
        viewGrantee: answer('VIEW', () => ({
          node: { viewerPermission: 'VIEW', ownerName: 'owner Tester', itemCount: 2 },
        })),
        editGrantee: answer('EDIT', () => ({
          node: { viewerPermission: 'EDIT', ownerName: 'owner Tester', itemCount: 2 },
        })),
        // An admin reads every collection, and may do no more than read it.
        admin: answer('VIEW', () => ({ node: { viewerPermission: 'VIEW', ownerName: 'owner Tester', itemCount: 2 } })),
      },
      answer('null', () => ({ node: null })),
    ),
  },
  {
    field: 'Collection.items',
    document: OF_COLLECTION(
      'items(first: 10) { totalCount edges { node { id position note addedByViewer listing { id } } } }',
    ),
    variables: (t) => ({ id: t.collection }),
    expect: only(
      READERS.collection,
      answer('both items with their listings', (t, me) => ({
        node: {
          items: connection([
            { id: t.item, position: 0, note: 'first pick', addedByViewer: me === t.owner, listing: { id: t.listing } },
            {
              id: t.secondItem,
              position: 1,
              note: null,
              addedByViewer: me === t.owner,
              listing: { id: t.secondListing },
            },
          ]),
        },
      })),
      answer('null', () => ({ node: null })),
    ),
  },
  {
    // The owner's alone: a grantee never learns who else it is shared with, nor does an admin here.
    field: 'Collection.shares',
    document: OF_COLLECTION('shares(first: 10) { totalCount edges { node { id email permission } } }'),
    variables: (t) => ({ id: t.collection }),
    expect: outcomes(
      {
        owner: answer('the VIEW and the EDIT share', (t) => ({
          node: {
            shares: connection([
              { id: t.viewShare, email: people.viewGrantee.email, permission: 'VIEW' },
              { id: t.editShare, email: people.editGrantee.email, permission: 'EDIT' },
            ]),
          },
        })),
        viewGrantee: answer('empty', () => ({ node: { shares: connection([]) } })),
        editGrantee: answer('empty', () => ({ node: { shares: connection([]) } })),
        admin: answer('empty', () => ({ node: { shares: connection([]) } })),
      },
      answer('null', () => ({ node: null })),
    ),
    // Shares come oldest first; the two were made within the same millisecond or two.
    normalize: (data) => {
      const node = data.node as { shares: { edges: { node: { email: string } }[] } } | null;
      if (!node) return data;
      const edges = [...node.shares.edges].sort((a, b) =>
        a.node.email === people.viewGrantee.email ? -1 : b.node.email === people.viewGrantee.email ? 1 : 0,
      );
      return { node: { shares: { ...node.shares, edges } } };
    },
  },
  {
    // Sessions are their owner's alone: everyone sees their own one, on the owner's User only the owner
    // sees the owner's (an admin reads that User, and null for its sessions).
    field: 'User.sessions',
    document: `query Sessions($id: ID!) {
      viewer { sessions { id current } }
      node(id: $id) { ... on User { sessions { id } } }
    }`,
    variables: (t) => ({ id: t.owner.user! }),
    expect: outcomes(
      {
        owner: answer('their one session, on both', (t) => ({
          viewer: { sessions: [{ id: sessionIdOf(t.owner), current: true }] },
          node: { sessions: [{ id: sessionIdOf(t.owner) }] },
        })),
        admin: answer('their own session; null on the owner’s User', (_t, me) => ({
          viewer: { sessions: [{ id: sessionIdOf(me), current: true }] },
          node: { sessions: null },
        })),
      },
      answer('their own session; no such User', (_t, me) => ({
        viewer: { sessions: [{ id: sessionIdOf(me), current: true }] },
        node: null,
      })),
    ),
  },
  {
    // Preferences are read under the User they belong to: the two defaults are that user's, whoever asks.
    field: 'User.preferences',
    document: `query Preferences($id: ID!) {
      viewer { preferences { app { theme defaultScoringProfile { id } defaultValuationRuleset { id } } } }
      node(id: $id) { ... on User { preferences { app { defaultScoringProfile { id } } } } }
    }`,
    variables: (t) => ({ id: t.owner.user! }),
    expect: outcomes(
      {
        owner: answer('their own default profile, on both', (t) => ({
          viewer: {
            preferences: {
              app: {
                theme: 'SYSTEM',
                defaultScoringProfile: { id: t.profile },
                defaultValuationRuleset: { id: t.ruleset },
              },
            },
          },
          node: { preferences: { app: { defaultScoringProfile: { id: t.profile } } } },
        })),
        admin: answer('their own; the owner’s on the owner’s User', (t, me) => ({
          viewer: {
            preferences: {
              app: {
                theme: 'SYSTEM',
                defaultScoringProfile: { id: ownOf(me).profile },
                defaultValuationRuleset: { id: ownOf(me).ruleset },
              },
            },
          },
          node: { preferences: { app: { defaultScoringProfile: { id: t.profile } } } },
        })),
      },
      answer('their own; no such User', (_t, me) => ({
        viewer: {
          preferences: {
            app: {
              theme: 'SYSTEM',
              defaultScoringProfile: { id: ownOf(me).profile },
              defaultValuationRuleset: { id: ownOf(me).ruleset },
            },
          },
        },
        node: null,
      })),
    ),
  },
  // ── tenant settings ──
  // Global, not anyone's data: every signed-in caller reads the same (defaults: nothing here sets them;
  // test/graphql/tenant-settings.test.ts changes them on a database of its own).
  {
    field: 'Query.tenantSettings',
    document: `query { tenantSettings { signupsEnabled maxApiKeysPerUser collectionSharingEnabled } }`,
    expect: outcomes(
      {},
      answer('the defaults', () => ({
        tenantSettings: { signupsEnabled: true, maxApiKeysPerUser: 10, collectionSharingEnabled: true },
      })),
    ),
  },
  // ── admin users ──
  // Admins only (a session): everyone else FORBIDDEN, API keys included (test/graphql/admin-users.test.ts).
  {
    field: 'Query.users',
    document: `query Users($search: String) { users(search: $search, first: 5) { totalCount edges { node { id } } } }`,
    variables: (t) => ({ search: t.owner.email }),
    expect: only(
      ['admin'],
      answer('the owner', (t) => ({ users: connection([{ id: t.owner.user }]) })),
      FORBIDDEN,
    ),
  },
  {
    field: 'Query.user',
    document: `query User($id: ID!) { user(id: $id) { id status } }`,
    variables: (t) => ({ id: t.owner.user }),
    expect: only(
      ['admin'],
      answer('the owner', (t) => ({ user: { id: t.owner.user, status: 'ACTIVE' } })),
      FORBIDDEN,
    ),
  },
];

const WRITES: Operation[] = [
  // ── profile and preferences ──
  // The caller's own profile and preferences: every signed-in caller changes their own, nothing else (no
  // sandbox: nothing of the owner's changes; the owner's names and theme are not read after the reads).
  {
    field: 'Mutation.updateProfile',
    document: `mutation Profile($input: UpdateProfileInput!) {
      updateProfile(input: $input) { user { id firstName lastName } }
    }`,
    variables: (_t, me) => ({ input: { firstName: `renamed ${me.name}`, lastName: 'Tester' } }),
    expect: outcomes(
      {},
      answer('themselves, renamed', (_t, me) => ({
        updateProfile: { user: { id: me.user, firstName: `renamed ${me.name}`, lastName: 'Tester' } },
      })),
    ),
  },
  {
    field: 'Mutation.updateProfileImage',
    document: `mutation Image($input: UpdateProfileImageInput!) { updateProfileImage(input: $input) { user { id avatarUrl } } }`,
    variables: () => ({ input: { contentType: 'image/gif', data: Buffer.from('GIF89a matrix').toString('base64') } }),
    expect: outcomes(
      {},
      answer('themselves, with the avatar', (_t, me) => ({
        updateProfileImage: {
          user: { id: me.user, avatarUrl: expect.stringMatching(/\/__local-auth\/images\/user_/) },
        },
      })),
    ),
  },
  {
    field: 'Mutation.removeProfileImage',
    document: `mutation { removeProfileImage { user { id avatarUrl } } }`,
    expect: outcomes(
      {},
      answer('themselves, without an avatar', (_t, me) => ({
        removeProfileImage: { user: { id: me.user, avatarUrl: null } },
      })),
    ),
  },
  {
    field: 'Mutation.updatePreferences',
    variant: 'their own theme',
    document: `mutation Preferences($input: UpdatePreferencesInput!) {
      updatePreferences(input: $input) { user { id preferences { app { theme } } } }
    }`,
    variables: () => ({ input: { app: { theme: 'DARK' } } }),
    expect: outcomes(
      {},
      answer('themselves, dark', (_t, me) => ({
        updatePreferences: { user: { id: me.user, preferences: { app: { theme: 'DARK' } } } },
      })),
    ),
  },
  {
    // The owner's other profile as one's own default: only the owner may (through the scoring module's write).
    field: 'Mutation.updatePreferences',
    variant: 'the owner’s profile as default',
    document: `mutation Preferences($input: UpdatePreferencesInput!) {
      updatePreferences(input: $input) { user { preferences { app { defaultScoringProfile { id } } } } }
    }`,
    variables: (t) => ({ input: { app: { defaultScoringProfileId: t.otherProfile, currency: 'EUR' } } }),
    write: 'change',
    expect: ownersAlone(
      answer('the other profile is their default', (t) => ({
        updatePreferences: { user: { preferences: { app: { defaultScoringProfile: { id: t.otherProfile } } } } },
      })),
    ),
  },
  {
    field: 'Mutation.updatePreferences',
    variant: 'the owner’s ruleset as default',
    document: `mutation Preferences($input: UpdatePreferencesInput!) {
      updatePreferences(input: $input) { user { preferences { app { defaultValuationRuleset { id } } } } }
    }`,
    variables: (t) => ({
      input: { app: { defaultValuationRulesetId: t.otherRuleset }, notifications: { weeklyDigest: true } },
    }),
    write: 'change',
    expect: ownersAlone(
      answer('the other ruleset is their default', (t) => ({
        updatePreferences: { user: { preferences: { app: { defaultValuationRuleset: { id: t.otherRuleset } } } } },
      })),
    ),
  },
  // ── API keys ──
  {
    field: 'Mutation.createApiKey',
    document: `mutation Create($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id name scopes } } }`,
    variables: (_t, me) => ({ input: { name: `created by ${me.name}`, scopes: ['READ'] } }),
    write: 'create',
    created: (data) => (data.createApiKey as { apiKey: { id: string } }).apiKey.id,
    expect: outcomes(
      {},
      answer('their own new key', (_t, me) => ({
        createApiKey: { apiKey: { id: expect.any(String), name: `created by ${me.name}`, scopes: ['READ'] } },
      })),
    ),
  },
  {
    // The owner's alone: an admin, who reads every key, revokes only their own.
    field: 'Mutation.revokeApiKey',
    document: `mutation Revoke($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { apiKey { id revokedAt } } }`,
    variables: (t) => ({ input: { id: t.apiKey } }),
    write: 'change',
    expect: ownersAlone(
      answer('the revoked key', (t) => ({ revokeApiKey: { apiKey: { id: t.apiKey, revokedAt: expect.any(String) } } })),
    ),
  },
  // ── listings ──
  {
    field: 'Mutation.createListing',
    document: `mutation Create($input: CreateListingInput!) { createListing(input: $input) { listing { id title price } } }`,
    variables: (_t, me) => ({ input: { title: `created by ${me.name}`, price: '10.00' } }),
    write: 'create',
    created: (data) => (data.createListing as { listing: { id: string } }).listing.id,
    expect: outcomes(
      {},
      answer('their own new listing', (_t, me) => ({
        createListing: { listing: { id: expect.any(String), title: `created by ${me.name}`, price: '10.00' } },
      })),
    ),
  },
  {
    field: 'Mutation.updateListing',
    document: `mutation Update($id: ID!, $input: UpdateListingInput!) { updateListing(id: $id, input: $input) { listing { id title } } }`,
    variables: (t, me) => ({ id: t.listing, input: { title: `changed by ${me.name}` } }),
    write: 'change',
    // The grantees read this listing, yet may not change it: NOT_FOUND, as for anyone not its owner.
    expect: ownersAlone(
      answer('the changed listing', (t, me) => ({
        updateListing: { listing: { id: t.listing, title: `changed by ${me.name}` } },
      })),
    ),
  },
  {
    field: 'Mutation.deleteListing',
    document: `mutation Delete($id: ID!) { deleteListing(id: $id) { deletedListingId } }`,
    variables: (t) => ({ id: t.listing }),
    write: 'change',
    gone: (t) => t.listing,
    expect: ownersAlone(answer('its id', (t) => ({ deleteListing: { deletedListingId: t.listing } }))),
  },
  // ── scoring ──
  {
    field: 'Mutation.createScoringProfile',
    document: `mutation Create($input: CreateScoringProfileInput!) {
      createScoringProfile(input: $input) { scoringProfile { id name isDefault } }
    }`,
    variables: (_t, me) => ({ input: { name: `created by ${me.name}`, weights: PRICE_ONLY } }),
    write: 'create',
    created: (data) => (data.createScoringProfile as { scoringProfile: { id: string } }).scoringProfile.id,
    expect: outcomes(
      {},
      answer('their own new profile (not their default: they have one)', (_t, me) => ({
        createScoringProfile: {
          scoringProfile: { id: expect.any(String), name: `created by ${me.name}`, isDefault: false },
        },
      })),
    ),
  },
  {
    field: 'Mutation.updateScoringProfile',
    document: `mutation Update($input: UpdateScoringProfileInput!) { updateScoringProfile(input: $input) { scoringProfile { id name } } }`,
    variables: (t, me) => ({ input: { id: t.profile, name: `renamed by ${me.name}` } }),
    write: 'change',
    expect: ownersAlone(
      answer('the renamed profile', (t, me) => ({
        updateScoringProfile: { scoringProfile: { id: t.profile, name: `renamed by ${me.name}` } },
      })),
    ),
  },
  {
    field: 'Mutation.setDefaultScoringProfile',
    document: `mutation SetDefault($input: SetDefaultScoringProfileInput!) {
      setDefaultScoringProfile(input: $input) { scoringProfile { id isDefault } }
    }`,
    // The profile that is not the default yet: a refusal that changed it would show.
    variables: (t) => ({ input: { id: t.otherProfile } }),
    write: 'change',
    expect: ownersAlone(
      answer('the new default', (t) => ({
        setDefaultScoringProfile: { scoringProfile: { id: t.otherProfile, isDefault: true } },
      })),
    ),
  },
  {
    field: 'Mutation.deleteScoringProfile',
    document: `mutation Delete($input: DeleteScoringProfileInput!) {
      deleteScoringProfile(input: $input) { deletedScoringProfileId defaultScoringProfile { id } }
    }`,
    variables: (t) => ({ input: { id: t.profile } }),
    write: 'change',
    gone: (t) => t.profile,
    expect: ownersAlone(
      answer('its id; the other profile is promoted', (t) => ({
        deleteScoringProfile: { deletedScoringProfileId: t.profile, defaultScoringProfile: { id: t.otherProfile } },
      })),
    ),
  },
  // ── valuation ──
  {
    field: 'Mutation.createValuationRuleset',
    document: `mutation Create($input: CreateValuationRulesetInput!) {
      createValuationRuleset(input: $input) { valuationRuleset { id name isActive } }
    }`,
    variables: (_t, me) => ({ input: { name: `created by ${me.name}`, rules: [ramBelow32('ADD', '5')] } }),
    write: 'create',
    created: (data) => (data.createValuationRuleset as { valuationRuleset: { id: string } }).valuationRuleset.id,
    expect: outcomes(
      {},
      answer('their own new ruleset (not active: they have one)', (_t, me) => ({
        createValuationRuleset: {
          valuationRuleset: { id: expect.any(String), name: `created by ${me.name}`, isActive: false },
        },
      })),
    ),
  },
  {
    field: 'Mutation.updateValuationRuleset',
    document: `mutation Update($input: UpdateValuationRulesetInput!) {
      updateValuationRuleset(input: $input) { valuationRuleset { id name } }
    }`,
    variables: (t, me) => ({ input: { id: t.ruleset, name: `renamed by ${me.name}` } }),
    write: 'change',
    expect: ownersAlone(
      answer('the renamed ruleset', (t, me) => ({
        updateValuationRuleset: { valuationRuleset: { id: t.ruleset, name: `renamed by ${me.name}` } },
      })),
    ),
  },
  {
    field: 'Mutation.activateValuationRuleset',
    document: `mutation Activate($input: ActivateValuationRulesetInput!) {
      activateValuationRuleset(input: $input) { valuationRuleset { id isActive } }
    }`,
    // The ruleset that is not active yet: a refusal that changed it would show.
    variables: (t) => ({ input: { id: t.otherRuleset } }),
    write: 'change',
    expect: ownersAlone(
      answer('the newly active ruleset', (t) => ({
        activateValuationRuleset: { valuationRuleset: { id: t.otherRuleset, isActive: true } },
      })),
    ),
  },
  {
    field: 'Mutation.deleteValuationRuleset',
    document: `mutation Delete($input: DeleteValuationRulesetInput!) {
      deleteValuationRuleset(input: $input) { deletedValuationRulesetId activeValuationRuleset { id } }
    }`,
    variables: (t) => ({ input: { id: t.ruleset } }),
    write: 'change',
    gone: (t) => t.ruleset,
    expect: ownersAlone(
      answer('its id; the other ruleset is activated', (t) => ({
        deleteValuationRuleset: {
          deletedValuationRulesetId: t.ruleset,
          activeValuationRuleset: { id: t.otherRuleset },
        },
      })),
    ),
  },
  // ── collections ──
  {
    field: 'Mutation.createCollection',
    document: `mutation Create($input: CreateCollectionInput!) {
      createCollection(input: $input) { collection { id name viewerPermission itemCount } }
    }`,
    variables: (_t, me) => ({ input: { name: `created by ${me.name}` } }),
    write: 'create',
    created: (data) => (data.createCollection as { collection: { id: string } }).collection.id,
    expect: outcomes(
      {},
      answer('their own new collection', (_t, me) => ({
        createCollection: {
          collection: {
            id: expect.any(String),
            name: `created by ${me.name}`,
            viewerPermission: 'OWNER',
            itemCount: 0,
          },
        },
      })),
    ),
  },
  {
    field: 'Mutation.updateCollection',
    document: `mutation Update($input: UpdateCollectionInput!) { updateCollection(input: $input) { collection { id name } } }`,
    variables: (t, me) => ({ input: { id: t.collection, name: `renamed by ${me.name}` } }),
    write: 'change',
    expect: collectionOwnersAlone(
      answer('the renamed collection', (t, me) => ({
        updateCollection: { collection: { id: t.collection, name: `renamed by ${me.name}` } },
      })),
    ),
  },
  {
    field: 'Mutation.deleteCollection',
    document: `mutation Delete($input: DeleteCollectionInput!) { deleteCollection(input: $input) { deletedCollectionId } }`,
    variables: (t) => ({ input: { id: t.collection } }),
    write: 'change',
    gone: (t) => t.collection,
    expect: collectionOwnersAlone(
      answer('its id', (t) => ({ deleteCollection: { deletedCollectionId: t.collection } })),
    ),
  },
  {
    field: 'Mutation.addCollectionItem',
    document: `mutation Add($input: AddCollectionItemInput!) {
      addCollectionItem(input: $input) {
        collection { id itemCount }
        collectionItem { position addedByViewer listing { id } }
      }
    }`,
    // The owner adds their listing in no collection; anyone else their own listing.
    variables: (t, me) => ({
      input: { collectionId: t.collection, listingId: me === t.owner ? t.privateListing : ownListing(t, me) },
    }),
    write: 'change',
    expect: collectionOwnersAlone(
      answer('the new item, last', (t, me) => ({
        addCollectionItem: {
          collection: { id: t.collection, itemCount: 3 },
          collectionItem: {
            position: 2,
            addedByViewer: true,
            listing: { id: me === t.owner ? t.privateListing : ownOf(me).listing },
          },
        },
      })),
      true,
    ),
  },
  {
    field: 'Mutation.removeCollectionItem',
    document: `mutation Remove($input: RemoveCollectionItemInput!) {
      removeCollectionItem(input: $input) { removedCollectionItemId collection { id itemCount } }
    }`,
    variables: (t) => ({ input: { itemId: t.item } }),
    write: 'change',
    gone: (t) => t.item,
    expect: collectionOwnersAlone(
      answer('its id; one item left', (t) => ({
        removeCollectionItem: { removedCollectionItemId: t.item, collection: { id: t.collection, itemCount: 1 } },
      })),
      true,
    ),
  },
  {
    field: 'Mutation.updateCollectionItem',
    document: `mutation Note($input: UpdateCollectionItemInput!) { updateCollectionItem(input: $input) { collectionItem { id note } } }`,
    variables: (t, me) => ({ input: { itemId: t.item, note: `noted by ${me.name}` } }),
    write: 'change',
    expect: collectionOwnersAlone(
      answer('the item with the note', (t, me) => ({
        updateCollectionItem: { collectionItem: { id: t.item, note: `noted by ${me.name}` } },
      })),
      true,
    ),
  },
  {
    field: 'Mutation.moveCollectionItem',
    document: `mutation Move($input: MoveCollectionItemInput!) {
      moveCollectionItem(input: $input) { collectionItem { id position } }
    }`,
    // The second item to the front: a refusal that moved it would show.
    variables: (t) => ({ input: { itemId: t.secondItem, position: 0 } }),
    write: 'change',
    expect: collectionOwnersAlone(
      answer('the item, first', (t) => ({ moveCollectionItem: { collectionItem: { id: t.secondItem, position: 0 } } })),
      true,
    ),
  },
  {
    field: 'Mutation.shareCollection',
    document: `mutation Share($input: ShareCollectionInput!) {
      shareCollection(input: $input) { collection { id shares(first: 10) { totalCount } } }
    }`,
    // Anyone but the owner tries to grant themselves EDIT; the owner shares with a new address.
    variables: (t, me) => ({
      input: {
        collectionId: t.collection,
        email: me === t.owner ? `new-${randomUUID()}@example.test` : me.email,
        permission: 'EDIT',
      },
    }),
    write: 'change',
    expect: collectionOwnersAlone(
      answer('the collection, now with three shares', (t) => ({
        shareCollection: { collection: { id: t.collection, shares: { totalCount: 3 } } },
      })),
    ),
  },
  {
    field: 'Mutation.revokeCollectionShare',
    document: `mutation Revoke($input: RevokeCollectionShareInput!) {
      revokeCollectionShare(input: $input) { collection { id shares(first: 10) { totalCount } } }
    }`,
    // The VIEW grantee's share: for them, leaving through the owner's mutation is refused too.
    variables: (t) => ({ input: { collectionId: t.collection, email: people.viewGrantee.email } }),
    write: 'change',
    gone: (t) => t.viewShare,
    expect: collectionOwnersAlone(
      answer('the collection, one share left', (t) => ({
        revokeCollectionShare: { collection: { id: t.collection, shares: { totalCount: 1 } } },
      })),
    ),
  },
  // ── sessions ──
  {
    // The owner's own session: for the owner it is the current one (sign out instead); for everyone
    // else another user's, NOT_FOUND. No case revokes a session, so every token keeps working.
    field: 'Mutation.revokeSession',
    document: `mutation Revoke($input: RevokeSessionInput!) { revokeSession(input: $input) { sessionId } }`,
    variables: (t) => ({ input: { sessionId: sessionIdOf(t.owner) } }),
    write: 'change',
    expect: only(['owner'], BAD_USER_INPUT, NOT_FOUND),
  },
  // ── tenant settings ──
  {
    // Admins only (a session); the value is the default already, so the admin's answer changes nothing.
    field: 'Mutation.updateTenantSettings',
    document: `mutation Settings($input: UpdateTenantSettingsInput!) {
      updateTenantSettings(input: $input) { tenantSettings { maxApiKeysPerUser } }
    }`,
    variables: () => ({ input: { maxApiKeysPerUser: 10 } }),
    expect: only(
      ['admin'],
      answer('unchanged', () => ({ updateTenantSettings: { tenantSettings: { maxApiKeysPerUser: 10 } } })),
      FORBIDDEN,
    ),
  },
  // ── admin users ──
  // Admins only (a session); the guards, Clerk and the audit events: test/graphql/admin-actions.test.ts.
  {
    // The owner's role is USER already: the admin's answer changes nothing.
    field: 'Mutation.setUserRole',
    document: `mutation Role($input: SetUserRoleInput!) { setUserRole(input: $input) { user { id role } } }`,
    variables: (t) => ({ input: { userId: t.owner.user, role: 'USER' } }),
    write: 'change',
    expect: only(
      ['admin'],
      answer('unchanged', (t) => ({ setUserRole: { user: { id: t.owner.user, role: 'USER' } } })),
      FORBIDDEN,
    ),
  },
  {
    field: 'Mutation.deactivateUser',
    document: `mutation Deactivate($input: DeactivateUserInput!) { deactivateUser(input: $input) { user { id active } } }`,
    variables: (t) => ({ input: { userId: t.owner.user, reason: 'matrix' } }),
    write: 'change',
    expect: only(
      ['admin'],
      answer('the sandbox owner, deactivated', (t) => ({
        deactivateUser: { user: { id: t.owner.user, active: false } },
      })),
      FORBIDDEN,
    ),
  },
  {
    // The owner is active: the admin's answer changes nothing.
    field: 'Mutation.reactivateUser',
    document: `mutation Reactivate($input: ReactivateUserInput!) { reactivateUser(input: $input) { user { id active } } }`,
    variables: (t) => ({ input: { userId: t.owner.user } }),
    write: 'change',
    expect: only(
      ['admin'],
      answer('unchanged', (t) => ({ reactivateUser: { user: { id: t.owner.user, active: true } } })),
      FORBIDDEN,
    ),
  },
];

const OPERATIONS = [...READS, ...WRITES];

/** Root fields this matrix leaves to other tests, and why. */
const EXCLUDED: Record<string, string> = {
  // The caller's own user row: there is nobody else's data in it to isolate (test/auth covers it).
  'Query.viewer': 'the caller themselves',
};

// ── the matrix ───────────────────────────────────────────────────────────────────────────────

interface Case {
  name: string;
  op: Operation;
  caller: Caller;
  outcome: Outcome;
}

const casesOf = (ops: Operation[]): Case[] =>
  ops.flatMap((op) =>
    CALLERS.map((caller) => {
      const outcome = caller === 'anonymous' ? UNAUTHENTICATED : op.expect[caller];
      const what = op.variant ? `${op.field} (${op.variant})` : op.field;
      return { name: `${what} as ${caller}: ${outcome.label}`, op, caller, outcome };
    }),
  );

async function rowExists(global: string): Promise<boolean> {
  const table = tableOf(global);
  const { rowCount } = await superuser.query(`SELECT 1 FROM ${table} WHERE id = $1`, [rawId(global)]);
  return rowCount === 1;
}

/** A successful answer: exactly the expected data; a create's row is the caller's (then deleted). */
async function expectAnswer(
  expect: ExpectStatic,
  { op, outcome }: Case,
  res: GraphQLResponse,
  t: Fixture,
  me: Person,
  expected: Expected,
): Promise<void> {
  expect(res.status).toBe(200);
  const data = res.body.data ?? null;
  expect({ ...res.body, data: data && op.normalize ? op.normalize(data) : data }, outcome.label).toEqual({
    data: expected(t, me),
  });
  if (op.gone) expect(await rowExists(op.gone(t)), 'the row is gone').toBe(false);
  if (op.created) {
    const created = op.created(res.body.data!);
    const { rows } = await superuser.query<{ owner_id: string }>(
      `DELETE FROM ${tableOf(created)} WHERE id = $1 RETURNING owner_id`,
      [rawId(created)],
    );
    expect(rows, 'the new row is the caller’s').toEqual([{ owner_id: me.userId }]);
  }
}

/** A refusal: the code, no data; NOT_FOUND exactly as for a made-up id; a refused write changed nothing. */
async function expectRefusal(
  expect: ExpectStatic,
  { op }: Case,
  res: GraphQLResponse,
  me: Person,
  code: ErrorCode,
): Promise<void> {
  expect(res.status).toBe(code === 'UNAUTHENTICATED' ? 401 : 200);
  // One error per root field the document asks for, each with the code.
  expect(res.body.errors?.map((error) => error.extensions?.code)).toEqual(
    Object.keys(res.body.data ?? { one: null }).map(() => code),
  );
  // Nothing resolved: data is null, or (a nullable field) holds only nulls.
  expect(Object.values(res.body.data ?? {}).filter((value) => value !== null)).toEqual([]);
  if (code === 'NOT_FOUND') {
    const missing = await call(me, op.document, op.variables?.(madeUp(main), me) ?? {});
    expect(missing.body, 'the same answer as for ids that do not exist').toEqual(res.body);
  }
}

/** `expect` is the test's own: the reads run concurrently. */
async function runCase(c: Case, expect: ExpectStatic): Promise<void> {
  const { op, caller, outcome } = c;
  const succeeds = 'data' in outcome;
  // A change that succeeds runs on a sandbox; everything else on the main fixture.
  const t = succeeds && op.write === 'change' ? await sandbox() : main;
  const me = caller === 'owner' ? t.owner : people[caller];
  const before = op.write && !succeeds ? await snapshot(t.owner, me) : undefined;
  const res = await call(me, op.document, op.variables?.(t, me) ?? {});
  if ('data' in outcome) await expectAnswer(expect, c, res, t, me, outcome.data);
  else await expectRefusal(expect, c, res, me, outcome.error);
  if (before !== undefined) expect(await snapshot(t.owner, me), 'nothing changed').toEqual(before);
}

beforeAll(async () => {
  server = await startTestServer({ CLERK_WEBHOOK_SIGNING_SECRET: WEBHOOK_SECRET });
  const { url, superuserUrl } = inject('database');
  superuser = await connectAs(withDatabase(superuserUrl, databaseOf(url)));
  ownedTables = (
    await superuser.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.columns
       WHERE table_schema = 'public' AND column_name = 'owner_id' ORDER BY table_name`,
    )
  ).rows.map((row) => row.table_name);

  for (const caller of CALLERS) {
    people[caller] =
      caller === 'anonymous'
        ? { name: 'anonymous', email: 'anonymous@example.test', token: null, userId: null, user: null, own: null }
        : await person(IDENTITY_NAMES[caller]);
  }
  // Their user.created webhooks (verified addresses) have arrived: shares bind at once, and no
  // late delivery changes a row while a snapshot is compared.
  await settled();
  await superuser.query(`UPDATE users SET role = 'ADMIN' WHERE id = $1`, [people.admin.userId]);
  main = await makeFixture(people.owner);
  for (const caller of NOT_THE_OWNER) await giveOwn(people[caller]);
  await settled();
});

afterAll(async () => {
  // The sandboxes' user.created webhooks first, so no late delivery brings a user back; then the
  // sandbox owners, and with them (ON DELETE CASCADE) all they made and shared.
  if (server) await settled();
  await superuser?.query(`DELETE FROM users WHERE id = ANY ($1::uuid[])`, [sandboxOwners]);
  await server?.close();
  await superuser?.end();
});

describe('the matrix covers the schema', () => {
  const rootFields = [schema.getQueryType(), schema.getMutationType()].flatMap((type) =>
    Object.keys(type?.getFields() ?? {}).map((name) => `${type!.name}.${name}`),
  );
  const covered = new Set(OPERATIONS.map((op) => op.field));

  it('every Query and Mutation field is in the matrix or excluded with a reason', () => {
    expect(rootFields.filter((field) => !covered.has(field) && !(field in EXCLUDED))).toEqual([]);
  });

  it('every field the matrix or the exclusions name exists (no stale rows)', () => {
    const exists = (field: string) => {
      const [typeName, fieldName] = field.split('.') as [string, string];
      const type = schema.getType(typeName);
      return type !== undefined && 'getFields' in type && fieldName in type.getFields();
    };
    expect([...covered, ...Object.keys(EXCLUDED)].filter((field) => !exists(field))).toEqual([]);
  });

  it('every operation names an outcome for every kind of caller', () => {
    const missing = OPERATIONS.flatMap((op) =>
      SIGNED_IN.filter((caller) => !op.expect[caller]).map((caller) => `${op.field} ${op.variant ?? ''} ${caller}`),
    );
    expect(missing).toEqual([]);
  });
});

// Reads change nothing, so they run a few at a time; all of them before any write.
describe('reads', () => {
  for (const c of casesOf(READS)) it.concurrent(c.name, ({ expect }) => runCase(c, expect));
});

// One at a time: a create by a caller must not land inside another case's snapshot of their rows.
describe('writes', () => {
  for (const c of casesOf(WRITES)) it(c.name, () => runCase(c, expect));
});
