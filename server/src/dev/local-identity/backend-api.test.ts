// The Clerk Backend API stand-in (users and profile images), through a real node:http server and through
// @clerk/backend's own client: the secret key guard on every /v1 path, Clerk's JSON and error shapes, and
// the images it stores and serves.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { createClerkClient } from '@clerk/backend';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_LOCAL_IDENTITIES } from './identities.js';
import { createLocalIdentityProvider, type LocalAuthEvent, type LocalIdentityProvider } from './index.js';
import { authorizationCarriesSecretKey, generateBackendSecretKey } from './secret-key.js';
import type { ListeningServer } from '../../../test/support/listen.js';
import { harness, PARTY, serveLocalAuth, SIGNING_KEY, typesOf } from '../../../test/support/local-identity.js';
import { tempDirs } from '../../../test/support/temp-dirs.js';

/** The provider behind the test server: a new one per test, so every test starts clean. */
let provider: LocalIdentityProvider;
let events: LocalAuthEvent[];
const unexpected: unknown[] = [];
let server: ListeningServer;
const dirs = tempDirs('backend-api-');

beforeAll(async () => {
  server = await serveLocalAuth(() => provider, unexpected);
});
afterAll(async () => {
  await server.close();
  await dirs.removeAll();
});
beforeEach(async () => {
  ({ provider, events } = await harness({ now: Date.now }));
});
afterEach(() => {
  // No request in this file should reach the 500 path.
  expect(unexpected).toEqual([]);
});

function url(pathname: string): string {
  return `${server.base}/__local-auth${pathname}`;
}

