// Wires the server together from a validated config and a database URL. Used by main.ts, the
// integration tests and the benchmark, so all three run exactly the same code.
import path from 'node:path';
import type { Server } from 'node:http';
import { LOCAL_AUTH_PREFIX } from '@deal-brain/shared/local-auth';
import { isLoopbackHostHeader } from '@deal-brain/shared/loopback';
import { createApiKeyFinder } from './auth/api-key.js';
import { createAuthenticator } from './auth/authenticate.js';
import { createClerkProfileFetcher } from './auth/clerk-profile.js';
import type { SessionLiveness } from './auth/session-liveness.js';
import { createSessionTokenVerifier } from './auth/session-token.js';
import { createIdentityCache, type IdentityCache } from './auth/identity-cache.js';
import { cacheVerifiedTokens } from './auth/verified-token-cache.js';
import { IDENTITY_CHANNEL, startIdentityListener, type IdentityListener } from './db/identity-listener.js';
import { findUserByClerkId } from './users/provision.js';
import { createClerkBackend, type ClerkBackend } from './clerk/backend-api.js';
import { createProfileWriter } from './clerk/profile-writer.js';
import type { Config } from './config.js';
import { createBasePrisma, poolOf, type BasePrisma } from './db/client.js';
import { createLocalIdentityProvider, type LocalIdentityProvider } from './dev/local-identity/index.js';
import { handleLocalAuthRequest } from './dev/local-identity/routes.js';
import { createGraphQLServer } from './graphql/yoga.js';
import { createHttpServer, type RouteHandler } from './http.js';
import type { Logger } from './logging.js';
import type { FetchProfile } from './users/provision.js';
import { createMetrics, observePool, type Metrics } from './metrics.js';
import { createMetricsServer } from './http/metrics-route.js';
import { recordOperationNames } from './http/request-metrics.js';
import { createApiKeyActivity, type ApiKeyActivityRecorder } from './modules/api-keys/activity.js';
import { recordAuditEvents } from './audit/audit-events.js';
import { createAuthFailureLog, type AuthFailureLog } from './audit/auth-failure-log.js';
import { observeRlsTransactions, withSync } from './db/rls.js';
import { trustedProxies } from './http/client-info.js';
import { createRateLimits } from './rate-limit/limits.js';
import { postgresLimiter, rateLimitStoreClient } from './rate-limit/pg-store.js';
import { CLERK_WEBHOOK_PATH, createClerkWebhookHandler } from './webhooks/clerk-webhook-route.js';
import { createLocalWebhookSender, loadOrCreateWebhookSecret, type LocalWebhookSender } from './dev/local-webhooks.js';

export interface App {
  server: Server;
  /** GET /metrics, when METRICS_PORT is set: main.ts listens on it before `server`, closes it after. */
  metricsServer: Server | undefined;
  base: BasePrisma;
  metrics: Metrics;
  /** The local identity provider, in local mode only. */
  localIdentity: LocalIdentityProvider | undefined;
  /** Its webhook sender: tests wait for `idle()`; shutdown calls `close()`. */
  localWebhooks: LocalWebhookSender | undefined;
  /** API keys' last use and aggregated refusals: flushed when draining starts and when the server closes. */
  apiKeyActivity: ApiKeyActivityRecorder;
  /** Refused credentials, aggregated into auth.failed events: flushed like apiKeyActivity. */
  authFailures: AuthFailureLog;
  /** Users and API keys between requests, while the database's change announcements are heard (ADR 0071). */
  identityCache: IdentityCache;
  startDraining(): void;
}

export interface AppOptions {
  config: Config;
  databaseUrl: string;
  log: Logger;
  /** Keep local identity state in memory instead of under the data directory (tests). */
  ephemeralLocalIdentity?: boolean;
  /** Local webhooks: retry policy (tests shorten it). */
  localWebhookRetry?: { maxAttempts: number; baseDelayMs: number };
  /** Failed authentication's aggregation window and distinct (reason, address) pairs per window (tests). */
  authFailureWindow?: { windowMs?: number; maxKeys?: number };
  /**
   * Tests only, never main.ts: serve a local-mode server behind a (simulated) proxy, which the local-mode
   * guard (http/local-mode-guard.ts) otherwise refuses. Tests that check client addresses with
   * TRUSTED_PROXIES need it, as tests can mint tokens in local mode only.
   */
  allowProxiedLocalMode?: boolean;
}

const noProfile: FetchProfile = async () => ({
  email: undefined,
  firstName: undefined,
  lastName: undefined,
  imageUrl: undefined,
});

function clerkProfileSource(config: Config, clerk: ClerkBackend): FetchProfile {
  return config.auth.clerk.secretKey ? createClerkProfileFetcher(clerk) : noProfile;
}

