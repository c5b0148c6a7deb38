// Issue 9, part 4: collections and sharing through the real server, with fresh identities: the
// owner, a stranger and an admin for the whole file, and for each shared collection its own VIEW
// grantee, EDIT grantee and grantee whose share was revoked (so no user piles up shares: the file
// shares one database with the others, and the planner's statistics with explain.test.ts). For
// every query and mutation: the answer (data, or null / NOT_FOUND / FORBIDDEN), and for refused
// writes that nothing changed, read by the superuser as the independent witness.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectAs, databaseOf, withDatabase } from '../support/sql.js';
import { gql, newIdentity, startTestServer, type GraphQLResponse, type TestServer } from '../support/server.js';
import { isPlumbing, startStatementCounter, tableOf } from '../support/statement-counter.js';
import { clerkFixture, deliver, newClerkUserId, WEBHOOK_SECRET } from '../support/webhooks.js';

interface Person {
  name: string;
  email: string;
  clerkId: string;
  token: string;
  userId: string;
}

type Grantee = 'viewer' | 'editor' | 'revoked';
type Role = 'owner' | 'stranger' | 'admin' | Grantee;

let server: TestServer;
let superuser: pg.Client;
const people = {} as Record<'owner' | 'stranger' | 'admin', Person>;
/** Global ids of listings: the owner's, the stranger's. */
let ownerListings: string[];
let strangerListing: string;

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const rawId = (global: string) => Buffer.from(global, 'base64').toString().split(':')[1]!;
const codeOf = (res: GraphQLResponse<unknown>) => res.body.errors?.[0]?.extensions?.code;
const messageOf = (res: GraphQLResponse<unknown>) => res.body.errors?.[0]?.message;
const settled = () => server.app.localWebhooks!.idle();

const CREATE = `mutation Create($input: CreateCollectionInput!) {
  createCollection(input: $input) { collection { id name description viewerPermission itemCount } }
}`;
const UPDATE = `mutation Update($input: UpdateCollectionInput!) {
  updateCollection(input: $input) { collection { id name description } }
}`;
const DELETE = `mutation Delete($input: DeleteCollectionInput!) { deleteCollection(input: $input) { deletedCollectionId } }`;
const ADD = `mutation Add($input: AddCollectionItemInput!) {
  addCollectionItem(input: $input) {
    collection { id itemCount }
    collectionItem { id position note addedByViewer listing { id title } }
  }
}`;
const REMOVE = `mutation Remove($input: RemoveCollectionItemInput!) {
  removeCollectionItem(input: $input) { removedCollectionItemId collection { id itemCount } }
}`;
const UPDATE_ITEM = `mutation UpdateItem($input: UpdateCollectionItemInput!) {
  updateCollectionItem(input: $input) { collectionItem { id note } }
}`;
const MOVE = `mutation Move($input: MoveCollectionItemInput!) {
  moveCollectionItem(input: $input) { collectionItem { id position } collection { id } }
}`;
const SHARE = `mutation Share($input: ShareCollectionInput!) { shareCollection(input: $input) { collection { id } } }`;
const REVOKE = `mutation Revoke($input: RevokeCollectionShareInput!) {
  revokeCollectionShare(input: $input) { collection { id } }
}`;
const NODE = `query Node($id: ID!) {
  node(id: $id) {
    id
    ... on Collection {
      name description ownerName viewerPermission itemCount
      items(first: 10) { totalCount edges { node { id position note addedByViewer listing { id title } } } }
      shares(first: 10) { totalCount edges { node { email permission } } }
    }
  }
}`;
const LISTS = `{
  collections(first: 100) { totalCount edges { node { id name viewerPermission } } }
  sharedCollections(first: 100) { totalCount edges { node { id name ownerName viewerPermission } } }
}`;
const LISTING = `query Listing($id: ID!) { listing(id: $id) { id title } }`;

interface NodeItem {
  id: string;
  position: number;
  note: string | null;
  addedByViewer: boolean;
  listing: { id: string; title: string };
}

interface CollectionNodeData {
  id: string;
  name: string;
  description: string | null;
  ownerName: string | null;
  viewerPermission: 'OWNER' | 'EDIT' | 'VIEW';
  itemCount: number;
  items: { totalCount: number; edges: { node: NodeItem }[] };
  shares: { totalCount: number; edges: { node: { email: string; permission: string } }[] };
}

function as<T = Record<string, unknown>>(who: Person, query: string, variables: Record<string, unknown> = {}) {
  return gql<T>(server, who.token, query, variables);
}

async function person(name: string): Promise<Person> {
  const { email, clerkId, token } = await newIdentity(server, name);
  const res = await gql<{ viewer: { id: string } }>(server, token, '{ viewer { id } }');
  return { name, email, clerkId, token, userId: rawId(res.body.data!.viewer.id) };
}

