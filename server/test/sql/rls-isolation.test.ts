// Row Level Security at the SQL level: every protected table × select / update / delete / insert,
// for every kind of caller the server can produce, against the policies and grants of
// prisma/migrations. Each table lists, per caller, exactly which of the seeded rows (by label) the
// caller reads, updates and deletes, or DENIED for "permission denied"; and how each insert ends.
// Every operation runs in a transaction that is rolled back, so the seeded world never changes.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type pg from 'pg';
import { keyOf } from '../support/datamodel.js';
import {
  PROTECTED_TABLES,
  becomeSync,
  becomeUser,
  connectAs,
  newApiKeyPrefix,
  seedWorld,
  sqlError,
  withRollback,
  type SeededUser,
  type World,
} from '../support/sql.js';

const DENIED = 'DENIED' as const;
/** Every seeded row of the table. */
const ALL = 'ALL' as const;
type Rows = readonly string[] | typeof ALL | typeof DENIED;

/** ok | the policy's WITH CHECK refuses it | no privilege at all | another error (message pattern). */
type InsertOutcome = 'ok' | 'rls' | 'denied' | RegExp;

const ACTORS = ['alice', 'bob', 'carol', 'admin', 'aliceClaimingAdmin', 'noUser', 'sync', 'noRole'] as const;
type Actor = (typeof ACTORS)[number];
/** aliceClaimingAdmin is alice with app.current_user_role = 'ADMIN': she must get exactly alice's access. */
type ExpectedActor = Exclude<Actor, 'aliceClaimingAdmin'>;

const ACTOR_DESCRIPTIONS: Record<Actor, string> = {
  alice: 'alice (app_user)',
  bob: 'bob (app_user)',
  carol: 'carol (app_user)',
  admin: 'admin (app_admin)',
  aliceClaimingAdmin: 'alice claiming ADMIN (app_user, app.current_user_role=ADMIN)',
  noUser: 'app_user without a user id',
  sync: 'app_sync',
  noRole: 'authenticator without a role switch',
};

async function become(client: pg.ClientBase, world: World, actor: Actor): Promise<void> {
  switch (actor) {
    case 'alice':
    case 'bob':
    case 'carol':
    case 'admin':
      return becomeUser(client, { userId: world[actor].id, role: world[actor].dbRole });
    case 'aliceClaimingAdmin':
      return becomeUser(client, { userId: world.alice.id, role: 'app_user', claimedRole: 'ADMIN' });
    case 'noUser':
      await client.query(`SELECT set_config('role', 'app_user', true)`);
      return;
    case 'sync':
      return becomeSync(client);
    case 'noRole':
      return;
  }
}

/** The seeded user acting, or alice for callers without one (they pretend to be her). */
function actingUser(world: World, actor: Actor): SeededUser {
  if (actor === 'aliceClaimingAdmin') return world.alice;
  if (actor === 'bob' || actor === 'carol' || actor === 'admin') return world[actor];
  return world.alice;
}

/** Someone other than the acting user: bob, or alice when bob acts. */
function someoneElse(world: World, actor: Actor): SeededUser {
  return actingUser(world, actor).id === world.bob.id ? world.alice : world.bob;
}

interface Query {
  text: string;
  values: unknown[];
}

interface Expectation {
  select: Rows;
  update: Rows;
  delete: Rows;
  /** Outcome per insert case of the table. */
  insert: Record<string, InsertOutcome>;
}

/**
 * The per-table specifics; which tables there are is the Prisma data model's to say (a coverage
 * test below fails when a table of the model has no spec here). The key column comes from it too.
 */
interface TableSpec {
  table: string;
  /** The seeded rows of this table, label → key. */
  rows: (w: World) => Record<string, string>;
  /** A SET clause that changes nothing (and is within app_user's column grants where it has any). */
  touch: string;
  inserts: Record<string, (w: World, actor: Actor) => Query>;
  expect: Record<ExpectedActor, Expectation>;
}

const NOTHING_ALLOWED: Expectation = { select: DENIED, update: DENIED, delete: DENIED, insert: {} };
function allDenied(insertCases: string[]): Expectation {
  return { ...NOTHING_ALLOWED, insert: Object.fromEntries(insertCases.map((c) => [c, 'denied' as const])) };
}

/** A table whose rows belong to one user each: scoring_profiles, valuation_rulesets, api_keys. */
function ownerOnlyTable(
  table: string,
  pick: (u: SeededUser) => string,
  touch: string,
  insert: (ownerId: string) => Query,
): TableSpec {
  const own = (name: string): Expectation => ({
    select: [name],
    update: [name],
    delete: [name],
    insert: { own: 'ok', 'for another user': 'rls' },
  });
  return {
    table,
    rows: (w) => ({ alice: pick(w.alice), bob: pick(w.bob), carol: pick(w.carol), admin: pick(w.admin) }),
    touch,
    inserts: {
      own: (w, actor) => insert(actingUser(w, actor).id),
      'for another user': (w, actor) => insert(someoneElse(w, actor).id),
    },
    expect: {
      alice: own('alice'),
      bob: own('bob'),
      carol: own('carol'),
      admin: { select: ALL, update: ALL, delete: ALL, insert: { own: 'ok', 'for another user': 'ok' } },
      noUser: { select: [], update: [], delete: [], insert: { own: 'rls', 'for another user': 'rls' } },
      sync: allDenied(['own', 'for another user']),
      noRole: allDenied(['own', 'for another user']),
    },
  };
}