function localProfileSource(provider: LocalIdentityProvider): FetchProfile {
  return async (clerkId) => {
    const identity = provider.findIdentityByClerkId(clerkId);
    return {
      email: identity?.email,
      firstName: identity?.firstName ?? undefined,
      lastName: identity?.lastName ?? undefined,
      imageUrl: identity?.imageUrl ?? undefined,
    };
  };
}

/** How long a cached user or API key is trusted at most, changes heard or not (auth/identity-cache.ts). */
const IDENTITY_CACHE_MAX_AGE_MS = 60_000;

/**
 * The identity cache and the listener that keeps it true. No listener (and so nothing cached) when the cache
 * is sized 0 or there is no session-holding connection to listen on: behind a transaction-mode pooler,
 * DATABASE_LISTEN_URL must name one (ADR 0071).
 */
function identityCaching(
  config: Config,
  databaseUrl: string,
  base: BasePrisma,
  log: Logger,
  metrics: Metrics,
): { cache: IdentityCache; listener: IdentityListener | undefined } {
  const cache = createIdentityCache({
    maxEntries: config.auth.cacheSizes.identities,
    maxAgeMs: IDENTITY_CACHE_MAX_AGE_MS,
    onLookup: (name, outcome) => metrics.identityCacheLookups.inc({ cache: name, outcome }),
  });
  const { listenUrl, poolMode } = config.database;
  const url = listenUrl ?? (poolMode === 'session' ? databaseUrl : undefined);
  if (config.auth.cacheSizes.identities === 0 || !url) {
    const reason =
      config.auth.cacheSizes.identities === 0
        ? 'IDENTITY_CACHE_SIZE is 0'
        : 'DATABASE_POOL_MODE is transaction and DATABASE_LISTEN_URL unset';
    log.info({ event: 'identity_cache.off', reason }, 'identity cache off');
    return { cache, listener: undefined };
  }
  // The probe goes the requests' way, so that it proves the listener hears what their changes announce.
  const pool = poolOf(base);
  const sendProbe = async (payload: string) => {
    await pool.query('SELECT pg_notify($1, $2)', [IDENTITY_CHANNEL, payload]);
  };
  return { cache, listener: startIdentityListener({ url, cache, log, sendProbe }) };
}

