// Issue 13, finding 6: `npm run users:purge` deletes everything a user owned once they have been deleted
// for longer than USER_PURGE_AFTER_DAYS, through the owner connection, one transaction per user, printing
// counts; --dry-run changes nothing. The owner's own policies let it touch only the rows of users deleted
// more than a day ago. The tombstone and the audit events stay.
// A database of its own: the purge works on every long-deleted user of the database it is given.
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateUp } from '#src/db/migrations.js';
import { migrationsDir } from '#src/db/paths.js';
import { purgeCutoff, purgeDeletedUsers, type PurgeCounts } from '#src/users/purge.js';
import { connectAs, seedWorld, withDatabase, type World } from '../support/sql.js';
import { freshDatabase, type FreshDatabase } from './support/fresh-database.js';
import { runOwnerCli } from './support/owner-cli.js';

let database: FreshDatabase;
let superuser: pg.Client;
let authenticator: pg.Client;

beforeAll(async () => {
  database = await freshDatabase('users_purge');
  superuser = await connectAs(withDatabase(database.superuserUrl, database.name));
  authenticator = await connectAs(database.url);
});

afterAll(async () => {
  await authenticator?.end();
  await superuser?.end();
  await database?.drop();
});

/** What the user owns, read as the superuser with the purge's own definition of "owned". */
async function owned(userId: string): Promise<PurgeCounts> {
  const count = async (text: string) => (await superuser.query<{ n: number }>(text, [userId])).rows[0]!.n;
  return {
    collectionShares: await count(
      'SELECT count(*)::int AS n FROM collection_shares WHERE owner_id = $1 OR grantee_id = $1',
    ),
    collectionItems: await count(
      `SELECT count(*)::int AS n FROM collection_items
       WHERE owner_id = $1 OR listing_id IN (SELECT id FROM listings WHERE owner_id = $1)`,
    ),
    collections: await count('SELECT count(*)::int AS n FROM collections WHERE owner_id = $1'),
    listings: await count('SELECT count(*)::int AS n FROM listings WHERE owner_id = $1'),
    scoringProfiles: await count('SELECT count(*)::int AS n FROM scoring_profiles WHERE owner_id = $1'),
    valuationRulesets: await count('SELECT count(*)::int AS n FROM valuation_rulesets WHERE owner_id = $1'),
    apiKeys: await count('SELECT count(*)::int AS n FROM api_keys WHERE owner_id = $1'),
  };
}

const NOTHING: PurgeCounts = {
  collectionShares: 0,
  collectionItems: 0,
  collections: 0,
  listings: 0,
  scoringProfiles: 0,
  valuationRulesets: 0,
  apiKeys: 0,
};

/** Every row of every table the purge may touch, as the superuser sees them. */
async function snapshot(): Promise<Record<string, string[]>> {
  const tables = ['listings', 'scoring_profiles', 'valuation_rulesets', 'collections', 'collection_items'];
  const result: Record<string, string[]> = {};
  for (const table of [...tables, 'collection_shares', 'api_keys', 'users', 'audit_events']) {
    result[table] = (await superuser.query<{ id: string }>(`SELECT id::text FROM ${table} ORDER BY id`)).rows.map(
      (r) => r.id,
    );
  }
  return result;
}

/** Deletes the user (as user.deleted does: a tombstone) `days` ago. */
async function deleteUser(userId: string, days: number): Promise<void> {
  await superuser.query(
    `UPDATE users SET active = false, deleted_at = now() - make_interval(secs => $2::float8 * 86400) WHERE id = $1`,
    [userId, days],
  );
}

async function purgedEvents(userId: string) {
  const { rows } = await superuser.query<{ actor_id: string | null; metadata: Record<string, unknown> }>(
    `SELECT actor_id::text, metadata FROM audit_events WHERE type = 'user.purged' AND subject_user_id = $1`,
    [userId],
  );
  return rows;
}