async function createListing(who: Person, title: string): Promise<string> {
  const res = await as<{ createListing: { listing: { id: string } } }>(
    who,
    `mutation($input: CreateListingInput!) { createListing(input: $input) { listing { id } } }`,
    { input: { title, price: '100.00' } },
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.createListing.listing.id;
}

async function createCollection(who: Person, name: string, description?: string): Promise<string> {
  const res = await as<{ createCollection: { collection: { id: string } } }>(who, CREATE, {
    input: { name, description },
  });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.createCollection.collection.id;
}

async function addItem(who: Person, collectionId: string, listingId: string, note?: string): Promise<string> {
  const res = await as<{ addCollectionItem: { collectionItem: { id: string } } }>(who, ADD, {
    input: { collectionId, listingId, note },
  });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.addCollectionItem.collectionItem.id;
}

async function share(who: Person, collectionId: string, email: string, permission: 'VIEW' | 'EDIT') {
  const res = await as(who, SHARE, { input: { collectionId, email, permission } });
  expect(res.body.errors).toBeUndefined();
  return res;
}

async function node(who: Person, id: string): Promise<CollectionNodeData | null> {
  const res = await as<{ node: CollectionNodeData | null }>(who, NODE, { id });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.node;
}

interface Shared extends Record<Grantee, Person> {
  /** Global ids. */
  collectionId: string;
  itemIds: string[];
  /** A listing of the editor's, in no collection yet. */
  editorListing: string;
}

/**
 * A fresh collection of the owner's holding two of their listings (with a note on the first),
 * shared with a fresh viewer (VIEW), editor (EDIT) and revoked grantee (VIEW, then revoked).
 */
async function sharedCollection(name = 'Shared'): Promise<Shared> {
  const { owner } = people;
  const [viewer, editor, revoked] = await Promise.all([person('viewer'), person('editor'), person('revoked')]);
  // Their user.created webhooks (verified addresses) have arrived: the shares bind at once.
  await settled();
  const editorListing = await createListing(editor, 'editor listing');
  const collectionId = await createCollection(owner, name, 'Deals for the trip');
  const itemIds = [
    await addItem(owner, collectionId, ownerListings[0]!, 'first pick'),
    await addItem(owner, collectionId, ownerListings[1]!),
  ];
  await share(owner, collectionId, viewer.email, 'VIEW');
  await share(owner, collectionId, editor.email, 'EDIT');
  await share(owner, collectionId, revoked.email, 'VIEW');
  const res = await as(owner, REVOKE, { input: { collectionId, email: revoked.email } });
  expect(res.body.errors).toBeUndefined();
  return { collectionId, itemIds, viewer, editor, revoked, editorListing };
}

/** Who plays `role` for a shared collection. */
function who(shared: Shared, role: Role): Person {
  return role === 'viewer' || role === 'editor' || role === 'revoked' ? shared[role] : people[role];
}

/** What the database holds for a collection, read as the superuser. */
async function snapshot(collectionId: string) {
  const id = rawId(collectionId);
  const q = async (text: string) => (await superuser.query(text, [id])).rows;
  return {
    collection: await q(`SELECT owner_id, name, description, updated_at FROM collections WHERE id = $1`),
    items: await q(
      `SELECT id, listing_id, note, position, added_by_id FROM collection_items WHERE collection_id = $1 ORDER BY position, id`,
    ),
    shares: await q(
      `SELECT grantee_email, grantee_id, permission FROM collection_shares WHERE collection_id = $1 ORDER BY grantee_email`,
    ),
  };
}

async function shareRow(collectionId: string, email: string) {
  const { rows } = await superuser.query<{ grantee_id: string | null; permission: string }>(
    `SELECT grantee_id, permission FROM collection_shares WHERE collection_id = $1 AND grantee_email = $2`,
    [rawId(collectionId), email],
  );
  return rows[0];
}

beforeAll(async () => {
  server = await startTestServer({ CLERK_WEBHOOK_SIGNING_SECRET: WEBHOOK_SECRET });
  const { url, superuserUrl } = inject('database');
  superuser = await connectAs(withDatabase(superuserUrl, databaseOf(url)));
  for (const role of ['owner', 'stranger', 'admin'] as const) people[role] = await person(role);
  // The user.created webhooks (verified addresses) have arrived before anyone shares anything.
  await settled();
  await superuser.query(`UPDATE users SET role = 'ADMIN' WHERE id = $1`, [people.admin.userId]);
  ownerListings = [
    await createListing(people.owner, 'owner 0'),
    await createListing(people.owner, 'owner 1'),
    await createListing(people.owner, 'owner 2'),
  ];
  strangerListing = await createListing(people.stranger, 'stranger 0');
});

afterAll(async () => {
  await server?.close();
  await superuser?.end();
});

describe('createCollection', () => {
  it('creates a collection of the viewer, name trimmed, blank description as none', async () => {
    const res = await as<{ createCollection: { collection: { id: string } } }>(people.owner, CREATE, {
      input: { name: '  Weekend  ', description: '   ' },
    });
    expect(res.body.data?.createCollection.collection).toEqual({
      id: expect.any(String),
      name: 'Weekend',
      description: null,
      viewerPermission: 'OWNER',
      itemCount: 0,
    });
    const { collection } = await snapshot(res.body.data!.createCollection.collection.id);
    expect(collection).toEqual([
      { owner_id: people.owner.userId, name: 'Weekend', description: null, updated_at: expect.any(Date) },
    ]);
  });

  it.each([
    ['an empty name', { name: '' }, 'input.name', 'Name is required'],
    ['a blank name', { name: '   ' }, 'input.name', 'Name is required'],
    ['a 101-character name', { name: 'n'.repeat(101) }, 'input.name', 'Name must be at most 100 characters'],
    [
      'a 1001-character description',
      { name: 'x', description: 'd'.repeat(1001) },
      'input.description',
      'Description must be at most 1000 characters',
    ],
  ])('refuses %s: BAD_USER_INPUT with the field path, nothing written', async (_name, input, path, message) => {
    const count = async () =>
      (
        await superuser.query<{ n: number }>(`SELECT count(*)::int AS n FROM collections WHERE owner_id = $1`, [
          people.stranger.userId,
        ])
      ).rows[0]!.n;
    const before = await count();
    const res = await as(people.stranger, CREATE, { input });
    expect(res.status).toBeLessThan(500);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.extensions?.issues).toEqual([{ path, message }]);
    expect(await count()).toBe(before);
  });

  it('accepts the boundaries: a 100-character name and a 1000-character description', async () => {
    const res = await as(people.stranger, CREATE, { input: { name: 'n'.repeat(100), description: 'd'.repeat(1000) } });
    expect(res.body.errors).toBeUndefined();
  });
});

