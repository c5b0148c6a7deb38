// The signed-in shell on the server: the root loader's role and maintenance banner (from the API on every
// page load, never from the token), the browser's User-Agent passed on to the API (and nothing else of its
// request), closed sign-ups turned into their own error page, and user agents in a few words.
import { json } from '@remix-run/node';
import { describe, expect, it } from 'vitest';
import { shortUserAgent } from '~/lib/user-agent.server';
import { FAKE_VIEWER, WEB_ORIGIN } from './support/fake-api';
import { fakeSession, LOCAL_IDENTITY_ENV, useFakeApi } from './support/use-fake-api';

const api = useFakeApi(LOCAL_IDENTITY_ENV);

const CHROME =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.71 Safari/537.36';

function graphqlRequests() {
  return api().requests.filter((request) => request.path === '/graphql');
}

async function thrown(promise: Promise<unknown>): Promise<Response> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof Response)) throw new Error(`expected a thrown Response, got ${String(error)}`);
  return error;
}

describe('createApi', () => {
  async function client(headers: Record<string, string>) {
    const { createApi } = await import('~/graphql/client.server');
    const { ViewerQuery } = await import('~/graphql/users.server');
    const request = new Request(`${WEB_ORIGIN}/app`, { headers });
    return { api: createApi(fakeSession(), request), ViewerQuery };
  }

  const viewer = FAKE_VIEWER;

  it("passes the browser's User-Agent on as the request's own, and none of its cookies or other headers", async () => {
    api().graphql = [{ body: { data: { viewer } } }];
    const { api: client_, ViewerQuery } = await client({
      'user-agent': CHROME,
      cookie: '__session=secret-token; other=1',
      'x-forwarded-for': '198.51.100.1',
      'accept-language': 'de',
    });
    await client_.query(ViewerQuery, {});
    const [sent] = graphqlRequests();
    expect(sent!.headers['user-agent']).toBe(CHROME);
    expect(sent!.headers.cookie).toBeUndefined();
    expect(sent!.headers['x-forwarded-for']).toBeUndefined();
    expect(sent!.headers['accept-language']).not.toBe('de');
    expect(sent!.headers.authorization).toBe('Bearer token-abc');
  });

  it("sends an empty User-Agent when the browser sent none (not the web server's own)", async () => {
    api().graphql = [{ body: { data: { viewer } } }];
    const { api: client_, ViewerQuery } = await client({});
    await client_.query(ViewerQuery, {});
    expect(graphqlRequests()[0]!.headers['user-agent']).toBe('');
  });

  it('cuts a very long User-Agent', async () => {
    api().graphql = [{ body: { data: { viewer } } }];
    const { api: client_, ViewerQuery } = await client({ 'user-agent': `Mozilla/5.0 ${'x'.repeat(2000)}` });
    await client_.query(ViewerQuery, {});
    const { MAX_FORWARDED_USER_AGENT_LENGTH } = await import('~/graphql/client.server');
    expect(graphqlRequests()[0]!.headers['user-agent']).toHaveLength(MAX_FORWARDED_USER_AGENT_LENGTH);
  });

  it('turns SIGNUPS_DISABLED into a 403 with its own code, for the sign-ups-closed page', async () => {
    api().graphql = [
      { status: 403, body: { errors: [{ message: 'Sign-ups are closed', extensions: { code: 'SIGNUPS_DISABLED' } }] } },
    ];
    const { api: client_, ViewerQuery } = await client({ 'x-request-id': 'req-9' });
    const response = await thrown(client_.query(ViewerQuery, {}));
    expect(response.status).toBe(403);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(await response.json()).toEqual({
      code: 'SIGNUPS_DISABLED',
      message: 'Sign-ups are closed',
      requestId: 'req-9',
    });
  });

  it('the same from a mutation', async () => {
    api().graphql = [
      { status: 403, body: { errors: [{ message: 'Sign-ups are closed', extensions: { code: 'SIGNUPS_DISABLED' } }] } },
    ];
    const { createApi } = await import('~/graphql/client.server');
    const { UpdatePreferencesMutation } = await import('~/graphql/settings.server');
    const client_ = createApi(fakeSession(), new Request(`${WEB_ORIGIN}/settings`));
    const response = await thrown(client_.mutate(UpdatePreferencesMutation, { input: {} }));
    expect(response.status).toBe(403);
    expect(((await response.json()) as { code: string }).code).toBe('SIGNUPS_DISABLED');
  });
});

