// A real server for integration tests: the same createApp() as production, on a free port,
// against the test run's PostgreSQL, in local identity mode with in-memory keys.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { inject } from 'vitest';
import { createApp, type App } from '#src/app.js';
import { loadConfig, type Config } from '#src/config.js';
import type { LocalIdentityProvider } from '#src/dev/local-identity/index.js';
import { createLogger } from '#src/logging.js';
import type { DestinationStream } from 'pino';
import { UNREACHABLE_RATE_LIMITS } from './rate-limit-budgets.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

export interface TestServer {
  app: App;
  config: Config;
  url: string;
  graphqlUrl: string;
  identity: LocalIdentityProvider;
  close(): Promise<void>;
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[] };
}

export interface TestServerOptions {
  /** Another route to the test database (a proxy that can be cut, say). */
  databaseUrl?: string;
  /** Where the server logs go (silent unless given). */
  logDestination?: DestinationStream;
}

export async function startTestServer(
  env: Record<string, string> = {},
  options: TestServerOptions = {},
): Promise<TestServer> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: options.logDestination ? 'info' : 'silent',
    PORT: '0',
    ...UNREACHABLE_RATE_LIMITS,
    // The identity cache is off in test servers unless a test turns it on: many tests change a user's
    // role or status straight in SQL and send the next request at once, and a cache is told of such a
    // change by NOTIFY a few milliseconds later (ADR 0071). The cache's own tests, the scale-out test, the
    // soak and the browser tests run with it on.
    IDENTITY_CACHE_SIZE: '0',
    ...env,
  });
  const app = await createApp({
    config,
    databaseUrl: options.databaseUrl ?? inject('database').url,
    log: createLogger(config.logLevel, options.logDestination),
    ephemeralLocalIdentity: true,
    // Retries in quick succession: a test waiting for idle() should not sit through real backoff.
    localWebhookRetry: { maxAttempts: 4, baseDelayMs: 20 },
    // A test that names TRUSTED_PROXIES plays a proxy in front of this local-mode server (the only mode
    // tests mint tokens in); every other test server refuses proxied requests, as local mode does.
    allowProxiedLocalMode: env.TRUSTED_PROXIES !== undefined,
  });
  return listenTestServer(app, config);
}

/**
 * A test server whose database is reached through a TCP proxy the test can cut and restore (the database
 * down without stopping the one every other test file uses).
 */
export async function startTestServerBehindProxy(): Promise<{
  server: TestServer;
  proxy: TcpProxy;
  close(): Promise<void>;
}> {
  const proxy = await startTcpProxy(inject('database').url);
  const server = await startTestServer({}, { databaseUrl: proxy.url });
  return {
    server,
    proxy,
    async close() {
      await server.close();
      await proxy.close();
    },
  };
}

/** `app` (in local identity mode) listening on a free loopback port, as a TestServer. */
export async function listenTestServer(app: App, config: Config): Promise<TestServer> {
  app.server.listen(0, '127.0.0.1');
  await once(app.server, 'listening');
  const { port } = app.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  if (!app.localIdentity) throw new Error('test server must run in local identity mode');
  return {
    app,
    config,
    url,
    graphqlUrl: `${url}/graphql`,
    identity: app.localIdentity,
    close: async () => {
      app.localWebhooks?.close();
      app.server.closeAllConnections();
      await new Promise<void>((resolve) => app.server.close(() => resolve()));
      await app.base.$disconnect();
    },
  };
}

/** POSTs a GraphQL operation with an optional bearer token. */
export async function gql<T = Record<string, unknown>>(
  server: TestServer,
  token: string | null,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as GraphQLResponse<T>['body'],
  };
}

/** A fresh identity (unique email) with a session token; the user row appears on first request. */
export async function newIdentity(
  server: TestServer,
  name = 'user',
): Promise<{ email: string; clerkId: string; token: string }> {
  const email = `${name}-${crypto.randomUUID()}@example.test`;
  const identity = await server.identity.createIdentity({ email, firstName: name, lastName: 'Tester' });
  const { token } = await server.identity.startSession(email);
  return { email, clerkId: identity.clerkId, token };
}
