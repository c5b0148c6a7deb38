// The per-request urql client: the session token as a Bearer credential, the request id passed on, and
// every failure of the API turned into the page a person should see.
import { describe, expect, it, vi } from 'vitest';
import { FAKE_VIEWER, WEB_ORIGIN } from './support/fake-api';
import { fakeSession, useFakeApi } from './support/use-fake-api';

const api = useFakeApi();

async function client() {
  const { createApi } = await import('~/graphql/client.server');
  const { ViewerQuery } = await import('~/graphql/users.server');
  const { CreateListingMutation } = await import('~/graphql/listings.server');
  const session = fakeSession({ headers: new Headers({ 'Set-Cookie': '__session=fresh; Path=/' }) });
  const request = new Request(`${WEB_ORIGIN}/app?after=x`, { headers: { 'x-request-id': 'req-123' } });
  return { api: createApi(session, request), ViewerQuery, CreateListingMutation };
}

/** The web app's logger as client.server.ts uses it (modules are fresh per test), with warn and error spied on. */
async function spiedLogger() {
  const { logger } = await import('~/lib/log.server');
  return { warn: vi.spyOn(logger, 'warn'), error: vi.spyOn(logger, 'error') };
}

async function thrown(promise: Promise<unknown>): Promise<Response> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof Response)) throw new Error(`expected a thrown Response, got ${String(error)}`);
  return error;
}

const viewer = FAKE_VIEWER;

describe('createApi', () => {
  it('sends the session token and the request id, and returns typed data', async () => {
    api().graphql = [{ body: { data: { viewer } } }];
    const { api: client_, ViewerQuery } = await client();
    const data = await client_.query(ViewerQuery, {});
    expect(data.viewer.email).toBe('a@b.co');
    const sent = api().requests.find((request) => request.path === '/graphql')!;
    expect(sent.headers.authorization).toBe('Bearer token-abc');
    expect(sent.headers['x-request-id']).toBe('req-123');
    expect(JSON.parse(sent.body)).toMatchObject({ operationName: 'Viewer' });
  });

  it('sends a person whose session the API refuses back to sign-in, clearing the cookies', async () => {
    api().graphql = [
      { status: 401, body: { errors: [{ message: 'invalid', extensions: { code: 'UNAUTHENTICATED' } }] } },
    ];
    const { api: client_, ViewerQuery } = await client();
    const response = await thrown(client_.query(ViewerQuery, {}));
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/sign-in?redirect_url=%2Fapp%3Fafter%3Dx');
    expect(response.headers.getSetCookie()).toHaveLength(2);
  });

  it.each([
    [403, 'ACCOUNT_DISABLED', 403],
    [200, 'FORBIDDEN', 403],
    [200, 'NOT_FOUND', 404],
    [200, 'INTERNAL_SERVER_ERROR', 502],
    [502, 'BAD_GATEWAY', 503],
  ])('HTTP %i with %s becomes a %i error page with the request id', async (status, code, pageStatus) => {
    api().graphql = [{ status, body: { errors: [{ message: 'nope', extensions: { code } }] } }];
    const { api: client_, ViewerQuery } = await client();
    const response = await thrown(client_.query(ViewerQuery, {}));
    expect(response.status).toBe(pageStatus);
    const payload = (await response.json()) as { code: string; requestId: string; message: string };
    expect(payload.requestId).toBe('req-123');
    expect(payload.message).not.toContain('nope');
    if (code === 'ACCOUNT_DISABLED') expect(payload.code).toBe('ACCOUNT_DISABLED');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    // A refreshed session cookie is not lost on an error page.
    expect(response.headers.get('set-cookie')).toBe('__session=fresh; Path=/');
  });

  it('treats a malformed id in a query as not found', async () => {
    api().graphql = [
      { body: { errors: [{ message: 'Invalid ID', extensions: { code: 'BAD_USER_INPUT' } }], data: null } },
    ];
    const { api: client_, ViewerQuery } = await client();
    expect((await thrown(client_.query(ViewerQuery, {}))).status).toBe(404);
  });

  it('answers 503 when the API is unreachable', async () => {
    process.env.API_URL = 'http://127.0.0.1:9';
    const { api: client_, ViewerQuery } = await client();
    const response = await thrown(client_.query(ViewerQuery, {}));
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ code: 'API_UNAVAILABLE', requestId: 'req-123' });
  });

  it("returns a mutation's validation errors by field", async () => {
    api().graphql = [
      {
        body: {
          data: null,
          errors: [
            {
              message: 'Title is required',
              extensions: {
                code: 'BAD_USER_INPUT',
                issues: [
                  { path: 'input.title', message: 'Title is required' },
                  { path: 'input.url', message: 'URL must be an http or https address' },
                  { path: 'input', message: 'Nothing to update' },
                ],
              },
            },
          ],
        },
      },
    ];
    const { api: client_, CreateListingMutation } = await client();
    const result = await client_.mutate(CreateListingMutation, { input: { title: '', price: '1' } });
    expect(result).toEqual({
      ok: false,
      fieldErrors: { title: 'Title is required', url: 'URL must be an http or https address' },
      formError: 'Nothing to update',
      pathErrors: {
        'input.title': 'Title is required',
        'input.url': 'URL must be an http or https address',
        input: 'Nothing to update',
      },
    });
  });

  it('returns the data of a successful mutation', async () => {
    api().graphql = [{ body: { data: { createListing: { listing: { id: 'TGlzdGluZzox', title: 'x' } } } } }];
    const { api: client_, CreateListingMutation } = await client();
    const result = await client_.mutate(CreateListingMutation, { input: { title: 'x', price: '1' } });
    expect(result).toEqual({ ok: true, data: { createListing: { listing: { id: 'TGlzdGluZzox', title: 'x' } } } });
  });
});