describe('reading a shared collection', () => {
  let shared: Shared;
  let editorItem: string;

  beforeAll(async () => {
    shared = await sharedCollection('Reading');
    // The EDIT grantee adds one of their own listings.
    editorItem = await addItem(shared.editor, shared.collectionId, shared.editorListing, 'from the editor');
  });

  it.each([
    ['owner', 'OWNER'],
    ['viewer', 'VIEW'],
    ['editor', 'EDIT'],
    ['admin', 'VIEW'],
  ] as const)('node(id:) gives the %s the collection, its items and their listings (%s)', async (role, permission) => {
    const collection = await node(who(shared, role), shared.collectionId);
    expect(collection).toMatchObject({
      id: shared.collectionId,
      name: 'Reading',
      description: 'Deals for the trip',
      ownerName: 'owner Tester',
      viewerPermission: permission,
      itemCount: 3,
    });
    expect(collection!.items.totalCount).toBe(3);
    expect(collection!.items.edges.map((edge) => edge.node)).toEqual([
      {
        id: shared.itemIds[0],
        position: 0,
        note: 'first pick',
        addedByViewer: role === 'owner',
        listing: { id: ownerListings[0], title: 'owner 0' },
      },
      {
        id: shared.itemIds[1],
        position: 1,
        note: null,
        addedByViewer: role === 'owner',
        listing: { id: ownerListings[1], title: 'owner 1' },
      },
      {
        id: editorItem,
        position: 2,
        note: 'from the editor',
        addedByViewer: role === 'editor',
        listing: { id: shared.editorListing, title: 'editor listing' },
      },
    ]);
  });

  it.each(['stranger', 'revoked'] as const)(
    'node(id:) is null to the %s, exactly as for a collection that does not exist',
    async (role) => {
      const hidden = await as(who(shared, role), NODE, { id: shared.collectionId });
      const missing = await as(who(shared, role), NODE, { id: globalId('Collection', randomUUID()) });
      expect(hidden.body).toEqual({ data: { node: null } });
      expect(hidden.body).toEqual(missing.body);
    },
  );

  it("shares are the owner's alone: grantees and admins see an empty list", async () => {
    const owners = await node(people.owner, shared.collectionId);
    expect(owners!.shares).toEqual({
      totalCount: 2,
      edges: [
        { node: { email: shared.viewer.email, permission: 'VIEW' } },
        { node: { email: shared.editor.email, permission: 'EDIT' } },
      ],
    });
    for (const role of ['viewer', 'editor', 'admin'] as const) {
      expect((await node(who(shared, role), shared.collectionId))!.shares, role).toEqual({ totalCount: 0, edges: [] });
    }
  });

  it('items page in their order with first/after', async () => {
    const page = `query($id: ID!, $after: String) { node(id: $id) { ... on Collection {
      items(first: 2, after: $after) { edges { node { position } } pageInfo { hasNextPage endCursor } } } } }`;
    type Page = {
      node: {
        items: { edges: { node: { position: number } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
      };
    };
    const first = await as<Page>(shared.viewer, page, { id: shared.collectionId });
    const { edges, pageInfo } = first.body.data!.node.items;
    expect(edges.map((edge) => edge.node.position)).toEqual([0, 1]);
    expect(pageInfo.hasNextPage).toBe(true);
    const second = await as<Page>(shared.viewer, page, { id: shared.collectionId, after: pageInfo.endCursor });
    expect(second.body.data!.node.items.edges.map((edge) => edge.node.position)).toEqual([2]);
    expect(second.body.data!.node.items.pageInfo.hasNextPage).toBe(false);
  });

  it('collections lists the own ones; sharedCollections those shared with the viewer', async () => {
    type Lists = {
      collections: { edges: { node: { id: string; viewerPermission: string } }[] };
      sharedCollections: { edges: { node: { id: string; ownerName: string; viewerPermission: string } }[] };
    };
    const lists = async (role: Role) => (await as<Lists>(who(shared, role), LISTS)).body.data!;
    const ids = (edges: { node: { id: string } }[]) => edges.map((edge) => edge.node.id);

    const owner = await lists('owner');
    expect(ids(owner.collections.edges)).toContain(shared.collectionId);
    expect(owner.collections.edges.every((edge) => edge.node.viewerPermission === 'OWNER')).toBe(true);
    expect(ids(owner.sharedCollections.edges)).not.toContain(shared.collectionId);

    for (const [role, permission] of [
      ['viewer', 'VIEW'],
      ['editor', 'EDIT'],
    ] as const) {
      const mine = await lists(role);
      expect(ids(mine.collections.edges), role).not.toContain(shared.collectionId);
      expect(mine.sharedCollections.edges.find((edge) => edge.node.id === shared.collectionId)?.node, role).toEqual({
        id: shared.collectionId,
        name: 'Reading',
        ownerName: 'owner Tester',
        viewerPermission: permission,
      });
    }
    for (const role of ['stranger', 'admin', 'revoked'] as const) {
      const theirs = await lists(role);
      expect([...ids(theirs.collections.edges), ...ids(theirs.sharedCollections.edges)], role).not.toContain(
        shared.collectionId,
      );
    }
  });

  it("a grantee reads the collection's listings; the owner reads the editor's listing (owner included)", async () => {
    for (const role of ['viewer', 'editor', 'owner'] as const) {
      for (const listing of [ownerListings[0]!, shared.editorListing]) {
        const res = await as<{ listing: { id: string } | null }>(who(shared, role), LISTING, { id: listing });
        expect(res.body.data?.listing?.id, `${role} reads ${listing}`).toBe(listing);
      }
    }
    for (const role of ['stranger', 'revoked'] as const) {
      for (const listing of [ownerListings[0]!, shared.editorListing]) {
        const res = await as(who(shared, role), LISTING, { id: listing });
        expect(res.body, `${role} reads ${listing}`).toEqual({ data: { listing: null } });
      }
    }
    // A listing in no shared collection stays the owner's.
    const unshared = await createListing(people.owner, 'never shared');
    expect((await as(shared.viewer, LISTING, { id: unshared })).body).toEqual({ data: { listing: null } });
  });
});

describe('item changes', () => {
  it('the owner and the EDIT grantee add at the end; the note and who added it are kept', async () => {
    const shared = await sharedCollection();
    const res = await as<{
      addCollectionItem: {
        collection: { itemCount: number };
        collectionItem: { position: number; note: string; addedByViewer: boolean; listing: { title: string } };
      };
    }>(shared.editor, ADD, {
      input: { collectionId: shared.collectionId, listingId: shared.editorListing, note: '  mine  ' },
    });
    expect(res.body.data?.addCollectionItem).toMatchObject({
      collection: { itemCount: 3 },
      collectionItem: { position: 2, note: 'mine', addedByViewer: true, listing: { title: 'editor listing' } },
    });
    // An owner's listing the EDIT grantee cannot read, they cannot add ...
    const unreadable = await as(shared.editor, ADD, {
      input: { collectionId: shared.collectionId, listingId: ownerListings[2] },
    });
    expect([codeOf(unreadable), messageOf(unreadable)]).toEqual(['NOT_FOUND', 'Listing not found']);
    // ... until the owner shares it with them through another collection.
    const other = await createCollection(people.owner, 'other');
    await addItem(people.owner, other, ownerListings[2]!);
    await share(people.owner, other, shared.editor.email, 'VIEW');
    await addItem(shared.editor, shared.collectionId, ownerListings[2]!);
    const { items } = await snapshot(shared.collectionId);
    expect(items.map((item) => [item.position, item.added_by_id])).toEqual([
      [0, people.owner.userId],
      [1, people.owner.userId],
      [2, shared.editor.userId],
      [3, shared.editor.userId],
    ]);
  });

  it.each([
    ['viewer', 'FORBIDDEN'],
    ['admin', 'FORBIDDEN'],
    ['stranger', 'NOT_FOUND'],
    ['revoked', 'NOT_FOUND'],
  ] as const)('addCollectionItem by the %s: %s, and nothing changes', async (role, code) => {
    const shared = await sharedCollection();
    const before = await snapshot(shared.collectionId);
    const res = await as(who(shared, role), ADD, {
      input: { collectionId: shared.collectionId, listingId: ownerListings[2] },
    });
    expect(codeOf(res)).toBe(code);
    expect(res.body.data ?? null).toBeNull();
    expect(await snapshot(shared.collectionId)).toEqual(before);
  });

  it("a listing the caller cannot read is NOT_FOUND ('Listing not found'), like one that does not exist", async () => {
    const shared = await sharedCollection();
    const before = await snapshot(shared.collectionId);
    for (const listingId of [strangerListing, globalId('Listing', randomUUID())]) {
      const res = await as(shared.editor, ADD, { input: { collectionId: shared.collectionId, listingId } });
      expect([codeOf(res), messageOf(res)]).toEqual(['NOT_FOUND', 'Listing not found']);
    }
    expect(await snapshot(shared.collectionId)).toEqual(before);
  });

  it('a listing the caller can read but neither they nor the owner own is FORBIDDEN (it would be re-shared)', async () => {
    const shared = await sharedCollection();
    // The viewer shares a collection holding their own listing with the editor, who can then read it.
    const viewerListing = await createListing(shared.viewer, "viewer's");
    const viewers = await createCollection(shared.viewer, "viewer's");
    await addItem(shared.viewer, viewers, viewerListing);
    await share(shared.viewer, viewers, shared.editor.email, 'EDIT');
    expect(
      (await as<{ listing: unknown }>(shared.editor, LISTING, { id: viewerListing })).body.data?.listing,
    ).not.toBeNull();
    const before = await snapshot(shared.collectionId);
    const res = await as(shared.editor, ADD, {
      input: { collectionId: shared.collectionId, listingId: viewerListing },
    });
    expect(codeOf(res)).toBe('FORBIDDEN');
    expect(await snapshot(shared.collectionId)).toEqual(before);
  });

  it('adding a listing twice is BAD_USER_INPUT on input.listingId, and adds nothing', async () => {
    const shared = await sharedCollection();
    const before = await snapshot(shared.collectionId);
    const res = await as(people.owner, ADD, {
      input: { collectionId: shared.collectionId, listingId: ownerListings[0] },
    });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.extensions?.issues).toEqual([
      { path: 'input.listingId', message: 'Already in the collection' },
    ]);
    expect(await snapshot(shared.collectionId)).toEqual(before);
  });

  it('one listing can be in many collections', async () => {
    const a = await createCollection(people.owner, 'a');
    const b = await createCollection(people.owner, 'b');
    await addItem(people.owner, a, ownerListings[0]!);
    await addItem(people.owner, b, ownerListings[0]!);
    expect((await node(people.owner, b))!.itemCount).toBe(1);
  });

  it('a collection holds at most 500 items', async () => {
    const collectionId = await createCollection(people.owner, 'full');
    await superuser.query(
      `WITH l AS (
         INSERT INTO listings (owner_id, title, price) SELECT $1, 'bulk ' || g, 1 FROM generate_series(1, 500) g RETURNING id
       )
       INSERT INTO collection_items (collection_id, owner_id, listing_id, position)
       SELECT $2, $1, l.id, (row_number() OVER ()) - 1 FROM l`,
      [people.owner.userId, rawId(collectionId)],
    );
    const before = await snapshot(collectionId);
    const res = await as(people.owner, ADD, { input: { collectionId, listingId: ownerListings[0] } });
    expect([codeOf(res), messageOf(res)]).toEqual(['BAD_USER_INPUT', 'A collection holds at most 500 items']);
    expect((await snapshot(collectionId)).items).toHaveLength(before.items.length);
  });

  it('removeCollectionItem by the EDIT grantee closes the gap; the owner then no longer reads the removed listing', async () => {
    const shared = await sharedCollection();
    const contributed = await createListing(shared.editor, 'contributed');
    const added = await addItem(shared.editor, shared.collectionId, contributed);
    await addItem(people.owner, shared.collectionId, ownerListings[2]!);
    expect(
      (await as<{ listing: unknown }>(people.owner, LISTING, { id: contributed })).body.data?.listing,
    ).not.toBeNull();

    const res = await as<{
      removeCollectionItem: { removedCollectionItemId: string; collection: { itemCount: number } };
    }>(shared.editor, REMOVE, { input: { itemId: added } });
    expect(res.body.data?.removeCollectionItem).toEqual({
      removedCollectionItemId: added,
      collection: { id: shared.collectionId, itemCount: 3 },
    });
    expect((await snapshot(shared.collectionId)).items.map((item) => item.position)).toEqual([0, 1, 2]);
    // Removing the item ends it: the owner's very next request no longer reads the editor's listing.
    expect((await as(people.owner, LISTING, { id: contributed })).body).toEqual({ data: { listing: null } });
    expect((await as(shared.viewer, LISTING, { id: contributed })).body).toEqual({ data: { listing: null } });
  });

  it.each([
    ['viewer', 'FORBIDDEN'],
    ['admin', 'FORBIDDEN'],
    ['stranger', 'NOT_FOUND'],
    ['revoked', 'NOT_FOUND'],
  ] as const)('remove, update and move by the %s: %s, and nothing changes', async (role, code) => {
    const shared = await sharedCollection();
    const before = await snapshot(shared.collectionId);
    const itemId = shared.itemIds[0];
    for (const [query, input] of [
      [REMOVE, { itemId }],
      [UPDATE_ITEM, { itemId, note: 'hijacked' }],
      [MOVE, { itemId, position: 1 }],
    ] as const) {
      const res = await as(who(shared, role), query, { input });
      expect(codeOf(res), query).toBe(code);
      if (code === 'NOT_FOUND') expect(messageOf(res)).toBe('Collection item not found');
    }
    expect(await snapshot(shared.collectionId)).toEqual(before);
  });

  it('updateCollectionItem sets and clears the note (owner and EDIT grantee)', async () => {
    const shared = await sharedCollection();
    const itemId = shared.itemIds[1];
    const set = await as(shared.editor, UPDATE_ITEM, { input: { itemId, note: 'check the PSU' } });
    expect(set.body.data).toEqual({ updateCollectionItem: { collectionItem: { id: itemId, note: 'check the PSU' } } });
    const cleared = await as(people.owner, UPDATE_ITEM, { input: { itemId, note: null } });
    expect(cleared.body.data).toEqual({ updateCollectionItem: { collectionItem: { id: itemId, note: null } } });

    const before = await snapshot(shared.collectionId);
    const long = await as(people.owner, UPDATE_ITEM, { input: { itemId, note: 'n'.repeat(1001) } });
    expect(codeOf(long)).toBe('BAD_USER_INPUT');
    expect(long.body.errors?.[0]?.extensions?.issues).toEqual([
      { path: 'input.note', message: 'Note must be at most 1000 characters' },
    ]);
    expect(await snapshot(shared.collectionId)).toEqual(before);
  });

  it('moveCollectionItem moves to a 0-based index and renumbers the rest', async () => {
    const shared = await sharedCollection();
    const third = await addItem(people.owner, shared.collectionId, ownerListings[2]!);
    const order = async () => (await node(people.owner, shared.collectionId))!.items.edges.map((edge) => edge.node);

    const res = await as(shared.editor, MOVE, { input: { itemId: third, position: 0 } });
    expect(res.body.data).toEqual({
      moveCollectionItem: { collectionItem: { id: third, position: 0 }, collection: { id: shared.collectionId } },
    });
    expect((await order()).map((item) => [item.id, item.position])).toEqual([
      [third, 0],
      [shared.itemIds[0], 1],
      [shared.itemIds[1], 2],
    ]);
    await as(people.owner, MOVE, { input: { itemId: third, position: 2 } });
    expect((await order()).map((item) => item.id)).toEqual([shared.itemIds[0], shared.itemIds[1], third]);
  });

  it.each([
    [-1, 'Position cannot be negative'],
    [2, 'Must be between 0 and 1'],
  ])('moving to position %i is BAD_USER_INPUT on input.position, and nothing changes', async (position, message) => {
    const shared = await sharedCollection();
    const before = await snapshot(shared.collectionId);
    const res = await as(people.owner, MOVE, { input: { itemId: shared.itemIds[0], position } });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.extensions?.issues).toEqual([{ path: 'input.position', message }]);
    expect(await snapshot(shared.collectionId)).toEqual(before);
  });
});