const SHARE_OWN_OK = { 'share own collection': 'ok', 'share own collection, pending': 'ok' } as const;
const SHARE_INSERTS = [
  'share own collection',
  'share own collection, pending',
  'grant self EDIT on another user’s collection',
];

const TABLES: TableSpec[] = [
  {
    table: 'users',
    rows: (w) => ({ alice: w.alice.id, bob: w.bob.id, carol: w.carol.id, admin: w.admin.id }),
    touch: 'first_name = first_name',
    inserts: {
      'new user': () => ({
        text: `INSERT INTO users (clerk_id, email) VALUES ($1, 'new@example.com')`,
        values: [`user_${randomUUID()}`],
      }),
    },
    expect: {
      alice: { select: ['alice'], update: ['alice'], delete: DENIED, insert: { 'new user': 'denied' } },
      bob: { select: ['bob'], update: ['bob'], delete: DENIED, insert: { 'new user': 'denied' } },
      carol: { select: ['carol'], update: ['carol'], delete: DENIED, insert: { 'new user': 'denied' } },
      admin: { select: ALL, update: ALL, delete: ALL, insert: { 'new user': 'ok' } },
      noUser: { select: [], update: [], delete: DENIED, insert: { 'new user': 'denied' } },
      sync: { select: ALL, update: ALL, delete: DENIED, insert: { 'new user': 'ok' } },
      noRole: allDenied(['new user']),
    },
  },
  {
    table: 'listings',
    rows: (w) => ({
      'alice.0': w.alice.listingIds[0]!,
      'alice.1': w.alice.listingIds[1]!,
      'bob.viewShared': w.bob.listingIds[0]!,
      'bob.editShared': w.bob.listingIds[1]!,
      'bob.private': w.bob.listingIds[2]!,
      'carol.0': w.carol.listingIds[0]!,
      'carol.1': w.carol.listingIds[1]!,
      'carol.contributed': w.carol.listingIds[2]!,
      'admin.0': w.admin.listingIds[0]!,
      'admin.1': w.admin.listingIds[1]!,
    }),
    touch: 'title = title',
    inserts: {
      own: (w, actor) => ({
        text: `INSERT INTO listings (owner_id, title, price) VALUES ($1, 'new', 1)`,
        values: [actingUser(w, actor).id],
      }),
      'for another user': (w, actor) => ({
        text: `INSERT INTO listings (owner_id, title, price) VALUES ($1, 'new', 1)`,
        values: [someoneElse(w, actor).id],
      }),
    },
    expect: {
      // alice also reads the listing in bob's collection shared with her (VIEW), carol the one in his
      // EDIT share; bob reads the listing carol added to that collection ("owner included"), but
      // cannot change it. The pending share to carol's address shows her nothing of alice's.
      alice: {
        select: ['alice.0', 'alice.1', 'bob.viewShared'],
        update: ['alice.0', 'alice.1'],
        delete: ['alice.0', 'alice.1'],
        insert: { own: 'ok', 'for another user': 'rls' },
      },
      bob: {
        select: ['bob.viewShared', 'bob.editShared', 'bob.private', 'carol.contributed'],
        update: ['bob.viewShared', 'bob.editShared', 'bob.private'],
        delete: ['bob.viewShared', 'bob.editShared', 'bob.private'],
        insert: { own: 'ok', 'for another user': 'rls' },
      },
      carol: {
        select: ['carol.0', 'carol.1', 'carol.contributed', 'bob.editShared'],
        update: ['carol.0', 'carol.1', 'carol.contributed'],
        delete: ['carol.0', 'carol.1', 'carol.contributed'],
        insert: { own: 'ok', 'for another user': 'rls' },
      },
      admin: { select: ALL, update: ALL, delete: ALL, insert: { own: 'ok', 'for another user': 'ok' } },
      noUser: { select: [], update: [], delete: [], insert: { own: 'rls', 'for another user': 'rls' } },
      sync: allDenied(['own', 'for another user']),
      noRole: allDenied(['own', 'for another user']),
    },
  },
  ownerOnlyTable(
    'scoring_profiles',
    (u) => u.scoringProfileId,
    'name = name',
    (ownerId) => ({
      text: `INSERT INTO scoring_profiles (owner_id, name) VALUES ($1, 'new')`,
      values: [ownerId],
    }),
  ),
  ownerOnlyTable(
    'valuation_rulesets',
    (u) => u.valuationRulesetId,
    'rules = rules',
    (ownerId) => ({
      text: `INSERT INTO valuation_rulesets (owner_id, name) VALUES ($1, 'new')`,
      values: [ownerId],
    }),
  ),
  ownerOnlyTable(
    'api_keys',
    (u) => u.apiKeyId,
    'revoked_at = revoked_at',
    (ownerId) => ({
      text: `INSERT INTO api_keys (owner_id, name, prefix, hash, scopes) VALUES ($1, 'new', $2, $3, '{READ}')`,
      values: [ownerId, newApiKeyPrefix(), '0'.repeat(64)],
    }),
  ),
  {
    table: 'collections',
    rows: (w) => ({
      alice: w.alice.collectionId,
      bob: w.bob.collectionId,
      'bob.edit': w.bobEdit.collectionId,
      carol: w.carol.collectionId,
      admin: w.admin.collectionId,
    }),
    touch: 'name = name',
    inserts: {
      own: (w, actor) => ({
        text: `INSERT INTO collections (owner_id, name) VALUES ($1, 'new')`,
        values: [actingUser(w, actor).id],
      }),
      'for another user': (w, actor) => ({
        text: `INSERT INTO collections (owner_id, name) VALUES ($1, 'new')`,
        values: [someoneElse(w, actor).id],
      }),
    },
    expect: {
      // A share lets the grantee read the collection, never rename or delete it (not even with EDIT).
      alice: {
        select: ['alice', 'bob'],
        update: ['alice'],
        delete: ['alice'],
        insert: { own: 'ok', 'for another user': 'rls' },
      },
      bob: {
        select: ['bob', 'bob.edit'],
        update: ['bob', 'bob.edit'],
        delete: ['bob', 'bob.edit'],
        insert: { own: 'ok', 'for another user': 'rls' },
      },
      carol: {
        select: ['carol', 'bob.edit'],
        update: ['carol'],
        delete: ['carol'],
        insert: { own: 'ok', 'for another user': 'rls' },
      },
      admin: { select: ALL, update: ALL, delete: ALL, insert: { own: 'ok', 'for another user': 'ok' } },
      noUser: { select: [], update: [], delete: [], insert: { own: 'rls', 'for another user': 'rls' } },
      sync: allDenied(['own', 'for another user']),
      noRole: allDenied(['own', 'for another user']),
    },
  },
  {
    table: 'collection_items',
    rows: (w) => ({
      alice: w.alice.collectionItemId,
      bob: w.bob.collectionItemId,
      'bob.edit': w.bobEdit.collectionItemId,
      'bob.edit.byCarol': w.bobEdit.contributedItemId,
      carol: w.carol.collectionItemId,
      admin: w.admin.collectionItemId,
    }),
    touch: 'note = note, position = position',
    inserts: {
      // The acting user's second listing (bob's: his EDIT-shared one) into their own collection.
      'into own collection': (w, actor) => {
        const user = actingUser(w, actor);
        return item(user.collectionId, user.id, user.listingIds[1]!, user.id);
      },
      // Into the collection shared with them (alice: VIEW, carol: EDIT), else into someone else's.
      'into a shared or another user’s collection': (w, actor) => {
        const user = actingUser(w, actor);
        if (actor === 'carol') return item(w.bobEdit.collectionId, w.bob.id, user.listingIds[1]!, user.id);
        if (actor === 'bob') return item(w.alice.collectionId, w.alice.id, w.bob.listingIds[2]!, user.id);
        if (actor === 'alice' || actor === 'aliceClaimingAdmin')
          return item(w.bob.collectionId, w.bob.id, user.listingIds[1]!, user.id);
        return item(w.bob.collectionId, w.bob.id, w.bob.listingIds[2]!, user.id);
      },
    },
    expect: {
      alice: {
        select: ['alice', 'bob'],
        update: ['alice'],
        delete: ['alice'],
        insert: { 'into own collection': 'ok', 'into a shared or another user’s collection': 'rls' },
      },
      // The item carol added is bob's (owner_id is the collection's owner): he changes and removes it.
      bob: {
        select: ['bob', 'bob.edit', 'bob.edit.byCarol'],
        update: ['bob', 'bob.edit', 'bob.edit.byCarol'],
        delete: ['bob', 'bob.edit', 'bob.edit.byCarol'],
        insert: { 'into own collection': 'ok', 'into a shared or another user’s collection': 'rls' },
      },
      // EDIT: carol changes and removes the items of bob's collection shared with her, and adds to it.
      carol: {
        select: ['carol', 'bob.edit', 'bob.edit.byCarol'],
        update: ['carol', 'bob.edit', 'bob.edit.byCarol'],
        delete: ['carol', 'bob.edit', 'bob.edit.byCarol'],
        insert: { 'into own collection': 'ok', 'into a shared or another user’s collection': 'ok' },
      },
      admin: {
        select: ALL,
        update: ALL,
        delete: ALL,
        insert: { 'into own collection': 'ok', 'into a shared or another user’s collection': 'ok' },
      },
      // Without a viewer no listing is visible, so the listing check refuses before the policy does.
      noUser: {
        select: [],
        update: [],
        delete: [],
        insert: {
          'into own collection': /listing .* not found/,
          'into a shared or another user’s collection': /listing .* not found/,
        },
      },
      sync: allDenied(['into own collection', 'into a shared or another user’s collection']),
      noRole: allDenied(['into own collection', 'into a shared or another user’s collection']),
    },
  },
  {
    table: 'collection_shares',
    rows: (w) => ({
      'bob→alice VIEW': w.shares.aliceView.id,
      'bob→carol EDIT': w.shares.carolEdit.id,
      'alice→carol’s address, pending': w.shares.pending.id,
    }),
    touch: 'permission = permission',
    inserts: {
      // Share one's own collection with someone who has no share on it yet.
      'share own collection': (w, actor) => {
        const owner = actingUser(w, actor);
        return share(owner.collectionId, owner.id, owner.id === w.bob.id ? w.carol : w.bob, 'VIEW');
      },
      // Share one's own collection with an address no user holds yet: it waits (grantee_id NULL).
      'share own collection, pending': (w, actor) => {
        const owner = actingUser(w, actor);
        return pendingShare(owner.collectionId, owner.id, `nobody-${randomUUID()}@example.com`);
      },
      // Grant oneself EDIT on someone else's collection (for alice: the one shared with her as VIEW).
      'grant self EDIT on another user’s collection': (w, actor) => {
        const target = someoneElse(w, actor);
        return share(target.collectionId, target.id, actingUser(w, actor), 'EDIT');
      },
    },
    expect: {
      // A grantee sees and may leave (delete) their own share, but cannot change it. A share waiting
      // for its user is its owner's alone: carol, whose address it names, does not see it.
      alice: {
        select: ['bob→alice VIEW', 'alice→carol’s address, pending'],
        update: ['alice→carol’s address, pending'],
        delete: ['bob→alice VIEW', 'alice→carol’s address, pending'],
        insert: { ...SHARE_OWN_OK, 'grant self EDIT on another user’s collection': 'rls' },
      },
      bob: {
        select: ['bob→alice VIEW', 'bob→carol EDIT'],
        update: ['bob→alice VIEW', 'bob→carol EDIT'],
        delete: ['bob→alice VIEW', 'bob→carol EDIT'],
        insert: { ...SHARE_OWN_OK, 'grant self EDIT on another user’s collection': 'rls' },
      },
      carol: {
        select: ['bob→carol EDIT'],
        update: [],
        delete: ['bob→carol EDIT'],
        insert: { ...SHARE_OWN_OK, 'grant self EDIT on another user’s collection': 'rls' },
      },
      admin: {
        select: ALL,
        update: ALL,
        delete: ALL,
        insert: { ...SHARE_OWN_OK, 'grant self EDIT on another user’s collection': 'ok' },
      },
      noUser: {
        select: [],
        update: [],
        delete: [],
        insert: {
          'share own collection': 'rls',
          'share own collection, pending': 'rls',
          'grant self EDIT on another user’s collection': 'rls',
        },
      },
      sync: allDenied(SHARE_INSERTS),
      noRole: allDenied(SHARE_INSERTS),
    },
  },
  {
    table: 'audit_events',
    rows: (w) => ({
      alice: w.alice.auditEventId,
      'sync→alice': w.syncAuditEventId,
      bob: w.bob.auditEventId,
      carol: w.carol.auditEventId,
      admin: w.admin.auditEventId,
    }),
    touch: 'type = type',
    inserts: {
      'about oneself': (w, actor) => audit(actingUser(w, actor).id, actingUser(w, actor).id),
      'about another user': (w, actor) => audit(actingUser(w, actor).id, someoneElse(w, actor).id),
      'in another user’s name': (w, actor) => audit(someoneElse(w, actor).id, actingUser(w, actor).id),
    },
    expect: {
      // Append-only: nobody updates or deletes. Users read events about themselves, admins all.
      alice: {
        select: ['alice', 'sync→alice'],
        update: DENIED,
        delete: DENIED,
        insert: { 'about oneself': 'ok', 'about another user': 'rls', 'in another user’s name': 'rls' },
      },
      bob: {
        select: ['bob'],
        update: DENIED,
        delete: DENIED,
        insert: { 'about oneself': 'ok', 'about another user': 'rls', 'in another user’s name': 'rls' },
      },
      carol: {
        select: ['carol'],
        update: DENIED,
        delete: DENIED,
        insert: { 'about oneself': 'ok', 'about another user': 'rls', 'in another user’s name': 'rls' },
      },
      admin: {
        select: ALL,
        update: DENIED,
        delete: DENIED,
        insert: { 'about oneself': 'ok', 'about another user': 'ok', 'in another user’s name': 'rls' },
      },
      noUser: {
        select: [],
        update: DENIED,
        delete: DENIED,
        insert: { 'about oneself': 'rls', 'about another user': 'rls', 'in another user’s name': 'rls' },
      },
      // The sync role records events (webhooks, provisioning) but cannot read them back.
      sync: {
        select: DENIED,
        update: DENIED,
        delete: DENIED,
        insert: { 'about oneself': 'ok', 'about another user': 'ok', 'in another user’s name': 'ok' },
      },
      noRole: allDenied(['about oneself', 'about another user', 'in another user’s name']),
    },
  },
  {
    table: 'webhook_events',
    rows: (w) => ({ event: w.webhookEventId }),
    touch: 'attempts = attempts',
    inserts: {
      'new event': () => ({
        text: `INSERT INTO webhook_events (svix_id, type) VALUES ($1, 'user.updated')`,
        values: [`msg_${randomUUID()}`],
      }),
    },
    expect: {
      alice: allDenied(['new event']),
      bob: allDenied(['new event']),
      carol: allDenied(['new event']),
      admin: { select: ALL, update: DENIED, delete: DENIED, insert: { 'new event': 'denied' } },
      noUser: allDenied(['new event']),
      sync: { select: ALL, update: ALL, delete: DENIED, insert: { 'new event': 'ok' } },
      noRole: allDenied(['new event']),
    },
  },
  {
    table: 'tenant_settings',
    rows: (w) => ({ setting: w.tenantSettingKey }),
    touch: 'value = value',
    inserts: {
      'new setting': () => ({
        text: `INSERT INTO tenant_settings (key, value) VALUES ($1, '1')`,
        values: [`test.${randomUUID()}`],
      }),
    },
    expect: {
      alice: { select: ALL, update: DENIED, delete: DENIED, insert: { 'new setting': 'denied' } },
      bob: { select: ALL, update: DENIED, delete: DENIED, insert: { 'new setting': 'denied' } },
      carol: { select: ALL, update: DENIED, delete: DENIED, insert: { 'new setting': 'denied' } },
      admin: { select: ALL, update: ALL, delete: ALL, insert: { 'new setting': 'ok' } },
      // Fail closed: no viewer, no settings (see fail-closed.test.ts).
      noUser: { select: [], update: DENIED, delete: DENIED, insert: { 'new setting': 'denied' } },
      // Provisioning and webhooks read signupsEnabled; they never write settings.
      sync: { select: ALL, update: DENIED, delete: DENIED, insert: { 'new setting': 'denied' } },
      noRole: allDenied(['new setting']),
    },
  },
  {
    // Only app_rate_limit touches the counters (rate-limits.test.ts); no caller listed here can.
    table: 'rate_limits',
    rows: (w) => ({ counter: w.rateLimitKey }),
    touch: 'points = points',
    inserts: {
      'new counter': () => ({
        text: `INSERT INTO rate_limits (key, points, expire) VALUES ($1, 1, NULL)`,
        values: [`test:${randomUUID()}`],
      }),
    },
    expect: {
      alice: allDenied(['new counter']),
      bob: allDenied(['new counter']),
      carol: allDenied(['new counter']),
      admin: allDenied(['new counter']),
      noUser: allDenied(['new counter']),
      sync: allDenied(['new counter']),
      noRole: allDenied(['new counter']),
    },
  },
];