/** A request with the provider's secret key (or `authorization` as given; null: none). */
function send(method: string, pathname: string, body?: unknown, authorization?: string | null) {
  const auth = authorization === undefined ? `Bearer ${provider.secretKey}` : authorization;
  return fetch(url(pathname), {
    method,
    headers: {
      ...(auth === null ? {} : { authorization: auth }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

function clerk(secretKey = provider.secretKey) {
  return createClerkClient({ secretKey, apiUrl: url(''), telemetry: { disabled: true } });
}

async function createIdentity(email: string, firstName?: string) {
  const identity = await provider.createIdentity({ email, ...(firstName ? { firstName } : {}) });
  events.length = 0;
  return identity;
}

async function rejectionOf(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

/** The smallest valid images of each type, as their first bytes and a little padding. */
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 1)]);
const GIF = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(32, 2)]);

interface ClerkUserBody {
  object: string;
  id: string;
  first_name: string | null;
  last_name: string | null;
  image_url: string;
  has_image: boolean;
  primary_email_address_id: string;
  email_addresses: { id: string; email_address: string }[];
  created_at: number;
  updated_at: number;
}

interface ClerkErrorBody {
  errors: { code: string; message: string; long_message: string; meta: { param_name?: string } }[];
  clerk_trace_id: string;
}

describe('the secret key', () => {
  const KEY_REFUSED = {
    errors: [
      {
        code: 'clerk_key_invalid',
        message: 'The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct.',
        long_message: 'The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct.',
        meta: {},
      },
    ],
    clerk_trace_id: 'local',
  };

  it.each([
    ['no Authorization header', null],
    ['another key', `Bearer ${generateBackendSecretKey()}`],
    ['the key without Bearer', 'KEY'],
    ['Basic credentials', 'Basic dXNlcjpwYXNz'],
    ['an empty bearer', 'Bearer '],
    ['the key with something after it', 'Bearer KEY extra'],
  ])('is required: %s gets Clerk’s 401, whatever the route', async (_name, authorization) => {
    const header = authorization?.replace('KEY', provider.secretKey) ?? null;
    for (const [method, pathname, body] of [
      ['GET', '/v1/users/user_local_alice', undefined],
      ['PATCH', '/v1/users/user_local_alice', { first_name: 'Mallory' }],
      ['DELETE', '/v1/users/user_local_alice/profile_image', undefined],
      // Unknown routes and wrong methods too: nothing answers without the key, not even "no such route".
      ['GET', '/v1/users', undefined],
      ['DELETE', '/v1/users/user_local_alice', undefined],
      ['GET', '/v1/sessions?user_id=user_local_alice', undefined],
    ] as const) {
      const response = await send(method, pathname, body, header);
      expect(response.status, `${method} ${pathname}`).toBe(401);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(await response.json()).toEqual(KEY_REFUSED);
    }
    expect(provider.findIdentityByClerkId('user_local_alice')).toBe(DEMO_LOCAL_IDENTITIES[0]);
    expect(events).toEqual([]);
  });

  it('refuses @clerk/backend with a wrong key as Clerk does (a 401 ClerkAPIResponseError)', async () => {
    const caught = await rejectionOf(clerk(generateBackendSecretKey()).users.getUser('user_local_alice'));
    expect(caught).toMatchObject({ clerkError: true, status: 401, errors: [{ code: 'clerk_key_invalid' }] });
  });

  it('is not needed outside /v1 (the provider’s own routes, images)', async () => {
    expect((await send('GET', '/.well-known/jwks.json', undefined, null)).status).toBe(200);
    expect((await send('GET', '/images/user_local_alice-0000000000000000.png', undefined, null)).status).toBe(404);
  });

  it('is an sk_local_ key of 256 random bits, new for every in-memory provider', async () => {
    expect(provider.secretKey).toMatch(/^sk_local_[A-Za-z0-9_-]{43}$/);
    const other = await harness({ now: Date.now });
    expect(other.provider.secretKey).not.toBe(provider.secretKey);
  });

  it('is kept in the state directory, private to the owner, and the same after a restart', async () => {
    const stateDir = await dirs.make();
    const first = await createLocalIdentityProvider({ stateDir, authorizedParty: PARTY, signingKey: SIGNING_KEY });
    const second = await createLocalIdentityProvider({ stateDir, authorizedParty: PARTY, signingKey: SIGNING_KEY });
    expect(second.secretKey).toBe(first.secretKey);
    expect((await stat(path.join(stateDir, 'backend-secret-key'))).mode & 0o777).toBe(0o600);
  });

  it('matches only exactly, in constant time over digests', () => {
    const key = generateBackendSecretKey();
    expect(authorizationCarriesSecretKey(`Bearer ${key}`, key)).toBe(true);
    expect(authorizationCarriesSecretKey(`bearer ${key}`, key)).toBe(true);
    expect(authorizationCarriesSecretKey(`Bearer ${key}x`, key)).toBe(false);
    expect(authorizationCarriesSecretKey(`Bearer ${key.slice(0, -1)}`, key)).toBe(false);
    expect(authorizationCarriesSecretKey(undefined, key)).toBe(false);
    expect(authorizationCarriesSecretKey('Bearer ', key)).toBe(false);
  });
});

describe('GET /v1/users/:id', () => {
  it('answers a Clerk-shaped user', async () => {
    const response = await send('GET', '/v1/users/user_local_alice');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    // Exactly, without a charset: @clerk/backend parses nothing else as JSON.
    expect(response.headers.get('content-type')).toBe('application/json');
    const user = (await response.json()) as ClerkUserBody;
    const alice = DEMO_LOCAL_IDENTITIES[0]!;
    expect(user).toMatchObject({
      object: 'user',
      id: 'user_local_alice',
      first_name: 'Alice',
      last_name: 'Anders',
      image_url: '',
      has_image: false,
      created_at: alice.createdAt,
      updated_at: alice.updatedAt,
    });
    expect(user.email_addresses.map((address) => address.email_address)).toEqual(['alice@example.com']);
    expect(user.primary_email_address_id).toBe(user.email_addresses[0]!.id);
  });

  it('answers a created identity with null names', async () => {
    const identity = await createIdentity('plain@example.com');
    const user = (await (await send('GET', `/v1/users/${identity.clerkId}`)).json()) as ClerkUserBody;
    expect(user).toMatchObject({ id: identity.clerkId, first_name: null, last_name: null });
    expect(user.email_addresses[0]?.email_address).toBe('plain@example.com');
  });

  it.each(['user_local_nobody', 'alice@example.com'])('answers Clerk’s 404 resource_not_found for %s', async (id) => {
    const response = await send('GET', `/v1/users/${encodeURIComponent(id)}`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({
      errors: [{ code: 'resource_not_found', message: 'not found', long_message: `No user with id ${id}`, meta: {} }],
      clerk_trace_id: 'local',
    });
  });

  it('answers other methods with a Clerk-shaped 405 and Allow: GET, PATCH', async () => {
    for (const method of ['DELETE', 'POST', 'PUT']) {
      const response = await send(method, '/v1/users/user_local_alice');
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, PATCH');
      expect(await response.json()).toMatchObject({ errors: [{ code: 'method_not_allowed' }] });
    }
  });

  it.each(['/v1/users', '/v1/users/', '/v1/users/user_local_alice/metadata', '/v1/users/user_local_alice/x/y'])(
    'leaves %s to the caller (with the key)',
    async (pathname) => {
      const response = await send('GET', pathname);
      expect(response.status).toBe(404);
      expect(await response.text()).toBe('not a local auth route');
    },
  );
});

describe('PATCH /v1/users/:id', () => {
  it('changes the names given and answers the updated Clerk user', async () => {
    const before = provider.findIdentityByClerkId('user_local_bob')!;
    const response = await send('PATCH', '/v1/users/user_local_bob', { first_name: 'Robert' });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const user = (await response.json()) as ClerkUserBody;
    expect(user).toMatchObject({ id: 'user_local_bob', first_name: 'Robert', last_name: 'Baker' });
    expect(user.updated_at).toBeGreaterThan(before.updatedAt);
    expect(provider.findIdentityByClerkId('user_local_bob')).toMatchObject({
      firstName: 'Robert',
      lastName: 'Baker',
      updatedAt: user.updated_at,
    });
    expect(events).toEqual([{ type: 'user.updated', identity: provider.findIdentityByClerkId('user_local_bob') }]);

    // GET sees the change.
    expect(await (await send('GET', '/v1/users/user_local_bob')).json()).toEqual(user);
  });

  it('clears names with null or blank text, and trims', async () => {
    const identity = await createIdentity('names@example.com', 'Named');
    const cleared = await send('PATCH', `/v1/users/${identity.clerkId}`, { first_name: null, last_name: '  Last  ' });
    expect(await cleared.json()).toMatchObject({ first_name: null, last_name: 'Last' });
    const blank = await send('PATCH', `/v1/users/${identity.clerkId}`, { last_name: '   ' });
    expect(await blank.json()).toMatchObject({ first_name: null, last_name: null });
  });

  it('accepts an empty patch (a touch that changes only updated_at)', async () => {
    const before = provider.findIdentityByClerkId('user_local_alice')!;
    const response = await send('PATCH', '/v1/users/user_local_alice', {});
    expect(response.status).toBe(200);
    const user = (await response.json()) as ClerkUserBody;
    expect(user).toMatchObject({ first_name: before.firstName, last_name: before.lastName });
    expect(user.updated_at).toBeGreaterThan(before.updatedAt);
  });

  it.each([
    [{ firstName: 'Camel' }, [{ code: 'form_param_unknown', param: 'firstName' }]],
    [{ first_name: 'A', email_address: 'x@example.com' }, [{ code: 'form_param_unknown', param: 'email_address' }]],
    [{ image_url: 'https://img.example.com/a.png' }, [{ code: 'form_param_unknown', param: 'image_url' }]],
    [
      { first_name: 'x'.repeat(101) },
      [{ code: 'form_param_format_invalid', param: 'first_name', message: 'must be at most 100 characters' }],
    ],
    [{ first_name: 5 }, [{ code: 'form_param_format_invalid', param: 'first_name' }]],
    [{ last_name: ['Baker'] }, [{ code: 'form_param_format_invalid', param: 'last_name' }]],
    [['first_name'], [{ code: 'form_param_format_invalid', param: undefined }]],
    ['null', [{ code: 'form_param_format_invalid', param: undefined }]],
  ])('refuses %j with Clerk’s 422, changing nothing', async (body, expected) => {
    const before = provider.findIdentityByClerkId('user_local_alice');
    const response = await send('PATCH', '/v1/users/user_local_alice', body);
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toBe('application/json');
    const payload = (await response.json()) as ClerkErrorBody;
    expect(
      payload.errors.map((e) => ({
        code: e.code,
        param: e.meta.param_name,
        ...('message' in expected[0]! ? { message: e.message } : {}),
      })),
    ).toEqual(expected);
    expect(provider.findIdentityByClerkId('user_local_alice')).toBe(before);
    expect(events).toEqual([]);
  });

  it('refuses malformed JSON (400) and other content types (415), in Clerk’s shape', async () => {
    const malformed = await send('PATCH', '/v1/users/user_local_alice', '{"first_name":');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ errors: [{ code: 'invalid_json' }] });
    const form = await fetch(url('/v1/users/user_local_alice'), {
      method: 'PATCH',
      headers: { authorization: `Bearer ${provider.secretKey}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'first_name=Form',
    });
    expect(form.status).toBe(415);
    expect(await form.json()).toMatchObject({ errors: [{ code: 'unsupported_media_type' }] });
    expect(provider.findIdentityByClerkId('user_local_alice')?.firstName).toBe('Alice');
    expect(events).toEqual([]);
  });

  it('answers 404 resource_not_found for an unknown or deleted user', async () => {
    const identity = await createIdentity('patched-away@example.com');
    await provider.deleteIdentity(identity.clerkId);
    events.length = 0;
    for (const id of ['user_local_nobody', identity.clerkId]) {
      const response = await send('PATCH', `/v1/users/${id}`, { first_name: 'Ghost' });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ errors: [{ code: 'resource_not_found' }] });
    }
    expect(events).toEqual([]);
  });
});

describe('profile images', () => {
  it('updateUserProfileImage stores the image, answers a user whose image_url serves it, and emits user.updated', async () => {
    const identity = await createIdentity('avatar@example.com');
    const user = await clerk().users.updateUserProfileImage(identity.clerkId, {
      file: new Blob([PNG], { type: 'image/png' }),
    });
    expect(user.hasImage).toBe(true);
    expect(user.imageUrl).toMatch(
      new RegExp(`^${server.base}/__local-auth/images/${identity.clerkId}-[0-9a-f]{16}\\.png$`),
    );
    expect(provider.findIdentityByClerkId(identity.clerkId)?.imageUrl).toBe(user.imageUrl);
    expect(typesOf(events)).toEqual(['user.updated']);

    const image = await fetch(user.imageUrl);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await image.arrayBuffer())).toEqual(PNG);
    const head = await fetch(user.imageUrl, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(PNG.length));
  });

  it('a new image replaces the old one, which is no longer served; deleteUserProfileImage removes it', async () => {
    const identity = await createIdentity('replace@example.com');
    const first = await clerk().users.updateUserProfileImage(identity.clerkId, {
      file: new Blob([PNG], { type: 'image/png' }),
    });
    const second = await clerk().users.updateUserProfileImage(identity.clerkId, {
      file: new Blob([GIF], { type: 'image/gif' }),
    });
    expect(second.imageUrl).toMatch(/\.gif$/);
    expect((await fetch(first.imageUrl)).status).toBe(404);
    expect((await fetch(second.imageUrl)).status).toBe(200);

    const removed = await clerk().users.deleteUserProfileImage(identity.clerkId);
    expect(removed.hasImage).toBe(false);
    expect(removed.imageUrl).toBe('');
    expect(removed.updatedAt).toBeGreaterThan(second.updatedAt);
    expect((await fetch(second.imageUrl)).status).toBe(404);
    expect(typesOf(events)).toEqual(['user.updated', 'user.updated', 'user.updated']);
  });

  it.each([
    ['a file that is not an image', new Blob([Buffer.from('hello, not an image')], { type: 'image/png' })],
    ['bytes of another type than declared', new Blob([GIF], { type: 'image/png' })],
    ['an unsupported type', new Blob([PNG], { type: 'image/svg+xml' })],
    ['an image over 64 KiB', new Blob([Buffer.concat([PNG, Buffer.alloc(64 * 1024)])], { type: 'image/png' })],
    ['an empty file', new Blob([], { type: 'image/png' })],
  ])('refuses %s with Clerk’s 422 on `file`, changing nothing', async (_name, file) => {
    const caught = await rejectionOf(clerk().users.updateUserProfileImage('user_local_bob', { file }));
    expect(caught).toMatchObject({
      clerkError: true,
      status: 422,
      errors: [{ code: 'form_param_format_invalid', meta: { paramName: 'file' } }],
    });
    expect(provider.findIdentityByClerkId('user_local_bob')).toBe(DEMO_LOCAL_IDENTITIES[1]);
    expect(events).toEqual([]);
  });

  it('refuses a request without the file, or not multipart', async () => {
    const form = new FormData();
    form.append('image', new Blob([PNG], { type: 'image/png' }));
    const missing = await fetch(url('/v1/users/user_local_bob/profile_image'), {
      method: 'POST',
      headers: { authorization: `Bearer ${provider.secretKey}` },
      body: form,
    });
    expect(missing.status).toBe(422);
    expect(await missing.json()).toMatchObject({ errors: [{ meta: { param_name: 'file' } }] });
    const json = await send('POST', '/v1/users/user_local_bob/profile_image', { file: 'x' });
    expect(json.status).toBe(422);
    expect(events).toEqual([]);
  });

  it('answers 404 for an unknown user, and for an image that was never stored', async () => {
    const caught = await rejectionOf(
      clerk().users.updateUserProfileImage('user_local_nobody', { file: new Blob([PNG], { type: 'image/png' }) }),
    );
    expect(caught).toMatchObject({ status: 404 });
    for (const name of ['user_local_alice-0123456789abcdef.png', '..%2Fsecret', 'backend-secret-key']) {
      expect((await send('GET', `/images/${name}`, undefined, null)).status).toBe(404);
    }
  });

  it('keeps images in the state directory across restarts', async () => {
    const stateDir = await dirs.make();
    const options = { stateDir, authorizedParty: PARTY, signingKey: SIGNING_KEY };
    const first = await createLocalIdentityProvider(options);
    const updated = await first.setProfileImage(
      'user_local_alice',
      { contentType: 'image/png', bytes: PNG },
      'http://x/images',
    );
    const name = updated.imageUrl!.split('/').pop()!;
    const second = await createLocalIdentityProvider(options);
    expect(second.findIdentityByClerkId('user_local_alice')?.imageUrl).toBe(updated.imageUrl);
    expect(await second.profileImage(name)).toEqual({ contentType: 'image/png', bytes: PNG });
  });
});

describe('the Backend API stand-in with @clerk/backend', () => {
  it('getUser reads a local identity', async () => {
    const user = await clerk().users.getUser('user_local_alice');
    expect(user.id).toBe('user_local_alice');
    expect(user.firstName).toBe('Alice');
    expect(user.lastName).toBe('Anders');
    expect(user.primaryEmailAddress?.emailAddress).toBe('alice@example.com');
  });

  it('updateUser changes the names', async () => {
    const user = await clerk().users.updateUser('user_local_admin', { firstName: 'Augusta' });
    expect(user.id).toBe('user_local_admin');
    expect(user.firstName).toBe('Augusta');
    expect(user.lastName).toBe('Admin');
    expect(provider.findIdentityByClerkId('user_local_admin')).toMatchObject({
      firstName: 'Augusta',
      lastName: 'Admin',
    });
    expect(typesOf(events)).toEqual(['user.updated']);
  });

  it('a refusal reaches @clerk/backend as a ClerkAPIResponseError with Clerk’s fields', async () => {
    const caught = await rejectionOf(clerk().users.updateUser('user_local_admin', { firstName: 'x'.repeat(101) }));
    expect(caught).toMatchObject({
      clerkError: true,
      status: 422,
      errors: [{ code: 'form_param_format_invalid', meta: { paramName: 'first_name' } }],
    });
  });

  it('getUser of an unknown user fails with a 404 API error', async () => {
    // A ClerkAPIResponseError (@clerk/backend 2.x does not export its type guard).
    expect(await rejectionOf(clerk().users.getUser('user_local_nobody'))).toMatchObject({
      clerkError: true,
      status: 404,
    });
  });
});

describe('POST /v1/users/:id/ban and /unban', () => {
  it('banUser marks the identity banned, revokes its active sessions (session.ended each) and refuses sign-in', async () => {
    const identity = await createIdentity('banned@example.test');
    const first = await provider.startSession(identity.email);
    const second = await provider.startSession(identity.email);
    provider.endSession(second.sessionId);
    events.length = 0;

    const user = await clerk().users.banUser(identity.clerkId);
    expect(user.banned).toBe(true);
    expect(provider.findIdentityByClerkId(identity.clerkId)?.banned).toBe(true);
    expect(provider.getSession(first.sessionId)).toMatchObject({ endedAt: expect.any(Number), revoked: true });
    expect(provider.touchSession(first.sessionId)).toBe('ended');
    // The session that had ended already stays as it was (signed out, not revoked).
    expect(provider.getSession(second.sessionId)?.revoked).toBeUndefined();
    expect(typesOf(events)).toEqual(['session.ended']);

    const signIn = await send('POST', '/sessions', { email: identity.email }, null);
    expect(signIn.status).toBe(403);
    expect(await signIn.json()).toEqual({
      error: 'identity_banned',
      message: 'This account is disabled. Contact your administrator.',
    });
    await expect(provider.refreshSession(first.sessionId)).rejects.toMatchObject({ code: 'session_not_found' });
    // Banning again answers the same, and ends nothing more.
    expect((await clerk().users.banUser(identity.clerkId)).banned).toBe(true);
  });

  it('unbanUser clears the ban: sign-in works again', async () => {
    const identity = await createIdentity('unbanned@example.test');
    await clerk().users.banUser(identity.clerkId);
    const user = await clerk().users.unbanUser(identity.clerkId);
    expect(user.banned).toBe(false);
    expect((await provider.startSession(identity.email)).token).toEqual(expect.any(String));
  });

  it('answers 404 for an unknown user, and 401 without the secret key', async () => {
    expect(await rejectionOf(clerk().users.banUser('user_local_nobody'))).toMatchObject({
      clerkError: true,
      status: 404,
    });
    expect((await send('POST', '/v1/users/user_local_alice/ban', undefined, null)).status).toBe(401);
    expect(provider.findIdentityByClerkId('user_local_alice')?.banned).toBeUndefined();
  });

  it('keeps a ban in the state directory across restarts, demo identities included', async () => {
    const stateDir = await dirs.make();
    const options = { stateDir, authorizedParty: PARTY, signingKey: SIGNING_KEY };
    const first = await createLocalIdentityProvider(options);
    await first.setBanned('user_local_bob', true);
    const second = await createLocalIdentityProvider(options);
    expect(second.findIdentityByClerkId('user_local_bob')?.banned).toBe(true);
    await second.setBanned('user_local_bob', false);
    const third = await createLocalIdentityProvider(options);
    expect(third.findIdentityByClerkId('user_local_bob')?.banned).toBe(false);
  });
});
