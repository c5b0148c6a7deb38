// Wires the server together from a validated config and a database URL. Used by main.ts, the
// integration tests and the benchmark, so all three run exactly the same code.
import path from 'node:path';
import type { Server } from 'node:http';
import { createAuthenticator } from './auth/authenticate.js';
import { createClerkProfileFetcher } from './auth/clerk-profile.js';
import { createSessionTokenVerifier } from './auth/session-token.js';
import type { Config } from './config.js';
import { createBasePrisma, type BasePrisma } from './db/client.js';
import { createLocalIdentityProvider, type LocalIdentityProvider } from './dev/local-identity.js';
import { handleLocalAuthRequest } from './dev/local-auth-routes.js';
import { createGraphQLServer, type ViewerDataAccess } from './graphql/yoga.js';
import { createHttpServer, type RouteHandler } from './http.js';
import type { Logger } from './logging.js';
import type { FetchProfile } from './users/provision.js';

export interface App {
  server: Server;
  base: BasePrisma;
  /** The local identity provider, in local mode only. */
  localIdentity: LocalIdentityProvider | undefined;
  startDraining(): void;
}

export interface AppOptions {
  config: Config;
  databaseUrl: string;
  log: Logger;
  /** Keep local identity state in memory instead of under the data directory (tests). */
  ephemeralLocalIdentity?: boolean;
  /** The benchmark's no-RLS baseline only: see createGraphQLServer. */
  dataAccess?: ViewerDataAccess;
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

const LOOPBACK_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

function isLoopbackHost(host: string | undefined): boolean {
  return host !== undefined && LOOPBACK_HOST.test(host);
}

export async function createApp(options: AppOptions): Promise<App> {
  const { config, log } = options;
  const base = createBasePrisma(options.databaseUrl, config.database.poolSize);
  const authorizedParties = config.auth.authorizedParties;

  let localIdentity: LocalIdentityProvider | undefined;
  let extraRoutes: RouteHandler | undefined;
  let verifyOptions = { ...config.auth.clerk, authorizedParties };
  let fetchProfile = clerkProfileSource(config);

  if (config.auth.mode === 'local') {
    // Never reachable in production: loadConfig refuses local mode there.
    const provider = await createLocalIdentityProvider({
      stateDir: options.ephemeralLocalIdentity ? null : path.join(config.dataDir, 'local-auth'),
      authorizedParty: authorizedParties[0] ?? 'http://localhost:3000',
    });
    localIdentity = provider;
    // A browser tricked into calling us through another name (DNS rebinding) never reaches it.
    extraRoutes = async (req, res, pathname) =>
      isLoopbackHost(req.headers.host) && handleLocalAuthRequest(provider, req, res, pathname);
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
  const yoga = createGraphQLServer({
    config,
    base,
    log,
    ...(options.dataAccess ? { dataAccess: options.dataAccess } : {}),
  });
  const { server, startDraining } = createHttpServer({
    log,
    yoga,
    authenticate,
    maxBodyBytes: config.graphql.maxBodyBytes,
    checkDatabase: async () => {
      await base.$queryRaw`SELECT 1`;
    },
    ...(extraRoutes ? { extraRoutes } : {}),
  });
  return { server, base, localIdentity, startDraining };
}
