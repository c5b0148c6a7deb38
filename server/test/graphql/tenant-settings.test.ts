// Issue 12, part 2: tenant settings through the real server. Who reads and who writes them, the partial
// update with its one audit event, validation, a stored value that does not fit, and what each setting
// does: maxApiKeysPerUser caps createApiKey, collectionSharingEnabled gates shareCollection, signupsEnabled
// refuses new identities. Settings are global to a database, so this file runs on a database of its own
// (the other test files share theirs and must keep seeing the defaults). Refused writes are checked with
// the superuser as the independent witness.
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOwnDatabase, type OwnDatabase } from '../support/own-database.js';
import { connectAs } from '../support/sql.js';
import { gql, newIdentity, startTestServer, type GraphQLResponse, type TestServer } from '../support/server.js';
import { WEBHOOK_SECRET } from '../support/webhooks.js';

interface Person {
  email: string;
  clerkId: string;
  token: string;
  userId: string;
}

let database: OwnDatabase;
let server: TestServer;
let superuser: pg.Client;
let admin: Person;
let alice: Person;
let bob: Person;

const rawId = (global: string) => Buffer.from(global, 'base64').toString().split(':')[1]!;
const codeOf = (res: GraphQLResponse<unknown>) => res.body.errors?.[0]?.extensions?.code;
const settled = () => server.app.localWebhooks!.idle();

const READ = `{ tenantSettings { signupsEnabled maintenanceBanner maxApiKeysPerUser collectionSharingEnabled updatedAt } }`;
const UPDATE = `mutation Update($input: UpdateTenantSettingsInput!) {
  updateTenantSettings(input: $input) {
    tenantSettings { signupsEnabled maintenanceBanner maxApiKeysPerUser collectionSharingEnabled updatedAt }
  }
}`;
const CREATE_KEY = `mutation Key($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } secret } }`;

const DEFAULTS = {
  signupsEnabled: true,
  maintenanceBanner: null,
  maxApiKeysPerUser: 10,
  collectionSharingEnabled: true,
};

async function person(name: string): Promise<Person> {
  const { email, clerkId, token } = await newIdentity(server, name);
  const res = await gql<{ viewer: { id: string } }>(server, token, '{ viewer { id } }');
  if (!res.body.data) throw new Error(JSON.stringify(res.body.errors));
  await settled();
  return { email, clerkId, token, userId: rawId(res.body.data.viewer.id) };
}

async function update(who: Person, input: Record<string, unknown>) {
  return gql<{ updateTenantSettings: { tenantSettings: Record<string, unknown> } }>(server, who.token, UPDATE, {
    input,
  });
}

async function mustUpdate(input: Record<string, unknown>) {
  const res = await update(admin, input);
  if (!res.body.data) throw new Error(JSON.stringify(res.body.errors));
  return res.body.data.updateTenantSettings.tenantSettings;
}

/** The stored rows, as the superuser sees them. */
async function storedSettings() {
  const { rows } = await superuser.query<{ key: string; value: unknown; updated_at: Date }>(
    'SELECT key, value, updated_at FROM tenant_settings ORDER BY key',
  );
  return rows;
}

async function settingsEvents() {
  const { rows } = await superuser.query<{
    actor_id: string | null;
    subject_user_id: string | null;
    ip: string | null;
    user_agent: string | null;
    metadata: Record<string, unknown>;
  }>(
    `SELECT actor_id::text, subject_user_id::text, ip, user_agent, metadata FROM audit_events
     WHERE type = 'tenant_settings.updated' ORDER BY created_at, xmin::text::bigint`,
  );
  return rows;
}

beforeAll(async () => {
  database = await createOwnDatabase('tenant_settings_test');
  server = await startTestServer({ CLERK_WEBHOOK_SIGNING_SECRET: WEBHOOK_SECRET }, { databaseUrl: database.url });
  superuser = await connectAs(database.superuserUrl);
  admin = await person('admin');
  alice = await person('alice');
  bob = await person('bob');
  await superuser.query(`UPDATE users SET role = 'ADMIN' WHERE id = $1`, [admin.userId]);
});

