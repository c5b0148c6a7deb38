// Local identity mode stays local (issue 13, finding 4): in local mode the API answers nothing that did not
// come straight from this machine, on every route; and the provider's own routes answer only the web app,
// which proves it with the secret from the 0600 state directory. Clerk mode is unaffected.
import { once } from 'node:events';
import { mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  LOCAL_AUTH_SECRET_FILE,
  LOCAL_AUTH_SECRET_HEADER,
  LOCAL_AUTH_SECRET_REFUSED,
  LOCAL_AUTH_STATE_DIR,
} from '@deal-brain/shared/local-auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createApp, type App } from '#src/app.js';
import { loadConfig } from '#src/config.js';
import { createLogger } from '#src/logging.js';
import { generateBootSecret } from '#src/dev/local-identity/boot-secret.js';
import { generateSigningKey } from '#src/dev/local-identity/signing-key.js';
import { CLERK_WEBHOOK_PATH } from '#src/webhooks/clerk-webhook-route.js';
import { gql, newIdentity, startTestServer, type TestServer } from '../support/server.js';
import { UNREACHABLE_RATE_LIMITS } from '../support/rate-limit-budgets.js';

let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  ({ token } = await newIdentity(server, 'exposure'));
});
afterAll(() => server?.close());

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  json: Record<string, unknown> | undefined;
  text: string;
}

/** A request with full control over its headers (fetch does not let a caller set Host). */
function rawRequest(
  base: string,
  pathname: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(pathname, base),
      { method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let json: Record<string, unknown> | undefined;
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, json, text });
        });
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

const secretOf = (s: TestServer) => ({ [LOCAL_AUTH_SECRET_HEADER]: s.identity.bootSecret });

/** Each route as a request that would succeed when sent directly (with the web app's secret where needed). */
function routes(s: TestServer): [string, { method?: string; headers?: Record<string, string>; body?: string }][] {
  const json = { 'content-type': 'application/json' };
  return [
    [
      '/graphql',
      { method: 'POST', headers: { ...json, authorization: `Bearer ${token}` }, body: '{"query":"{ viewer { id } }"}' },
    ],
    [
      '/__local-auth/sessions',
      { method: 'POST', headers: { ...json, ...secretOf(s) }, body: JSON.stringify({ email: 'alice@example.com' }) },
    ],
    ['/__local-auth/.well-known/jwks.json', { headers: secretOf(s) }],
    // Unsigned: answered 400 when it gets through, which the refusal must come before.
    [CLERK_WEBHOOK_PATH, { method: 'POST', headers: json, body: '{}' }],
    ['/healthz', {}],
    ['/readyz', {}],
  ];
}

describe('local mode answers direct requests on loopback', () => {
  it('on every route, with the web app’s secret where the provider asks for it', async () => {
    const statuses = await Promise.all(
      routes(server).map(async ([pathname, options]) => [
        pathname,
        (await rawRequest(server.url, pathname, options)).status,
      ]),
    );
    expect(statuses).toEqual([
      ['/graphql', 200],
      ['/__local-auth/sessions', 201],
      ['/__local-auth/.well-known/jwks.json', 200],
      [CLERK_WEBHOOK_PATH, 400],
      ['/healthz', 200],
      ['/readyz', 200],
    ]);
  });

  it.each(['localhost', '127.0.0.1:4000', '[::1]:4000', 'LOCALHOST'])('for the loopback Host %s', async (host) => {
    const response = await rawRequest(server.url, '/healthz', { headers: { host } });
    expect(response.status).toBe(host === 'LOCALHOST' ? 421 : 200);
  });
});