/** Where the server can reach itself: its own listening address, never a name that could resolve elsewhere. */
function ownUrl(server: Server | undefined, pathname: string): string | undefined {
  const address = server?.listening ? server.address() : null;
  if (!address || typeof address === 'string') return undefined;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}${pathname}`;
}

export async function createApp(options: AppOptions): Promise<App> {
  const { config, log } = options;
  const { poolSize, timeLimits, poolMode } = config.database;
  const base = createBasePrisma(options.databaseUrl, poolSize, timeLimits, poolMode);
  const metrics = createMetrics();
  observePool(metrics, poolOf(base));
  observeRlsTransactions(base, (role, seconds) => metrics.rlsTransactionDuration.observe({ role }, seconds));
  const authorizedParties = config.auth.authorizedParties;
  let webhookSigningSecret = config.auth.webhookSigningSecret;
  let localWebhooks: LocalWebhookSender | undefined;
  // Set once the HTTP server exists; the local webhook sender posts to it.
  const own: { server?: Server } = {};

  let localIdentity: LocalIdentityProvider | undefined;
  let extraRoutes: RouteHandler | undefined;
  let verifyOptions = { ...config.auth.clerk, authorizedParties };
  // Clerk's Backend API (profile changes, sessions): Clerk's in clerk mode, the local stand-in's in local mode.
  let clerk = createClerkBackend({ secretKey: config.auth.clerk.secretKey, apiUrl: config.auth.clerk.apiUrl });
  let fetchProfile = clerkProfileSource(config, clerk);
  // Local mode: tokens of ended (signed-out or revoked) sessions are refused (auth/session-liveness.ts).
  let sessionLiveness: SessionLiveness | undefined;

  if (config.auth.mode === 'local') {
    // Never reachable in production: loadConfig refuses local mode there.
    const stateDir = options.ephemeralLocalIdentity ? null : path.join(config.dataDir, 'local-auth');
    const provider = await createLocalIdentityProvider({
      stateDir,
      // loadConfig gives local mode at least one origin (the web app's, by default).
      authorizedParty: authorizedParties[0]!,
      // A webhook that cannot be queued must not fail the change it reports, which already happened.
      onEvent: (event) => {
        try {
          localWebhooks?.send(event);
        } catch (error) {
          log.error({ event: 'local_webhook.send_failed', type: event.type, err: error }, 'local webhook not sent');
        }
      },
    });
    webhookSigningSecret ??= await loadOrCreateWebhookSecret(stateDir);
    localWebhooks = createLocalWebhookSender({
      secret: webhookSigningSecret,
      endpoint: () => ownUrl(own.server, CLERK_WEBHOOK_PATH),
      log,
      identityOf: (clerkId) => provider.findIdentityByClerkId(clerkId),
      ...options.localWebhookRetry,
    });
    localIdentity = provider;
    // A browser tricked into calling us through another name (DNS rebinding) never reaches it.
    extraRoutes = async (req, res, pathname) =>
      isLoopbackHostHeader(req.headers.host) &&
      handleLocalAuthRequest(provider, req, res, pathname, {
        onError: (error) => log.error({ event: 'local_auth.failed', err: error }, 'local identity provider failed'),
      });
    verifyOptions = {
      jwtKey: provider.publicKeyPem,
      secretKey: undefined,
      publishableKey: undefined,
      apiUrl: undefined,
      authorizedParties,
    };
    fetchProfile = localProfileSource(provider);
    // The same @clerk/backend client, pointed at the stand-in on our own loopback address with its secret key.
    clerk = createClerkBackend({ secretKey: provider.secretKey, apiUrl: () => ownUrl(own.server, LOCAL_AUTH_PREFIX) });
    sessionLiveness = (sessionId) => provider.touchSession(sessionId);
  }

  const apiKeyActivity = createApiKeyActivity({ base, log, metrics });
  const findApiKey = createApiKeyFinder(base);
  const verifySessionToken = createSessionTokenVerifier({
    ...verifyOptions,
    onJwksFetchError: (error) => log.warn({ event: 'auth.jwks_fetch_failed', err: error }, 'JWKS not fetched'),
  });
  // Started once nothing above can throw (a bad key), so that no listener outlives a failed start.
  const identities = identityCaching(config, options.databaseUrl, base, log, metrics);
  // Bounded either way: a database not up yet leaves the cache off until the listener hears.
  await identities.listener?.ready;
  const authenticate = createAuthenticator({
    base,
    verifySessionToken: cacheVerifiedTokens(verifySessionToken, {
      maxEntries: config.auth.cacheSizes.tokens,
      onLookup: (outcome) => metrics.identityCacheLookups.inc({ cache: 'token', outcome }),
    }),
    ...(sessionLiveness ? { sessionLiveness } : {}),
    fetchProfile,
    findUser: (clerkId) => identities.cache.user(clerkId, () => findUserByClerkId(base, clerkId)),
    findApiKey: (prefix) => identities.cache.apiKey(prefix, () => findApiKey(prefix)),
    apiKeyActivity,
  });
  // As app_sync: a refused caller is nobody we know, and app_sync may insert audit events.
  const authFailures = createAuthFailureLog({
    log,
    write: (events) => withSync(base, (tx) => recordAuditEvents(tx, events)),
    ...options.authFailureWindow,
  });
  authFailures.start();
  // Counters in PostgreSQL, always: limits hold across instances (ADR 0060). There is no switch to turn them off.
  const rateLimitStore = rateLimitStoreClient(base);
  const rateLimits = createRateLimits({
    settings: config.rateLimit,
    limiter: (shape) => postgresLimiter(rateLimitStore, shape),
    metrics,
    log,
  });
  const yoga = createGraphQLServer({
    config,
    base,
    log,
    clerk,
    profiles: createProfileWriter({ base, clerk }),
    rateLimits,
    plugins: [recordOperationNames()],
  });
  const { server, startDraining } = createHttpServer({
    log,
    yoga,
    authenticate,
    maxBodyBytes: config.graphql.maxBodyBytes,
    requestTimeoutMs: config.graphql.requestTimeoutMs,
    metrics,
    trustProxy: trustedProxies(config.trustedProxies, config.trustedProxyHeader),
    authFailures,
    rateLimits,
    clerkWebhook: createClerkWebhookHandler({ base, metrics, signingSecret: webhookSigningSecret }),
    checkDatabase: async () => {
      await base.$queryRaw`SELECT 1`;
    },
    ...(extraRoutes ? { extraRoutes } : {}),
    // Local mode: nothing but a direct request on loopback is answered, on any route.
    localOnly: config.auth.mode === 'local' && !options.allowProxiedLocalMode,
  });
  own.server = server;
  server.on('close', () => void apiKeyActivity.close());
  server.on('close', () => void authFailures.close());
  server.on('close', () => void identities.listener?.close());
  if (config.auth.mode === 'clerk' && !webhookSigningSecret) {
    log.warn({ event: 'webhook.not_configured' }, 'CLERK_WEBHOOK_SIGNING_SECRET is not set: webhooks are answered 503');
  }
  const metricsServer =
    config.metrics.port === undefined
      ? undefined
      : createMetricsServer({ registry: metrics.registry, token: config.metrics.token, log });
  return {
    server,
    metricsServer,
    base,
    metrics,
    localIdentity,
    localWebhooks,
    apiKeyActivity,
    authFailures,
    identityCache: identities.cache,
    startDraining: () => {
      startDraining();
      void apiKeyActivity.flush();
      void authFailures.flush();
    },
  };
}