afterAll(async () => {
  if (server) await settled();
  await server?.close();
  await superuser?.end();
  await database?.drop();
});

/** Every test starts from the defaults: nothing stored. */
beforeEach(async () => {
  await superuser.query('DELETE FROM tenant_settings');
});

describe('reading', () => {
  it('reads the defaults when nothing was ever set, with a session or an API key', async () => {
    const res = await gql(server, alice.token, READ);
    expect(res.body).toEqual({ data: { tenantSettings: { ...DEFAULTS, updatedAt: null } } });

    const key = await gql<{ createApiKey: { secret: string } }>(server, alice.token, CREATE_KEY, {
      input: { name: 'reader', scopes: ['READ'] },
    });
    const viaKey = await gql(server, key.body.data!.createApiKey.secret, READ);
    expect(viaKey.body).toEqual({ data: { tenantSettings: { ...DEFAULTS, updatedAt: null } } });
  });

  it('is refused to anonymous callers', async () => {
    const res = await gql(server, null, READ);
    expect(res.status).toBe(401);
    expect(codeOf(res)).toBe('UNAUTHENTICATED');
  });

  it('reads a stored value that does not fit its schema as its default, and the rest as stored', async () => {
    await superuser.query(
      `INSERT INTO tenant_settings (key, value) VALUES
         ('maxApiKeysPerUser', '"lots"'), ('signupsEnabled', '"yes"'), ('maintenanceBanner', '""'),
         ('collectionSharingEnabled', 'false'), ('retired.setting', '{"any": 1}')`,
    );
    const res = await gql<{ tenantSettings: Record<string, unknown> }>(server, alice.token, READ);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.tenantSettings).toMatchObject({ ...DEFAULTS, collectionSharingEnabled: false });
    expect(res.body.data!.tenantSettings.updatedAt).toEqual(expect.any(String));
  });
});