describe('renaming, deleting, sharing and revoking: the owner only', () => {
  it('the owner renames, changes the description, and deletes (items and shares go with it)', async () => {
    const shared = await sharedCollection();
    const renamed = await as(people.owner, UPDATE, {
      input: { id: shared.collectionId, name: ' Renamed ', description: null },
    });
    expect(renamed.body.data).toEqual({
      updateCollection: { collection: { id: shared.collectionId, name: 'Renamed', description: null } },
    });
    const deleted = await as(people.owner, DELETE, { input: { id: shared.collectionId } });
    expect(deleted.body.data).toEqual({ deleteCollection: { deletedCollectionId: shared.collectionId } });
    expect(await snapshot(shared.collectionId)).toEqual({ collection: [], items: [], shares: [] });
    expect(await node(shared.viewer, shared.collectionId)).toBeNull();
  });

  const operations = (shared: Shared, collectionId = shared.collectionId) =>
    [
      ['updateCollection', UPDATE, { id: collectionId, name: 'hijacked' }],
      ['deleteCollection', DELETE, { id: collectionId }],
      ['shareCollection', SHARE, { collectionId, email: 'accomplice@example.test', permission: 'EDIT' }],
      ['shareCollection (upgrading oneself)', SHARE, { collectionId, email: shared.viewer.email, permission: 'EDIT' }],
      ['revokeCollectionShare', REVOKE, { collectionId, email: shared.editor.email }],
    ] as const;

  it.each([
    ['viewer', 'FORBIDDEN'],
    ['editor', 'FORBIDDEN'],
    ['admin', 'FORBIDDEN'],
    ['stranger', 'NOT_FOUND'],
    ['revoked', 'NOT_FOUND'],
  ] as const)('by the %s: %s for every operation, and nothing changes', async (role, code) => {
    const shared = await sharedCollection();
    const before = await snapshot(shared.collectionId);
    for (const [name, query, input] of operations(shared)) {
      const res = await as(who(shared, role), query, { input });
      expect(codeOf(res), name).toBe(code);
      expect(res.body.data ?? null, name).toBeNull();
      if (code === 'NOT_FOUND') {
        // Exactly the answer for a collection that does not exist: no existence oracle.
        const missingId = globalId('Collection', randomUUID());
        const [, , missingInput] = operations(shared, missingId).find(([n]) => n === name)!;
        const missing = await as(who(shared, role), query, { input: missingInput });
        expect(res.body, name).toEqual(missing.body);
      }
    }
    expect(await snapshot(shared.collectionId)).toEqual(before);
  });

  it('an admin owns, fills and shares their own collection like anyone (their transactions are app_admin)', async () => {
    const { admin } = people;
    const collectionId = await createCollection(admin, "admin's");
    await addItem(admin, collectionId, await createListing(admin, "admin's listing"));
    await share(admin, collectionId, people.stranger.email, 'VIEW');
    await share(admin, collectionId, `nobody-${randomUUID()}@example.test`, 'VIEW');
    expect(await shareRow(collectionId, people.stranger.email)).toEqual({
      grantee_id: people.stranger.userId,
      permission: 'VIEW',
    });
    expect(await node(people.stranger, collectionId)).toMatchObject({
      ownerName: 'admin Tester',
      viewerPermission: 'VIEW',
      itemCount: 1,
    });
  });

  it('updateCollection with nothing to change is BAD_USER_INPUT', async () => {
    const collectionId = await createCollection(people.owner, 'unchanged');
    const res = await as(people.owner, UPDATE, { input: { id: collectionId } });
    expect([codeOf(res), messageOf(res)]).toEqual(['BAD_USER_INPUT', 'Nothing to update']);
  });
});

