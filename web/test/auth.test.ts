// Local identity mode end to end on the server side: @clerk/remix verifies locally minted cookies with
// the provider's public key and no network (FINDINGS: "Clerk without a network"), the session keeper
// refreshes tokens before they expire, and nothing ever falls into Clerk's handshake redirect.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateKey, mintUnsigned, mintWith, WEB_ORIGIN } from './support/fake-api';
import { LOCAL_IDENTITY_ENV, useFakeApi } from './support/use-fake-api';

// No API_TIMEOUT_MS: these tests run on the configuration's default.
const api = useFakeApi({ ...LOCAL_IDENTITY_ENV, API_TIMEOUT_MS: undefined });
const fetched: string[] = [];
const realFetch = globalThis.fetch;

beforeEach(() => {
  fetched.length = 0;
  // Every outgoing request is recorded: the only host the web server may talk to is the API.
  globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    fetched.push(input instanceof Request ? input.url : String(input));
    return realFetch(input, init);
  }) as typeof fetch;
});

afterEach(() => {
  globalThis.fetch = realFetch;
  expect(
    fetched.every((url) => url.startsWith(api().url)),
    `requests: ${fetched.join(', ')}`,
  ).toBe(true);
});

async function loadAuth() {
  return import('~/auth/auth.server');
}

function args(path: string, cookies: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const cookie = Object.entries(cookies)
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');
  const request = new Request(`${WEB_ORIGIN}${path}`, {
    headers: {
      accept: 'text/html',
      'sec-fetch-dest': 'document',
      'user-agent': 'Mozilla/5.0 vitest',
      ...(cookie ? { cookie } : {}),
      ...headers,
    },
  });
  return { request, context: {}, params: {} };
}

function sessionCookies(token: string) {
  const { iat } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { iat: number };
  return { __session: token, __client_uat: String(iat) };
}

async function thrown(promise: Promise<unknown>): Promise<Response> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
  throw new Error('expected a thrown Response');
}

