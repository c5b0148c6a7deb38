// The Backend API stand-in's session calls (GET /v1/sessions, GET /v1/sessions/:id, POST
// /v1/sessions/:id/revoke), through a real node:http server and through @clerk/backend's own client, and
// the provider's session bookkeeping behind them: user agents, last activity, revocation, liveness.
import { createClerkClient, type ClerkClient } from '@clerk/backend';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sessionActivityFromUserAgent } from './backend-api-sessions.js';
import type { LocalAuthEvent, LocalIdentityProvider } from './index.js';
import { MAX_USER_AGENT_LENGTH } from './sessions.js';
import type { ListeningServer } from '../../../test/support/listen.js';
import { harness, manualClock, serveLocalAuth, START, typesOf } from '../../../test/support/local-identity.js';

const CHROME_LINUX =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.71 Safari/537.36';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';
const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0';

let provider: LocalIdentityProvider;
let events: LocalAuthEvent[];
let clock: ReturnType<typeof manualClock>;
const unexpected: unknown[] = [];
let server: ListeningServer;
let clerk: ClerkClient;

beforeAll(async () => {
  server = await serveLocalAuth(() => provider, unexpected);
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  ({ provider, events, clock } = await harness());
  clerk = createClerkClient({ secretKey: provider.secretKey, apiUrl: `${server.base}/__local-auth` });
});
afterEach(() => {
  expect(unexpected).toEqual([]);
});

function send(method: string, pathname: string, secretKey: string | null = provider.secretKey) {
  return fetch(`${server.base}/__local-auth${pathname}`, {
    method,
    headers: secretKey === null ? {} : { authorization: `Bearer ${secretKey}` },
  });
}

/** A ClerkAPIResponseError's status and first error code, or 'ok'. */
async function refusalOf(promise: Promise<unknown>): Promise<{ status: unknown; code: unknown } | 'ok'> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    const { status, errors } = error as { status?: unknown; errors?: { code?: unknown }[] };
    return { status, code: errors?.[0]?.code };
  }
}

async function start(email: string, userAgent?: string) {
  const session = await provider.startSession(email, { ttlSeconds: 3600, ...(userAgent ? { userAgent } : {}) });
  return session.sessionId;
}

describe('the provider’s sessions', () => {
  it('keep the browser’s user agent, cut to its limit', async () => {
    const id = await start('alice@example.com', CHROME_LINUX);
    expect(provider.getSession(id)?.userAgent).toBe(CHROME_LINUX);
    const long = await start('alice@example.com', 'x'.repeat(MAX_USER_AGENT_LENGTH + 100));
    expect(provider.getSession(long)?.userAgent).toBe('x'.repeat(MAX_USER_AGENT_LENGTH));
    const none = await start('alice@example.com');
    expect(provider.getSession(none)).not.toHaveProperty('userAgent');
  });

  it('record activity on refresh and on every use the API server reports', async () => {
    const id = await start('alice@example.com');
    expect(provider.getSession(id)).not.toHaveProperty('lastActiveAt');
    clock.advance(1000);
    await provider.refreshSession(id);
    expect(provider.getSession(id)?.lastActiveAt).toBe(START + 1000);
    clock.advance(1000);
    expect(provider.touchSession(id)).toBe('active');
    expect(provider.getSession(id)?.lastActiveAt).toBe(START + 2000);
  });

  it('tell active, ended and unknown sessions apart, and an ended session’s use changes nothing', async () => {
    const id = await start('alice@example.com');
    provider.endSession(id);
    clock.advance(1000);
    expect(provider.touchSession(id)).toBe('ended');
    expect(provider.getSession(id)).not.toHaveProperty('lastActiveAt');
    expect(provider.touchSession('sess_local_unknown')).toBe('unknown');
    // Past its expiry the session is forgotten: its tokens no longer verify anyway.
    clock.advance(3600_000);
    expect(provider.touchSession(id)).toBe('unknown');
  });

  it('list one user’s sessions, ended ones included, most recently active first', async () => {
    const first = await start('alice@example.com');
    clock.advance(1000);
    const second = await start('alice@example.com');
    clock.advance(1000);
    const ended = await start('alice@example.com');
    provider.endSession(ended);
    await start('bob@example.com');
    clock.advance(1000);
    provider.touchSession(first);
    expect(provider.listSessions('user_local_alice').map((record) => record.sessionId)).toEqual([first, ended, second]);
    expect(provider.listSessions('user_local_nobody')).toEqual([]);
  });

  it('revoke an active session once: revoked, ended, one session.ended event', async () => {
    const id = await start('alice@example.com');
    events.length = 0;
    clock.advance(500);
    expect(provider.revokeSession(id)).toMatchObject({ sessionId: id, endedAt: START + 500, revoked: true });
    expect(provider.touchSession(id)).toBe('ended');
    expect(typesOf(events)).toEqual(['session.ended']);
    // Again: as it was, no event.
    expect(provider.revokeSession(id)).toMatchObject({ endedAt: START + 500, revoked: true });
    expect(typesOf(events)).toEqual(['session.ended']);
    await expect(provider.refreshSession(id)).rejects.toMatchObject({ code: 'session_not_found' });
    expect(provider.revokeSession('sess_local_unknown')).toBeUndefined();
  });

  it('do not mark a signed-out session revoked when it is revoked afterwards', async () => {
    const id = await start('alice@example.com');
    provider.endSession(id);
    expect(provider.revokeSession(id)).not.toHaveProperty('revoked');
  });
});

