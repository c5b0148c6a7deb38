// SQL-level test helpers in the style of graphile/starter: connect as a production role, become a
// viewer for the current transaction exactly as the server does (server/src/db/rls.ts), undo
// everything with a rollback, and seed a small world of users who own, share and audit things.
//
// Every identity and row is created through the authenticator connection with the production
// roles (app_sync for users, each owner as app_user/app_admin for their data), so the fixture itself
// exercises the policies. Ids are unique per call: test files run in parallel on one database.
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';

export type AppRole = 'app_user' | 'app_admin';

/** A connected client for `url`; the caller ends it. */
export async function connectAs(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** `url` pointing at another database of the same cluster (e.g. the superuser URL → the app database). */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The database name of a connection URL. */
export function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

export interface BecomeUserOptions {
  userId: string;
  role: AppRole;
  /** What app.current_user_role says (the token's claim); defaults to the role's own. */
  claimedRole?: string;
}

/**
 * Switches the open transaction to a viewer: one statement, all transaction-local, like the server.
 * Must run inside BEGIN … COMMIT/ROLLBACK (outside a transaction it would last one statement).
 */
export async function becomeUser(client: pg.ClientBase, options: BecomeUserOptions): Promise<void> {
  const claimedRole = options.claimedRole ?? (options.role === 'app_admin' ? 'ADMIN' : 'USER');
  await client.query(
    `SELECT set_config('role', $1, true), set_config('app.current_user_id', $2, true), set_config('app.current_user_role', $3, true)`,
    [options.role, options.userId, claimedRole],
  );
}

/** Switches the open transaction to app_sync (webhooks, provisioning), with no viewer. */
export async function becomeSync(client: pg.ClientBase): Promise<void> {
  await client.query(
    `SELECT set_config('role', 'app_sync', true), set_config('app.current_user_id', '', true), set_config('app.current_user_role', 'SYNC', true)`,
  );
}

/** Runs `fn` inside BEGIN … ROLLBACK: nothing it does survives, whether it returns or throws. */
export async function withRollback<T>(client: pg.ClientBase, fn: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    return await fn(client);
  } finally {
    await client.query('ROLLBACK');
  }
}

/** The SQLSTATE and message of a failed statement, or null when it succeeded. */
export async function sqlError(promise: Promise<unknown>): Promise<{ code: string; message: string } | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    const e = error as { code?: string; message: string };
    return { code: e.code ?? '', message: e.message };
  }
}

export interface SeededUser {
  name: 'alice' | 'bob' | 'carol' | 'admin';
  id: string;
  clerkId: string;
  email: string;
  /** The database role this user's transactions switch to (from users.role). */
  dbRole: AppRole;
  /**
   * listingIds[0] is in the user's collection; bob: [1] is in his EDIT-shared collection, [2] is
   * private; carol: [2] is the one she added to bob's EDIT-shared collection.
   */
  listingIds: string[];
  scoringProfileId: string;
  valuationRulesetId: string;
  collectionId: string;
  /** The item of collectionId (it holds listingIds[0]). */
  collectionItemId: string;
  apiKeyId: string;
  /** An event the user recorded about themselves. */
  auditEventId: string;
}

export interface World {
  alice: SeededUser;
  bob: SeededUser;
  carol: SeededUser;
  admin: SeededUser;
  /** Bob's second collection (holding bob.listingIds[1]), shared with carol (EDIT). */
  bobEdit: {
    collectionId: string;
    collectionItemId: string;
    /** The item carol (EDIT) added: her listingIds[2]. Bob reads that listing ("owner included"). */
    contributedItemId: string;
  };
  shares: {
    /** bob.collectionId shared with alice, VIEW. */
    aliceView: { id: string; collectionId: string };
    /** bobEdit.collectionId shared with carol, EDIT. */
    carolEdit: { id: string; collectionId: string };
    /**
     * alice.collectionId shared (EDIT) with carol's address but waiting for its user (grantee_id
     * NULL, as before a verified address binds it): it must grant carol nothing.
     */
    pending: { id: string; collectionId: string };
  };
  /** Written by app_sync about alice (actor null), like a webhook's user.created. */
  syncAuditEventId: string;
  webhookEventId: string;
  /** A tenant setting written by the admin. */
  tenantSettingKey: string;
  /** A rate-limit counter written by app_rate_limit. */
  rateLimitKey: string;
}

