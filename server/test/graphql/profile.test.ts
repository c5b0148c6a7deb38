// Issue 11 §1: the profile, synchronised with Clerk in both modes. In local mode the mutations go through
// @clerk/backend to the local provider's Backend API stand-in (with its secret key), its user.updated
// webhook follows; in Clerk mode the same code path meets a fake Clerk that refuses, fails or is not there.
// Every refusal is checked against the superuser's reading of the rows: nothing changed.
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userCreatedOrUpdatedEvent } from '#src/dev/clerk-payloads.js';
import { startClerkModeServer, type ClerkModeServer } from '../auth/support/clerk-mode-server.js';
import { mint, sessionClaims } from '../auth/support/tokens.js';
import { freePort } from '../support/free-port.js';
import { listen, type ListeningServer } from '../support/listen.js';
import { gql, newIdentity, startTestServer, type TestServer } from '../support/server.js';
import { deliver, SyncInspector, WEBHOOK_SECRET } from '../support/webhooks.js';

let server: TestServer;
let db: SyncInspector;

beforeAll(async () => {
  server = await startTestServer({ CLERK_WEBHOOK_SIGNING_SECRET: WEBHOOK_SECRET });
  db = await SyncInspector.connect();
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

const settled = () => server.app.localWebhooks!.idle();

const UPDATE_PROFILE = `mutation Update($input: UpdateProfileInput!) {
  updateProfile(input: $input) { user { id firstName lastName avatarUrl } }
}`;
const UPDATE_IMAGE = `mutation Image($input: UpdateProfileImageInput!) {
  updateProfileImage(input: $input) { user { id avatarUrl } }
}`;
const REMOVE_IMAGE = `mutation { removeProfileImage { user { id avatarUrl } } }`;

type ProfileData = { updateProfile: { user: { id: string; firstName: string | null; lastName: string | null } } };
type ImageData = { updateProfileImage: { user: { avatarUrl: string | null } } };

/** A signed-in person whose user row exists and whose user.created webhook has been applied. */
async function person(name: string) {
  const identity = await newIdentity(server, name);
  await gql(server, identity.token, '{ viewer { id } }');
  await settled();
  return identity;
}

/** Everything a refused change must leave alone: the row, the audit trail, the identity at the provider. */
async function stateOf(clerkId: string) {
  return {
    row: await db.user(clerkId),
    audit: await db.audit(clerkId),
    identity: server.identity.findIdentityByClerkId(clerkId),
  };
}

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 9)]);