describe('sharing by email', () => {
  it('sharing again with the same address changes the permission', async () => {
    const shared = await sharedCollection();
    await share(people.owner, shared.collectionId, shared.viewer.email.toUpperCase(), 'EDIT');
    expect(await shareRow(shared.collectionId, shared.viewer.email)).toEqual({
      grantee_id: shared.viewer.userId,
      permission: 'EDIT',
    });
    expect((await node(shared.viewer, shared.collectionId))!.viewerPermission).toBe('EDIT');
    // And now the former VIEW grantee may add items.
    await addItem(shared.viewer, shared.collectionId, await createListing(shared.viewer, 'now mine to add'));
    expect((await snapshot(shared.collectionId)).shares).toHaveLength(2);
  });

  it('revoking takes effect on the grantee’s next request: the collection, its items and listings are gone', async () => {
    const shared = await sharedCollection();
    // A listing in this collection only: other collections shared with the viewer hold the others.
    const only = await createListing(people.owner, 'only here');
    await addItem(people.owner, shared.collectionId, only);
    expect(await node(shared.viewer, shared.collectionId)).not.toBeNull();
    expect((await as<{ listing: unknown }>(shared.viewer, LISTING, { id: only })).body.data?.listing).not.toBeNull();

    const res = await as(people.owner, REVOKE, {
      input: { collectionId: shared.collectionId, email: shared.viewer.email },
    });
    expect(res.body).toEqual({ data: { revokeCollectionShare: { collection: { id: shared.collectionId } } } });
    expect(await node(shared.viewer, shared.collectionId)).toBeNull();
    expect((await as(shared.viewer, LISTING, { id: only })).body).toEqual({ data: { listing: null } });
    const item = await as(shared.viewer, `query($id: ID!) { node(id: $id) { id } }`, { id: shared.itemIds[0] });
    expect(item.body).toEqual({ data: { node: null } });
  });

  it('revoking an EDIT grantee removes the items of their own listings: nobody reads those listings through it any more', async () => {
    const shared = await sharedCollection();
    const theirs = await createListing(shared.editor, 'contributed, then revoked');
    await addItem(shared.editor, shared.collectionId, theirs);
    const readers = [people.owner, shared.viewer];
    for (const reader of readers) {
      expect((await as<{ listing: unknown }>(reader, LISTING, { id: theirs })).body.data?.listing).not.toBeNull();
    }
    const before = await snapshot(shared.collectionId);

    const res = await as(people.owner, REVOKE, {
      input: { collectionId: shared.collectionId, email: shared.editor.email },
    });
    expect(res.body).toEqual({ data: { revokeCollectionShare: { collection: { id: shared.collectionId } } } });
    for (const reader of readers) {
      expect((await as(reader, LISTING, { id: theirs })).body).toEqual({ data: { listing: null } });
    }
    // The owner's own items stay, renumbered 0..n-1; the grantee keeps their listing.
    const after = await snapshot(shared.collectionId);
    expect(after.items.length).toBe(before.items.length - 1);
    expect(after.items.map((item) => item.position).sort()).toEqual(after.items.map((_, i) => i));
    expect((await as<{ listing: unknown }>(shared.editor, LISTING, { id: theirs })).body.data?.listing).not.toBeNull();
  });

  it('revoking an address the collection is not shared with is NOT_FOUND', async () => {
    const shared = await sharedCollection();
    const before = await snapshot(shared.collectionId);
    const res = await as(people.owner, REVOKE, {
      input: { collectionId: shared.collectionId, email: 'nobody@example.test' },
    });
    expect([codeOf(res), messageOf(res)]).toEqual(['NOT_FOUND', 'Share not found']);
    expect(await snapshot(shared.collectionId)).toEqual(before);
  });

  it.each([
    ['not an address', 'not-an-email', 'input.email', 'Enter a valid email address'],
    ['an overlong address', `${'a'.repeat(320)}@example.test`, 'input.email', 'Email must be at most 320 characters'],
  ])('refuses %s: BAD_USER_INPUT with the field path, nothing written', async (_name, email, path, message) => {
    const shared = await sharedCollection();
    const before = await snapshot(shared.collectionId);
    const res = await as(people.owner, SHARE, {
      input: { collectionId: shared.collectionId, email, permission: 'VIEW' },
    });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.extensions?.issues).toEqual([{ path, message }]);
    expect(await snapshot(shared.collectionId)).toEqual(before);
  });

  it('sharing with yourself is BAD_USER_INPUT, whatever the case of the address', async () => {
    const shared = await sharedCollection();
    const before = await snapshot(shared.collectionId);
    const res = await as(people.owner, SHARE, {
      input: { collectionId: shared.collectionId, email: ` ${people.owner.email.toUpperCase()} `, permission: 'EDIT' },
    });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.extensions?.issues).toEqual([
      { path: 'input.email', message: 'This is your own address' },
    ]);
    expect(await snapshot(shared.collectionId)).toEqual(before);
  });

  it('a collection can be shared with at most 100 addresses; re-sharing one of them still works', async () => {
    const collectionId = await createCollection(people.owner, 'popular');
    await superuser.query(
      `INSERT INTO collection_shares (collection_id, owner_id, grantee_email)
       SELECT $1, $2, 'fan' || g || '@example.test' FROM generate_series(1, 100) g`,
      [rawId(collectionId), people.owner.userId],
    );
    const res = await as(people.owner, SHARE, {
      input: { collectionId, email: 'one-more@example.test', permission: 'VIEW' },
    });
    expect([codeOf(res), messageOf(res)]).toEqual([
      'BAD_USER_INPUT',
      'A collection can be shared with at most 100 addresses',
    ]);
    await share(people.owner, collectionId, 'fan7@example.test', 'EDIT');
    expect((await snapshot(collectionId)).shares).toHaveLength(100);
  });

  it('sharing records collection.shared and collection.share_revoked about the owner, by the owner', async () => {
    const collectionId = await createCollection(people.owner, 'audited');
    await share(people.owner, collectionId, 'audited@example.test', 'VIEW');
    await as(people.owner, REVOKE, { input: { collectionId, email: 'audited@example.test' } });
    const { rows } = await superuser.query(
      `SELECT type, actor_id, subject_user_id, metadata FROM audit_events
       WHERE metadata->>'collectionId' = $1 ORDER BY created_at, xmin::text::bigint`,
      [rawId(collectionId)],
    );
    const about = { actor_id: people.owner.userId, subject_user_id: people.owner.userId };
    expect(rows).toEqual([
      {
        type: 'collection.shared',
        ...about,
        metadata: { collectionId: rawId(collectionId), email: 'audited@example.test', permission: 'VIEW' },
      },
      {
        type: 'collection.share_revoked',
        ...about,
        metadata: { collectionId: rawId(collectionId), email: 'audited@example.test' },
      },
    ]);
  });
});

