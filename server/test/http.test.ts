// The HTTP layer (src/http.ts, src/http/) through a real server: health and readiness, routing,
// body limits, malformed requests, query depth, request ids, access logs, and what an unexpected
// failure lets out.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { LOCAL_AUTH_SECRET_HEADER } from '@deal-brain/shared/local-auth';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, type App } from '#src/app.js';
import { loadConfig } from '#src/config.js';
import { freePort } from './support/free-port.js';
import { gql, newIdentity, startTestServer, type TestServer } from './support/server.js';

const MAX_BODY = 2048;
const MAX_DEPTH = 3;

let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer({ GRAPHQL_MAX_BODY_BYTES: String(MAX_BODY), GRAPHQL_MAX_DEPTH: String(MAX_DEPTH) });
  ({ token } = await newIdentity(server, 'http'));
});

afterAll(() => server?.close());

/** A stack trace line ("    at fn (file:line:col)") or a field that carries one. */
const STACK = /\bat .+:\d+:\d+|"stack"/;

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** A request with full control over headers and framing (fetch always adds content-length). */
function rawRequest(
  path: string,
  options: { method?: string; headers?: Record<string, string>; chunks?: (string | Buffer)[] } = {},
): Promise<RawResponse> {
  const url = new URL(path, server.url);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    // The server may answer (413) and close before the whole body is written.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    for (const chunk of options.chunks ?? []) req.write(chunk);
    req.end();
  });
}

async function listingCount(): Promise<number> {
  const res = await gql<{ listings: { totalCount: number } }>(server, token, '{ listings { totalCount } }');
  return res.body.data!.listings.totalCount;
}

const CREATE = 'mutation($i: CreateListingInput!) { createListing(input: $i) { listing { id } } }';

describe('routes', () => {
  it('/healthz answers 200 without touching the database', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect([res.status, await res.json()]).toEqual([200, { status: 'ok' }]);
  });

  it('/readyz answers 200 when the database answers', async () => {
    const res = await fetch(`${server.url}/readyz`);
    expect([res.status, await res.json()]).toEqual([200, { status: 'ready' }]);
  });

  it('an unknown path is a 404 with a JSON body', async () => {
    const res = await fetch(`${server.url}/no/such/route?x=1`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ error: 'not_found', message: 'No route for /no/such/route' });
  });
});

describe('request bodies', () => {
  function oversizedCreate(): string {
    const body = JSON.stringify({
      query: CREATE,
      variables: { i: { title: 'too big', price: '1', notes: 'n'.repeat(MAX_BODY) } },
    });
    expect(body.length).toBeGreaterThan(MAX_BODY);
    return body;
  }

  it('a body over GRAPHQL_MAX_BODY_BYTES (declared length) is refused with 413 and not processed', async () => {
    const before = await listingCount();
    const body = oversizedCreate();
    const res = await rawRequest('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        authorization: `Bearer ${token}`,
      },
      chunks: [body],
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toEqual({
      errors: [{ message: `Request body exceeds ${MAX_BODY} bytes`, extensions: { code: 'BAD_REQUEST' } }],
    });
    expect(await listingCount()).toBe(before);
  });

  it('a chunked body that grows past the limit is refused with 413 and not processed', async () => {
    const before = await listingCount();
    const body = oversizedCreate();
    const res = await rawRequest('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', authorization: `Bearer ${token}` },
      chunks: [body.slice(0, 1000), body.slice(1000, 2000), body.slice(2000)],
    });
    expect(res.status).toBe(413);
    expect(await listingCount()).toBe(before);
  });

  it.each([
    ['declared', (body: string) => ({ 'content-length': String(Buffer.byteLength(body)) })],
    ['chunked', (): Record<string, string> => ({ 'transfer-encoding': 'chunked' })],
  ])('an oversized body (%s length) gets the one answer: 413, BAD_REQUEST, connection closed', async (_, framing) => {
    const body = oversizedCreate();
    const res = await rawRequest('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...framing(body) },
      chunks: [body.slice(0, 1000), body.slice(1000)],
    });
    expect([res.status, res.headers.connection]).toEqual([413, 'close']);
    expect(JSON.parse(res.text)).toEqual({
      errors: [{ message: `Request body exceeds ${MAX_BODY} bytes`, extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('a multipart body (a file upload) is refused as a client error and not processed: the API takes JSON', async () => {
    const before = await listingCount();
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: CREATE, variables: { i: { title: 'upload', price: '1' } } }));
    form.set('map', '{}');
    const res = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    const text = await res.text();
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(text).not.toMatch(STACK);
    expect(await listingCount()).toBe(before);
  });

  it('a body just under the limit is served', async () => {
    const body = JSON.stringify({ query: '{ __typename }', variables: { pad: 'p'.repeat(MAX_BODY - 100) } });
    expect(body.length).toBeLessThanOrEqual(MAX_BODY);
    const res = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(200);
  });

  it.each([
    ['truncated JSON', '{"query": '],
    ['not JSON at all', 'query { __typename }'],
    ['a JSON string instead of an object', '"{ __typename }"'],
  ])('%s is a 400 with an error, not a 500', async (_name, body) => {
    const res = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const text = await res.text();
    expect(res.status).toBe(400);
    expect((JSON.parse(text) as { errors: unknown[] }).errors.length).toBeGreaterThan(0);
    expect(text).not.toMatch(STACK);
  });

  // With an application/json response, GraphQL over HTTP answers request errors with 200.
  it('a query that does not parse is a request error (no data), not a 500', async () => {
    const res = await gql(server, null, '{ viewer { id ');
    expect(res.status).toBe(200);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(res.body.data).toBeUndefined();
  });
});