describe('purgeDeletedUsers', () => {
  it('removes everything a long-deleted user owned, and nothing of anyone else; the tombstone and audit stay', async () => {
    const world = await seedWorld(authenticator);
    await deleteUser(world.bob.id, 40);
    await deleteUser(world.alice.id, 10); // deleted, but not long enough
    const aliceBefore = await owned(world.alice.id);
    const carolBefore = await owned(world.carol.id);

    const result = await purgeDeletedUsers(database.ownerUrl, { afterDays: 30 });
    const bobCounts: PurgeCounts = {
      // The two shares he granted (to alice and carol) went when he was deleted (the tombstone trigger).
      collectionShares: 0,
      // His two collections' items, carol's contribution to one of them included.
      collectionItems: 3,
      collections: 2,
      listings: 3,
      scoringProfiles: 1,
      valuationRulesets: 1,
      apiKeys: 1,
    };
    expect(result.users.filter((u) => [world.alice.id, world.bob.id].includes(u.userId))).toEqual([
      { userId: world.bob.id, deletedAt: expect.any(Date) as Date, counts: bobCounts },
    ]);
    expect(await owned(world.bob.id)).toEqual(NOTHING);

    // Alice keeps everything; carol loses her item in his collection, never her listing.
    expect(await owned(world.alice.id)).toEqual(aliceBefore);
    expect(await owned(world.carol.id)).toEqual({ ...carolBefore, collectionItems: carolBefore.collectionItems - 1 });
    const carolListing = await superuser.query('SELECT 1 FROM listings WHERE id = $1', [world.carol.listingIds[2]]);
    expect(carolListing.rowCount).toBe(1);

    // The tombstone stays (a late webhook must not bring the account back), and so do the audit events.
    const tombstone = await superuser.query('SELECT clerk_id FROM users WHERE id = $1', [world.bob.id]);
    expect(tombstone.rows).toEqual([{ clerk_id: world.bob.clerkId }]);
    const event = await superuser.query('SELECT subject_user_id::text FROM audit_events WHERE id = $1', [
      world.bob.auditEventId,
    ]);
    expect(event.rows).toEqual([{ subject_user_id: world.bob.id }]);
    expect(await purgedEvents(world.bob.id)).toEqual([
      { actor_id: null, metadata: { source: 'users:purge', counts: bobCounts } },
    ]);
  });

  it('removes their listings in other people’s collections (the shares they received went at deletion)', async () => {
    const world = await seedWorld(authenticator);
    const bobShares = (await owned(world.bob.id)).collectionShares;
    await deleteUser(world.carol.id, 31);
    expect((await owned(world.carol.id)).collectionShares).toBe(0);
    const bobBefore = await owned(world.bob.id);
    expect(bobBefore.collectionShares).toBe(bobShares - 1);

    const result = await purgeDeletedUsers(database.ownerUrl, { afterDays: 30 });
    expect(result.users.find((u) => u.userId === world.carol.id)?.counts).toEqual({
      collectionShares: 0, // the one received from bob went at deletion
      collectionItems: 2, // her collection's item, and her listing in bob's collection
      collections: 1,
      listings: 3,
      scoringProfiles: 1,
      valuationRulesets: 1,
      apiKeys: 1,
    });
    expect(await owned(world.carol.id)).toEqual(NOTHING);
    const contributed = await superuser.query('SELECT 1 FROM collection_items WHERE id = $1', [
      world.bobEdit.contributedItemId,
    ]);
    expect(contributed.rowCount).toBe(0);
    expect(await owned(world.bob.id)).toEqual({ ...bobBefore, collectionItems: bobBefore.collectionItems - 1 });
    // Alice's share to carol's address, never bound to her, is alice's: it stays.
    const pending = await superuser.query('SELECT 1 FROM collection_shares WHERE id = $1', [world.shares.pending.id]);
    expect(pending.rowCount).toBe(1);
  });

  it('a dry run counts exactly what the purge then deletes, and changes nothing', async () => {
    const world: World = await seedWorld(authenticator);
    await deleteUser(world.admin.id, 45);
    const before = await snapshot();

    const dry = await purgeDeletedUsers(database.ownerUrl, { afterDays: 30, dryRun: true });
    expect(dry.dryRun).toBe(true);
    const counted = dry.users.find((u) => u.userId === world.admin.id)?.counts;
    expect(counted).toEqual(await owned(world.admin.id));
    expect(counted?.listings).toBe(2);
    expect(await snapshot()).toEqual(before);
    expect(await purgedEvents(world.admin.id)).toEqual([]);

    const wet = await purgeDeletedUsers(database.ownerUrl, { afterDays: 30 });
    expect(wet.users.find((u) => u.userId === world.admin.id)?.counts).toEqual(counted);
    expect(await owned(world.admin.id)).toEqual(NOTHING);
    // Already purged: not revisited.
    const again = await purgeDeletedUsers(database.ownerUrl, { afterDays: 30 });
    expect(again.users.map((u) => u.userId)).not.toContain(world.admin.id);
  });

  it('refuses a delay under one day', () => {
    expect(() => purgeCutoff(0)).toThrow(/at least 1/);
    expect(() => purgeCutoff(2.5)).toThrow(/whole number/);
  });
});