type Identity = Pick<SeededUser, 'name' | 'id' | 'clerkId' | 'email' | 'dbRole'>;

/** As app_sync, like just-in-time provisioning: no role, which app_sync may not write (seedWorld sets it). */
async function createUser(
  client: pg.ClientBase,
  name: SeededUser['name'],
  role: 'USER' | 'ADMIN',
  tag: string,
): Promise<Identity> {
  const clerkId = `user_${randomUUID().replaceAll('-', '')}`;
  const email = `${name}+${tag}@example.com`;
  const id = await insertId(
    client,
    `INSERT INTO users (clerk_id, email, first_name, last_name) VALUES ($1, $2, $3, 'Test')`,
    [clerkId, email, name],
  );
  return { name, id, clerkId, email, dbRole: role === 'ADMIN' ? 'app_admin' : 'app_user' };
}

/** A unique API key prefix in the shape the api_keys table requires: dbk_ and 8 base32 characters. */
export function newApiKeyPrefix(): string {
  const body = randomUUID().replaceAll('-', '').slice(0, 8);
  return `dbk_${body.replace(/[0-9]/g, (digit) => 'abcdefghij'.charAt(Number(digit)))}`;
}

async function insertId(client: pg.ClientBase, text: string, values: unknown[]): Promise<string> {
  const result = await client.query<{ id: string }>(`${text} RETURNING id`, values);
  const row = result.rows[0];
  if (!row) throw new Error(`no row returned by: ${text}`);
  return row.id;
}

/** As the user: listings, a collection holding the first, a profile, a ruleset, an API key, an audit event. */
async function seedOwnedRows(client: pg.ClientBase, user: Identity, listingCount: number): Promise<SeededUser> {
  await becomeUser(client, { userId: user.id, role: user.dbRole });
  const listingIds: string[] = [];
  for (let i = 0; i < listingCount; i++) {
    listingIds.push(
      await insertId(client, `INSERT INTO listings (owner_id, title, price) VALUES ($1, $2, $3)`, [
        user.id,
        `${user.name} listing ${i}`,
        100 + i,
      ]),
    );
  }
  const collectionId = await insertId(client, `INSERT INTO collections (owner_id, name) VALUES ($1, $2)`, [
    user.id,
    `${user.name}'s picks`,
  ]);
  return {
    ...user,
    listingIds,
    collectionId,
    collectionItemId: await insertId(
      client,
      `INSERT INTO collection_items (collection_id, owner_id, listing_id, added_by_id) VALUES ($1, $2, $3, $2)`,
      [collectionId, user.id, listingIds[0]],
    ),
    scoringProfileId: await insertId(
      client,
      `INSERT INTO scoring_profiles (owner_id, name, weights) VALUES ($1, 'default', '{"price": 1}')`,
      [user.id],
    ),
    valuationRulesetId: await insertId(
      client,
      `INSERT INTO valuation_rulesets (owner_id, name, rules) VALUES ($1, 'default', '[]')`,
      [user.id],
    ),
    apiKeyId: await insertId(
      client,
      `INSERT INTO api_keys (owner_id, name, prefix, hash, scopes) VALUES ($1, 'cli', $2, $3, '{READ}')`,
      [user.id, newApiKeyPrefix(), createHash('sha256').update(randomUUID()).digest('hex')],
    ),
    auditEventId: await insertId(
      client,
      `INSERT INTO audit_events (type, actor_id, subject_user_id) VALUES ('api_key.created', $1, $1)`,
      [user.id],
    ),
  };
}

/**
 * Creates, and commits, four users with their data through `client` (an authenticator connection):
 * alice, bob, carol (USER) and admin (ADMIN), each with listings, a scoring profile, a valuation
 * ruleset, a collection holding their first listing, an API key and an audit event; bob shares his
 * collection with alice (VIEW) and a second one with carol (EDIT), to which carol adds a listing of
 * hers; alice's collection has a share to carol's address still waiting for its user. Also one
 * webhook event and one audit event written by app_sync, and one tenant setting written by the admin.
 */
