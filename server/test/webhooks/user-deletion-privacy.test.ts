// Issue 13, finding 6: after user.deleted no personal data remains in `users`. The tombstone keeps id,
// clerk_id, role, active, deleted_at and the timestamps (a late webhook must not bring the account back);
// email, email_verified, names, avatar and preferences are cleared at once, by the database on every write
// of a deleted row. The audit events about the user name them by id only.
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startClerkModeServer, type ClerkModeServer } from '../auth/support/clerk-mode-server.js';
import { connectAs, databaseOf, withDatabase } from '../support/sql.js';
import { clerkFixture, deliver, newClerkUserId, SyncInspector, WEBHOOK_SECRET } from '../support/webhooks.js';

let server: ClerkModeServer;
let db: SyncInspector;
/** The superuser on the test database: reads and writes past every policy. */
let superuser: pg.Client;

beforeAll(async () => {
  server = await startClerkModeServer({ env: { CLERK_WEBHOOK_SIGNING_SECRET: WEBHOOK_SECRET } });
  db = await SyncInspector.connect();
  const { superuserUrl, url } = inject('database');
  superuser = await connectAs(withDatabase(superuserUrl, databaseOf(url)));
});

afterAll(async () => {
  await server?.close();
  await db?.close();
  await superuser?.end();
});

async function query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  return (await superuser.query<T>(text, values)).rows;
}

const PERSONAL = {
  email: null,
  email_verified: false,
  first_name: null,
  last_name: null,
  avatar_url: null,
  preferences: {},
};

