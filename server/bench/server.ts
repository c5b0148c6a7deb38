// One server under test: the production createApp() on a free loopback port, in local identity
// mode with in-memory keys, plus the owners' identities and session tokens. The owner-connection
// baseline reads through the base client itself: no RLS wrapper (base-client-reads.ts).
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createApp, type App } from '#src/app.js';
import { loadConfig } from '#src/config.js';
import type { PoolMode } from '#src/db/pool-mode.js';
import type { LocalIdentityProvider } from '#src/dev/local-identity/index.js';
import { createLogger } from '#src/logging.js';
import { readThroughBaseClient } from './base-client-reads.js';
import { OWNERS, PAGE_SIZE, LISTINGS_PER_OWNER, newestTitle } from './fixtures.js';

export const LISTINGS_QUERY = `{ listings(first: ${PAGE_SIZE}) { totalCount edges { node { id title price } } } }`;

/** Long enough for the whole run. */
const TOKEN_TTL_SECONDS = 60 * 60;

export interface BenchServer {
  label: string;
  url: string;
  /** One per owner, in OWNERS order. */
  tokens: string[];
  /** One per owner, in OWNERS order: the users rows must carry them. */
  clerkIds: string[];
  close(): Promise<void>;
}

async function createOwnerIdentities(provider: LocalIdentityProvider): Promise<string[]> {
  const clerkIds: string[] = [];
  for (const owner of OWNERS) {
    const identity = await provider.createIdentity({ email: owner.email, firstName: 'Bench', lastName: 'Owner' });
    clerkIds.push(identity.clerkId);
  }
  return clerkIds;
}

async function closeApp(app: App): Promise<void> {
  app.server.closeAllConnections();
  await new Promise<void>((resolve) => app.server.close(() => resolve()));
  await app.base.$disconnect();
}

export interface BenchServerOptions {
  /** Resolvers read through the base client, without the RLS client; default false. */
  withoutRlsClient?: boolean;
  /** DATABASE_POOL_MODE (ADR 0069); default session. */
  poolMode?: PoolMode;
}

export async function startBenchServer(
  label: string,
  databaseUrl: string,
  poolSize: number,
  options: BenchServerOptions = {},
): Promise<BenchServer> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: '0',
    DATABASE_POOL_SIZE: String(poolSize),
    ...(options.poolMode ? { DATABASE_POOL_MODE: options.poolMode } : {}),
    // A benchmark is a handful of users sending thousands of requests a second: no budget is meant for that.
    RATE_LIMIT_ADDRESS_POINTS: '100000000',
    RATE_LIMIT_USER_POINTS: '1000000000',
    RATE_LIMIT_API_KEY_POINTS: '1000000000',
  });
  const app = await createApp({
    config,
    databaseUrl,
    log: createLogger(config.logLevel),
    ephemeralLocalIdentity: true,
  });
  if (options.withoutRlsClient) readThroughBaseClient(app.base);
  try {
    const provider = app.localIdentity;
    if (!provider) throw new Error('the benchmark needs local identity mode');
    app.server.listen(0, '127.0.0.1');
    await once(app.server, 'listening');
    const { port } = app.server.address() as AddressInfo;
    const clerkIds = await createOwnerIdentities(provider);
    const sessions = OWNERS.map((owner) => provider.startSession(owner.email, { ttlSeconds: TOKEN_TTL_SECONDS }));
    const tokens = (await Promise.all(sessions)).map((session) => session.token);
    // The provider announces these identities and sessions by webhook; loadFixtures replaces the
    // rows they create, so none may still be on its way.
    await app.localWebhooks?.idle();
    return { label, url: `http://127.0.0.1:${port}`, tokens, clerkIds, close: () => closeApp(app) };
  } catch (error) {
    await closeApp(app);
    throw error;
  }
}

interface ListingsResponse {
  data?: {
    listings?: { totalCount: number; edges: { node: { id: string; title: string; price: string } }[] } | null;
  } | null;
  errors?: { message: string }[];
}

/** Asks for every owner's first page once and checks it is exactly that owner's data. */
export async function checkResponses(server: BenchServer): Promise<void> {
  for (const [i, owner] of OWNERS.entries()) {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.tokens[i]}` },
      body: JSON.stringify({ query: LISTINGS_QUERY }),
    });
    const text = await response.text();
    const fail = (why: string): never => {
      throw new Error(`${server.label}: owner ${owner.number}: ${why}: HTTP ${response.status} ${text.slice(0, 300)}`);
    };
    if (response.status !== 200) fail('unexpected status');
    const body = JSON.parse(text) as ListingsResponse;
    if (body.errors?.length) fail('GraphQL errors');
    const listings = body.data?.listings ?? fail('no listings');
    if (listings.totalCount !== LISTINGS_PER_OWNER) fail(`totalCount is not ${LISTINGS_PER_OWNER}`);
    if (listings.edges.length !== PAGE_SIZE) fail(`not ${PAGE_SIZE} edges`);
    if (listings.edges[0]?.node.title !== newestTitle(owner)) fail('first edge is not the newest listing');
  }
}