describe('sessionActivityFromUserAgent', () => {
  it.each([
    [
      CHROME_LINUX,
      { browser_name: 'Chrome', browser_version: '120.0.6099.71', device_type: 'Linux', is_mobile: false },
    ],
    [SAFARI_IPHONE, { browser_name: 'Safari', browser_version: '17.1', device_type: 'iPhone', is_mobile: true }],
    [FIREFOX_WINDOWS, { browser_name: 'Firefox', browser_version: '121.0', device_type: 'Windows', is_mobile: false }],
  ])('reads %s', (userAgent, expected) => {
    expect(sessionActivityFromUserAgent('sess_local_1', userAgent)).toEqual({
      object: 'session_activity',
      id: 'sess_activity_local_1',
      ...expected,
    });
  });

  it('leaves out what it cannot tell, and has nothing without a user agent', () => {
    expect(sessionActivityFromUserAgent('sess_local_1', 'curl/8.5.0')).toEqual({
      object: 'session_activity',
      id: 'sess_activity_local_1',
      is_mobile: false,
    });
    expect(sessionActivityFromUserAgent('sess_local_1', undefined)).toBeUndefined();
    expect(sessionActivityFromUserAgent('sess_local_1', '  ')).toBeUndefined();
  });
});

describe('GET /v1/sessions through @clerk/backend', () => {
  it('lists a user’s active sessions in Clerk’s shape, with the activity from their user agents', async () => {
    const chrome = await start('alice@example.com', CHROME_LINUX);
    clock.advance(1000);
    const iphone = await start('alice@example.com', SAFARI_IPHONE);
    await start('bob@example.com', FIREFOX_WINDOWS);
    const ended = await start('alice@example.com');
    provider.endSession(ended);
    clock.advance(1000);
    provider.touchSession(chrome);

    const { data, totalCount } = await clerk.sessions.getSessionList({ userId: 'user_local_alice', status: 'active' });
    expect(totalCount).toBe(2);
    expect(data.map((session) => session.id)).toEqual([chrome, iphone]);
    expect(data[0]).toMatchObject({
      id: chrome,
      userId: 'user_local_alice',
      status: 'active',
      createdAt: START,
      lastActiveAt: START + 2000,
      latestActivity: { browserName: 'Chrome', browserVersion: '120.0.6099.71', deviceType: 'Linux', isMobile: false },
    });
    expect(data[1]).toMatchObject({
      id: iphone,
      createdAt: START + 1000,
      lastActiveAt: START + 1000,
      latestActivity: { browserName: 'Safari', deviceType: 'iPhone', isMobile: true },
    });
  });

  it('filters by status, and lists every status without one', async () => {
    const active = await start('alice@example.com');
    const ended = await start('alice@example.com');
    const revoked = await start('alice@example.com');
    provider.endSession(ended);
    provider.revokeSession(revoked);
    const statuses = async (status?: 'active' | 'ended' | 'revoked') =>
      (await clerk.sessions.getSessionList({ userId: 'user_local_alice', ...(status ? { status } : {}) })).data
        .map((session) => `${session.id === active ? 'a' : session.id === ended ? 'e' : 'r'}:${session.status}`)
        .sort();
    expect(await statuses('active')).toEqual(['a:active']);
    expect(await statuses('ended')).toEqual(['e:ended']);
    expect(await statuses('revoked')).toEqual(['r:revoked']);
    expect(await statuses()).toEqual(['a:active', 'e:ended', 'r:revoked']);
  });

  it('pages with limit and offset, and answers a bare array without paginated=true, as Clerk does', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      ids.unshift(await start('alice@example.com'));
      clock.advance(1000);
    }
    const page = await clerk.sessions.getSessionList({ userId: 'user_local_alice', limit: 2, offset: 1 });
    expect({ ids: page.data.map((session) => session.id), total: page.totalCount }).toEqual({
      ids: ids.slice(1, 3),
      total: 3,
    });
    const bare = await send('GET', '/v1/sessions?user_id=user_local_alice&limit=1');
    expect(bare.headers.get('content-type')).toBe('application/json');
    const body = (await bare.json()) as { id: string; object: string }[];
    expect(body.map((session) => [session.object, session.id])).toEqual([['session', ids[0]]]);
  });

  it('answers an unknown user with an empty list', async () => {
    expect(await clerk.sessions.getSessionList({ userId: 'user_local_nobody', status: 'active' })).toEqual({
      data: [],
      totalCount: 0,
    });
  });

  it.each([
    ['/v1/sessions', 422, 'form_param_missing'],
    ['/v1/sessions?client_id=client_1', 400, 'form_param_unknown'],
    ['/v1/sessions?user_id=u&status=sleeping', 422, 'form_param_value_invalid'],
    ['/v1/sessions?user_id=u&limit=0', 422, 'form_param_value_invalid'],
    ['/v1/sessions?user_id=u&limit=501', 422, 'form_param_value_invalid'],
    ['/v1/sessions?user_id=u&limit=2x', 422, 'form_param_value_invalid'],
    ['/v1/sessions?user_id=u&offset=-1', 422, 'form_param_value_invalid'],
  ])('refuses %s with %i %s in Clerk’s error shape', async (pathname, status, code) => {
    const response = await send('GET', pathname);
    expect(response.status).toBe(status);
    const body = (await response.json()) as { errors: { code: string; message: string }[] };
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]?.code).toBe(code);
  });
});