describe('the NUL character (PostgreSQL cannot store it in text)', () => {
  it('in a variable, at any depth, is BAD_USER_INPUT on its path, and nothing is created', async () => {
    const before = await listingCount();
    const res = await gql(server, token, CREATE, { i: { title: 'bad\u0000title', price: '1' } });
    expect(res.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      issues: [{ path: 'i.title', message: 'Text must not contain the NUL character (U+0000)' }],
    });
    expect(res.body.data ?? null).toBeNull();
    expect(await listingCount()).toBe(before);
  });

  it('written as an escape in the document is BAD_USER_INPUT too, and nothing is created', async () => {
    const before = await listingCount();
    const res = await gql(
      server,
      token,
      'mutation { createListing(input: { title: "bad\\u0000title", price: "1" }) { listing { id } } }',
    );
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await listingCount()).toBe(before);
  });

  it('an API key name with a NUL is refused the same way (no 500)', async () => {
    const res = await gql(
      server,
      token,
      'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { apiKey { id } secret } }',
      { i: { name: 'k\u0000', scopes: ['READ'] } },
    );
    expect(res.status).toBeLessThan(500);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('query limits', () => {
  it(`a query deeper than GRAPHQL_MAX_DEPTH (${MAX_DEPTH}) is refused before execution, not a 500`, async () => {
    const res = await gql(server, token, '{ listings { edges { node { id } } } }');
    expect(res.status).toBe(200);
    expect(res.body.errors?.[0]?.message).toBe(`Syntax Error: Query depth limit of ${MAX_DEPTH} exceeded, found 4.`);
    expect(res.body.data).toBeUndefined();
  });

  it('a query within the depth limit is served', async () => {
    const res = await gql(server, token, '{ listings { totalCount } }');
    expect(res.body.errors).toBeUndefined();
  });
});

describe('x-request-id', () => {
  it('is echoed when the client sends a valid one', async () => {
    const res = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'req-123.abc:XYZ_9' } });
    expect(res.headers.get('x-request-id')).toBe('req-123.abc:XYZ_9');
  });

  it.each([
    ['with spaces', 'has spaces in it'],
    ['too long', 'a'.repeat(65)],
    ['with markup', '<script>alert(1)</script>'],
  ])('is replaced by a fresh one when the given one is %s', async (_name, given) => {
    const res = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': given } });
    expect(res.headers.get('x-request-id')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('is generated when absent, and differs between requests', async () => {
    const [a, b] = await Promise.all([fetch(`${server.url}/healthz`), fetch(`${server.url}/healthz`)]);
    expect(a.headers.get('x-request-id')).toBeTruthy();
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
  });
});

describe('access log', () => {
  it('writes one line per request: method, path, status and duration, under its request id', async () => {
    const lines: { event?: string }[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString('utf8')) as { event?: string });
        done();
      },
    });
    const logged = await startTestServer({}, { logDestination: destination });
    try {
      const res = await fetch(`${logged.graphqlUrl}?from=test`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'access-log-1' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect([res.status, res.headers.get('x-request-id')]).toEqual([200, 'access-log-1']);
      await vi.waitFor(() => expect(lines.some((line) => line.event === 'http.request')).toBe(true));
      expect(lines.filter((line) => line.event === 'http.request')).toEqual([
        expect.objectContaining({
          requestId: 'access-log-1',
          method: 'POST',
          path: '/graphql',
          status: 200,
          durationMs: expect.any(Number),
        }),
      ]);
    } finally {
      await logged.close();
    }
  });
});