describe('what the owner may delete', () => {
  it('only rows of users deleted more than a day ago, whatever it asks for', async () => {
    const world = await seedWorld(authenticator);
    await deleteUser(world.alice.id, 0.5); // deleted twelve hours ago: still inside the floor
    const owner = await connectAs(database.ownerUrl);
    try {
      for (const id of [world.bob.id, world.alice.id]) {
        for (const table of ['listings', 'scoring_profiles', 'valuation_rulesets', 'collections', 'api_keys']) {
          expect((await owner.query(`DELETE FROM ${table} WHERE owner_id = $1`, [id])).rowCount).toBe(0);
        }
        const items = await owner.query('DELETE FROM collection_items WHERE owner_id = $1', [id]);
        expect(items.rowCount).toBe(0);
        const shares = await owner.query('DELETE FROM collection_shares WHERE owner_id = $1 OR grantee_id = $1', [id]);
        expect(shares.rowCount).toBe(0);
      }
      // With a purge delay under the floor, the command itself finds nothing it may delete.
      expect((await owner.query('SELECT id FROM listings WHERE owner_id = $1', [world.alice.id])).rows).toEqual([]);
    } finally {
      await owner.end();
    }
    expect((await owned(world.bob.id)).listings).toBe(3);
    expect((await owned(world.alice.id)).listings).toBe(2);
  });
});

// Each test starts the command (a cold tsx start) two or three times: slow on a loaded machine.
describe('npm run users:purge', { timeout: 60_000 }, () => {
  const run = (args: string[], env: Record<string, string> = {}) =>
    runOwnerCli('src/users/purge-cli.ts', database, args, env);

  it('prints the counts with --dry-run, then purges and prints them, then finds nothing', async () => {
    // Earlier tests purged everything purgeable at 30 days; this user is 8 days gone, purged at 7.
    const world = await seedWorld(authenticator);
    await deleteUser(world.carol.id, 8);
    const counts =
      '3 listings, 1 scoring profiles, 1 valuation rulesets, 1 collections, 2 collection items, 0 shares, 1 API keys';

    const dry = await run(['--dry-run'], { USER_PURGE_AFTER_DAYS: '7' });
    expect(dry.stdout).toContain(`users:purge: user ${world.carol.id} (deleted `);
    expect(dry.stdout).toContain(`would delete ${counts}\n`);
    expect(dry.stdout).toMatch(
      /users:purge: would delete .+ of \d+ users deleted more than 7 days ago \(before .+\)\n$/,
    );
    expect((await owned(world.carol.id)).listings).toBe(3);

    const wet = await run([], { USER_PURGE_AFTER_DAYS: '7' });
    expect(wet.stdout).toContain(`deleted ${counts}\n`);
    expect(await owned(world.carol.id)).toEqual(NOTHING);

    const none = await run([], { USER_PURGE_AFTER_DAYS: '7' });
    expect(none.stdout).toMatch(/^users:purge: nothing to purge/);
  });

  it('keeps a user deleted less than USER_PURGE_AFTER_DAYS (default 30) ago', async () => {
    const world = await seedWorld(authenticator);
    await deleteUser(world.bob.id, 20);
    await run([]);
    expect((await owned(world.bob.id)).listings).toBe(3);
  });

  it('refuses an unknown argument and a delay of 0 days, deleting nothing', async () => {
    const world = await seedWorld(authenticator);
    await deleteUser(world.bob.id, 40);
    await expect(run(['--force'])).rejects.toMatchObject({
      stderr: expect.stringMatching(/Unknown argument "--force"/) as string,
    });
    await expect(run([], { USER_PURGE_AFTER_DAYS: '0' })).rejects.toMatchObject({
      stderr: expect.stringMatching(/USER_PURGE_AFTER_DAYS/) as string,
    });
    expect((await owned(world.bob.id)).listings).toBe(3);
  });
});

describe('migration 20261207003200_user_privacy', () => {
  it('clears the personal data of tombstones written before it', async () => {
    const older = await freshDatabase('users_privacy_migration', { migrate: false });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'dealbrain-privacy-migration-'));
    try {
      for (const name of await readdir(migrationsDir)) {
        if (name < '20261207003200')
          await cp(path.join(migrationsDir, name), path.join(dir, name), { recursive: true });
      }
      await migrateUp(older.ownerUrl, dir);
      const su = await connectAs(withDatabase(older.superuserUrl, older.name));
      try {
        await su.query(
          `INSERT INTO users (clerk_id, email, email_verified, first_name, last_name, avatar_url, preferences, active, deleted_at)
           VALUES ('user_gone', 'gone@example.org', true, 'Gone', 'Person', 'https://img.test/g.png', '{"app": {}}', false, now()),
                  ('user_here', 'here@example.org', true, 'Here', 'Person', NULL, '{}', true, NULL)`,
        );
        await migrateUp(older.ownerUrl);
        const { rows } = await su.query(
          `SELECT clerk_id, email, email_verified, first_name, last_name, avatar_url, preferences FROM users ORDER BY clerk_id`,
        );
        expect(rows).toEqual([
          {
            clerk_id: 'user_gone',
            email: null,
            email_verified: false,
            first_name: null,
            last_name: null,
            avatar_url: null,
            preferences: {},
          },
          {
            clerk_id: 'user_here',
            email: 'here@example.org',
            email_verified: true,
            first_name: 'Here',
            last_name: 'Person',
            avatar_url: null,
            preferences: {},
          },
        ]);
      } finally {
        await su.end();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
      await older.drop();
    }
  });
});
