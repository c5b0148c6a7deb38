// Sharing collections by email at the SQL level (migration 20261207000300_collections): a share
// waiting for its user grants nothing; the SECURITY DEFINER functions answer only what they are
// for and only to the roles they are granted to; the collection owner reads every listing in their
// collection ("owner included"), until the item is removed. Everything runs as the production roles
// through the authenticator, in transactions that are rolled back.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type pg from 'pg';
import { becomeSync, becomeUser, connectAs, sqlError, withRollback } from '../support/sql.js';

interface User {
  id: string;
  email: string;
}

let client: pg.Client;
const tag = randomUUID();
let owner: User;
/** Has a verified address. */
let verified: User;
/** Has an address that is not verified. */
let unverified: User;
let ownerListing: string;
let collectionId: string;

async function one<T>(text: string, values: unknown[] = []): Promise<T> {
  const { rows } = await client.query<T & pg.QueryResultRow>(text, values);
  if (rows.length !== 1) throw new Error(`expected one row from: ${text}`);
  return rows[0]!;
}

/** As app_sync, like the webhook sync: a user with the given address. */
async function createUser(name: string, emailVerified: boolean): Promise<User> {
  const email = `${name}-${tag}@example.com`;
  const { id } = await one<{ id: string }>(
    `INSERT INTO users (clerk_id, email, email_verified, first_name, last_name) VALUES ($1, $2, $3, $4, 'Sharer') RETURNING id`,
    [`user_${randomUUID().replaceAll('-', '')}`, email, emailVerified, name],
  );
  return { id, email };
}

const asUser = (user: User) => becomeUser(client, { userId: user.id, role: 'app_user' });