describe('withAppearance (the root loader)', () => {
  const user = {
    userId: 'user_local_alice',
    email: 'alice@example.com',
    firstName: 'Alice',
    lastName: 'A',
    imageUrl: null,
  };

  function args(cookies: Record<string, string> = {}) {
    const cookie = Object.entries(cookies)
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
    const request = new Request(`${WEB_ORIGIN}/app`, {
      headers: { accept: 'text/html', 'user-agent': CHROME, ...(cookie ? { cookie } : {}) },
    });
    return { request, context: {}, params: {} };
  }

  function signedIn() {
    const token = api().mint();
    const { iat } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { iat: number };
    return args({ __session: token, __client_uat: String(iat) });
  }

  const appearance = (role: string, maintenanceBanner: string | null) => ({
    data: {
      tenantSettings: { maintenanceBanner },
      viewer: {
        id: 'VXNlcjox',
        firstName: 'Alice',
        lastName: 'Anders',
        avatarUrl: null,
        role,
        preferences: { app: { currency: 'EUR', theme: 'DARK' } },
      },
    },
  });

  async function rootData(loaderArgs: ReturnType<typeof args>, body: unknown) {
    const { withAppearance } = await import('~/lib/appearance.server');
    const response = await withAppearance(loaderArgs as never, json(body));
    return (await response.json()) as {
      user: { role: string | null; lastName: string } | null;
      maintenanceBanner: string | null;
      appearance: { theme: string };
    };
  }

  it("reads the role and the banner from the API on every page load (a token's claims never decide)", async () => {
    api().graphql = [{ body: appearance('ADMIN', '  Maintenance tonight at 22:00 UTC  ') }];
    const data = await rootData(signedIn(), { user: { ...user, role: 'USER' } });
    expect(data.user).toMatchObject({ role: 'ADMIN', lastName: 'Anders' });
    expect(data.maintenanceBanner).toBe('Maintenance tonight at 22:00 UTC');
    expect(data.appearance.theme).toBe('DARK');
    expect(JSON.parse(graphqlRequests()[0]!.body)).toMatchObject({ operationName: 'Appearance' });

    // The next page load asks again: a demotion and a cleared banner show at once.
    api().graphql = [{ body: appearance('USER', null) }];
    const next = await rootData(signedIn(), { user });
    expect(next.user?.role).toBe('USER');
    expect(next.maintenanceBanner).toBeNull();
    expect(graphqlRequests()).toHaveLength(2);
  });

  it('a blank banner is no banner', async () => {
    api().graphql = [{ body: appearance('USER', '   ') }];
    expect((await rootData(signedIn(), { user })).maintenanceBanner).toBeNull();
  });

  it('asks the API nothing for a signed-out visitor, who gets no banner and no role', async () => {
    const data = await rootData(args(), { user: null });
    expect(data.user).toBeNull();
    expect(data.maintenanceBanner).toBeNull();
    expect(graphqlRequests()).toHaveLength(0);
  });

  it('without an answer from the API: no banner and no role (so no Admin link), the page still renders', async () => {
    api().graphql = [
      { status: 500, body: { errors: [{ message: 'boom', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } },
    ];
    const data = await rootData(signedIn(), { user: { ...user, role: 'ADMIN' } });
    expect(data.user).toMatchObject({ role: null, firstName: 'Alice' });
    expect(data.maintenanceBanner).toBeNull();
  });
});

describe('shortUserAgent', () => {
  it.each([
    [CHROME, 'Chrome 120 on Linux'],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1',
      'Safari 17 on iOS',
    ],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0', 'Firefox 121 on Windows'],
    ['curl/8.5.0', 'curl/8.5.0'],
    [`An unknown agent ${'x'.repeat(100)}`, `An unknown agent ${'x'.repeat(22)}…`],
  ])('%s → %s', (userAgent, label) => {
    expect(shortUserAgent(userAgent)).toBe(label);
  });

  it('is null for none', () => {
    expect(shortUserAgent(null)).toBeNull();
    expect(shortUserAgent(undefined)).toBeNull();
    expect(shortUserAgent('  ')).toBeNull();
  });
});
