// npm run bench (last part): what authenticating a request with a personal API key costs, against a
// session token, measured in one run on one server. The production createApp() in Clerk mode with
// networkless verification (CLERK_JWT_KEY, as in production), on a throwaway embedded PostgreSQL
// with the real roles, policies and migrations. Three measurements, each interleaved in slices of 100
// calls (session, key, session, key, …) so a burst of noise on a shared machine hits both:
//   authenticate() serial      the authenticator exactly as createApp builds it in Clerk mode, one
//                              call at a time: calls/s and latency percentiles;
//   authenticate() concurrent  the same with BENCH_APIKEY_CONCURRENCY (32) calls in flight: calls/s;
//   HTTP `{ __typename }`      POST /graphql through the whole server, one request at a time: the
//                              per-request cost as a client sees it (the document reads nothing).
// A session token costs an RS256 verification plus the viewer lookup (one round trip); a key costs
// a SHA-256 and a constant-time compare plus its lookup (one round trip, app_api_key_for_prefix).
// Knobs (env): BENCH_APIKEY_ROUNDS (3), BENCH_APIKEY_CALLS (2000 per round and credential),
// BENCH_APIKEY_CONCURRENCY (32), BENCH_APIKEY_HTTP (1000 per round and credential).
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createApiKeyFinder } from '#src/auth/api-key.js';
import { createAuthenticator, type Authenticate } from '#src/auth/authenticate.js';
import { createSessionTokenVerifier } from '#src/auth/session-token.js';
import { createApp, type App } from '#src/app.js';
import { loadConfig } from '#src/config.js';
import { startEmbeddedDatabase } from '#src/db/embedded.js';
import { migrateUp } from '#src/db/migrations.js';
import { generateSigningKey } from '#src/dev/local-identity/signing-key.js';
import { createLogger } from '#src/logging.js';
import { mint, PARTY, sessionClaims } from '../test/auth/support/tokens.js';
import { freePort } from '../test/support/free-port.js';
import { ms, percentiles, table, type Percentiles } from './stats.js';
import { positiveIntegerSetting } from './settings.js';

const ROUNDS = positiveIntegerSetting('BENCH_APIKEY_ROUNDS', 3);
const CALLS = positiveIntegerSetting('BENCH_APIKEY_CALLS', 2000);
const CONCURRENCY = positiveIntegerSetting('BENCH_APIKEY_CONCURRENCY', 32);
const HTTP_REQUESTS = positiveIntegerSetting('BENCH_APIKEY_HTTP', 1000);
const WARMUP = 500;
const SLICE = 100;

type Label = 'session token' | 'API key';
const LABELS: Label[] = ['session token', 'API key'];

interface Measured {
  samples: number[];
  calls: number;
  seconds: number;
}

const empty = (): Record<Label, Measured> => ({
  'session token': { samples: [], calls: 0, seconds: 0 },
  'API key': { samples: [], calls: 0, seconds: 0 },
});

async function serial(into: Measured, count: number, call: () => Promise<void>): Promise<void> {
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await call();
    into.samples.push(performance.now() - t0);
  }
  into.seconds += (performance.now() - started) / 1000;
  into.calls += count;
}

async function concurrent(into: Measured, count: number, call: () => Promise<void>): Promise<void> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      next++;
      await call();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  into.seconds += (performance.now() - started) / 1000;
  into.calls += count;
}

async function post(url: string, credential: string, query: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200 || body.errors) throw new Error(`${response.status}: ${JSON.stringify(body)}`);
  return body;
}

/** Calls `authenticate` with the header and checks who it says is calling. */
function authenticating(authenticate: Authenticate, header: string, userId: string, kind: string) {
  return async () => {
    const viewer = await authenticate(header);
    if (viewer?.userId !== userId || viewer.credential.kind !== kind) throw new Error('wrong viewer');
  };
}

function report(title: string, results: Record<Label, Measured>, withLatency: boolean): string {
  const rate = (m: Measured) => m.calls / m.seconds;
  const stats = Object.fromEntries(LABELS.map((label) => [label, percentiles(results[label].samples)])) as Record<
    Label,
    Percentiles
  >;
  const rows = LABELS.map((label) => [
    label,
    String(results[label].calls),
    rate(results[label]).toFixed(0),
    ...(withLatency ? [ms(stats[label].p50), ms(stats[label].p95), ms(stats[label].p99)] : []),
  ]);
  const session = results['session token'];
  const key = results['API key'];
  const ratios = [
    `throughput key/session ${(rate(key) / rate(session)).toFixed(2)}`,
    ...(withLatency
      ? [
          `p50 key/session ${(stats['API key'].p50 / stats['session token'].p50).toFixed(2)}`,
          `p50 key − session ${(stats['API key'].p50 - stats['session token'].p50).toFixed(3)} ms`,
        ]
      : []),
  ];
  const header = ['credential', 'calls', 'per second', ...(withLatency ? ['p50 ms', 'p95 ms', 'p99 ms'] : [])];
  return `\n${title}\n${table(header, rows)}\n${ratios.join('; ')}`;
}