describe('GET /v1/sessions/:id through @clerk/backend', () => {
  it('answers any known session, whatever its status', async () => {
    const id = await start('bob@example.com', FIREFOX_WINDOWS);
    expect(await clerk.sessions.getSession(id)).toMatchObject({
      id,
      userId: 'user_local_bob',
      status: 'active',
      clientId: `client_${id.replace(/^sess_/, '')}`,
      latestActivity: { browserName: 'Firefox', deviceType: 'Windows' },
    });
    clock.advance(10);
    provider.endSession(id);
    expect(await clerk.sessions.getSession(id)).toMatchObject({ status: 'ended', updatedAt: START + 10 });
  });

  it('answers an unknown session 404 resource_not_found', async () => {
    expect(await refusalOf(clerk.sessions.getSession('sess_local_unknown'))).toEqual({
      status: 404,
      code: 'resource_not_found',
    });
  });

  it('answers other methods with 405', async () => {
    const id = await start('bob@example.com');
    const response = await send('DELETE', `/v1/sessions/${id}`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });
});

describe('POST /v1/sessions/:id/revoke through @clerk/backend', () => {
  it('revokes the session: Clerk’s revoked session, ended for the API server, one session.ended webhook', async () => {
    const id = await start('alice@example.com', CHROME_LINUX);
    events.length = 0;
    clock.advance(2000);
    const revoked = await clerk.sessions.revokeSession(id);
    expect(revoked).toMatchObject({ id, userId: 'user_local_alice', status: 'revoked', updatedAt: START + 2000 });
    expect(provider.touchSession(id)).toBe('ended');
    expect(typesOf(events)).toEqual(['session.ended']);
    const { data } = await clerk.sessions.getSessionList({ userId: 'user_local_alice', status: 'active' });
    expect(data).toEqual([]);
  });

  it('answers a session that has already ended as it stands, without another event', async () => {
    const id = await start('alice@example.com');
    await clerk.sessions.revokeSession(id);
    const signedOut = await start('alice@example.com');
    provider.endSession(signedOut);
    events.length = 0;
    expect(await clerk.sessions.revokeSession(id)).toMatchObject({ status: 'revoked' });
    expect(await clerk.sessions.revokeSession(signedOut)).toMatchObject({ status: 'ended' });
    expect(events).toEqual([]);
  });

  it('answers an unknown session 404, and GET with 405', async () => {
    expect(await refusalOf(clerk.sessions.revokeSession('sess_local_unknown'))).toEqual({
      status: 404,
      code: 'resource_not_found',
    });
    const id = await start('alice@example.com');
    expect((await send('GET', `/v1/sessions/${id}/revoke`)).status).toBe(405);
    expect(provider.touchSession(id)).toBe('active');
  });
});

describe('the secret key', () => {
  it.each([
    ['GET', '/v1/sessions?user_id=user_local_alice&status=active'],
    ['GET', '/v1/sessions/SESSION'],
    ['POST', '/v1/sessions/SESSION/revoke'],
  ])('is required for %s %s: 401 without it or with another, and nothing changes', async (method, pathname) => {
    const id = await start('alice@example.com');
    events.length = 0;
    const path = pathname.replace('SESSION', id);
    for (const key of [null, 'sk_local_wrong', `${provider.secretKey}x`]) {
      const response = await send(method, path, key);
      expect(response.status).toBe(401);
      const body = (await response.json()) as { errors: { code: string }[] };
      expect(body.errors[0]?.code).toBe('clerk_key_invalid');
    }
    expect(provider.touchSession(id)).toBe('active');
    expect(events).toEqual([]);
  });

  it('of another provider is refused through the client too', async () => {
    const id = await start('alice@example.com');
    const other = await harness();
    const stranger = createClerkClient({ secretKey: other.provider.secretKey, apiUrl: `${server.base}/__local-auth` });
    expect(await refusalOf(stranger.sessions.revokeSession(id))).toMatchObject({ status: 401 });
    expect(provider.touchSession(id)).toBe('active');
  });
});
