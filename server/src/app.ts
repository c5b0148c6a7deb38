// Wires the server together from a validated config and a database URL. Used by main.ts, the
// integration tests and the benchmark, so all three run exactly the same code.
import path from 'node:path';
import type { Server } from 'node:http';
import { isLoopbackHostHeader } from '@deal-brain/shared/loopback';
import { createAuthenticator } from './auth/authenticate.js';
import { createClerkProfileFetcher } from './auth/clerk-profile.js';
import { createSessionTokenVerifier } from './auth/session-token.js';
import type { Config } from './config.js';
import { createBasePrisma, type BasePrisma } from './db/client.js';
import { createLocalIdentityProvider, type LocalIdentityProvider } from './dev/local-identity/index.js';
import { handleLocalAuthRequest } from './dev/local-identity/routes.js';
import { createGraphQLServer } from './graphql/yoga.js';
import { createHttpServer, type RouteHandler } from './http.js';
import type { Logger } from './logging.js';
import type { FetchProfile } from './users/provision.js';
import { createMetrics, type Metrics } from './metrics.js';
import { CLERK_WEBHOOK_PATH, createClerkWebhookHandler } from './webhooks/clerk-webhook-route.js';
import { createLocalWebhookSender, loadOrCreateWebhookSecret, type LocalWebhookSender } from './dev/local-webhooks.js';

export interface App {
  server: Server;
  base: BasePrisma;
  metrics: Metrics;
  /** The local identity provider, in local mode only. */
  localIdentity: LocalIdentityProvider | undefined;
  /** Its webhook sender: tests wait for `idle()`; shutdown calls `close()`. */
  localWebhooks: LocalWebhookSender | undefined;
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
}

const noProfile: FetchProfile = async () => ({
  email: undefined,
  firstName: undefined,
  lastName: undefined,
  imageUrl: undefined,
});

function clerkProfileSource(config: Config): FetchProfile {
  const { secretKey, apiUrl } = config.auth.clerk;
  return secretKey ? createClerkProfileFetcher(secretKey, apiUrl) : noProfile;
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

/** Where the server can reach itself: its own listening address, never a name that could resolve elsewhere. */
function ownWebhookUrl(server: Server): string | undefined {
  const address = server.address();
  if (!address || typeof address === 'string') return undefined;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}${CLERK_WEBHOOK_PATH}`;
}

export async function createApp(options: AppOptions): Promise<App> {
  const { config, log } = options;
  const base = createBasePrisma(options.databaseUrl, config.database.poolSize);
  const metrics = createMetrics();
  const authorizedParties = config.auth.authorizedParties;
  let webhookSigningSecret = config.auth.webhookSigningSecret;
  let localWebhooks: LocalWebhookSender | undefined;
  // Set once the HTTP server exists; the local webhook sender posts to it.
  const own: { server?: Server } = {};

  let localIdentity: LocalIdentityProvider | undefined;
  let extraRoutes: RouteHandler | undefined;
  let verifyOptions = { ...config.auth.clerk, authorizedParties };
  let fetchProfile = clerkProfileSource(config);

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
      endpoint: () => (own.server?.listening ? ownWebhookUrl(own.server) : undefined),
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
  }

  const authenticate = createAuthenticator({
    base,
    verifySessionToken: createSessionTokenVerifier(verifyOptions),
    fetchProfile,
  });
  const yoga = createGraphQLServer({ config, base, log });
  const { server, startDraining } = createHttpServer({
    log,
    yoga,
    authenticate,
    maxBodyBytes: config.graphql.maxBodyBytes,
    metrics,
    clerkWebhook: createClerkWebhookHandler({ base, metrics, signingSecret: webhookSigningSecret }),
    checkDatabase: async () => {
      await base.$queryRaw`SELECT 1`;
    },
    ...(extraRoutes ? { extraRoutes } : {}),
  });
  own.server = server;
  if (config.auth.mode === 'clerk' && !webhookSigningSecret) {
    log.warn({ event: 'webhook.not_configured' }, 'CLERK_WEBHOOK_SIGNING_SECRET is not set: webhooks are answered 503');
  }
  return { server, base, metrics, localIdentity, localWebhooks, startDraining };
}