async function closeApp(app: App): Promise<void> {
  app.server.closeAllConnections();
  await new Promise<void>((resolve) => app.server.close(() => resolve()));
  await app.base.$disconnect();
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dealbrain-bench-api-keys-'));
  const database = await startEmbeddedDatabase({ dir, port: await freePort(), persistent: false });
  try {
    await migrateUp(database.ownerUrl);
    const signingKey = generateSigningKey();
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: '0',
      AUTH_MODE: 'clerk',
      CLERK_JWT_KEY: signingKey.publicKeyPem,
      CLERK_SECRET_KEY: 'sk_test_bench',
      CLERK_AUTHORIZED_PARTIES: PARTY,
    });
    const app = await createApp({ config, databaseUrl: database.url, log: createLogger('silent') });
    app.server.listen(0, '127.0.0.1');
    await once(app.server, 'listening');
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/graphql`;
    try {
      const clerkId = 'user_bench_api_keys';
      const token = mint(
        signingKey,
        sessionClaims(clerkId, { email: 'keys@bench.example', exp: Math.floor(Date.now() / 1000) + 3600 }),
      );
      // The first request provisions the user; then a key, created the way a person does.
      const viewer = (await post(url, token, '{ viewer { id } }')) as { data: { viewer: { id: string } } };
      const userId = Buffer.from(viewer.data.viewer.id, 'base64').toString().split(':')[1]!;
      const created = (await post(
        url,
        token,
        'mutation { createApiKey(input: { name: "bench", scopes: [READ] }) { secret } }',
      )) as { data: { createApiKey: { secret: string } } };
      const apiKey = created.data.createApiKey.secret;

      // The authenticator as createApp builds it in Clerk mode (app.ts).
      const authenticate = createAuthenticator({
        base: app.base,
        verifySessionToken: createSessionTokenVerifier({
          jwtKey: signingKey.publicKeyPem,
          secretKey: undefined,
          apiUrl: undefined,
          authorizedParties: [PARTY],
        }),
        fetchProfile: () => Promise.reject(new Error('the user exists: no profile lookup')),
        findApiKey: createApiKeyFinder(app.base),
        apiKeyActivity: app.apiKeyActivity,
      });
      const calls: Record<Label, () => Promise<void>> = {
        'session token': authenticating(authenticate, `Bearer ${token}`, userId, 'session'),
        'API key': authenticating(authenticate, `Bearer ${apiKey}`, userId, 'apiKey'),
      };
      const requests: Record<Label, () => Promise<void>> = {
        'session token': async () => void (await post(url, token, '{ __typename }')),
        'API key': async () => void (await post(url, apiKey, '{ __typename }')),
      };

      for (const label of LABELS) {
        for (let i = 0; i < WARMUP; i++) await calls[label]();
        for (let i = 0; i < WARMUP / 5; i++) await requests[label]();
      }
      const serialResults = empty();
      const concurrentResults = empty();
      const httpResults = empty();
      // Alternating in slices of SLICE calls, so a burst of noise from elsewhere on the machine lands on both.
      for (let round = 0; round < ROUNDS; round++) {
        for (let done = 0; done < CALLS; done += SLICE) {
          for (const label of LABELS) await serial(serialResults[label], Math.min(SLICE, CALLS - done), calls[label]);
        }
        for (let done = 0; done < CALLS; done += SLICE * 4) {
          for (const label of LABELS) {
            await concurrent(concurrentResults[label], Math.min(SLICE * 4, CALLS - done), calls[label]);
          }
        }
        for (let done = 0; done < HTTP_REQUESTS; done += SLICE) {
          for (const label of LABELS) {
            await serial(httpResults[label], Math.min(SLICE, HTTP_REQUESTS - done), requests[label]);
          }
        }
      }
      await app.apiKeyActivity.flush();

      console.log(
        `\nAPI key authentication against a session token: ${ROUNDS} rounds, interleaved; one server process, ` +
          `pool ${config.database.poolSize}`,
      );
      console.log(report('authenticate(), one call at a time', serialResults, true));
      console.log(report(`authenticate(), ${CONCURRENCY} calls in flight`, concurrentResults, false));
      console.log(report('POST /graphql { __typename }, one request at a time', httpResults, true));
    } finally {
      await closeApp(app);
    }
  } finally {
    await database.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