describe('createApi: refusals worth waiting out', () => {
  const rateLimited = {
    errors: [{ message: 'Too many requests: retry after 37 s', extensions: { code: 'RATE_LIMITED' } }],
  };

  it("turns the API's 429 into a 429 page that keeps its Retry-After, logged as a warning", async () => {
    api().graphql = [{ status: 429, headers: { 'Retry-After': '37' }, body: rateLimited }];
    const { api: client_, ViewerQuery } = await client();
    const log = await spiedLogger();
    const response = await thrown(client_.query(ViewerQuery, {}));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('37');
    expect(await response.json()).toEqual({
      code: 'RATE_LIMITED',
      message: 'Too many requests, try again in 37 seconds',
      requestId: 'req-123',
    });
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('set-cookie')).toBe('__session=fresh; Path=/');
    expect(log.warn).toHaveBeenCalledWith('api.rate_limited', expect.objectContaining({ retryAfterSeconds: 37 }));
    expect(log.error).not.toHaveBeenCalled();
  });

  it("takes the wait from an error's retryAfter when the API answered 200 (a mutation it found busy)", async () => {
    api().graphql = [
      {
        body: {
          data: null,
          errors: [{ message: 'busy', extensions: { code: 'RATE_LIMITED', reason: 'busy', retryAfter: 1 } }],
        },
      },
    ];
    const { api: client_, CreateListingMutation } = await client();
    const response = await thrown(client_.mutate(CreateListingMutation, { input: { title: 'x', price: '1' } }));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.json()).toMatchObject({ message: 'Too many requests, try again in 1 second' });
  });

  it.each([
    ['no Retry-After', {}],
    ['a Retry-After that is not whole seconds', { 'Retry-After': 'soon' }],
  ])('still answers 429 with %s, saying "in a moment" and sending none', async (_label, headers) => {
    api().graphql = [{ status: 429, headers, body: rateLimited }];
    const { api: client_, ViewerQuery } = await client();
    const response = await thrown(client_.query(ViewerQuery, {}));
    expect(response.status).toBe(429);
    expect(response.headers.has('retry-after')).toBe(false);
    expect(await response.json()).toMatchObject({ message: 'Too many requests, try again in a moment' });
  });

  it.each([
    ['HTTP 200 (a statement past its timeout)', 200],
    ["HTTP 503 (the request's deadline)", 503],
  ])('turns TIMEOUT in %s into a 503 "took too long" page, logged as a warning', async (_label, status) => {
    api().graphql = [
      {
        status,
        headers: status === 503 ? { 'Retry-After': '1' } : {},
        body: { data: null, errors: [{ message: 'ran past its time limit', extensions: { code: 'TIMEOUT' } }] },
      },
    ];
    const { api: client_, ViewerQuery } = await client();
    const log = await spiedLogger();
    const response = await thrown(client_.query(ViewerQuery, {}));
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      code: 'TIMEOUT',
      message: 'The Deal Brain API took too long to answer this request',
      requestId: 'req-123',
    });
    expect(log.warn).toHaveBeenCalledWith('api.timeout', expect.objectContaining({ status }));
    expect(log.error).not.toHaveBeenCalled();
  });

  it.each([
    [200, 'INTERNAL_SERVER_ERROR', 502, 'API_ERROR'],
    [503, 'SERVICE_UNAVAILABLE', 503, 'API_UNAVAILABLE'],
    [503, 'IDENTITY_PROVIDER_UNAVAILABLE', 503, 'API_UNAVAILABLE'],
  ])('leaves HTTP %i with %s as before: a %i %s page, logged as an error', async (status, code, page, pageCode) => {
    api().graphql = [
      { status, headers: { 'Retry-After': '5' }, body: { errors: [{ message: 'x', extensions: { code } }] } },
    ];
    const { api: client_, ViewerQuery } = await client();
    const log = await spiedLogger();
    const response = await thrown(client_.query(ViewerQuery, {}));
    expect(response.status).toBe(page);
    expect(response.headers.has('retry-after')).toBe(false);
    expect(await response.json()).toMatchObject({ code: pageCode });
    expect(log.error).toHaveBeenCalledWith('api.failed', expect.objectContaining({ status }));
  });
});

describe('parseRetryAfter', () => {
  it('reads whole seconds and nothing else', async () => {
    const { parseRetryAfter } = await import('~/graphql/client.server');
    expect(parseRetryAfter('37')).toBe(37);
    expect(parseRetryAfter(' 0 ')).toBe(0);
    for (const value of ['', '-1', '1.5', '5s', 'Wed, 21 Oct 2015 07:28:00 GMT', '99999999999999999999']) {
      expect(parseRetryAfter(value)).toBeUndefined();
    }
  });
});
