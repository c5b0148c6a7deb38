// The per-request urql client: the session token as a Bearer credential, the request id passed on, and
// every failure of the API turned into the page a person should see.
import { describe, expect, it } from 'vitest';
import { WEB_ORIGIN } from './support/fake-api';
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

async function thrown(promise: Promise<unknown>): Promise<Response> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof Response)) throw new Error(`expected a thrown Response, got ${String(error)}`);
  return error;
}

const viewer = {
  id: 'VXNlcjox',
  email: 'a@b.co',
  firstName: 'A',
  lastName: 'B',
  avatarUrl: null,
  role: 'USER',
  createdAt: '2024-01-01T00:00:00.000Z',
};

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
