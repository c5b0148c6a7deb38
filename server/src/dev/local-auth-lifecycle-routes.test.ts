// HTTP routes of the local identity provider's lifecycle: ending sessions, refreshing tokens, deleting
// identities, and the Clerk Backend API stand-in (GET/PATCH /v1/users/:id), through a real node:http server.
import { createServer } from 'node:http';

import { createClerkClient, verifyToken } from '@clerk/backend';
import { isClerkAPIResponseError } from '@clerk/backend/errors';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handleLocalAuthRequest } from './local-auth-routes.js';
import {
  createLocalIdentityProvider,
  DEFAULT_SESSION_TTL_SECONDS,
  DEMO_IDENTITIES,
  generateSigningKey,
  type LocalAuthEvent,
  type LocalIdentityProvider,
} from './local-identity.js';
import { listen, type ListeningServer } from '../../test/support/listen.js';

const PARTY = 'http://localhost:3000';
const SIGNING_KEY = generateSigningKey();

/** The provider behind a test server; `provider` is swapped per test so every test starts clean. */
const current: { provider?: LocalIdentityProvider } = {};
const events: LocalAuthEvent[] = [];
const unexpected: unknown[] = [];
let server: ListeningServer;

beforeAll(async () => {
  server = await listen(
    createServer((req, res) => {
      const { pathname } = new URL(req.url ?? '/', 'http://localhost');
      void handleLocalAuthRequest(current.provider!, req, res, pathname, { onError: (e) => unexpected.push(e) }).then(
        (handled) => {
          if (!handled) res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not a local auth route');
        },
      );
    }),
  );
});
afterAll(async () => {
  await server.close();
});

let provider: LocalIdentityProvider;
beforeEach(async () => {
  events.length = 0;
  provider = await createLocalIdentityProvider({
    stateDir: null,
    authorizedParty: PARTY,
    signingKey: SIGNING_KEY,
    onEvent: (event) => events.push(event),
  });
  current.provider = provider;
});
afterEach(() => {
  // No request in this file should reach the 500 path.
  expect(unexpected).toEqual([]);
});

function url(pathname: string): string {
  return `${server.base}/__local-auth${pathname}`;
}