function item(collectionId: string, ownerId: string, listingId: string, addedById: string): Query {
  return {
    text: `INSERT INTO collection_items (collection_id, owner_id, listing_id, added_by_id) VALUES ($1, $2, $3, $4)`,
    values: [collectionId, ownerId, listingId, addedById],
  };
}

/** A share to `grantee`'s address, bound to them. */
function share(collectionId: string, ownerId: string, grantee: SeededUser, permission: 'VIEW' | 'EDIT'): Query {
  return {
    text: `INSERT INTO collection_shares (collection_id, owner_id, grantee_email, grantee_id, permission) VALUES ($1, $2, $3, $4, $5)`,
    values: [collectionId, ownerId, grantee.email, grantee.id, permission],
  };
}

/** A share to an address no user holds (yet): grantee_id NULL. */
function pendingShare(collectionId: string, ownerId: string, email: string): Query {
  return {
    text: `INSERT INTO collection_shares (collection_id, owner_id, grantee_email, grantee_id, permission) VALUES ($1, $2, $3, NULL, 'EDIT')`,
    values: [collectionId, ownerId, email],
  };
}

function audit(actorId: string, subjectUserId: string): Query {
  return {
    text: `INSERT INTO audit_events (type, actor_id, subject_user_id) VALUES ('test', $1, $2)`,
    values: [actorId, subjectUserId],
  };
}