interface FullRow {
  id: string;
  clerk_id: string;
  email: string | null;
  email_verified: boolean;
  first_name: string | null;
  last_name: string | null;
  avatar_url: string | null;
  preferences: Record<string, unknown>;
  role: string;
  active: boolean;
  deleted_at: Date | null;
  last_sign_in_at: Date | null;
  clerk_updated_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** Every column of the user's row, as the superuser reads it. */
async function row(clerkId: string): Promise<FullRow> {
  const [user] = await query<FullRow>('SELECT * FROM users WHERE clerk_id = $1', [clerkId]);
  if (!user) throw new Error(`no user ${clerkId}`);
  return user;
}

/** A user with a unique address and name (so finding them anywhere means a copy), preferences and a sign-in. */
async function personWithData() {
  const clerkId = newClerkUserId();
  const tag = randomBytes(6).toString('hex');
  const email = `${tag}@example.org`;
  const firstName = `Zelda${tag}`;
  const created = clerkFixture('user.created', { userId: clerkId, email, firstName });
  expect((await deliver(server, created)).body.outcome).toBe('applied');
  expect((await deliver(server, clerkFixture('session.created', { userId: clerkId }))).body.outcome).toBe('applied');
  await query(
    `UPDATE users SET email_verified = true, preferences = '{"app": {"theme": "DARK"}}' WHERE clerk_id = $1`,
    [clerkId],
  );
  const before = await row(clerkId);
  expect(before).toMatchObject({ email, first_name: firstName, email_verified: true, active: true, deleted_at: null });
  expect(before.avatar_url).not.toBeNull();
  return { clerkId, email, firstName, before };
}

describe('user.deleted', () => {
  it('clears every personal column at once; the tombstone keeps only ids, role, status and timestamps', async () => {
    const { clerkId, before } = await personWithData();
    expect((await deliver(server, clerkFixture('user.deleted', { userId: clerkId }))).body.outcome).toBe('applied');

    const after = await row(clerkId);
    expect(after).toMatchObject({
      ...PERSONAL,
      id: before.id,
      clerk_id: clerkId,
      role: before.role,
      active: false,
      last_sign_in_at: before.last_sign_in_at,
      clerk_updated_at: before.clerk_updated_at,
      created_at: before.created_at,
    });
    expect(after.deleted_at).toBeInstanceOf(Date);
    // Nothing else is left: every column is either one the tombstone keeps or a cleared personal one.
    const kept = ['id', 'clerk_id', 'role', 'active', 'deleted_at', 'last_sign_in_at', 'clerk_updated_at'];
    expect(Object.keys(after).sort()).toEqual([...kept, 'created_at', 'updated_at', ...Object.keys(PERSONAL)].sort());
  });

  it('revokes every share they gave and every share given to them, at once; other shares stay', async () => {
    const [bob, alice, carol] = [await personWithData(), await personWithData(), await personWithData()];
    const collectionOf = async (owner: { before: FullRow }) =>
      (
        await query<{ id: string }>(`INSERT INTO collections (owner_id, name) VALUES ($1, 'Shared') RETURNING id`, [
          owner.before.id,
        ])
      )[0]!.id;
    const share = (collectionId: string, owner: { before: FullRow }, grantee: { before: FullRow; email: string }) =>
      query(
        `INSERT INTO collection_shares (collection_id, owner_id, grantee_email, grantee_id) VALUES ($1, $2, $3, $4)`,
        [collectionId, owner.before.id, grantee.email, grantee.before.id],
      );
    const bobs = await collectionOf(bob);
    const alices = await collectionOf(alice);
    await share(bobs, bob, alice);
    await share(alices, alice, bob);
    await share(alices, alice, carol);
    const sharesOf = (collectionId: string) =>
      query<{ grantee_id: string }>('SELECT grantee_id::text FROM collection_shares WHERE collection_id = $1', [
        collectionId,
      ]);

    expect((await deliver(server, clerkFixture('user.deleted', { userId: bob.clerkId }))).body.outcome).toBe('applied');

    expect(await sharesOf(bobs)).toEqual([]);
    expect(await sharesOf(alices)).toEqual([{ grantee_id: carol.before.id }]);
    // The collections themselves (and everything else Bob owned) wait for the purge.
    expect(await query('SELECT id FROM collections WHERE id = $1', [bobs])).toHaveLength(1);
  });

  it('the audit events about the user hold no copy of their address, names or avatar', async () => {
    const { clerkId, email, firstName, before } = await personWithData();
    await deliver(server, clerkFixture('user.deleted', { userId: clerkId }));
    const events = await db.audit(clerkId);
    expect(events.map((event) => event.type)).toEqual(['user.created', 'auth.sign_in', 'user.deleted']);
    const text = JSON.stringify(events);
    for (const personal of [email, email.split('@')[0]!, firstName, before.last_name!, before.avatar_url!]) {
      expect(text).not.toContain(personal);
    }
    expect(events.at(-1)?.metadata).toEqual({
      source: 'clerk-webhook',
      svixId: expect.any(String),
      tombstoneOnly: false,
    });
  });

  it('a late user.updated, user.created or session.created brings no personal data back', async () => {
    const { clerkId } = await personWithData();
    await deliver(server, clerkFixture('user.deleted', { userId: clerkId }));
    const late = { userId: clerkId, updatedAt: Date.now(), email: 'late@example.org', firstName: 'Late' };
    expect((await deliver(server, clerkFixture('user.updated', late))).body.outcome).toBe('stale');
    expect((await deliver(server, clerkFixture('user.created', late))).body.outcome).toBe('stale');
    await deliver(server, clerkFixture('session.created', { userId: clerkId }));
    expect(await row(clerkId)).toMatchObject({ ...PERSONAL, active: false });
  });

  it('a deletion of a user never seen leaves a tombstone without personal data', async () => {
    const clerkId = newClerkUserId();
    expect((await deliver(server, clerkFixture('user.deleted', { userId: clerkId }))).body.outcome).toBe('applied');
    expect(await row(clerkId)).toMatchObject({ ...PERSONAL, active: false });
    expect((await db.audit(clerkId)).at(-1)?.metadata).toMatchObject({ tombstoneOnly: true });
  });
});

describe('the database keeps tombstones clean, whatever writes them', () => {
  it('a write that puts personal data on a deleted row stores none (the trigger), and the CHECK states it', async () => {
    const { clerkId } = await personWithData();
    await deliver(server, clerkFixture('user.deleted', { userId: clerkId }));
    await query(
      `UPDATE users SET email = 'back@example.org', first_name = 'Back', avatar_url = 'https://x.test/a.png',
              preferences = '{"app": {}}', email_verified = true WHERE clerk_id = $1`,
      [clerkId],
    );
    expect(await row(clerkId)).toMatchObject(PERSONAL);
    const [check] = await query<{ def: string }>(
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'users_tombstone_has_no_personal_data'`,
    );
    expect(check?.def).toMatch(/deleted_at IS NULL/);
  });

  it('a live row is untouched by the trigger', async () => {
    const { clerkId, email } = await personWithData();
    await query(`UPDATE users SET last_name = 'Still' WHERE clerk_id = $1`, [clerkId]);
    expect(await row(clerkId)).toMatchObject({ email, last_name: 'Still', email_verified: true });
  });
});