describe('a DNS-rebinding request (Host evil.test:3000) is refused in local mode', () => {
  it.each([0, 1, 2, 3, 4, 5])('on route %#', async (index) => {
    const [pathname, options] = routes(server)[index]!;
    const response = await rawRequest(server.url, pathname, {
      ...options,
      headers: { ...options.headers, host: 'evil.test:3000' },
    });
    expect(response.status).toBe(421);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.text).not.toMatch(/"token"/);
    if (pathname === '/graphql') {
      expect(response.json).toEqual({
        errors: [{ message: expect.stringMatching(/loopback host only/), extensions: { code: 'FORBIDDEN' } }],
      });
    } else {
      expect(response.json).toEqual({
        error: 'local_mode_host_refused',
        message: expect.stringMatching(/loopback host only/),
      });
    }
  });

  it('also when the Host is missing or names the host in the request target', async () => {
    // An absolute-form target names its host itself; HTTP/1.1 says it wins over the Host header.
    const absolute = await rawRequest(server.url, '/healthz', { headers: { host: 'evil.test' } });
    expect(absolute.status).toBe(421);
    const rawAbsolute = await new Promise<string>((resolve, reject) => {
      const { port } = new URL(server.url);
      const socket = new net.Socket();
      let text = '';
      socket.connect(Number(port), '127.0.0.1', () => {
        socket.write('GET http://evil.test:3000/healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
      });
      socket.on('data', (chunk) => (text += chunk.toString('utf8')));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(rawAbsolute).toMatch(/^HTTP\/1\.1 421 /);
  });
});

describe('a proxied request is refused in local mode', () => {
  it.each([0, 1, 2, 3, 4, 5])('with X-Forwarded-For, on route %#', async (index) => {
    const [pathname, options] = routes(server)[index]!;
    const response = await rawRequest(server.url, pathname, {
      ...options,
      headers: { ...options.headers, 'x-forwarded-for': '203.0.113.7' },
    });
    expect(response.status).toBe(403);
    expect(response.text).not.toMatch(/"token"/);
    const message = expect.stringMatching(/relayed by a proxy \(this one carried x-forwarded-for\)/);
    if (pathname === '/graphql')
      expect(response.json).toEqual({ errors: [{ message, extensions: { code: 'FORBIDDEN' } }] });
    else expect(response.json).toEqual({ error: 'local_mode_proxy_refused', message });
  });

  it.each([
    ['Forwarded', 'for=203.0.113.7'],
    ['Via', '1.1 proxy'],
    ['X-Forwarded-Host', 'localhost:3000'],
    ['X-Forwarded-Proto', 'https'],
    ['X-Real-IP', '203.0.113.7'],
    ['X-Forwarded-For', ''],
  ])('with %s: %s', async (name, value) => {
    const [pathname, options] = routes(server)[1]!;
    const response = await rawRequest(server.url, pathname, {
      ...options,
      headers: { ...options.headers, [name]: value },
    });
    expect(response.status).toBe(403);
    expect(response.json).toMatchObject({ error: 'local_mode_proxy_refused' });
  });

  it('changes nothing: no session was started for a refused request', async () => {
    const before = server.identity.listSessions(server.identity.findIdentityByEmail('bob@example.com')!.clerkId).length;
    const [pathname, options] = routes(server)[1]!;
    for (const headers of <Record<string, string>[]>[
      { host: 'evil.test:3000' },
      { 'x-forwarded-for': '203.0.113.7' },
    ]) {
      const response = await rawRequest(server.url, pathname, {
        ...options,
        headers: { ...options.headers, ...headers },
        body: JSON.stringify({ email: 'bob@example.com' }),
      });
      expect(response.status).toBeGreaterThanOrEqual(400);
    }
    expect(server.identity.listSessions(server.identity.findIdentityByEmail('bob@example.com')!.clerkId)).toHaveLength(
      before,
    );
  });
});

describe('/__local-auth wants this boot’s secret', () => {
  const start = (headers: Record<string, string>) =>
    rawRequest(server.url, '/__local-auth/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ email: 'alice@example.com' }),
    });

  it('refuses a call without it, or with a wrong, empty or previous one (403)', async () => {
    const other = await startTestServer();
    try {
      for (const headers of [
        {},
        { [LOCAL_AUTH_SECRET_HEADER]: '' },
        { [LOCAL_AUTH_SECRET_HEADER]: 'not-the-secret' },
        { [LOCAL_AUTH_SECRET_HEADER]: server.identity.bootSecret.slice(0, -1) },
        // Another boot's (another server's) secret.
        secretOf(other),
      ]) {
        const response = await start(headers);
        expect(response.status).toBe(403);
        expect(response.json).toEqual({
          error: LOCAL_AUTH_SECRET_REFUSED,
          message: expect.stringContaining(LOCAL_AUTH_SECRET_HEADER),
        });
        expect(response.text).not.toMatch(/"token"/);
      }
      for (const pathname of ['/__local-auth/.well-known/jwks.json', '/__local-auth/identities']) {
        const method = pathname.endsWith('identities') ? 'POST' : 'GET';
        expect((await rawRequest(server.url, pathname, { method })).status).toBe(403);
      }
    } finally {
      await other.close();
    }
  });

  it('starts a session with it', async () => {
    const response = await start(secretOf(server));
    expect(response.status).toBe(201);
    expect(response.json).toMatchObject({
      token: expect.any(String),
      sessionId: expect.stringMatching(/^sess_local_/),
    });
    const signedIn = await gql<{ viewer: { id: string } }>(server, response.json!.token as string, '{ viewer { id } }');
    expect(signedIn.body.data?.viewer.id).toEqual(expect.any(String));
  });

  it('is not needed for profile images, which the browser loads itself', async () => {
    const response = await rawRequest(server.url, '/__local-auth/images/user_none-0000000000000000.png');
    expect(response.status).toBe(404);
    expect(response.json).toMatchObject({ error: 'image_not_found' });
  });
});

describe('the secret on disk', () => {
  it('is created once, 32 random bytes in a 0600 file, kept across restarts; the routes accept only the one read at start', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'local-mode-exposure-'));
    const file = path.join(dataDir, LOCAL_AUTH_STATE_DIR, LOCAL_AUTH_SECRET_FILE);
    const boot = async () => {
      const config = loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        PORT: '0',
        AUTH_MODE: 'local',
        DATA_DIR: dataDir,
      });
      const app = await createApp({ config, databaseUrl: inject('database').url, log: createLogger('silent') });
      app.server.listen(0, '127.0.0.1');
      await once(app.server, 'listening');
      const { port } = app.server.address() as AddressInfo;
      const close = async () => {
        app.localWebhooks?.close();
        app.server.closeAllConnections();
        await new Promise<void>((resolve) => app.server.close(() => resolve()));
        await Promise.all([app.apiKeyActivity.close(), app.authFailures.close(), app.base.$disconnect()]);
      };
      return { url: `http://127.0.0.1:${port}`, secret: app.localIdentity!.bootSecret, close };
    };
    const jwksWith = async (url: string, secret: string) =>
      (
        await rawRequest(url, '/__local-auth/.well-known/jwks.json', {
          headers: { [LOCAL_AUTH_SECRET_HEADER]: secret },
        })
      ).status;
    try {
      const first = await boot();
      await first.close();
      expect((await readFile(file, 'utf8')).trim()).toBe(first.secret);
      expect(Buffer.from(first.secret, 'base64url')).toHaveLength(32);
      expect((await stat(file)).mode & 0o777).toBe(0o600);

      // A restart takes the same secret, so a web app still running keeps working.
      const second = await boot();
      try {
        expect(second.secret).toBe(first.secret);
        // A file swapped while the server runs (renamed over it, 0600) changes nothing it accepts.
        const planted = generateBootSecret();
        await writeFile(`${file}.planted`, `${planted}\n`, { mode: 0o600 });
        await rename(`${file}.planted`, file);
        expect(await jwksWith(second.url, planted)).toBe(403);
        expect(await jwksWith(second.url, first.secret)).toBe(200);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('clerk mode is unaffected', () => {
  let app: App;
  let url: string;

  beforeAll(async () => {
    const key = generateSigningKey();
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: '0',
      AUTH_MODE: 'clerk',
      CLERK_JWT_KEY: key.publicKeyPem,
      CLERK_SECRET_KEY: 'sk_test_unused',
      // The suite shares one set of counters and one client address (support/rate-limit-budgets.ts).
      ...UNREACHABLE_RATE_LIMITS,
      CLERK_AUTHORIZED_PARTIES: 'http://localhost:3000',
    });
    app = await createApp({ config, databaseUrl: inject('database').url, log: createLogger('silent') });
    app.server.listen(0, '127.0.0.1');
    await once(app.server, 'listening');
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    app.server.closeAllConnections();
    await new Promise<void>((resolve) => app.server.close(() => resolve()));
    await app.base.$disconnect();
  });

  it('answers any Host and forwarded requests (TRUSTED_PROXIES decides what those headers mean), and has no /__local-auth', async () => {
    const headers = {
      host: 'api.example.com',
      'x-forwarded-for': '203.0.113.7',
      forwarded: 'for=203.0.113.7',
      via: '1.1 lb',
    };
    expect((await rawRequest(url, '/healthz', { headers })).status).toBe(200);
    const graphql = await rawRequest(url, '/graphql', {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: '{"query":"{ viewer { id } }"}',
    });
    expect(graphql.json).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    expect((await rawRequest(url, '/__local-auth/.well-known/jwks.json')).status).toBe(404);
  });
});