export async function seedWorld(client: pg.ClientBase): Promise<World> {
  const tag = randomUUID();
  await client.query('BEGIN');
  try {
    await becomeSync(client);
    const identities = {
      alice: await createUser(client, 'alice', 'USER', tag),
      bob: await createUser(client, 'bob', 'USER', tag),
      carol: await createUser(client, 'carol', 'USER', tag),
      admin: await createUser(client, 'admin', 'ADMIN', tag),
    };
    // app_sync may insert audit events but not read them back, so no RETURNING: the id is ours.
    const syncAuditEventId = randomUUID();
    await client.query(
      `INSERT INTO audit_events (id, type, actor_id, subject_user_id) VALUES ($1, 'user.created', NULL, $2)`,
      [syncAuditEventId, identities.alice.id],
    );
    const webhookEventId = await insertId(
      client,
      `INSERT INTO webhook_events (svix_id, type, status) VALUES ($1, 'user.created', 'PROCESSED')`,
      [`msg_${tag}`],
    );
    // The admin's role, through the admin path (app_admin), as only it may change a role.
    await becomeUser(client, { userId: identities.admin.id, role: 'app_admin' });
    await client.query(`UPDATE users SET role = 'ADMIN' WHERE id = $1`, [identities.admin.id]);

    const alice = await seedOwnedRows(client, identities.alice, 2);
    // Still alice: a share of her collection to carol's address, not bound to carol.
    const pendingShareId = await insertId(
      client,
      `INSERT INTO collection_shares (collection_id, owner_id, grantee_email, grantee_id, permission) VALUES ($1, $2, $3, NULL, 'EDIT')`,
      [alice.collectionId, alice.id, identities.carol.email],
    );
    const carol = await seedOwnedRows(client, identities.carol, 3);
    const admin = await seedOwnedRows(client, identities.admin, 2);
    const bob = await seedOwnedRows(client, identities.bob, 3);

    // Still bob: a second collection, and the two shares.
    const bobEditCollectionId = await insertId(
      client,
      `INSERT INTO collections (owner_id, name) VALUES ($1, 'bob and carol')`,
      [bob.id],
    );
    const bobEditItemId = await insertId(
      client,
      `INSERT INTO collection_items (collection_id, owner_id, listing_id, added_by_id) VALUES ($1, $2, $3, $2)`,
      [bobEditCollectionId, bob.id, bob.listingIds[1]],
    );
    // Shares name the grantee's address; these are bound to the grantee already.
    const aliceShareId = await insertId(
      client,
      `INSERT INTO collection_shares (collection_id, owner_id, grantee_email, grantee_id, permission) VALUES ($1, $2, $3, $4, 'VIEW')`,
      [bob.collectionId, bob.id, alice.email, alice.id],
    );
    const carolShareId = await insertId(
      client,
      `INSERT INTO collection_shares (collection_id, owner_id, grantee_email, grantee_id, permission) VALUES ($1, $2, $3, $4, 'EDIT')`,
      [bobEditCollectionId, bob.id, carol.email, carol.id],
    );

    // Carol, with EDIT, adds her third listing to bob's collection.
    await becomeUser(client, { userId: carol.id, role: 'app_user' });
    const contributedItemId = await insertId(
      client,
      `INSERT INTO collection_items (collection_id, owner_id, listing_id, added_by_id, position) VALUES ($1, $2, $3, $4, 1)`,
      [bobEditCollectionId, bob.id, carol.listingIds[2], carol.id],
    );

    await becomeUser(client, { userId: admin.id, role: 'app_admin' });
    const tenantSettingKey = `test.${tag}`;
    await client.query(`INSERT INTO tenant_settings (key, value) VALUES ($1, '{"enabled": true}')`, [tenantSettingKey]);

    await client.query(`SELECT set_config('role', 'app_rate_limit', true)`);
    const rateLimitKey = `test:${tag}`;
    await client.query(`INSERT INTO rate_limits (key, points, expire) VALUES ($1, 1, NULL)`, [rateLimitKey]);

    await client.query('COMMIT');
    return {
      alice,
      bob,
      carol,
      admin,
      bobEdit: { collectionId: bobEditCollectionId, collectionItemId: bobEditItemId, contributedItemId },
      shares: {
        aliceView: { id: aliceShareId, collectionId: bob.collectionId },
        carolEdit: { id: carolShareId, collectionId: bobEditCollectionId },
        pending: { id: pendingShareId, collectionId: alice.collectionId },
      },
      syncAuditEventId,
      webhookEventId,
      tenantSettingKey,
      rateLimitKey,
    };
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/** Every table holding user data or settings (all of them have RLS): the Prisma data model's. */
export { PROTECTED_TABLES } from './datamodel.js';