describe('no account enumeration', () => {
  /** The answer to sharing a fresh, identical collection with `email`, ids replaced. */
  async function shareAnswer(email: string) {
    const collectionId = await createCollection(people.owner, 'twin', 'same');
    const res = await as(
      people.owner,
      `mutation Share($input: ShareCollectionInput!) {
        shareCollection(input: $input) {
          collection { id name description viewerPermission itemCount shares(first: 10) { totalCount edges { node { email permission } } } }
        }
      }`,
      { input: { collectionId, email, permission: 'EDIT' } },
    );
    const text = JSON.stringify(res.body).replaceAll(collectionId, '<id>').replaceAll(email, '<email>');
    return { collectionId, status: res.status, body: JSON.parse(text) as unknown };
  }

  it('sharing with an address that has no account answers exactly as sharing with a user’s verified address', async () => {
    const known = await shareAnswer(people.stranger.email);
    const unknown = await shareAnswer(`nobody-${randomUUID()}@example.test`);
    expect(unknown.status).toBe(known.status);
    expect(unknown.body).toEqual(known.body);
    expect(known.body).toMatchObject({ data: { shareCollection: { collection: { shares: { totalCount: 1 } } } } });
    // The difference stays in the database: one share is bound, the other waits.
    expect(await shareRow(known.collectionId, people.stranger.email)).toEqual({
      grantee_id: people.stranger.userId,
      permission: 'EDIT',
    });
    const waiting = await superuser.query(`SELECT grantee_id FROM collection_shares WHERE collection_id = $1`, [
      rawId(unknown.collectionId),
    ]);
    expect(waiting.rows).toEqual([{ grantee_id: null }]);
  });

  it('an address whose account is not verified answers the same, and its share grants nothing yet', async () => {
    const clerkId = newClerkUserId();
    const email = `unverified-${randomUUID()}@example.test`;
    const created = clerkFixture('user.created', { userId: clerkId, email, updatedAt: Date.now() - 10_000 });
    setPrimaryVerification(created, 'unverified');
    expect((await deliver(server, created)).body.outcome).toBe('applied');

    const known = await shareAnswer(people.stranger.email);
    const unverified = await shareAnswer(email);
    expect(unverified.body).toEqual(known.body);
    expect(await shareRow(unverified.collectionId, email)).toEqual({ grantee_id: null, permission: 'EDIT' });

    // Verified later (user.updated): the waiting share is bound to them.
    const updated = clerkFixture('user.updated', { userId: clerkId, email, updatedAt: Date.now() });
    expect((await deliver(server, updated)).body.outcome).toBe('applied');
    const { rows } = await superuser.query<{ id: string }>(`SELECT id FROM users WHERE clerk_id = $1`, [clerkId]);
    expect(await shareRow(unverified.collectionId, email)).toEqual({ grantee_id: rows[0]!.id, permission: 'EDIT' });
  });

  it('a share waits for its user: signing up with that address (a verified user.created) binds it', async () => {
    const shared = await sharedCollection('Waiting');
    const email = `newcomer-${randomUUID()}@example.test`;
    await share(people.owner, shared.collectionId, email.toUpperCase(), 'EDIT');

    await server.identity.createIdentity({ email, firstName: 'New', lastName: 'Comer' });
    await settled();
    expect((await superuser.query(`SELECT email_verified FROM users WHERE email = $1`, [email])).rows).toEqual([
      { email_verified: true },
    ]);

    const { token } = await server.identity.startSession(email);
    const res = await gql<{ sharedCollections: { edges: { node: { id: string; viewerPermission: string } }[] } }>(
      server,
      token,
      LISTS,
    );
    expect(res.body.data?.sharedCollections.edges.map((edge) => edge.node)).toEqual([
      { id: shared.collectionId, name: 'Waiting', ownerName: 'owner Tester', viewerPermission: 'EDIT' },
    ]);
  });

  it('a bound share stays bound when its user’s address changes (it was made to the person)', async () => {
    const shared = await sharedCollection();
    const newcomer = await newIdentity(server, 'mover');
    await settled();
    await share(people.owner, shared.collectionId, newcomer.email, 'VIEW');
    const moved = clerkFixture('user.updated', {
      userId: newcomer.clerkId,
      email: `moved-${randomUUID()}@example.test`,
      updatedAt: Date.now() + 60_000,
    });
    expect((await deliver(server, moved)).body.outcome).toBe('applied');
    const seen = await gql<{ node: { id: string } | null }>(
      server,
      newcomer.token,
      `query($id: ID!) { node(id: $id) { id } }`,
      {
        id: shared.collectionId,
      },
    );
    expect(seen.body.data?.node).toEqual({ id: shared.collectionId });
  });
});

