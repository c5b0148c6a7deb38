// The HTTP routes of the local identity provider, through a real node:http server: JWKS, starting,
// refreshing and ending sessions, creating and deleting identities, and the shape of every refusal.
import { request } from 'node:http';
import { verifyToken } from '@clerk/backend';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_LOCAL_IDENTITIES } from './identities.js';
import type { LocalAuthEvent, LocalIdentityProvider } from './index.js';
import { LOCAL_AUTH_MAX_BODY_BYTES } from './routes.js';
import { DEFAULT_SESSION_TTL_SECONDS } from './sessions.js';
import type { ListeningServer } from '../../../test/support/listen.js';
import {
  claimsOf,
  harness,
  PARTY,
  serveLocalAuth,
  typesOf,
  verificationReason,
} from '../../../test/support/local-identity.js';

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

function send(method: string, pathname: string, body?: unknown, headers: Record<string, string> = {}) {
  return fetch(url(pathname), {
    method,
    headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

function postJson(to: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(to, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Streams `chunks` with chunked transfer encoding (no Content-Length), which fetch cannot do simply. */
function postChunked(to: string, chunks: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(to, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

/** A 400 body: the one-line message, and each issue with its field (null: the body as a whole). */
function invalidRequest(...problems: [field: string | null, problem: string][]) {
  return {
    error: 'invalid_request',
    message: problems.map(([field, problem]) => (field ? `${field}: ${problem}` : problem)).join('; '),
    issues: problems.map(([field, problem]) => ({ path: field ? [field] : [], message: problem })),
  };
}

async function createIdentity(email: string, firstName?: string) {
  const identity = await provider.createIdentity({ email, ...(firstName ? { firstName } : {}) });
  events.length = 0;
  return identity;
}

describe('routes', () => {
  it('GET jwks.json serves the key set with a cache header', async () => {
    const response = await fetch(url('/.well-known/jwks.json'));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual(provider.jwks());
  });

  it('POST /sessions mints a verifiable token', async () => {
    const response = await postJson(url('/sessions'), { email: 'Admin@example.com' });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { token: string; sessionId: string; userId: string; expiresAt: number };
    expect(body).toEqual({
      token: expect.any(String),
      sessionId: expect.stringMatching(/^sess_local_/),
      userId: 'user_local_admin',
      expiresAt: expect.any(Number),
    });
    expect(await verificationReason(body.token, provider.publicKeyPem)).toBe('ok');
  });

  it('POST /sessions with an unknown identity is a 404', async () => {
    const response = await postJson(url('/sessions'), { email: 'ghost@example.com' });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: 'identity_not_found',
      message: 'No local identity with email ghost@example.com',
    });
  });

  it('POST /sessions validates its body', async () => {
    const response = await postJson(url('/sessions'), {
      email: 'alice@example.com',
      ttlSeconds: -1,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(invalidRequest(['ttlSeconds', 'must be at least 1']));
  });

  it('POST /identities creates an identity (201), then refuses the duplicate (409)', async () => {
    const identities = url('/identities');
    const created = await postJson(identities, { email: 'Grace@example.com', firstName: 'Grace', lastName: 'Hopper' });
    expect(created.status).toBe(201);
    const identity = await created.json();
    expect(identity).toMatchObject({ email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper' });
    expect(provider.findIdentityByEmail('grace@example.com')).toEqual(identity);

    const duplicate = await postJson(identities, { email: 'grace@example.com' });
    expect(duplicate.status).toBe(409);
    expect(await duplicate.json()).toEqual({
      error: 'identity_exists',
      message: 'A local identity with email grace@example.com already exists',
    });
  });

  it.each([
    [{ firstName: 'No Email' }, 'email', 'is required'],
    [{ email: 'nope' }, 'email', 'must be a valid email address'],
    [{ email: 42 }, 'email', 'must be a string'],
    [{ email: 'h@example.com', lastName: 7 }, 'lastName', 'must be a string or null'],
    [{ email: 'h@example.com', first_name: 'H' }, null, 'Unrecognized key: "first_name"'],
    [['h@example.com'], null, 'Invalid input: expected object, received array'],
  ])('POST /identities refuses %j with 400 and the issue of field %s', async (body, field, problem) => {
    const response = await postJson(url('/identities'), body);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(invalidRequest([field, problem]));
  });

  it('names every problem of a 400, each with its field', async () => {
    const response = await postJson(url('/identities'), { email: 'nope', firstName: 7, lastName: 'x'.repeat(101) });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(
      invalidRequest(
        ['email', 'must be a valid email address'],
        ['firstName', 'must be a string or null'],
        ['lastName', 'must be at most 100 characters'],
      ),
    );
  });

  it('refuses malformed JSON with 400', async () => {
    const response = await postJson(url('/identities'), '{"email":');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_json', message: 'Request body is not valid JSON' });
  });

  it('refuses other content types with 415, accepts a charset parameter', async () => {
    const sessions = url('/sessions');
    const text = await fetch(sessions, { method: 'POST', body: '{"email":"alice@example.com"}' });
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ error: 'unsupported_media_type' });
    const withCharset = await postJson(
      sessions,
      { email: 'alice@example.com' },
      {
        'Content-Type': 'Application/JSON; charset=utf-8',
      },
    );
    expect(withCharset.status).toBe(201);
  });

  it('refuses bodies over 16 KiB with 413, declared or streamed', async () => {
    const padding = 'x'.repeat(LOCAL_AUTH_MAX_BODY_BYTES);
    const declared = await postJson(url('/identities'), { email: 'big@example.com', padding });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ error: 'payload_too_large' });

    const streamed = await postChunked(url('/identities'), ['{"padding":"', padding, '"}']);
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body)).toMatchObject({ error: 'payload_too_large' });
    expect(provider.findIdentityByEmail('big@example.com')).toBeUndefined();
  });

  it('accepts a body of exactly 16 KiB', async () => {
    const body = JSON.stringify({ email: 'alice@example.com' }).padEnd(LOCAL_AUTH_MAX_BODY_BYTES, ' ');
    const response = await postJson(url('/sessions'), body);
    expect(response.status).toBe(201);
  });

  it.each([
    ['/__local-auth/.well-known/jwks.json', 'POST', 'GET, HEAD'],
    ['/__local-auth/sessions', 'GET', 'POST'],
    ['/__local-auth/identities', 'PUT', 'POST'],
  ])('%s answers %s with 405 and Allow: %s', async (pathname, method, allow) => {
    const response = await fetch(`${server.base}${pathname}`, { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe(allow);
    expect(await response.json()).toMatchObject({ error: 'method_not_allowed' });
  });

  it.each([
    '/',
    '/graphql',
    '/__local-auth',
    '/__local-auth/',
    '/__local-auth/unknown',
    '/__local-auth/sessions/a/b',
    '/__local-auth/sessions/sess_local_x',
  ])('leaves %s to the caller', async (pathname) => {
    const response = await fetch(`${server.base}${pathname}`);
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('not a local auth route');
  });

  it('has one way to sign out: DELETE /sessions/:id is not a route', async () => {
    const { sessionId } = await provider.startSession('alice@example.com');
    const response = await fetch(url(`/sessions/${sessionId}`), { method: 'DELETE' });
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('not a local auth route');
    expect(provider.getSession(sessionId)?.endedAt).toBeNull();
  });

  it('answers unexpected failures with a bare 500 and reports them', async () => {
    const failing: LocalIdentityProvider = {
      ...provider,
      createIdentity: () => Promise.reject(new Error('disk full at /secret/path')),
    };
    const seen: unknown[] = [];
    const failingServer = await serveLocalAuth(() => failing, seen);
    try {
      const response = await postJson(`${failingServer.base}/__local-auth/identities`, { email: 'z@example.com' });
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ error: 'internal_error', message: 'The local identity provider failed' });
      expect(text).not.toMatch(/disk full|secret|at /);
      expect(seen).toHaveLength(1);
    } finally {
      await failingServer.close();
    }
  });
});

// POST /sessions/:id/end

describe('POST /sessions/:id/end', () => {
  it('ends an active session with 204 and an empty body, emitting session.ended', async () => {
    const { sessionId } = await provider.startSession('alice@example.com');
    events.length = 0;
    const response = await send('POST', `/sessions/${sessionId}/end`);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(provider.getSession(sessionId)?.endedAt).toEqual(expect.any(Number));
    expect(typesOf(events)).toEqual(['session.ended']);
  });

  it('is idempotent: ending an ended session is 204 again, without a second event', async () => {
    const { sessionId } = await provider.startSession('bob@example.com');
    await (await send('POST', `/sessions/${sessionId}/end`)).text();
    events.length = 0;
    const again = await send('POST', `/sessions/${sessionId}/end`);
    expect(again.status).toBe(204);
    expect(events).toEqual([]);
  });

  it('ignores a request body', async () => {
    const { sessionId } = await provider.startSession('alice@example.com');
    const response = await send('POST', `/sessions/${sessionId}/end`, { reason: 'bye' });
    expect(response.status).toBe(204);
    expect(provider.getSession(sessionId)?.endedAt).not.toBeNull();
  });

  it('finds a session by its percent-encoded id', async () => {
    const { sessionId } = await provider.startSession('alice@example.com');
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
    const { sessionId } = await provider.startSession('alice@example.com');
    for (const method of ['GET', 'DELETE', 'PUT']) {
      const response = await send(method, `/sessions/${sessionId}/end`);
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
      expect(await response.json()).toMatchObject({ error: 'method_not_allowed' });
    }
    expect(provider.getSession(sessionId)?.endedAt).toBeNull();
  });
});

// POST /sessions/:id/tokens

interface SessionBody {
  token: string;
  sessionId: string;
  userId: string;
  expiresAt: number;
}

describe('POST /sessions/:id/tokens', () => {
  it('mints a fresh token for the session: 201, no-store, verifiable', async () => {
    const session = await provider.startSession('admin@example.com');
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
    const session = await provider.startSession('alice@example.com');
    const response = await send('POST', `/sessions/${session.sessionId}/tokens`, { ttlSeconds: 120 });
    expect(response.status).toBe(201);
    const claims = claimsOf(((await response.json()) as SessionBody).token);
    expect((claims.exp as number) - (claims.iat as number)).toBe(120);
  });

  it.each([
    [{ ttlSeconds: 0 }, 'ttlSeconds', 'must be at least 1'],
    [{ ttlSeconds: 1.5 }, 'ttlSeconds', 'must be a whole number of seconds'],
    [{ ttlSeconds: '60' }, 'ttlSeconds', 'must be a number'],
    [{ ttlSeconds: 60, email: 'alice@example.com' }, null, 'Unrecognized key: "email"'],
    [[], null, 'Invalid input: expected object, received array'],
  ])('refuses %j with 400 invalid_request', async (body, field, problem) => {
    const session = await provider.startSession('alice@example.com');
    const response = await send('POST', `/sessions/${session.sessionId}/tokens`, body);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(invalidRequest([field, problem]));
  });

  it('refuses malformed JSON with 400 and a body that is not JSON with 415', async () => {
    const session = await provider.startSession('alice@example.com');
    const malformed = await send('POST', `/sessions/${session.sessionId}/tokens`, '{"ttlSeconds":');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: 'invalid_json' });
    const text = await fetch(url(`/sessions/${session.sessionId}/tokens`), { method: 'POST', body: '{}' });
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ error: 'unsupported_media_type' });
  });

  it('answers 404 session_not_found for an unknown, an ended, or a deleted identity’s session', async () => {
    const ended = await provider.startSession('alice@example.com');
    provider.endSession(ended.sessionId);
    const identity = await createIdentity('doomed@example.com');
    const orphan = await provider.startSession('doomed@example.com');
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
    const session = await provider.startSession('alice@example.com');
    const response = await send('GET', `/sessions/${session.sessionId}/tokens`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});

// DELETE /identities/:id

describe('DELETE /identities/:id', () => {
  it('deletes a created identity: 200 with the deleted object, sessions ended, events sent', async () => {
    const identity = await createIdentity('bye@example.com');
    const session = await provider.startSession('bye@example.com');
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

  it.each(DEMO_LOCAL_IDENTITIES.map((identity) => identity.clerkId))(
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