describe('when the database is down', () => {
  let app: App;
  let url: string;

  beforeAll(async () => {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PORT: '0', DATABASE_POOL_SIZE: '1' });
    const deadDatabase = `postgres://authenticator:x@127.0.0.1:${await freePort()}/dealbrain?connect_timeout=2`;
    app = await createApp({
      config,
      databaseUrl: deadDatabase,
      log: pino({ level: 'silent' }),
      ephemeralLocalIdentity: true,
    });
    app.server.listen(0, '127.0.0.1');
    await once(app.server, 'listening');
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    app?.server.closeAllConnections();
    await new Promise<void>((resolve) => app?.server.close(() => resolve()));
    await app?.base.$disconnect();
  });

  it('/readyz answers 503 and /healthz still 200', async () => {
    const ready = await fetch(`${url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([503, { status: 'unavailable', reason: 'database' }]);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('a request answers 503 SERVICE_UNAVAILABLE with Retry-After: no stack, no internals', async () => {
    const { token: aliceToken } = await app.localIdentity!.startSession('alice@example.com');
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${aliceToken}` },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    const text = await res.text();
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(JSON.parse(text)).toEqual({
      errors: [
        {
          message: 'The service cannot reach its database; try again shortly',
          extensions: { code: 'SERVICE_UNAVAILABLE' },
        },
      ],
    });
    expect(text).not.toMatch(STACK);
    expect(text).not.toMatch(/ECONNREFUSED|prisma|postgres|127\.0\.0\.1/i);
  });
});

describe('draining (graceful shutdown)', () => {
  it('makes /readyz answer 503 while requests are still served', async () => {
    server.app.startDraining();
    const ready = await fetch(`${server.url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([503, { status: 'draining' }]);
    expect((await gql(server, token, '{ viewer { id } }')).status).toBe(200);
  });
});

describe('local identity routes', () => {
  it('answer only requests addressed to a loopback name (no DNS rebinding)', async () => {
    const jwks = '/__local-auth/.well-known/jwks.json';
    // The web app's secret for the local routes: local-mode-exposure.test.ts checks the refusals without it.
    const secret = { [LOCAL_AUTH_SECRET_HEADER]: server.identity.bootSecret };
    expect((await rawRequest(jwks, { headers: secret })).status).toBe(200);
    expect((await rawRequest(jwks, { headers: { ...secret, host: 'localhost:4000' } })).status).toBe(200);
    const rebound = await rawRequest(jwks, { headers: { ...secret, host: 'attacker.example:4000' } });
    expect(rebound.status).toBe(421);
    const session = await rawRequest('/__local-auth/sessions', {
      method: 'POST',
      headers: { ...secret, host: 'attacker.example', 'content-type': 'application/json' },
      chunks: [JSON.stringify({ email: 'admin@example.com' })],
    });
    expect(session.status).toBe(421);
    expect(session.text).not.toMatch(/token/);
  });
});