/** Sets the verification status of a fixture's primary address. */
function setPrimaryVerification(event: Record<string, unknown>, status: string): void {
  const data = event.data as {
    primary_email_address_id: string;
    email_addresses: { id: string; verification: { status: string } }[];
  };
  const primary = data.email_addresses.find((address) => address.id === data.primary_email_address_id)!;
  primary.verification.status = status;
}

// ── Statements per collection page ────────────────────────────────────────────────────────────

describe('statements for a collection page', () => {
  const page = (size: number) => `query Page($id: ID!) {
    node(id: $id) {
      ... on Collection {
        name viewerPermission
        items(first: ${size}) { edges { node { note listing { title price } } } }
      }
    }
  }`;

  it('a page of 20 items with their listings costs a fixed number of statements, none per item', async () => {
    const counter = await startStatementCounter(inject('database').url);
    const counted = await startTestServer({}, { databaseUrl: counter.url });
    try {
      const who = await newIdentity(counted, 'counted');
      await counted.app.localWebhooks!.idle();
      const create = await gql<{ createCollection: { collection: { id: string } } }>(counted, who.token, CREATE, {
        input: { name: 'Twenty' },
      });
      const collectionId = create.body.data!.createCollection.collection.id;
      for (let i = 0; i < 20; i++) {
        const listing = await gql<{ createListing: { listing: { id: string } } }>(
          counted,
          who.token,
          `mutation($input: CreateListingInput!) { createListing(input: $input) { listing { id } } }`,
          { input: { title: `counted ${i}`, price: `${i}.00` } },
        );
        const added = await gql(counted, who.token, ADD, {
          input: { collectionId, listingId: listing.body.data!.createListing.listing.id, note: `note ${i}` },
        });
        expect(added.body.errors).toBeUndefined();
      }

      const measure = async (size: number) => {
        await gql(counted, who.token, page(size), { id: collectionId }); // the connection's statements prepared
        counter.executed.length = 0;
        const res = await gql<{ node: { items: { edges: unknown[] } } }>(counted, who.token, page(size), {
          id: collectionId,
        });
        expect(res.body.errors).toBeUndefined();
        expect(res.body.data!.node.items.edges).toHaveLength(size);
        return [...counter.executed];
      };
      const twenty = await measure(20);
      const data = twenty.filter((sql) => !isPlumbing(sql));
      // 15 statements on the wire: the viewer lookup (authentication) in a transaction of its own, the
      // rate limiter's charge in another (BEGIN, its role, the counter, COMMIT: one round trip), then the
      // node's one transaction (BEGIN, the RLS context, 4 statements, COMMIT) with one statement per
      // relation level: the collection, the viewer's own share (viewerPermission), the page of items,
      // and their listings by id.
      expect(twenty).toHaveLength(15);
      expect(data.map(tableOf)).toEqual(['users', 'collections', 'collection_shares', 'collection_items', 'listings']);
      // The same for two items: nothing is per item.
      expect((await measure(2)).length).toBe(twenty.length);
    } finally {
      await counted.close();
      await counter.close();
    }
  });
});
