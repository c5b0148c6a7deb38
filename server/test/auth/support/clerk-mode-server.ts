// The real app (createApp) in Clerk mode with networkless verification: CLERK_JWT_KEY is the public
// half of a key the test holds, so it can mint any token; profile lookups go to a local Backend API
// stand-in; and every log line is captured as parsed JSON.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { inject } from 'vitest';
import { createApp, type App } from '#src/app.js';
import { loadConfig } from '#src/config.js';
import { generateSigningKey, type LocalSigningKey } from '#src/dev/local-identity/signing-key.js';
import { startClerkBackendStub, type ClerkBackendStub } from './clerk-backend-stub.js';
import { PARTY } from './tokens.js';
import { UNREACHABLE_RATE_LIMITS } from '../../support/rate-limit-budgets.js';

export type LogLine = Record<string, unknown> & { msg?: string; event?: string; requestId?: string };

export interface ClerkModeServer {
  app: App;
  /** Base URL, e.g. http://127.0.0.1:1234. */
  url: string;
  graphqlUrl: string;
  /** The key the server trusts (CLERK_JWT_KEY is its public half). */
  key: LocalSigningKey;
  clerk: ClerkBackendStub;
  /** Raw log text, one JSON object a line, in order. */
  logText(): string;
  logLines(): LogLine[];
  close(): Promise<void>;
}

export interface PostResult {
  status: number;
  headers: Headers;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  requestId: string;
}

export interface ClerkModeServerOptions {
  /** More environment (e.g. CLERK_WEBHOOK_SIGNING_SECRET). */
  env?: Record<string, string>;
  /** Another route to the test database (a proxy that can be cut, say). */
  databaseUrl?: string;
}

export async function startClerkModeServer(options: ClerkModeServerOptions = {}): Promise<ClerkModeServer> {
  const key = generateSigningKey();
  const clerk = await startClerkBackendStub();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    PORT: '0',
    AUTH_MODE: 'clerk',
    CLERK_JWT_KEY: key.publicKeyPem,
    CLERK_SECRET_KEY: 'sk_test_backend_stub',
    CLERK_API_URL: clerk.url,
    CLERK_AUTHORIZED_PARTIES: PARTY,
    ...UNREACHABLE_RATE_LIMITS,
    // Off, as in support/server.ts: tests change users in SQL and send the next request at once (ADR 0071).
    IDENTITY_CACHE_SIZE: '0',
    ...options.env,
  });
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  const log = pino({ level: 'info' }, sink);
  const app = await createApp({ config, databaseUrl: options.databaseUrl ?? inject('database').url, log });
  app.server.listen(0, '127.0.0.1');
  await once(app.server, 'listening');
  const { port } = app.server.address() as AddressInfo;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    graphqlUrl: `http://127.0.0.1:${port}/graphql`,
    key,
    clerk,
    logText: () => text,
    logLines: () =>
      text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as LogLine),
    close: async () => {
      app.server.closeAllConnections();
      await new Promise<void>((resolve) => app.server.close(() => resolve()));
      await app.base.$disconnect();
      await clerk.close();
    },
  };
}

/** POSTs `query` with exactly the Authorization header given (none when null). */
export async function post(server: ClerkModeServer, authorization: string | null, query: string): Promise<PostResult> {
  const response = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization === null ? {} : { authorization }) },
    body: JSON.stringify({ query }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as PostResult['body'],
    requestId: response.headers.get('x-request-id') ?? '',
  };
}