function send(method: string, pathname: string, body?: unknown, headers: Record<string, string> = {}) {
  return fetch(url(pathname), {
    method,
    headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

function typesOf(list: LocalAuthEvent[]): string[] {
  return list.map((event) => event.type);
}

function claimsOf(token: string): Record<string, number | string> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    number | string
  >;
}

async function createIdentity(email: string, firstName?: string) {
  const identity = await provider.createIdentity({ email, ...(firstName ? { firstName } : {}) });
  events.length = 0;
  return identity;
}

// ---------------------------------------------------------------------------------------------------------
// POST /sessions/:id/end

describe('POST /sessions/:id/end', () => {
  it('ends an active session with 204 and an empty body, emitting session.ended', async () => {
    const { sessionId } = provider.startSession('alice@example.com');
    events.length = 0;
    const response = await send('POST', `/sessions/${sessionId}/end`);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(provider.getSession(sessionId)?.endedAt).toEqual(expect.any(Number));
    expect(typesOf(events)).toEqual(['session.ended']);
  });

  it('is idempotent: ending an ended session is 204 again, without a second event', async () => {
    const { sessionId } = provider.startSession('bob@example.com');
    await (await send('POST', `/sessions/${sessionId}/end`)).text();
    events.length = 0;
    const again = await send('POST', `/sessions/${sessionId}/end`);
    expect(again.status).toBe(204);
    expect(events).toEqual([]);
  });

  it('ignores a request body', async () => {
    const { sessionId } = provider.startSession('alice@example.com');
    const response = await send('POST', `/sessions/${sessionId}/end`, { reason: 'bye' });
    expect(response.status).toBe(204);
    expect(provider.getSession(sessionId)?.endedAt).not.toBeNull();
  });

  it('finds a session by its percent-encoded id', async () => {
    const { sessionId } = provider.startSession('alice@example.com');
    const encoded = [...sessionId].map((char) => `%${char.charCodeAt(0).toString(16)}`).join('');
    expect((await send('POST', `/sessions/${encoded}/end`)).status).toBe(204);
    expect(provider.getSession(sessionId)?.endedAt).not.toBeNull();
  });

  it.each(['sess_local_unknown', 'sess%2Flocal', '%E0%A4%A'])('answers 404 session_not_found for %s', async (id) => {
    const response = await send('POST', `/sessions/${id}/end`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: 'session_not_found',
      message: 'No active or ended session with this id (sessions live in memory)',
    });
    expect(events).toEqual([]);
  });

  it('answers other methods with 405 and Allow: POST', async () => {
    const { sessionId } = provider.startSession('alice@example.com');
    for (const method of ['GET', 'DELETE', 'PUT']) {
      const response = await send(method, `/sessions/${sessionId}/end`);
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
      expect(await response.json()).toMatchObject({ error: 'method_not_allowed' });
    }
    expect(provider.getSession(sessionId)?.endedAt).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------------------
// POST /sessions/:id/tokens

interface SessionBody {
  token: string;
  sessionId: string;
  userId: string;
  expiresAt: number;
}

describe('POST /sessions/:id/tokens', () => {
  it('mints a fresh token for the session: 201, no-store, verifiable', async () => {
    const session = provider.startSession('admin@example.com');
    events.length = 0;
    const response = await send('POST', `/sessions/${session.sessionId}/tokens`, {});
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as SessionBody;
    expect(body).toEqual({
      token: expect.any(String),
      sessionId: session.sessionId,
      userId: 'user_local_admin',
      expiresAt: expect.any(Number),
    });
    const payload = await verifyToken(body.token, { jwtKey: provider.publicKeyPem, authorizedParties: [PARTY] });
    expect(payload).toMatchObject({ sub: 'user_local_admin', sid: session.sessionId });
    expect(payload.exp - payload.iat).toBe(DEFAULT_SESSION_TTL_SECONDS);
    expect(body.expiresAt).toBe(payload.exp * 1000);
    expect(events).toEqual([]);
  });

  it('honours ttlSeconds', async () => {
    const session = provider.startSession('alice@example.com');
    const response = await send('POST', `/sessions/${session.sessionId}/tokens`, { ttlSeconds: 120 });
    expect(response.status).toBe(201);
    const claims = claimsOf(((await response.json()) as SessionBody).token);
    expect((claims.exp as number) - (claims.iat as number)).toBe(120);
  });

  it.each([
    [{ ttlSeconds: 0 }, 'ttlSeconds: must be at least 1'],
    [{ ttlSeconds: 1.5 }, 'ttlSeconds: must be a whole number of seconds'],
    [{ ttlSeconds: '60' }, 'ttlSeconds: must be a number'],
    [{ ttlSeconds: 60, email: 'alice@example.com' }, 'Unrecognized key: "email"'],
    [[], 'Invalid input: expected object, received array'],
  ])('refuses %j with 400 invalid_request', async (body, message) => {
    const session = provider.startSession('alice@example.com');
    const response = await send('POST', `/sessions/${session.sessionId}/tokens`, body);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_request', message });
  });

  it('refuses malformed JSON with 400 and a body that is not JSON with 415', async () => {
    const session = provider.startSession('alice@example.com');
    const malformed = await send('POST', `/sessions/${session.sessionId}/tokens`, '{"ttlSeconds":');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: 'invalid_json' });
    const text = await fetch(url(`/sessions/${session.sessionId}/tokens`), { method: 'POST', body: '{}' });
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ error: 'unsupported_media_type' });
  });

  it('answers 404 session_not_found for an unknown, an ended, or a deleted identity’s session', async () => {
    const ended = provider.startSession('alice@example.com');
    provider.endSession(ended.sessionId);
    const identity = await createIdentity('doomed@example.com');
    const orphan = provider.startSession('doomed@example.com');
    await provider.deleteIdentity(identity.clerkId);

    for (const id of ['sess_local_unknown', ended.sessionId, orphan.sessionId]) {
      const response = await send('POST', `/sessions/${id}/tokens`, {});
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        error: 'session_not_found',
        message: 'No active session with this id (ended, expired, or never started here)',
      });
    }
  });

  it('answers GET with 405 and Allow: POST', async () => {
    const session = provider.startSession('alice@example.com');
    const response = await send('GET', `/sessions/${session.sessionId}/tokens`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});

// ---------------------------------------------------------------------------------------------------------
// DELETE /identities/:id

describe('DELETE /identities/:id', () => {
  it('deletes a created identity: 200 with the deleted object, sessions ended, events sent', async () => {
    const identity = await createIdentity('bye@example.com');
    const session = provider.startSession('bye@example.com');
    events.length = 0;

    const response = await send('DELETE', `/identities/${identity.clerkId}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ object: 'user', id: identity.clerkId, deleted: true });
    expect(provider.findIdentityByClerkId(identity.clerkId)).toBeUndefined();
    expect(provider.getSession(session.sessionId)?.endedAt).not.toBeNull();
    expect(typesOf(events)).toEqual(['user.deleted', 'session.ended']);
  });

  it('answers 404 identity_not_found for an unknown or already deleted identity', async () => {
    const identity = await createIdentity('once@example.com');
    await (await send('DELETE', `/identities/${identity.clerkId}`)).text();
    events.length = 0;
    for (const id of [identity.clerkId, 'user_local_nobody']) {
      const response = await send('DELETE', `/identities/${id}`);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        error: 'identity_not_found',
        message: `No local identity with id ${id}`,
      });
    }
    expect(events).toEqual([]);
  });

  it.each(DEMO_IDENTITIES.map((identity) => identity.clerkId))(
    'answers 409 identity_protected for demo identity %s and keeps it',
    async (clerkId) => {
      const response = await send('DELETE', `/identities/${clerkId}`);
      expect(response.status).toBe(409);
      const body = (await response.json()) as { error: string; message: string };
      expect(body.error).toBe('identity_protected');
      expect(body.message).toContain(clerkId);
      expect(provider.findIdentityByClerkId(clerkId)).toBeDefined();
      expect(events).toEqual([]);
    },
  );

  it('does not take the identity by email', async () => {
    await createIdentity('by-email@example.com');
    const response = await send('DELETE', `/identities/${encodeURIComponent('by-email@example.com')}`);
    expect(response.status).toBe(404);
    expect(provider.findIdentityByEmail('by-email@example.com')).toBeDefined();
  });

  it('answers other methods with 405 and Allow: DELETE', async () => {
    const identity = await createIdentity('stay@example.com');
    for (const method of ['GET', 'POST', 'PATCH']) {
      const response = await send(method, `/identities/${identity.clerkId}`);
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('DELETE');
    }
    expect(provider.findIdentityByClerkId(identity.clerkId)).toBeDefined();
  });
});

// ---------------------------------------------------------------------------------------------------------
// GET / PATCH /v1/users/:id

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
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const user = (await response.json()) as ClerkUserBody;
    const alice = DEMO_IDENTITIES[0]!;
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
    const payload = (await response.json()) as { error: string; message: string };
    expect(payload.error).toBe('invalid_request');
    if (typeof message === 'string') expect(payload.message).toBe(message);
    else expect(payload.message).toMatch(message);
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
    expect(isClerkAPIResponseError(caught)).toBe(true);
    expect((caught as { status: number }).status).toBe(404);
  });
});
