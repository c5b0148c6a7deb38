// The only reader of process.env in the web app. Everything else receives a WebConfig.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type AuthMode = 'clerk' | 'local';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface WebConfig {
  nodeEnv: 'development' | 'test' | 'production';
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
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
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

const LOCAL_WEB_ORIGIN = 'http://localhost:3000';
const DEFAULT_API_URL = 'http://127.0.0.1:4000';
const WORKING_DAY_SECONDS = 10 * 60 * 60;
const MAX_LOCAL_TTL_SECONDS = 30 * 24 * 60 * 60;

type Env = Record<string, string | undefined>;

function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function parseNodeEnv(env: Env): WebConfig['nodeEnv'] {
  const value = optional(env, 'NODE_ENV') ?? 'development';
  if (value !== 'development' && value !== 'test' && value !== 'production') {
    throw new ConfigError(`NODE_ENV must be development, test or production, got "${value}"`);
  }
  return value;
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function parseLogLevel(env: Env): LogLevel {
  const value = optional(env, 'LOG_LEVEL') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(value)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${value}"`);
  }
  return value as LogLevel;
}

function parseAuthMode(env: Env, nodeEnv: WebConfig['nodeEnv']): AuthMode {
  const value = optional(env, 'AUTH_MODE');
  if (value !== undefined && value !== 'clerk' && value !== 'local') {
    throw new ConfigError(`AUTH_MODE must be clerk or local, got "${value}"`);
  }
  if (value) return value;
  const hasClerkKeys = Boolean(
    optional(env, 'CLERK_PUBLISHABLE_KEY') || optional(env, 'CLERK_SECRET_KEY') || optional(env, 'CLERK_JWT_KEY'),
  );
  return hasClerkKeys || nodeEnv === 'production' ? 'clerk' : 'local';
}

function parseOrigins(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean)
    .map((origin) => {
      let url: URL;
      try {
        url = new URL(origin);
      } catch {
        throw new ConfigError(`CLERK_AUTHORIZED_PARTIES: "${origin}" is not a URL`);
      }
      if (url.origin !== origin.replace(/\/$/, '')) {
        throw new ConfigError(
          `CLERK_AUTHORIZED_PARTIES: "${origin}" must be a bare origin like https://app.example.com`,
        );
      }
      return url.origin;
    });
}