describe('requireUser in local mode', () => {
  it('accepts a locally minted session with no network call but the JWKS', async () => {
    const { requireUser } = await loadAuth();
    const token = api().mint();
    const signedIn = await requireUser(args('/app', sessionCookies(token)));
    expect(signedIn.user).toEqual({
      userId: 'user_local_alice',
      email: 'alice@example.com',
      firstName: 'Alice',
      lastName: 'Anders',
      imageUrl: null,
    });
    expect(signedIn.token).toBe(token);
    expect(signedIn.sessionId).toBe('sess_test_1');
    expect(signedIn.headers.get('cache-control')).toBe('private, no-store');
    expect(signedIn.headers.get('set-cookie')).toBeNull();
    expect(api().requests.map((request) => request.path)).toEqual(['/__local-auth/.well-known/jwks.json']);
  });

  it('redirects a signed-out visitor to sign-in, coming back to the page', async () => {
    const { requireUser } = await loadAuth();
    const response = await thrown(requireUser(args('/app/listings/new?x=1')));
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/sign-in?redirect_url=%2Fapp%2Flistings%2Fnew%3Fx%3D1');
  });

  it('refreshes a token close to expiry and sets the new cookies', async () => {
    const { requireUser } = await loadAuth();
    const now = Math.floor(Date.now() / 1000);
    const old = api().mint({ iat: now - 36000, nbf: now - 36005, exp: now + 60 });
    const signedIn = await requireUser(args('/app', sessionCookies(old)));
    expect(signedIn.token).not.toBe(old);
    const cookies = signedIn.headers.getSetCookie();
    expect(cookies).toHaveLength(2);
    expect(cookies[0]).toMatch(/^__session=ey[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=3\d{4}$/);
    expect(cookies[1]).toMatch(/^__client_uat=\d+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=3\d{4}$/);
    const refresh = api().requests.find((request) => request.path.endsWith('/tokens'));
    expect(refresh?.path).toBe('/__local-auth/sessions/sess_test_1/tokens');
    expect(JSON.parse(refresh!.body)).toEqual({ ttlSeconds: 36000 });
  });

  it('refreshes an expired token of a still-active session instead of redirecting to a handshake', async () => {
    const { requireUser } = await loadAuth();
    const now = Math.floor(Date.now() / 1000);
    const expired = api().mint({ iat: now - 40000, nbf: now - 40005, exp: now - 10 });
    const signedIn = await requireUser(args('/app', sessionCookies(expired)));
    expect(signedIn.user.userId).toBe('user_local_alice');
  });

  it('signs out cleanly when the session cannot be refreshed (ended or unknown)', async () => {
    const { requireUser } = await loadAuth();
    api().activeSessions.clear();
    const now = Math.floor(Date.now() / 1000);
    const expired = api().mint({ iat: now - 40000, nbf: now - 40005, exp: now - 10 });
    const response = await thrown(requireUser(args('/app', sessionCookies(expired))));
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/sign-in?redirect_url=%2Fapp');
    expect(response.headers.getSetCookie()).toEqual([
      '__session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0',
      '__client_uat=0; Path=/; HttpOnly; SameSite=Lax; Max-Age=0',
    ]);
  });

  it('without the keeper, Clerk would send an expired document request to the unreachable handshake', async () => {
    const { getAuth } = await import('@clerk/remix/ssr.server');
    const { createLocalProvider } = await import('~/auth/local-provider.server');
    const { LOCAL_PUBLISHABLE_KEY } = await import('~/config.server');
    const jwtKey = await createLocalProvider({
      apiUrl: api().url,
      timeoutMs: 2000,
      sessionTtlSeconds: 60,
    }).publicKeyPem();
    const now = Math.floor(Date.now() / 1000);
    const expired = api().mint({ iat: now - 100, nbf: now - 105, exp: now - 10 });
    const options = { publishableKey: LOCAL_PUBLISHABLE_KEY, secretKey: 'sk_live_x', jwtKey } as never;
    const response = await thrown(getAuth(args('/app', sessionCookies(expired)) as never, options));
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toContain('clerk.local.invalid');
  });

  it.each([
    ['a token for another origin (azp)', () => api().mint({ azp: 'https://evil.example' })],
    ['a token signed by another key', () => mintWith(generateKey())],
    ['a token that is not yet valid', () => api().mint({ nbf: Math.floor(Date.now() / 1000) + 600 })],
    ['garbage', () => 'not.a.jwt'],
  ])('treats %s as signed out', async (_label, makeToken) => {
    const { authenticate } = await loadAuth();
    const token = makeToken();
    const { auth } = await authenticate(args('/app', { __session: token, __client_uat: '1' }));
    expect(auth.userId).toBeNull();
  });

  // Inside the refresh window the keeper would exchange the token for a fresh one of the session it names:
  // only a token the provider really issued for this app may be exchanged.
  const forgeries: [string, (claims: Record<string, unknown>) => string][] = [
    ['signed by another key', (claims) => mintWith(generateKey(), claims)],
    ['with alg none', (claims) => mintUnsigned(claims)],
    ['for another origin (azp)', (claims) => api().mint({ azp: 'https://evil.example', ...claims })],
  ];
  const nearExpiry = () => {
    const now = Math.floor(Date.now() / 1000);
    return { iat: now - 36000, nbf: now - 36005, exp: now + 60 };
  };
  const expired = () => {
    const now = Math.floor(Date.now() / 1000);
    return { iat: now - 40000, nbf: now - 40005, exp: now - 10 };
  };
  describe.each([
    ['close to expiry', nearExpiry],
    ['expired', expired],
  ])('a forged token %s', (_when, timing) => {
    it.each(forgeries)('%s is not refreshed and leaves the visitor signed out', async (_label, forge) => {
      const { authenticate } = await loadAuth();
      const token = forge(timing());
      const { auth, headers } = await authenticate(args('/app', sessionCookies(token)));
      expect(auth.userId).toBeNull();
      expect(api().requests.filter((request) => request.path.endsWith('/tokens'))).toEqual([]);
      expect(headers.getSetCookie()).toEqual([
        '__session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0',
        '__client_uat=0; Path=/; HttpOnly; SameSite=Lax; Max-Age=0',
      ]);
    });
  });

  it('drops a client_uat without a session token instead of asking Clerk for a handshake', async () => {
    const { authenticate } = await loadAuth();
    const { auth, headers } = await authenticate(args('/app', { __client_uat: '1700000000' }));
    expect(auth.userId).toBeNull();
    expect(headers.getSetCookie()).toHaveLength(2);
  });

  it('answers 503 through guarded() when the provider is unreachable', async () => {
    process.env.API_URL = 'http://127.0.0.1:9';
    const { requireUser } = await loadAuth();
    const { guarded } = await import('~/lib/guard.server');
    const request = args('/app').request;
    const response = await thrown(guarded(request, () => requireUser({ request, context: {}, params: {} })));
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ code: 'API_UNAVAILABLE', requestId: expect.any(String) });
    fetched.length = 0; // the unreachable port is the test's own doing
  });
});