let client: pg.Client;
let world: World;

beforeAll(async () => {
  client = await connectAs(inject('database').url);
  world = await seedWorld(client);
});

afterAll(async () => {
  await client?.end();
});

/** Labels of `keys` among the table's seeded rows, sorted. */
function labelsOf(spec: TableSpec, keys: string[]): string[] {
  const byKey = new Map(Object.entries(spec.rows(world)).map(([label, key]) => [key, label]));
  return keys.map((key) => byKey.get(key) ?? `unexpected ${key}`).sort();
}

function expected(spec: TableSpec, rows: Rows): string[] | typeof DENIED {
  if (rows === DENIED) return DENIED;
  return [...(rows === ALL ? Object.keys(spec.rows(world)) : rows)].sort();
}

/** The labels the statement returns, or DENIED on "permission denied"; any other error fails the test. */
async function run(spec: TableSpec, actor: Actor, statement: string): Promise<string[] | typeof DENIED> {
  return withRollback(client, async () => {
    await become(client, world, actor);
    try {
      const result = await client.query<Record<string, string>>(statement, [Object.values(spec.rows(world))]);
      return labelsOf(
        spec,
        result.rows.map((row) => row[keyOf(spec.table)]!),
      );
    } catch (error) {
      if ((error as Error).message === `permission denied for table ${spec.table}`) return DENIED;
      throw error;
    }
  });
}

