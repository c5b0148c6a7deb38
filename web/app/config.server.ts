// The only reader of process.env in the web app. Everything else receives a WebConfig.
// What the API server must read the same way (the auth mode, origins, loopback, .env) comes from
// @deal-brain/shared; this file adds the web app's own variables and refusals.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveAuthMode, type AuthMode } from '@deal-brain/shared/auth-mode';
import { authorizedPartiesFor } from '@deal-brain/shared/authorized-origins';
import { commonEnvShape, type LogLevel, type NodeEnv } from '@deal-brain/shared/env/common-env';
import { ConfigError } from '@deal-brain/shared/env/config-error';
import { findRepoRoot, loadRepoDotEnv } from '@deal-brain/shared/env/dotenv';
import { envString, envWholeNumber } from '@deal-brain/shared/env/env-values';
import { parseEnv, type Env } from '@deal-brain/shared/env/parse-env';
import { LOCAL_AUTH_SECRET_FILE, LOCAL_AUTH_STATE_DIR } from '@deal-brain/shared/local-auth';
import { isLoopbackHost, isLoopbackUrl, LOOPBACK_HOSTS } from '@deal-brain/shared/loopback';
import { z } from 'zod';

export { ConfigError };

export interface WebConfig {
  nodeEnv: NodeEnv;
  logLevel: LogLevel;
  authMode: AuthMode;
  /** Base URL of the API server (GraphQL at `${apiUrl}/graphql`, local identity at `/__local-auth`). */
  apiUrl: string;
  /** Milliseconds before a call to the API is abandoned. */
  apiTimeoutMs: number;
  /** Origins accepted in a session token's `azp` claim: where this web app is served. */
  authorizedParties: string[];
  clerk: {
    publishableKey: string;
    secretKey: string;
    /** PEM public key for networkless verification; in local mode fetched from the API's JWKS instead. */
    jwtKey: string | undefined;
  };
  local: {
    /** Lifetime of a local session token: a working day. */
    sessionTtlSeconds: number;
    /** A token with less than this left is replaced by a fresh one on the next request. */
    refreshBeforeSeconds: number;
    /**
     * The API server's secret for /__local-auth, created by the first API server on the DATA_DIR:
     * `<DATA_DIR>/local-auth/boot-secret`, DATA_DIR resolved as the API server resolves it.
     */
    secretFile: string;
  };
}

/**
 * The publishable key of local mode: `pk_live_` + base64("<host>$"). The host is a reserved, unresolvable
 * name (RFC 6761 `.invalid`), so nothing can ever reach it; `pk_live_` (a production instance) means
 * Clerk does not ask for a development-browser cookie. Nothing is loaded from it: in local mode the
 * browser never renders Clerk's provider.
 */
export const LOCAL_FRONTEND_API_HOST = 'clerk.local.invalid';
export const LOCAL_PUBLISHABLE_KEY = `pk_live_${Buffer.from(`${LOCAL_FRONTEND_API_HOST}$`).toString('base64')}`;
/** @clerk/remix insists on a secret key; local mode never calls Clerk's Backend API with it. */
export const LOCAL_SECRET_KEY = 'sk_live_local_mode_never_sent';

const DEFAULT_API_URL = 'http://127.0.0.1:4000';
const WORKING_DAY_SECONDS = 10 * 60 * 60;
const MAX_LOCAL_TTL_SECONDS = 30 * 24 * 60 * 60;

/** An http or https URL, without trailing slashes. */
const apiUrl = envString.transform((value = DEFAULT_API_URL, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: `must be a URL like ${DEFAULT_API_URL}, got "${value}"` });
    return z.NEVER;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    ctx.addIssue({ code: 'custom', message: `must be an http or https URL, got "${value}"` });
    return z.NEVER;
  }
  return url.href.replace(/\/+$/, '');
});

const envSchema = z
  .object({
    ...commonEnvShape,
    /** The interface the built server listens on (server.mjs reads it too); unset means every one. */
    HOST: envString,
    /** The API server's data directory (same variable, same default): local mode reads its secret there. */
    DATA_DIR: envString,
    API_URL: apiUrl,
    API_TIMEOUT_MS: envWholeNumber({ min: 100, max: 120_000, fallback: 10_000 }),
    LOCAL_SESSION_TTL_SECONDS: envWholeNumber({ min: 60, max: MAX_LOCAL_TTL_SECONDS, fallback: WORKING_DAY_SECONDS }),
    LOCAL_SESSION_REFRESH_BEFORE_SECONDS: envWholeNumber({ min: 1, max: MAX_LOCAL_TTL_SECONDS - 1 }),
  })
  .transform((env, ctx) => {
    // Refreshing must happen before the token expires: the bound depends on the lifetime.
    const ttl = env.LOCAL_SESSION_TTL_SECONDS;
    const refreshBefore = env.LOCAL_SESSION_REFRESH_BEFORE_SECONDS ?? Math.min(60 * 60, Math.floor(ttl / 2));
    if (refreshBefore > ttl - 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['LOCAL_SESSION_REFRESH_BEFORE_SECONDS'],
        message: `must be between 1 and ${ttl - 1}, got ${refreshBefore}`,
      });
      return z.NEVER;
    }
    return { ...env, LOCAL_SESSION_REFRESH_BEFORE_SECONDS: refreshBefore };
  });

type ParsedEnv = z.output<typeof envSchema>;

/** How the process was started, as far as the environment cannot tell. */
export interface Runtime {
  /** Served by the Vite dev server (`remix vite:dev`), which binds localhost only (vite.config.ts). */
  viteDevServer: boolean;
}