describe('updateTenantSettings', () => {
  it('changes only the settings given, in one audit event with before, after, reason and the client', async () => {
    const settings = await mustUpdate({
      maintenanceBanner: '  Maintenance at 18:00 UTC  ',
      maxApiKeysPerUser: 5,
      signupsEnabled: true, // already so: not a change
      reason: '  planned upgrade ',
    });
    expect(settings).toEqual({
      ...DEFAULTS,
      maintenanceBanner: 'Maintenance at 18:00 UTC',
      maxApiKeysPerUser: 5,
      updatedAt: expect.any(String),
    });
    expect((await storedSettings()).map(({ key, value }) => ({ key, value }))).toEqual([
      { key: 'maintenanceBanner', value: 'Maintenance at 18:00 UTC' },
      { key: 'maxApiKeysPerUser', value: 5 },
    ]);
    const events = await settingsEvents();
    expect(events.at(-1)).toEqual({
      actor_id: admin.userId,
      subject_user_id: null,
      ip: '127.0.0.1',
      user_agent: expect.any(String),
      metadata: {
        before: { maintenanceBanner: null, maxApiKeysPerUser: 10 },
        after: { maintenanceBanner: 'Maintenance at 18:00 UTC', maxApiKeysPerUser: 5 },
        reason: 'planned upgrade',
      },
    });

    // Everyone reads the change on their next request.
    const read = await gql<{ tenantSettings: Record<string, unknown> }>(server, bob.token, READ);
    expect(read.body.data!.tenantSettings).toEqual(settings);
  });

  it('writes nothing when nothing changes (no row, no event, updatedAt kept)', async () => {
    const first = await mustUpdate({ collectionSharingEnabled: false });
    const rows = await storedSettings();
    const events = (await settingsEvents()).length;
    const again = await mustUpdate({ collectionSharingEnabled: false, maxApiKeysPerUser: 10, reason: 'again' });
    expect(again).toEqual(first);
    expect(await storedSettings()).toEqual(rows);
    expect(await settingsEvents()).toHaveLength(events);
    expect(await mustUpdate({})).toEqual(first);
    expect(await settingsEvents()).toHaveLength(events);
  });

  it('clears the banner with "" or null', async () => {
    await mustUpdate({ maintenanceBanner: 'Down soon' });
    expect((await mustUpdate({ maintenanceBanner: '   ' })).maintenanceBanner).toBeNull();
    await mustUpdate({ maintenanceBanner: 'Down soon' });
    expect((await mustUpdate({ maintenanceBanner: null })).maintenanceBanner).toBeNull();
    expect((await settingsEvents()).at(-1)!.metadata).toEqual({
      before: { maintenanceBanner: 'Down soon' },
      after: { maintenanceBanner: null },
      reason: null,
    });
  });

  it.each([
    [{ maxApiKeysPerUser: 0 }, 'input.maxApiKeysPerUser', 'Must be between 1 and 100'],
    [{ maxApiKeysPerUser: 101 }, 'input.maxApiKeysPerUser', 'Must be between 1 and 100'],
    [{ maxApiKeysPerUser: null }, 'input.maxApiKeysPerUser', 'Cannot be null'],
    [{ signupsEnabled: null }, 'input.signupsEnabled', 'Cannot be null'],
    [{ collectionSharingEnabled: null }, 'input.collectionSharingEnabled', 'Cannot be null'],
    [{ maintenanceBanner: 'x'.repeat(501) }, 'input.maintenanceBanner', 'at most 500 characters'],
    [{ signupsEnabled: false, reason: 'y'.repeat(501) }, 'input.reason', 'at most 500 characters'],
  ])('refuses %j with BAD_USER_INPUT at its path, changing nothing', async (input, path, message) => {
    const res = await update(admin, input);
    expect(res.body.data ?? null).toBeNull();
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.body.errors![0]!.extensions!.issues).toEqual([{ path, message: expect.stringContaining(message) }]);
    expect(await storedSettings()).toEqual([]);
  });

  it('is refused (FORBIDDEN) to a user, to an admin’s API key, and (UNAUTHENTICATED) to anonymous callers', async () => {
    const key = await gql<{ createApiKey: { secret: string } }>(server, admin.token, CREATE_KEY, {
      input: { name: 'admin script', scopes: ['READ', 'WRITE'] },
    });
    const adminKey = { ...admin, token: key.body.data!.createApiKey.secret };
    const events = (await settingsEvents()).length;
    for (const who of [alice, adminKey]) {
      const res = await update(who, { signupsEnabled: false });
      expect(res.body.data ?? null).toBeNull();
      expect(codeOf(res)).toBe('FORBIDDEN');
    }
    const anonymous = await gql(server, null, UPDATE, { input: { signupsEnabled: false } });
    expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
    expect(await storedSettings()).toEqual([]);
    expect(await settingsEvents()).toHaveLength(events);
  });

  it('applies concurrent updates one after the other: every event’s before is what the previous left', async () => {
    const values = [2, 3, 4, 5, 6];
    await Promise.all(values.map((maxApiKeysPerUser) => mustUpdate({ maxApiKeysPerUser })));
    const events = (await settingsEvents()).slice(-values.length);
    const chain = events.map(
      (event) => event.metadata as { before: { maxApiKeysPerUser: number }; after: { maxApiKeysPerUser: number } },
    );
    expect(chain[0]!.before.maxApiKeysPerUser).toBe(10);
    for (let i = 1; i < chain.length; i++) {
      expect(chain[i]!.before.maxApiKeysPerUser).toBe(chain[i - 1]!.after.maxApiKeysPerUser);
    }
  });
});