const OPERATIONS = {
  select: ({ table }: TableSpec) => `SELECT ${keyOf(table)} FROM ${table} WHERE ${keyOf(table)} = ANY($1)`,
  update: ({ table, touch }: TableSpec) =>
    `UPDATE ${table} SET ${touch} WHERE ${keyOf(table)} = ANY($1) RETURNING ${keyOf(table)}`,
  delete: ({ table }: TableSpec) => `DELETE FROM ${table} WHERE ${keyOf(table)} = ANY($1) RETURNING ${keyOf(table)}`,
} as const;

describe('coverage', () => {
  it('every table of the Prisma data model has a spec here, and every spec is of such a table', () => {
    expect(TABLES.map((spec) => spec.table).sort()).toEqual([...PROTECTED_TABLES].sort());
  });
});

for (const spec of TABLES) {
  describe(spec.table, () => {
    for (const operation of ['select', 'update', 'delete'] as const) {
      describe(operation, () => {
        for (const actor of ACTORS) {
          const expectation = spec.expect[actor === 'aliceClaimingAdmin' ? 'alice' : actor];
          const want = () => expected(spec, expectation[operation]);
          it(`${ACTOR_DESCRIPTIONS[actor]}: ${describeRows(expectation[operation])}`, async () => {
            expect(await run(spec, actor, OPERATIONS[operation](spec))).toEqual(want());
          });
        }
      });
    }

    describe('insert', () => {
      for (const [insertCase, build] of Object.entries(spec.inserts)) {
        for (const actor of ACTORS) {
          const outcome = spec.expect[actor === 'aliceClaimingAdmin' ? 'alice' : actor].insert[insertCase];
          it(`${insertCase} as ${ACTOR_DESCRIPTIONS[actor]}: ${String(outcome)}`, async () => {
            const query = build(world, actor);
            const error = await withRollback(client, async () => {
              await become(client, world, actor);
              return sqlError(client.query(query.text, query.values));
            });
            if (outcome === 'ok') expect(error).toBeNull();
            else if (outcome === 'rls')
              expect(error?.message).toBe(`new row violates row-level security policy for table "${spec.table}"`);
            else if (outcome === 'denied') expect(error?.message).toBe(`permission denied for table ${spec.table}`);
            else if (outcome instanceof RegExp) expect(error?.message).toMatch(outcome);
            else throw new Error(`no expected outcome for ${insertCase} as ${actor}`);
          });
        }
      }
    });
  });
}