function parseApiUrl(env: Env): string {
  const raw = optional(env, 'API_URL') ?? DEFAULT_API_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`API_URL must be a URL like ${DEFAULT_API_URL}, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`API_URL must be an http or https URL, got "${raw}"`);
  }
  return url.href.replace(/\/+$/, '');
}

const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '::1'];

function isLoopbackUrl(value: string): boolean {
  const { hostname } = new URL(value);
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

/** How the process was started, as far as the environment cannot tell. */
export interface Runtime {
  /** Served by the Vite dev server (`remix vite:dev`), which binds localhost only (vite.config.ts). */
  viteDevServer: boolean;
}

/**
 * Local mode signs anyone in who can reach the web app, so it may only listen on loopback. The Vite dev
 * server does; anything else (remix-serve binds every interface unless HOST is set) must be given a
 * loopback HOST.
 */
function assertLocalOnlyListener(env: Env, nodeEnv: WebConfig['nodeEnv'], runtime: Runtime): void {
  const host = optional(env, 'HOST');
  if (host === undefined) {
    if (nodeEnv === 'development' && runtime.viteDevServer) return;
    throw new ConfigError(
      `AUTH_MODE=local signs in anyone who can reach the web app: set HOST to a loopback address (${LOOPBACK_HOSTS.join(', ')}) so the server listens on loopback only`,
    );
  }
  if (!LOOPBACK_HOSTS.includes(host)) {
    throw new ConfigError(
      `AUTH_MODE=local signs in anyone who can reach the web app: HOST must be a loopback address (${LOOPBACK_HOSTS.join(', ')}), not "${host}"`,
    );
  }
}

/**
 * Builds the configuration from an environment (process.env when none is given). `runtime` defaults to
 * "not the Vite dev server", the safe assumption.
 */
export function configFrom(env: Env, runtime: Runtime = { viteDevServer: false }): WebConfig {
  const nodeEnv = parseNodeEnv(env);
  const authMode = parseAuthMode(env, nodeEnv);
  const apiUrl = parseApiUrl(env);
  const configuredParties = parseOrigins(optional(env, 'CLERK_AUTHORIZED_PARTIES'));

  if (nodeEnv === 'production' && authMode === 'local') {
    throw new ConfigError('AUTH_MODE=local is refused when NODE_ENV=production: configure Clerk keys');
  }
  if (nodeEnv === 'production' && new URL(apiUrl).protocol === 'http:' && !isLoopbackUrl(apiUrl)) {
    throw new ConfigError(
      `API_URL must be https in production (session tokens travel to it as bearer tokens), or a loopback address: got ${apiUrl}`,
    );
  }

  let clerk: WebConfig['clerk'];
  if (authMode === 'local') {
    assertLocalOnlyListener(env, nodeEnv, runtime);
    if (!isLoopbackUrl(apiUrl)) {
      throw new ConfigError(
        `AUTH_MODE=local talks to the local identity provider on loopback only: API_URL is ${apiUrl}`,
      );
    }
    clerk = { publishableKey: LOCAL_PUBLISHABLE_KEY, secretKey: LOCAL_SECRET_KEY, jwtKey: undefined };
  } else {
    const publishableKey = optional(env, 'CLERK_PUBLISHABLE_KEY');
    const secretKey = optional(env, 'CLERK_SECRET_KEY');
    if (!publishableKey || !/^pk_(test|live)_/.test(publishableKey)) {
      throw new ConfigError('AUTH_MODE=clerk needs CLERK_PUBLISHABLE_KEY (pk_test_… or pk_live_…)');
    }
    if (!secretKey) throw new ConfigError('AUTH_MODE=clerk needs CLERK_SECRET_KEY');
    clerk = { publishableKey, secretKey, jwtKey: optional(env, 'CLERK_JWT_KEY')?.replace(/\\n/g, '\n') };
  }

  if (nodeEnv === 'production' && configuredParties.length === 0) {
    throw new ConfigError('CLERK_AUTHORIZED_PARTIES must be set in production (the origin this app is served from)');
  }

  const sessionTtlSeconds = integer(env, 'LOCAL_SESSION_TTL_SECONDS', WORKING_DAY_SECONDS, 60, MAX_LOCAL_TTL_SECONDS);
  const refreshBeforeSeconds = integer(
    env,
    'LOCAL_SESSION_REFRESH_BEFORE_SECONDS',
    Math.min(60 * 60, Math.floor(sessionTtlSeconds / 2)),
    1,
    sessionTtlSeconds - 1,
  );

  return {
    nodeEnv,
    logLevel: parseLogLevel(env),
    authMode,
    apiUrl,
    apiTimeoutMs: integer(env, 'API_TIMEOUT_MS', 10_000, 100, 120_000),
    authorizedParties: configuredParties.length > 0 ? configuredParties : [LOCAL_WEB_ORIGIN],
    clerk,
    local: { sessionTtlSeconds, refreshBeforeSeconds },
  };
}

/** The repository root (marked by turbo.json) above this module, in source and in the build alike. */
function findRepoRoot(): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'turbo.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** A .env at the repository root (shared with the API server) fills variables the environment does not set. */
function loadDotEnv(): void {
  const root = findRepoRoot();
  const file = root && path.join(root, '.env');
  if (file && existsSync(file)) process.loadEnvFile(file);
}

let cached: WebConfig | undefined;

/** The process's configuration, read once. Throws ConfigError when the environment is unusable or unsafe. */
export function getConfig(): WebConfig {
  if (!cached) {
    loadDotEnv();
    cached = configFrom(process.env, { viteDevServer: __VITE_DEV_SERVER__ });
  }
  return cached;
}