describe('the settings change and its audit event commit together, or neither does', () => {
  it('an audit insert that fails: a masked error, no setting stored, no event', async () => {
    await mustUpdate({ maxApiKeysPerUser: 4 });
    const stored = await storedSettings();
    const events = await settingsEvents();
    await superuser.query(`
      CREATE FUNCTION tenant_settings_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.type = 'tenant_settings.updated' THEN
          RAISE EXCEPTION 'refused by tenant-settings test';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER tenant_settings_test_refuse BEFORE INSERT ON audit_events
        FOR EACH ROW EXECUTE FUNCTION tenant_settings_test_refuse();`);
    let res: GraphQLResponse<unknown>;
    try {
      res = await update(admin, { maxApiKeysPerUser: 7, signupsEnabled: false, reason: 'doomed' });
    } finally {
      await superuser.query(
        'DROP TRIGGER tenant_settings_test_refuse ON audit_events; DROP FUNCTION tenant_settings_test_refuse();',
      );
    }
    expect(res.status).toBe(200);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors).toEqual([
      {
        message: 'Unexpected error.',
        path: ['updateTenantSettings'],
        locations: expect.any(Array),
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
    ]);
    expect(JSON.stringify(res.body)).not.toMatch(/refused by tenant-settings test|stack/);
    expect(await storedSettings()).toEqual(stored);
    expect(await settingsEvents()).toEqual(events);
    const read = await gql<{ tenantSettings: Record<string, unknown> }>(server, alice.token, READ);
    expect(read.body.data!.tenantSettings).toMatchObject({ ...DEFAULTS, maxApiKeysPerUser: 4 });
  });
});

describe('maxApiKeysPerUser', () => {
  it('caps createApiKey at the setting, read in the creating transaction', async () => {
    const me = await person('keys');
    await mustUpdate({ maxApiKeysPerUser: 2 });
    for (const name of ['one', 'two']) {
      const res = await gql(server, me.token, CREATE_KEY, { input: { name, scopes: ['READ'] } });
      expect(res.body.errors).toBeUndefined();
    }
    const refused = await gql(server, me.token, CREATE_KEY, { input: { name: 'three', scopes: ['READ'] } });
    expect(refused.body.errors).toEqual([
      expect.objectContaining({
        message: 'You can have at most 2 active API keys: revoke one first',
        extensions: { code: 'BAD_USER_INPUT' },
      }),
    ]);
    const { rows } = await superuser.query('SELECT 1 FROM api_keys WHERE owner_id = $1', [me.userId]);
    expect(rows).toHaveLength(2);

    await mustUpdate({ maxApiKeysPerUser: 3 });
    const allowed = await gql(server, me.token, CREATE_KEY, { input: { name: 'three', scopes: ['READ'] } });
    expect(allowed.body.errors).toBeUndefined();
  });
});