function describeRows(rows: Rows): string {
  if (rows === DENIED) return 'permission denied';
  if (rows === ALL) return 'all rows';
  return rows.length === 0 ? 'no rows' : rows.join(', ');
}

// ── Behaviour the matrix does not spell out ───────────────────────────────────────────────────

async function as<T>(actor: Actor, fn: () => Promise<T>): Promise<T> {
  return withRollback(client, async () => {
    await become(client, world, actor);
    return fn();
  });
}

async function count(text: string, values: unknown[] = []): Promise<number> {
  const result = await client.query<{ n: string }>(`SELECT count(*) AS n FROM (${text}) AS q`, values);
  return Number(result.rows[0]!.n);
}

describe('users: column grants', () => {
  it.each(['role', 'active', 'clerk_id', 'deleted_at', 'email', 'email_verified'])(
    'a user cannot change their own %s (column grants)',
    async (column) => {
      const error = await as('alice', () =>
        sqlError(client.query(`UPDATE users SET ${column} = ${column} WHERE id = $1`, [world.alice.id])),
      );
      expect(error?.message).toBe('permission denied for table users');
    },
  );

  it('a user updates their own profile and preferences', async () => {
    const updated = await as('alice', async () => {
      await client.query(`UPDATE users SET first_name = 'Alicia', preferences = '{"theme": "dark"}' WHERE id = $1`, [
        world.alice.id,
      ]);
      return (await client.query(`SELECT first_name, preferences FROM users WHERE id = $1`, [world.alice.id])).rows;
    });
    expect(updated).toEqual([{ first_name: 'Alicia', preferences: { theme: 'dark' } }]);
  });

  it('a user claiming ADMIN in app.current_user_role still cannot promote themselves', async () => {
    const error = await as('aliceClaimingAdmin', () =>
      sqlError(client.query(`UPDATE users SET role = 'ADMIN' WHERE id = $1`, [world.alice.id])),
    );
    expect(error?.message).toBe('permission denied for table users');
  });

  it('an admin changes roles and deactivates users', async () => {
    const rows = await as('admin', async () => {
      await client.query(`UPDATE users SET role = 'ADMIN', active = false WHERE id = $1`, [world.bob.id]);
      return (await client.query(`SELECT role, active FROM users WHERE id = $1`, [world.bob.id])).rows;
    });
    expect(rows).toEqual([{ role: 'ADMIN', active: false }]);
  });
});

describe('listings: ownership', () => {
  it('an owner cannot hand a listing to someone else', async () => {
    const error = await as('alice', () =>
      sqlError(
        client.query(`UPDATE listings SET owner_id = $1 WHERE id = $2`, [world.bob.id, world.alice.listingIds[0]]),
      ),
    );
    expect(error?.message).toBe('new row violates row-level security policy for table "listings"');
  });

  it('without filtering by owner, bob sees his own listings and the one carol added to his collection (RLS alone)', async () => {
    const ids = await as('bob', async () =>
      (await client.query<{ id: string }>(`SELECT id FROM listings`)).rows.map((row) => row.id),
    );
    expect(ids.sort()).toEqual([...world.bob.listingIds, world.carol.listingIds[2]].sort());
  });
});