describe('updateProfile (local mode, through the Backend API stand-in)', () => {
  it('writes to the identity provider, returns the stored names at once, and audits the change', async () => {
    const me = await person('renamer');
    const res = await gql<ProfileData>(server, me.token, UPDATE_PROFILE, {
      input: { firstName: '  Ada ', lastName: 'Lovelace' },
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.updateProfile.user).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace' });

    // Clerk's (the stand-in's) state, and the row holding exactly its answer, before any webhook is awaited.
    const identity = server.identity.findIdentityByClerkId(me.clerkId)!;
    expect(identity).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace' });
    const row = await db.user(me.clerkId);
    expect(row).toMatchObject({ first_name: 'Ada', last_name: 'Lovelace' });
    expect(row.clerk_updated_at?.getTime()).toBe(identity.updatedAt);
    const profileEvents = (await db.audit(me.clerkId)).filter((event) => event.type === 'user.profile_updated');
    expect(profileEvents).toEqual([
      {
        type: 'user.profile_updated',
        actor_id: row.id,
        subject_user_id: row.id,
        metadata: {
          change: 'names',
          clerkUpdatedAt: new Date(identity.updatedAt).toISOString(),
          stored: expect.any(Boolean),
        },
      },
    ]);
  });

  it('the user.updated webhook that follows changes nothing: it is stale, or it came first and the mutation’s store was', async () => {
    const me = await person('converger');
    await gql(server, me.token, UPDATE_PROFILE, { input: { firstName: 'Grace', lastName: 'Hopper' } });
    const afterMutation = await db.user(me.clerkId);
    await settled();
    expect(await db.user(me.clerkId)).toEqual(afterMutation);

    // Exactly one of the two wrote: the mutation's store (then the webhook was skipped as stale, no audit)
    // or the webhook (then the mutation's store was skipped and says so).
    const audit = await db.audit(me.clerkId);
    const stored = audit.find((event) => event.type === 'user.profile_updated')!.metadata.stored;
    const webhookWrites = audit.filter((e) => e.type === 'user.updated' && e.metadata.source === 'clerk-webhook');
    expect(webhookWrites).toHaveLength(stored ? 0 : 1);

    // The same state delivered again (as Clerk retries or reorders) is answered stale and changes nothing.
    const event = userCreatedOrUpdatedEvent(
      'user.updated',
      server.identity.findIdentityByClerkId(me.clerkId)!,
      Date.now(),
    );
    const delivered = await deliver(server, event);
    expect(delivered).toMatchObject({ status: 200, body: { outcome: 'stale' } });
    expect(await db.user(me.clerkId)).toEqual(afterMutation);
    expect(await db.audit(me.clerkId)).toEqual(audit);
  });

  it('an older state arriving late (a reordered webhook) never takes the names back', async () => {
    const me = await person('reordered');
    const before = server.identity.findIdentityByClerkId(me.clerkId)!;
    await gql(server, me.token, UPDATE_PROFILE, { input: { firstName: 'New', lastName: 'Name' } });
    await settled();
    const older = userCreatedOrUpdatedEvent('user.updated', { ...before, firstName: 'Old' }, Date.now());
    expect(await deliver(server, older)).toMatchObject({ status: 200, body: { outcome: 'stale' } });
    expect(await db.user(me.clerkId)).toMatchObject({ first_name: 'New', last_name: 'Name' });
  });

  it('empty strings clear the names', async () => {
    const me = await person('clearer');
    const res = await gql<ProfileData>(server, me.token, UPDATE_PROFILE, { input: { firstName: '', lastName: '   ' } });
    expect(res.body.data?.updateProfile.user).toMatchObject({ firstName: null, lastName: null });
    expect(await db.user(me.clerkId)).toMatchObject({ first_name: null, last_name: null });
  });

  it.each([
    [{ firstName: 'x'.repeat(101), lastName: 'ok' }, 'input.firstName', 'First name must be at most 100 characters'],
    [
      { firstName: 'ok', lastName: ` ${'y'.repeat(101)} ` },
      'input.lastName',
      'Last name must be at most 100 characters',
    ],
    [{ firstName: 'Tab\there', lastName: 'ok' }, 'input.firstName', 'First name must not contain control characters'],
    // NUL is refused for every text input before any resolver (graphql/nul-characters.ts), in its words.
    [{ firstName: 'ok', lastName: 'Nul\u0000' }, 'input.lastName', 'Text must not contain the NUL character (U+0000)'],
  ])('refuses %j before asking Clerk: BAD_USER_INPUT on %s, nothing changed', async (input, path, message) => {
    const me = await person('invalid');
    const before = await stateOf(me.clerkId);
    const res = await gql(server, me.token, UPDATE_PROFILE, { input });
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path, message }] });
    await settled();
    expect(await stateOf(me.clerkId)).toEqual(before);
  });

  it('changes only the caller: another user’s row and identity are untouched', async () => {
    const [me, other] = [await person('actor'), await person('bystander')];
    const before = await stateOf(other.clerkId);
    await gql(server, me.token, UPDATE_PROFILE, { input: { firstName: 'Only', lastName: 'Me' } });
    await settled();
    expect(await stateOf(other.clerkId)).toEqual(before);
  });

  it('is refused without a signed-in user', async () => {
    const res = await gql(server, null, UPDATE_PROFILE, { input: { firstName: 'A', lastName: 'B' } });
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('profile image (local mode)', () => {
  it('sets an avatar the stand-in serves, then removes it', async () => {
    const me = await person('avatar');
    const res = await gql<ImageData>(server, me.token, UPDATE_IMAGE, {
      input: { contentType: 'image/png', data: PNG.toString('base64') },
    });
    expect(res.body.errors).toBeUndefined();
    const avatarUrl = res.body.data!.updateProfileImage.user.avatarUrl!;
    expect(avatarUrl).toMatch(new RegExp(`^${server.url}/__local-auth/images/${me.clerkId}-[0-9a-f]{16}\\.png$`));
    expect(await db.user(me.clerkId)).toMatchObject({ avatar_url: avatarUrl });
    const image = await fetch(avatarUrl);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await image.arrayBuffer())).toEqual(PNG);

    const removed = await gql<{ removeProfileImage: { user: { avatarUrl: string | null } } }>(
      server,
      me.token,
      REMOVE_IMAGE,
    );
    expect(removed.body.data?.removeProfileImage.user.avatarUrl).toBeNull();
    expect(await db.user(me.clerkId)).toMatchObject({ avatar_url: null });
    expect((await fetch(avatarUrl)).status).toBe(404);
    await settled();
    const changes = (await db.audit(me.clerkId)).filter((e) => e.type === 'user.profile_updated');
    expect(changes.map((e) => e.metadata.change)).toEqual(['image', 'image-removed']);
  });

  it('accepts exactly 64 KiB, a JPEG, and a content type in any case', async () => {
    const me = await person('big-avatar');
    const largest = Buffer.concat([JPEG, Buffer.alloc(64 * 1024 - JPEG.length)]);
    const res = await gql<ImageData>(server, me.token, UPDATE_IMAGE, {
      input: { contentType: 'IMAGE/JPEG', data: largest.toString('base64') },
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.updateProfileImage.user.avatarUrl).toMatch(/\.jpg$/);
  });

  it.each([
    ['an unsupported type', 'image/svg+xml', PNG.toString('base64'), 'input.contentType'],
    ['bytes of another type', 'image/png', JPEG.toString('base64'), 'input.contentType'],
    ['not an image', 'image/png', Buffer.from('<script>alert(1)</script>').toString('base64'), 'input.data'],
    ['not base64', 'image/png', 'iVBORw0KGgo***', 'input.data'],
    ['nothing', 'image/png', '', 'input.data'],
    ['over 64 KiB', 'image/png', Buffer.concat([PNG, Buffer.alloc(64 * 1024)]).toString('base64'), 'input.data'],
  ])('refuses %s with BAD_USER_INPUT on its field, before asking Clerk', async (_name, contentType, data, path) => {
    const me = await person('bad-avatar');
    const before = await stateOf(me.clerkId);
    const res = await gql(server, me.token, UPDATE_IMAGE, { input: { contentType, data } });
    expect(res.status).toBe(200);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path }] });
    await settled();
    expect(await stateOf(me.clerkId)).toEqual(before);
  });
});