async function share(email: string, granteeId: string | null, permission = 'VIEW'): Promise<string> {
  const { id } = await one<{ id: string }>(
    `INSERT INTO collection_shares (collection_id, owner_id, grantee_email, grantee_id, permission)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [collectionId, owner.id, email, granteeId, permission],
  );
  return id;
}

const sees = async (table: string, id: string) =>
  (await client.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id])).rowCount === 1;

beforeAll(async () => {
  client = await connectAs(inject('database').url);
  await client.query('BEGIN');
  await becomeSync(client);
  owner = await createUser('owner', true);
  verified = await createUser('verified', true);
  unverified = await createUser('unverified', false);
  await asUser(owner);
  ownerListing = (
    await one<{ id: string }>(`INSERT INTO listings (owner_id, title, price) VALUES ($1, 'x', 1) RETURNING id`, [
      owner.id,
    ])
  ).id;
  collectionId = (
    await one<{ id: string }>(`INSERT INTO collections (owner_id, name) VALUES ($1, 'c') RETURNING id`, [owner.id])
  ).id;
  await client.query(
    `INSERT INTO collection_items (collection_id, owner_id, listing_id, position) VALUES ($1, $2, $3, 0)`,
    [collectionId, owner.id, ownerListing],
  );
  await client.query('COMMIT');
});

afterAll(async () => {
  await client?.end();
});

describe('a share waiting for its user', () => {
  it('grants nothing: not the collection, its items, its listings, nor the share itself', async () => {
    const seen = await withRollback(client, async () => {
      await asUser(owner);
      const shareId = await share(unverified.email, null, 'EDIT');
      await asUser(unverified);
      return {
        collection: await sees('collections', collectionId),
        listing: await sees('listings', ownerListing),
        items: (await client.query(`SELECT 1 FROM collection_items WHERE collection_id = $1`, [collectionId])).rowCount,
        share: await sees('collection_shares', shareId),
        sharedIds: (await client.query(`SELECT * FROM app_shared_collection_ids()`)).rowCount,
      };
    });
    expect(seen).toEqual({ collection: false, listing: false, items: 0, share: false, sharedIds: 0 });
  });

  it('stores the address lower-case only, once per collection; any number of shares may wait', async () => {
    const errors = await withRollback(client, async () => {
      await asUser(owner);
      await share(`a-${tag}@example.com`, null);
      await share(`b-${tag}@example.com`, null);
      await client.query('SAVEPOINT s');
      const upper = await sqlError(share(`Upper-${tag}@example.com`, null));
      await client.query('ROLLBACK TO SAVEPOINT s');
      const twice = await sqlError(share(`a-${tag}@example.com`, null));
      return { upper: upper?.code, twice: twice?.code };
    });
    expect(errors).toEqual({ upper: '23514', twice: '23505' });
  });

  it('a pending share cannot be bound by the owner’s runtime role through the definer’s policy', async () => {
    // collection_shares_definer_bind is for the migration role only: app_user changes shares only
    // through its owner policy, and a stranger not at all.
    const changed = await withRollback(client, async () => {
      await asUser(owner);
      const shareId = await share(`pending-${tag}@example.com`, null);
      await asUser(verified);
      return (await client.query(`UPDATE collection_shares SET grantee_id = $1 WHERE id = $2`, [verified.id, shareId]))
        .rowCount;
    });
    expect(changed).toBe(0);
  });
});

describe('app_user_id_for_verified_email', () => {
  const lookup = (email: string) =>
    withRollback(client, async () => {
      await asUser(owner);
      return (await one<{ id: string | null }>(`SELECT app_user_id_for_verified_email($1) AS id`, [email])).id;
    });

  it('finds the user holding the address verified, whatever its case or spacing', async () => {
    expect(await lookup(verified.email)).toBe(verified.id);
    expect(await lookup(`  ${verified.email.toUpperCase()} `)).toBe(verified.id);
  });

  it('is null for an unknown address, an unverified one, and a deleted user’s', async () => {
    expect(await lookup(`nobody-${tag}@example.com`)).toBeNull();
    expect(await lookup(unverified.email)).toBeNull();
    const deleted = await withRollback(client, async () => {
      await becomeSync(client);
      const user = await createUser('deleted', true);
      await client.query(`UPDATE users SET deleted_at = now() WHERE id = $1`, [user.id]);
      await asUser(owner);
      return (await one<{ id: string | null }>(`SELECT app_user_id_for_verified_email($1) AS id`, [user.email])).id;
    });
    expect(deleted).toBeNull();
  });

  it('is null when two live users hold the same verified address (never guess)', async () => {
    const found = await withRollback(client, async () => {
      await becomeSync(client);
      await client.query(`INSERT INTO users (clerk_id, email, email_verified) VALUES ($1, $2, true)`, [
        `user_${randomUUID().replaceAll('-', '')}`,
        verified.email,
      ]);
      await asUser(owner);
      return (await one<{ id: string | null }>(`SELECT app_user_id_for_verified_email($1) AS id`, [verified.email])).id;
    });
    expect(found).toBeNull();
  });
});

describe('app_claim_collection_shares (app_sync, from the webhook sync)', () => {
  /** Shares as the owner, then claims for `claimant` as app_sync; the share rows afterwards. */
  async function claim(claimant: User, setup: () => Promise<void>) {
    return withRollback(client, async () => {
      await asUser(owner);
      await setup();
      await becomeSync(client);
      const { claimed } = await one<{ claimed: number }>(`SELECT app_claim_collection_shares($1) AS claimed`, [
        claimant.id,
      ]);
      await asUser(owner);
      const { rows } = await client.query<{ grantee_email: string; grantee_id: string | null }>(
        `SELECT grantee_email, grantee_id FROM collection_shares WHERE collection_id = $1 ORDER BY grantee_email`,
        [collectionId],
      );
      return { claimed, shares: rows };
    });
  }

  it('binds the shares waiting for the user’s verified address, and they then grant access', async () => {
    const result = await withRollback(client, async () => {
      await asUser(owner);
      await share(verified.email, null, 'EDIT');
      await asUser(verified);
      const before = await sees('collections', collectionId);
      await becomeSync(client);
      const { claimed } = await one<{ claimed: number }>(`SELECT app_claim_collection_shares($1) AS claimed`, [
        verified.id,
      ]);
      await asUser(verified);
      return {
        before,
        claimed,
        after: await sees('collections', collectionId),
        listing: await sees('listings', ownerListing),
      };
    });
    expect(result).toEqual({ before: false, claimed: 1, after: true, listing: true });
  });

  it('binds nothing for an unverified address', async () => {
    expect(await claim(unverified, async () => void (await share(unverified.email, null)))).toEqual({
      claimed: 0,
      shares: [{ grantee_email: unverified.email, grantee_id: null }],
    });
  });

  it('never binds a share of the claimant’s own collection to them', async () => {
    expect(await claim(owner, async () => void (await share(owner.email, null)))).toEqual({
      claimed: 0,
      shares: [{ grantee_email: owner.email, grantee_id: null }],
    });
  });

  it('leaves a share waiting when the user already has one of the collection under another address', async () => {
    const old = `old-${tag}@example.com`;
    const result = await claim(verified, async () => {
      await share(old, verified.id);
      await share(verified.email, null);
    });
    expect(result).toEqual({
      claimed: 0,
      shares: [
        { grantee_email: old, grantee_id: verified.id },
        { grantee_email: verified.email, grantee_id: null },
      ],
    });
  });

  it('reads the address itself: claiming for a user does not bind shares to other addresses', async () => {
    const other = `other-${tag}@example.com`;
    expect(await claim(verified, async () => void (await share(other, null)))).toEqual({
      claimed: 0,
      shares: [{ grantee_email: other, grantee_id: null }],
    });
  });
});

describe('app_collection_owners', () => {
  const owners = (who: User) =>
    withRollback(client, async () => {
      await asUser(owner);
      await share(verified.email, verified.id);
      await share(unverified.email, null);
      await asUser(who);
      return (
        await client.query(
          `SELECT collection_id, first_name, last_name, email FROM app_collection_owners($1::uuid[])`,
          [[collectionId]],
        )
      ).rows;
    });

  it('names the owner to the owner and to a grantee with a bound share', async () => {
    const expected = [{ collection_id: collectionId, first_name: 'owner', last_name: 'Sharer', email: owner.email }];
    expect(await owners(owner)).toEqual(expected);
    expect(await owners(verified)).toEqual(expected);
  });

  it('names nobody to someone whose share still waits, or who has none', async () => {
    expect(await owners(unverified)).toEqual([]);
  });
});

describe('who may call the definer functions', () => {
  const calls = {
    lookup: `SELECT app_user_id_for_verified_email('x@example.com')`,
    claim: `SELECT app_claim_collection_shares('${randomUUID()}')`,
    owners: `SELECT * FROM app_collection_owners(ARRAY[]::uuid[])`,
  };
  const outcome = (role: 'app_user' | 'app_admin' | 'app_sync' | 'none', call: keyof typeof calls) =>
    withRollback(client, async () => {
      if (role === 'app_sync') await becomeSync(client);
      else if (role !== 'none') await becomeUser(client, { userId: owner.id, role });
      const error = await sqlError(client.query(calls[call]));
      if (!error) return 'ok';
      return error.message.startsWith('permission denied for function') ? 'permission denied' : error.message;
    });

  it.each([
    ['app_user', { lookup: 'ok', claim: 'permission denied', owners: 'ok' }],
    ['app_admin', { lookup: 'ok', claim: 'permission denied', owners: 'permission denied' }],
    ['app_sync', { lookup: 'permission denied', claim: 'ok', owners: 'permission denied' }],
    ['none', { lookup: 'permission denied', claim: 'permission denied', owners: 'permission denied' }],
  ] as const)('%s: %o', async (role, expected) => {
    const got: Record<string, string> = {};
    for (const call of Object.keys(calls) as (keyof typeof calls)[]) got[call] = await outcome(role, call);
    expect(got).toEqual(expected);
  });
});

describe('listings in the owner’s collections ("owner included")', () => {
  it('the owner reads a listing a grantee added, until the item is removed; nobody else gains it', async () => {
    const seen = await withRollback(client, async () => {
      await asUser(owner);
      await share(verified.email, verified.id, 'EDIT');
      await asUser(verified);
      const theirs = (
        await one<{ id: string }>(`INSERT INTO listings (owner_id, title, price) VALUES ($1, 'g', 1) RETURNING id`, [
          verified.id,
        ])
      ).id;
      const item = (
        await one<{ id: string }>(
          `INSERT INTO collection_items (collection_id, owner_id, listing_id, added_by_id, position) VALUES ($1, $2, $3, $4, 1) RETURNING id`,
          [collectionId, owner.id, theirs, verified.id],
        )
      ).id;
      await asUser(owner);
      const ownerWhileIn = await sees('listings', theirs);
      // Reading it is not owning it: the owner cannot change it.
      const ownerUpdates = (await client.query(`UPDATE listings SET title = 'mine' WHERE id = $1`, [theirs])).rowCount;
      await asUser(unverified);
      const strangerWhileIn = await sees('listings', theirs);
      await asUser(verified);
      await client.query(`DELETE FROM collection_items WHERE id = $1`, [item]);
      await asUser(owner);
      return { ownerWhileIn, ownerUpdates, strangerWhileIn, ownerAfter: await sees('listings', theirs) };
    });
    expect(seen).toEqual({ ownerWhileIn: true, ownerUpdates: 0, strangerWhileIn: false, ownerAfter: false });
  });
});