describe('sharing', () => {
  it('alice reads the collection bob shared with her (VIEW), its items and their listings', async () => {
    const seen = await as('alice', async () => ({
      collection: (await client.query(`SELECT name FROM collections WHERE id = $1`, [world.bob.collectionId])).rows,
      items: (
        await client.query(`SELECT listing_id FROM collection_items WHERE collection_id = $1`, [world.bob.collectionId])
      ).rows,
      listings: (await client.query(`SELECT id, title FROM listings WHERE owner_id = $1`, [world.bob.id])).rows,
    }));
    expect(seen).toEqual({
      collection: [{ name: "bob's picks" }],
      items: [{ listing_id: world.bob.listingIds[0] }],
      listings: [{ id: world.bob.listingIds[0], title: 'bob listing 0' }],
    });
  });

  it('alice (VIEW) cannot change the shared listing, the collection or its items', async () => {
    const changed = await as('alice', async () => ({
      listing: (await client.query(`UPDATE listings SET title = 'mine' WHERE id = $1`, [world.bob.listingIds[0]]))
        .rowCount,
      listingDeleted: (await client.query(`DELETE FROM listings WHERE id = $1`, [world.bob.listingIds[0]])).rowCount,
      collection: (await client.query(`UPDATE collections SET name = 'mine' WHERE id = $1`, [world.bob.collectionId]))
        .rowCount,
      item: (await client.query(`DELETE FROM collection_items WHERE collection_id = $1`, [world.bob.collectionId]))
        .rowCount,
      share: (
        await client.query(`UPDATE collection_shares SET permission = 'EDIT' WHERE id = $1`, [
          world.shares.aliceView.id,
        ])
      ).rowCount,
    }));
    expect(changed).toEqual({ listing: 0, listingDeleted: 0, collection: 0, item: 0, share: 0 });
  });

  it('alice (VIEW) cannot add an item to the shared collection', async () => {
    const { text, values } = item(world.bob.collectionId, world.bob.id, world.alice.listingIds[1]!, world.alice.id);
    const error = await as('alice', () => sqlError(client.query(text, values)));
    expect(error?.message).toBe('new row violates row-level security policy for table "collection_items"');
  });

  it('carol (EDIT) adds her listing to the shared collection, bob sees the item, and carol removes it again', async () => {
    const result = await as('carol', async () => {
      const added = item(world.bobEdit.collectionId, world.bob.id, world.carol.listingIds[1]!, world.carol.id);
      const { rows } = await client.query<{ id: string }>(`${added.text} RETURNING id`, added.values);
      const itemsNow = await count(`SELECT 1 FROM collection_items WHERE collection_id = $1`, [
        world.bobEdit.collectionId,
      ]);
      await becomeUser(client, { userId: world.bob.id, role: 'app_user' });
      const bobSees = await count(`SELECT 1 FROM collection_items WHERE id = $1`, [rows[0]!.id]);
      await becomeUser(client, { userId: world.carol.id, role: 'app_user' });
      const removed = (await client.query(`DELETE FROM collection_items WHERE id = $1`, [rows[0]!.id])).rowCount;
      return { itemsNow, bobSees, removed };
    });
    // Bob's item, the one carol added when the world was seeded, and this one.
    expect(result).toEqual({ itemsNow: 3, bobSees: 1, removed: 1 });
  });

  it('carol (EDIT) cannot rename or delete the shared collection, nor change her share', async () => {
    const changed = await as('carol', async () => ({
      renamed: (
        await client.query(`UPDATE collections SET name = 'carol''s now' WHERE id = $1`, [world.bobEdit.collectionId])
      ).rowCount,
      deleted: (await client.query(`DELETE FROM collections WHERE id = $1`, [world.bobEdit.collectionId])).rowCount,
      shareChanged: (
        await client.query(`UPDATE collection_shares SET grantee_id = $1 WHERE id = $2`, [
          world.alice.id,
          world.shares.carolEdit.id,
        ])
      ).rowCount,
    }));
    expect(changed).toEqual({ renamed: 0, deleted: 0, shareChanged: 0 });
  });

  it('carol (EDIT) cannot move an item into a collection she may not edit', async () => {
    const error = await as('carol', () =>
      sqlError(
        client.query(`UPDATE collection_items SET collection_id = $1 WHERE id = $2`, [
          world.bob.collectionId,
          world.bobEdit.collectionItemId,
        ]),
      ),
    );
    expect(error?.message).toBe('new row violates row-level security policy for table "collection_items"');
  });

  it.each([
    {
      name: 'carol (EDIT) adding alice’s listing to bob’s collection',
      actor: 'carol',
      query: () => item(world.bobEdit.collectionId, world.bob.id, world.alice.listingIds[1]!, world.carol.id),
      invisible: () => world.alice.listingIds[1],
    },
    {
      name: 'bob adding carol’s listing to his own collection',
      actor: 'bob',
      query: () => item(world.bob.collectionId, world.bob.id, world.carol.listingIds[1]!, world.bob.id),
      invisible: () => world.carol.listingIds[1],
    },
    {
      name: 'carol (EDIT) repointing an item at alice’s listing',
      actor: 'carol',
      query: () => ({
        text: `UPDATE collection_items SET listing_id = $1 WHERE id = $2`,
        values: [world.alice.listingIds[1], world.bobEdit.collectionItemId],
      }),
      invisible: () => world.alice.listingIds[1],
    },
  ] as const)(
    'an item cannot reference a listing its author cannot see: $name',
    async ({ actor, query, invisible }) => {
      const { text, values } = query();
      const error = await as(actor, () => sqlError(client.query(text, values)));
      expect(error).toEqual({ code: '23503', message: `listing ${invisible()} not found` });
    },
  );

  it('an item must belong to its collection’s owner (composite foreign key)', async () => {
    // alice pretends the item is hers to get past the owner policy: the key pins it to bob.
    const { text, values } = item(world.bob.collectionId, world.alice.id, world.alice.listingIds[1]!, world.alice.id);
    const error = await as('alice', () => sqlError(client.query(text, values)));
    expect(error?.code).toBe('23503');
    expect(error?.message).toContain('collection_items_collection_id_owner_id_fkey');
  });

  // Seeing a listing is not enough to add it: every listing in a collection shared with you is
  // readable, so otherwise a grantee could re-share someone else's listing (and it would stay shared
  // after the owner revoked the grantee).
  it('alice (VIEW) cannot put bob’s shared listing into her own collection (re-sharing it)', async () => {
    const { text, values } = item(world.alice.collectionId, world.alice.id, world.bob.listingIds[0]!, world.alice.id);
    const error = await as('alice', () => sqlError(client.query(text, values)));
    expect(error).toEqual({ code: '23503', message: `listing ${world.bob.listingIds[0]} not found` });
  });

  it('bob cannot move the listing carol contributed into a collection she has no part in', async () => {
    const moved = await as('carol', async () => {
      const { text, values } = item(
        world.bobEdit.collectionId,
        world.bob.id,
        world.carol.listingIds[1]!,
        world.carol.id,
      );
      const { rows } = await client.query<{ id: string }>(`${text} RETURNING id`, values);
      await becomeUser(client, { userId: world.bob.id, role: 'app_user' });
      return sqlError(
        client.query(`UPDATE collection_items SET collection_id = $1 WHERE id = $2`, [
          world.bob.collectionId,
          rows[0]!.id,
        ]),
      );
    });
    expect(moved).toEqual({ code: '23503', message: `listing ${world.carol.listingIds[1]} not found` });
  });

  it('when bob revokes the share, alice no longer sees the collection, its items or its listings', async () => {
    const seen = await as('bob', async () => {
      await client.query(`DELETE FROM collection_shares WHERE id = $1`, [world.shares.aliceView.id]);
      await becomeUser(client, { userId: world.alice.id, role: 'app_user' });
      return {
        collections: await count(`SELECT 1 FROM collections WHERE id = $1`, [world.bob.collectionId]),
        items: await count(`SELECT 1 FROM collection_items WHERE collection_id = $1`, [world.bob.collectionId]),
        listings: await count(`SELECT 1 FROM listings WHERE owner_id = $1`, [world.bob.id]),
      };
    });
    expect(seen).toEqual({ collections: 0, items: 0, listings: 0 });
  });

  it('carol can leave a share; she then loses the collection', async () => {
    const seen = await as('carol', async () => {
      const left = (await client.query(`DELETE FROM collection_shares WHERE id = $1`, [world.shares.carolEdit.id]))
        .rowCount;
      return {
        left,
        collections: await count(`SELECT 1 FROM collections WHERE id = $1`, [world.bobEdit.collectionId]),
      };
    });
    expect(seen).toEqual({ left: 1, collections: 0 });
  });

  it('a share waiting for carol’s address grants her nothing, and she cannot bind it to herself', async () => {
    const seen = await as('carol', async () => ({
      collections: await count(`SELECT 1 FROM collections WHERE id = $1`, [world.alice.collectionId]),
      items: await count(`SELECT 1 FROM collection_items WHERE collection_id = $1`, [world.alice.collectionId]),
      listings: await count(`SELECT 1 FROM listings WHERE owner_id = $1`, [world.alice.id]),
      share: await count(`SELECT 1 FROM collection_shares WHERE id = $1`, [world.shares.pending.id]),
      bound: (
        await client.query(`UPDATE collection_shares SET grantee_id = $1 WHERE id = $2`, [
          world.carol.id,
          world.shares.pending.id,
        ])
      ).rowCount,
    }));
    expect(seen).toEqual({ collections: 0, items: 0, listings: 0, share: 0, bound: 0 });
  });
});

describe('audit_events: the sync role writes blind', () => {
  it('the sync role cannot read back what it wrote (INSERT … RETURNING is refused)', async () => {
    const { text, values } = audit(world.alice.id, world.alice.id);
    const error = await as('sync', () => sqlError(client.query(`${text} RETURNING id`, values)));
    expect(error?.message).toBe('permission denied for table audit_events');
  });
});

describe('app_sync: no deal data', () => {
  // tenant_settings: it reads them (signupsEnabled gates provisioning), never writes them (matrix above).
  const dealTables = PROTECTED_TABLES.filter(
    (t) => !['users', 'audit_events', 'webhook_events', 'tenant_settings'].includes(t),
  );
  it.each(dealTables)('cannot read %s', async (table) => {
    const error = await as('sync', () => sqlError(client.query(`SELECT 1 FROM ${table} LIMIT 1`)));
    expect(error?.message).toBe(`permission denied for table ${table}`);
  });
});