describe('the stand-in’s secret key, through the server’s own /__local-auth', () => {
  it.each([
    ['without a key', undefined],
    ['with a wrong key', 'Bearer sk_local_wrongwrongwrongwrongwrongwrongwrongwrongwro'],
  ])('refuses a profile change %s with Clerk’s 401, changing nothing', async (_name, authorization) => {
    const me = await person('unkeyed');
    const before = await stateOf(me.clerkId);
    const response = await fetch(`${server.url}/__local-auth/v1/users/${me.clerkId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ first_name: 'Mallory' }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ errors: [{ code: 'clerk_key_invalid' }] });
    await settled();
    expect(await stateOf(me.clerkId)).toEqual(before);
  });
});

// ── Clerk mode: the same code path against a fake Clerk ──────────────────────────────────────────────

interface FakeAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

describe('Clerk mode: Clerk refusing, failing or unreachable changes nothing', () => {
  let fakeClerk: ListeningServer;
  let clerkMode: ClerkModeServer;
  let unreachable: ClerkModeServer;
  /** What the fake Clerk answers to the next Backend API call. */
  let next: FakeAnswer;
  const calls: string[] = [];

  beforeAll(async () => {
    fakeClerk = await listen(
      createServer((req, res) => {
        calls.push(`${req.method} ${new URL(req.url ?? '/', 'http://x').pathname} ${req.headers.authorization}`);
        req.resume();
        res
          .writeHead(next.status, { 'content-type': 'application/json', ...next.headers })
          .end(JSON.stringify(next.body));
      }),
    );
    clerkMode = await startClerkModeServer({ env: { CLERK_API_URL: fakeClerk.base } });
    unreachable = await startClerkModeServer({ env: { CLERK_API_URL: `http://127.0.0.1:${await freePort()}` } });
  });
  afterAll(async () => {
    await clerkMode?.close();
    await unreachable?.close();
    await fakeClerk?.close();
  });

  /** A Clerk user signed in to `target`, its row provisioned from the token's claims. */
  async function clerkUser(target: ClerkModeServer) {
    const clerkId = `user_${crypto.randomUUID().replaceAll('-', '')}`;
    const email = `${clerkId}@example.test`;
    const token = mint(target.key, sessionClaims(clerkId, { email, first_name: 'Before', last_name: 'Change' }));
    const res = await fetch(target.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    expect(res.status).toBe(200);
    return { clerkId, email, token };
  }

  async function call(target: ClerkModeServer, token: string, query: string, variables: Record<string, unknown>) {
    const res = await fetch(target.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return {
      status: res.status,
      body: (await res.json()) as {
        data?: unknown;
        errors?: { message: string; extensions?: Record<string, unknown> }[];
      },
    };
  }

  const clerkUserJson = (clerkId: string, email: string, updatedAt: number) => ({
    object: 'user',
    id: clerkId,
    first_name: 'After',
    last_name: 'Clerk',
    image_url: 'https://img.clerk.com/after.png',
    has_image: true,
    primary_email_address_id: 'idn_1',
    email_addresses: [
      {
        object: 'email_address',
        id: 'idn_1',
        email_address: email,
        verification: { status: 'verified' },
        linked_to: [],
      },
    ],
    phone_numbers: [],
    web3_wallets: [],
    external_accounts: [],
    saml_accounts: [],
    public_metadata: {},
    private_metadata: {},
    unsafe_metadata: {},
    created_at: 1,
    updated_at: updatedAt,
  });

  it('a change Clerk accepts is stored from Clerk’s answer (the same path as local mode)', async () => {
    const me = await clerkUser(clerkMode);
    const updatedAt = Date.now();
    next = { status: 200, body: clerkUserJson(me.clerkId, me.email, updatedAt) };
    const res = await call(clerkMode, me.token, UPDATE_PROFILE, { input: { firstName: 'After', lastName: 'Clerk' } });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toMatchObject({ updateProfile: { user: { firstName: 'After', lastName: 'Clerk' } } });
    expect(calls.at(-1)).toBe(`PATCH /v1/users/${me.clerkId} Bearer sk_test_backend_stub`);
    const row = await db.user(me.clerkId);
    expect(row).toMatchObject({ first_name: 'After', avatar_url: 'https://img.clerk.com/after.png' });
    expect(row.clerk_updated_at?.getTime()).toBe(updatedAt);
  });

  it.each([
    [
      'a refusal naming the field (422)',
      {
        status: 422,
        body: {
          errors: [
            {
              code: 'form_param_exceeds_allowed_size',
              message: 'is too long',
              long_message: 'First name is too long',
              meta: { param_name: 'first_name' },
            },
          ],
        },
      },
      { code: 'BAD_USER_INPUT', issues: [{ path: 'input.firstName', message: 'First name is too long' }] },
      'First name is too long',
    ],
    [
      'a refusal naming no field (400)',
      {
        status: 400,
        body: { errors: [{ code: 'form_identifier_exists', message: 'is taken', long_message: 'That is taken' }] },
      },
      { code: 'BAD_USER_INPUT' },
      'That is taken',
    ],
    [
      'too many requests (429)',
      {
        status: 429,
        body: { errors: [{ code: 'too_many_requests', message: 'slow' }] },
        headers: { 'retry-after': '3' },
      },
      { code: 'RATE_LIMITED', retryAfter: 3 },
      'Too many profile changes at once; try again in a moment',
    ],
    [
      'a failure at Clerk (500)',
      { status: 500, body: { errors: [{ code: 'internal', message: 'boom' }] } },
      { code: 'IDENTITY_PROVIDER_UNAVAILABLE' },
      'The identity provider could not be reached, so nothing was changed; try again in a moment',
    ],
    [
      'our secret key refused (401)',
      { status: 401, body: { errors: [{ code: 'clerk_key_invalid', message: 'bad key' }] } },
      { code: 'IDENTITY_PROVIDER_UNAVAILABLE' },
      'The identity provider could not be reached, so nothing was changed; try again in a moment',
    ],
  ])('%s: a clear error, and nothing changes locally', async (_name, answer, extensions, message) => {
    const me = await clerkUser(clerkMode);
    const before = { row: await db.user(me.clerkId), audit: await db.audit(me.clerkId) };
    next = answer;
    const res = await call(clerkMode, me.token, UPDATE_PROFILE, {
      input: { firstName: 'Refused', lastName: 'Change' },
    });
    expect(res.status).toBe(200);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors?.[0]).toMatchObject({ message, extensions });
    expect({ row: await db.user(me.clerkId), audit: await db.audit(me.clerkId) }).toEqual(before);
  });

  it('Clerk unreachable: IDENTITY_PROVIDER_UNAVAILABLE for every profile change, nothing changed, the cause logged', async () => {
    const me = await clerkUser(unreachable);
    const before = { row: await db.user(me.clerkId), audit: await db.audit(me.clerkId) };
    for (const [query, variables] of [
      [UPDATE_PROFILE, { input: { firstName: 'Lost', lastName: 'Change' } }],
      [UPDATE_IMAGE, { input: { contentType: 'image/png', data: PNG.toString('base64') } }],
      [REMOVE_IMAGE, {}],
    ] as const) {
      const res = await call(unreachable, me.token, query, variables);
      expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['IDENTITY_PROVIDER_UNAVAILABLE']);
    }
    expect({ row: await db.user(me.clerkId), audit: await db.audit(me.clerkId) }).toEqual(before);
    const logged = unreachable.logLines().filter((line) => line.event === 'clerk.unavailable');
    expect(logged.map((line) => line.reason)).toEqual(['unreachable', 'unreachable', 'unreachable']);
    // The secret key never reaches a log line.
    expect(unreachable.logText()).not.toContain('sk_test_backend_stub');
  });
});
