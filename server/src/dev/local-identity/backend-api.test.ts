// The Clerk Backend API stand-in (GET and PATCH /v1/users/:id), through a real node:http server and
// through @clerk/backend's own client.
import { createClerkClient } from '@clerk/backend';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_LOCAL_IDENTITIES } from './identities.js';
import type { LocalAuthEvent, LocalIdentityProvider } from './index.js';
import type { ListeningServer } from '../../../test/support/listen.js';
import { harness, serveLocalAuth, typesOf } from '../../../test/support/local-identity.js';

/** The provider behind the test server: a new one per test, so every test starts clean. */
let provider: LocalIdentityProvider;
let events: LocalAuthEvent[];
const unexpected: unknown[] = [];
let server: ListeningServer;

beforeAll(async () => {
  server = await serveLocalAuth(() => provider, unexpected);
});
afterAll(async () => {
  await server.close();
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

function send(method: string, pathname: string, body?: unknown) {
  return fetch(url(pathname), {
    method,
    ...(body === undefined
      ? {}
      : {
          headers: { 'Content-Type': 'application/json' },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
  });
}

async function createIdentity(email: string, firstName?: string) {
  const identity = await provider.createIdentity({ email, ...(firstName ? { firstName } : {}) });
  events.length = 0;
  return identity;
}

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

  it.each(['user_local_nobody', 'alice@example.com'])('answers 404 resource_not_found for %s', async (id) => {
    const response = await send('GET', `/v1/users/${encodeURIComponent(id)}`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'resource_not_found', message: `No user with id ${id}` });
  });

  it('answers other methods with 405 and Allow: GET, PATCH', async () => {
    for (const method of ['DELETE', 'POST', 'PUT']) {
      const response = await send(method, '/v1/users/user_local_alice');
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, PATCH');
    }
  });

  it.each(['/v1/users', '/v1/users/', '/v1/users/user_local_alice/metadata', '/v1/users/user_local_alice/x/y'])(
    'leaves %s to the caller',
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
    [{ firstName: 'Camel' }, 'Unrecognized key: "firstName"'],
    [{ first_name: 'A', email_address: 'x@example.com' }, 'Unrecognized key: "email_address"'],
    [{ image_url: 'https://img.example.com/a.png' }, 'Unrecognized key: "image_url"'],
    [{ first_name: 'x'.repeat(101) }, 'first_name: must be at most 100 characters'],
    [{ first_name: 5 }, /^first_name: /],
    [{ last_name: ['Baker'] }, /^last_name: /],
    [['first_name'], 'Invalid input: expected object, received array'],
    ['null', 'Invalid input: expected object, received null'],
  ])('refuses %j with 400 invalid_request, changing nothing', async (body, message) => {
    const before = provider.findIdentityByClerkId('user_local_alice');
    const response = await send('PATCH', '/v1/users/user_local_alice', body);
    expect(response.status).toBe(400);
    const payload = (await response.json()) as { error: string; message: string; issues: unknown[] };
    expect(payload.error).toBe('invalid_request');
    if (typeof message === 'string') expect(payload.message).toBe(message);
    else expect(payload.message).toMatch(message);
    expect(payload.issues).toHaveLength(1);
    expect(provider.findIdentityByClerkId('user_local_alice')).toBe(before);
    expect(events).toEqual([]);
  });

  it('refuses malformed JSON (400) and other content types (415)', async () => {
    const malformed = await send('PATCH', '/v1/users/user_local_alice', '{"first_name":');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: 'invalid_json' });
    const form = await fetch(url('/v1/users/user_local_alice'), {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'first_name=Form',
    });
    expect(form.status).toBe(415);
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
      expect(await response.json()).toEqual({ error: 'resource_not_found', message: `No user with id ${id}` });
    }
    expect(events).toEqual([]);
  });
});

describe('the Backend API stand-in with @clerk/backend', () => {
  function clerk() {
    return createClerkClient({ secretKey: 'sk_test_local', apiUrl: url('') });
  }

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

  it('getUser of an unknown user fails with a 404 API error', async () => {
    let caught: unknown;
    try {
      await clerk().users.getUser('user_local_nobody');
    } catch (error) {
      caught = error;
    }
    // A ClerkAPIResponseError (@clerk/backend 2.x does not export its type guard).
    expect(caught).toMatchObject({ clerkError: true, status: 404 });
  });
});