describe('rootAuthLoader', () => {
  it('puts the user and Clerk state into the root data and passes refreshed cookies on', async () => {
    const { rootAuthLoader } = await loadAuth();
    const now = Math.floor(Date.now() / 1000);
    const old = api().mint({ iat: now - 36000, nbf: now - 36005, exp: now + 30 });
    const response = await rootAuthLoader(args('/', sessionCookies(old)) as never, (user) => ({ user }));
    const data = (await response.json()) as { user: { email: string }; clerkState: unknown };
    expect(data.user.email).toBe('alice@example.com');
    expect(data.clerkState).toBeDefined();
    expect(response.headers.getSetCookie()).toHaveLength(2);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
  });

  it('reports a signed-out visitor as null', async () => {
    const { rootAuthLoader } = await loadAuth();
    const response = await rootAuthLoader(args('/') as never, (user) => ({ user }));
    expect(((await response.json()) as { user: unknown }).user).toBeNull();
  });
});

describe('signOut', () => {
  it('ends the local session and clears both cookies', async () => {
    const { signOut } = await loadAuth();
    const headers = await signOut(args('/sign-out', sessionCookies(api().mint())));
    expect(api().endedSessions).toEqual(['sess_test_1']);
    expect(headers.getSetCookie()).toEqual([
      '__session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0',
      '__client_uat=0; Path=/; HttpOnly; SameSite=Lax; Max-Age=0',
    ]);
    expect(headers.get('clear-site-data')).toBeNull();
  });

  it('ends the session named by an expired token the provider issued', async () => {
    const { signOut } = await loadAuth();
    api().activeSessions.clear();
    const now = Math.floor(Date.now() / 1000);
    const expired = api().mint({ sid: 'sess_old', iat: now - 100, nbf: now - 105, exp: now - 10 });
    await signOut(args('/sign-out', sessionCookies(expired)));
    expect(api().endedSessions).toEqual(['sess_old']);
  });

  const forgeries: [string, (claims: Record<string, unknown>) => string][] = [
    ['signed by another key', (claims) => mintWith(generateKey(), claims)],
    ['with alg none', (claims) => mintUnsigned(claims)],
    ['for another origin (azp)', (claims) => api().mint({ azp: 'https://evil.example', ...claims })],
  ];
  it.each(forgeries)(
    "never ends the session a forged token %s names, but clears this browser's cookies",
    async (_label, forge) => {
      const { signOut } = await loadAuth();
      api().activeSessions.add('sess_victim');
      const now = Math.floor(Date.now() / 1000);
      for (const timing of [{}, { iat: now - 100, nbf: now - 105, exp: now - 10 }]) {
        const forged = forge({ sid: 'sess_victim', sub: 'user_local_victim', ...timing });
        const headers = await signOut(args('/sign-out', sessionCookies(forged)));
        expect(headers.getSetCookie()).toEqual([
          '__session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0',
          '__client_uat=0; Path=/; HttpOnly; SameSite=Lax; Max-Age=0',
        ]);
      }
      expect(api().endedSessions).toEqual([]);
      expect(api().requests.filter((request) => request.path.endsWith('/end'))).toEqual([]);
      expect(api().activeSessions.has('sess_victim')).toBe(true);
    },
  );

  it("clerk mode: also clears clerk-js's suffixed cookies and asks the browser to drop the site's cookies", async () => {
    Object.assign(process.env, {
      AUTH_MODE: 'clerk',
      CLERK_PUBLISHABLE_KEY: `pk_live_${Buffer.from('clerk.example.com$').toString('base64')}`,
      CLERK_SECRET_KEY: 'sk_live_never_sent',
    });
    delete process.env.HOST;
    const { signOut } = await loadAuth();
    const headers = await signOut(
      args('/sign-out', { '__session_Ab3-x_9Z': 'x.y.z', '__client_uat_Ab3-x_9Z': '1700000000', theme: 'dark' }),
    );
    expect(headers.getSetCookie()).toEqual([
      '__session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0',
      '__client_uat=0; Path=/; HttpOnly; SameSite=Lax; Max-Age=0',
      '__session_Ab3-x_9Z=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0',
      '__client_uat_Ab3-x_9Z=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0',
    ]);
    expect(headers.get('clear-site-data')).toBe('"cookies"');
    expect(api().requests).toEqual([]);
  });
});