/**
 * Local mode signs anyone in who can reach the web app, so it may only listen on loopback. The Vite dev
 * server does; anything else (server.mjs binds every interface unless HOST is set) must be given a
 * loopback HOST.
 */
function assertLocalOnlyListener({ HOST: host, NODE_ENV }: ParsedEnv, runtime: Runtime): void {
  const risk = 'AUTH_MODE=local signs in anyone who can reach the web app';
  const loopback = LOOPBACK_HOSTS.join(', ');
  if (host === undefined) {
    if (NODE_ENV === 'development' && runtime.viteDevServer) return;
    throw new ConfigError(
      `${risk}: set HOST to a loopback address (${loopback}) so the server listens on loopback only`,
    );
  }
  if (!isLoopbackHost(host)) {
    throw new ConfigError(`${risk}: HOST must be a loopback address (${loopback}), not "${host}"`);
  }
}

/** Session tokens travel to the API as bearer tokens: never in cleartext off this machine in production. */
function assertApiUrlSafe(env: ParsedEnv): void {
  const { API_URL: apiUrl } = env;
  if (env.NODE_ENV === 'production' && new URL(apiUrl).protocol === 'http:' && !isLoopbackUrl(apiUrl)) {
    throw new ConfigError(
      `API_URL must be https in production (session tokens travel to it as bearer tokens), or a loopback address: got ${apiUrl}`,
    );
  }
}

/** Local mode: Clerk's keys are stand-ins, and both this app and the provider it calls stay on loopback. */
function localClerkKeys(env: ParsedEnv, runtime: Runtime): WebConfig['clerk'] {
  assertLocalOnlyListener(env, runtime);
  if (!isLoopbackUrl(env.API_URL)) {
    throw new ConfigError(
      `AUTH_MODE=local talks to the local identity provider on loopback only: API_URL is ${env.API_URL}`,
    );
  }
  return { publishableKey: LOCAL_PUBLISHABLE_KEY, secretKey: LOCAL_SECRET_KEY, jwtKey: undefined };
}

/** Clerk mode: @clerk/remix needs both keys; the PEM is optional (networkless verification). */
function clerkKeys(env: ParsedEnv): WebConfig['clerk'] {
  const { CLERK_PUBLISHABLE_KEY: publishableKey, CLERK_SECRET_KEY: secretKey } = env;
  if (!publishableKey || !/^pk_(test|live)_/.test(publishableKey)) {
    throw new ConfigError('AUTH_MODE=clerk needs CLERK_PUBLISHABLE_KEY (pk_test_… or pk_live_…)');
  }
  if (!secretKey) throw new ConfigError('AUTH_MODE=clerk needs CLERK_SECRET_KEY');
  return { publishableKey, secretKey, jwtKey: env.CLERK_JWT_KEY };
}

/**
 * Builds the configuration from an environment (process.env when none is given). `runtime` defaults to
 * "not the Vite dev server", the safe assumption.
 */
export function configFrom(env: Env, runtime: Runtime = { viteDevServer: false }): WebConfig {
  const e = parseEnv(envSchema, env);
  const authMode = resolveAuthMode(e);
  assertApiUrlSafe(e);
  const clerk = authMode === 'local' ? localClerkKeys(e, runtime) : clerkKeys(e);
  return {
    nodeEnv: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    authMode,
    apiUrl: e.API_URL,
    apiTimeoutMs: e.API_TIMEOUT_MS,
    authorizedParties: authorizedPartiesFor(e.CLERK_AUTHORIZED_PARTIES, e.NODE_ENV),
    clerk,
    local: {
      sessionTtlSeconds: e.LOCAL_SESSION_TTL_SECONDS,
      refreshBeforeSeconds: e.LOCAL_SESSION_REFRESH_BEFORE_SECONDS,
      secretFile: localAuthSecretFile(e.DATA_DIR),
    },
  };
}

/** Relative to the repository root, default `.data`: where the API server (server/src/config.ts) puts it. */
function localAuthSecretFile(dataDir: string | undefined): string {
  const repoRoot = findRepoRoot(path.dirname(fileURLToPath(import.meta.url))) ?? process.cwd();
  return path.resolve(repoRoot, dataDir ?? '.data', LOCAL_AUTH_STATE_DIR, LOCAL_AUTH_SECRET_FILE);
}

/** Something safe enough to start with, that production should still change; logged once at start-up. */
export interface ConfigWarning {
  event: string;
  message: string;
}

/**
 * The warnings entry.server.tsx logs when the server starts. The same event as the API server's
 * (server/src/config.ts): an operator sees one name for one setting missing from either app.
 */
export function configWarnings(config: WebConfig): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  if (config.nodeEnv === 'production' && config.authMode === 'clerk' && !config.clerk.jwtKey) {
    // @clerk/remix then fetches Clerk's JWKS for every key id a visitor's cookie names that it does not
    // hold, with retries and no bound (the API bounds its own, ADR 0062; this app cannot): one or more
    // calls to Clerk per forged token, spending the instance's Backend API rate limit.
    warnings.push({
      event: 'config.clerk_jwt_key_missing',
      message:
        'CLERK_JWT_KEY is not set: the web app verifies session cookies with keys fetched from Clerk, and a ' +
        'cookie naming an unknown key id makes it call Clerk again, without limit. Set CLERK_JWT_KEY ' +
        '(Clerk Dashboard → API keys → JWT public key) to verify without calling Clerk.',
    });
  }
  return warnings;
}

let cached: WebConfig | undefined;

/** The process's configuration, read once. Throws ConfigError when the environment is unusable or unsafe. */
export function getConfig(): WebConfig {
  if (!cached) {
    loadRepoDotEnv();
    cached = configFrom(process.env, { viteDevServer: __VITE_DEV_SERVER__ });
  }
  return cached;
}