describe('collectionSharingEnabled', () => {
  const CREATE = `mutation C($input: CreateCollectionInput!) { createCollection(input: $input) { collection { id } } }`;
  const SHARE = `mutation S($input: ShareCollectionInput!) { shareCollection(input: $input) { collection { id } } }`;
  const REVOKE = `mutation R($input: RevokeCollectionShareInput!) {
    revokeCollectionShare(input: $input) { collection { id } }
  }`;
  const READ_COLLECTION = `query Q($id: ID!) { node(id: $id) { ... on Collection { id name } } }`;

  it('off: sharing is FORBIDDEN (reason sharing-disabled); existing shares keep working and can be revoked', async () => {
    const created = await gql<{ createCollection: { collection: { id: string } } }>(server, alice.token, CREATE, {
      input: { name: 'Shared before' },
    });
    const collectionId = created.body.data!.createCollection.collection.id;
    const shared = await gql(server, alice.token, SHARE, {
      input: { collectionId, email: bob.email, permission: 'VIEW' },
    });
    expect(shared.body.errors).toBeUndefined();

    await mustUpdate({ collectionSharingEnabled: false });
    const before = (await superuser.query('SELECT * FROM collection_shares WHERE owner_id = $1', [alice.userId])).rows;
    const refused = await gql(server, alice.token, SHARE, {
      input: { collectionId, email: 'someone@example.test', permission: 'EDIT' },
    });
    expect(refused.body.data ?? null).toBeNull();
    expect(refused.body.errors).toEqual([
      expect.objectContaining({
        message: 'Sharing collections is turned off by an administrator',
        extensions: { code: 'FORBIDDEN', reason: 'sharing-disabled' },
      }),
    ]);
    expect((await superuser.query('SELECT * FROM collection_shares WHERE owner_id = $1', [alice.userId])).rows).toEqual(
      before,
    );
    // Who may not share it anyway is refused as before, whatever the setting: a grantee FORBIDDEN for
    // their permission, a stranger NOT_FOUND (no existence oracle).
    const input = { collectionId, email: 'someone@example.test', permission: 'VIEW' };
    const grantee = await gql(server, bob.token, SHARE, { input });
    expect(grantee.body.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN' });
    const stranger = await person('stranger');
    expect(codeOf(await gql(server, stranger.token, SHARE, { input }))).toBe('NOT_FOUND');

    // Bob still reads the collection shared with him; Alice can still revoke the share.
    const read = await gql(server, bob.token, READ_COLLECTION, { id: collectionId });
    expect(read.body.data).toEqual({ node: { id: collectionId, name: 'Shared before' } });
    const revoked = await gql(server, alice.token, REVOKE, { input: { collectionId, email: bob.email } });
    expect(revoked.body.errors).toBeUndefined();
    const gone = await gql(server, bob.token, READ_COLLECTION, { id: collectionId });
    expect(gone.body.data).toEqual({ node: null });

    await mustUpdate({ collectionSharingEnabled: true });
    const again = await gql(server, alice.token, SHARE, {
      input: { collectionId, email: bob.email, permission: 'VIEW' },
    });
    expect(again.body.errors).toBeUndefined();
  });
});

describe('signupsEnabled', () => {
  it('off: a new identity gets 403 SIGNUPS_DISABLED and no row; existing users carry on; on again: it signs up', async () => {
    await mustUpdate({ signupsEnabled: false, reason: 'invite only' });
    const { clerkId, token } = await newIdentity(server, 'latecomer');
    for (let i = 0; i < 3; i++) {
      const res = await gql(server, token, '{ viewer { id } }');
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        errors: [{ message: 'Sign-ups are closed', extensions: { code: 'SIGNUPS_DISABLED' } }],
      });
    }
    // Its user.created and session.created webhooks (local mode sends them) create no row either.
    await settled();
    expect((await superuser.query('SELECT 1 FROM users WHERE clerk_id = $1', [clerkId])).rows).toEqual([]);
    const { rows: deliveries } = await superuser.query<{ type: string; status: string }>(
      `SELECT w.type, w.status::text FROM webhook_events w WHERE w.type IN ('user.created', 'session.created')
       AND w.received_at > now() - interval '1 minute' AND w.error LIKE 'sign-ups are disabled%' ORDER BY w.type`,
    );
    expect(deliveries).toEqual([
      { type: 'session.created', status: 'SKIPPED' },
      { type: 'user.created', status: 'SKIPPED' },
    ]);
    // Audited once a minute per identity, whichever path refused it first.
    const { rows: refusals } = await superuser.query(
      `SELECT actor_id, subject_user_id, metadata FROM audit_events
       WHERE type = 'user.signup_refused' AND metadata->>'clerkId' = $1`,
      [clerkId],
    );
    expect(refusals).toEqual([
      { actor_id: null, subject_user_id: null, metadata: { clerkId, source: expect.any(String) } },
    ]);

    const existing = await gql(server, alice.token, '{ viewer { id } }');
    expect(existing.status).toBe(200);
    expect(existing.body.errors).toBeUndefined();

    await mustUpdate({ signupsEnabled: true });
    const welcome = await gql<{ viewer: { email: string } }>(server, token, '{ viewer { email } }');
    expect(welcome.status).toBe(200);
    expect(welcome.body.data?.viewer.email).toMatch(/^latecomer-/);
    await settled();
  });
});
