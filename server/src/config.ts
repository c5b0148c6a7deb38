// The only reader of process.env in the server. Everything else receives a Config.
// What the web app must read the same way (the auth mode, origins, loopback, .env) comes from
// @deal-brain/shared; this file adds the server's own variables and refusals.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveAuthMode, type AuthMode } from '@deal-brain/shared/auth-mode';
import { authorizedPartiesFor } from '@deal-brain/shared/authorized-origins';
import { commonEnvShape, type LogLevel, type NodeEnv } from '@deal-brain/shared/env/common-env';
import { ConfigError } from '@deal-brain/shared/env/config-error';
import { loadRepoDotEnv } from '@deal-brain/shared/env/dotenv';
import { envOneOf, envString, envWholeNumber } from '@deal-brain/shared/env/env-values';
import { parseEnv } from '@deal-brain/shared/env/parse-env';
import { isLoopbackHost } from '@deal-brain/shared/loopback';
import { z } from 'zod';
import { DEFAULT_POOL_MODE, POOL_MODES, type PoolMode } from './db/pool-mode.js';
import { PROXY_HEADERS, trustedProxies, type ProxyHeader } from './http/client-info.js';
import { MIN_OPERATION_COST, type RateLimitSettings } from './rate-limit/limits.js';

export type { AuthMode };
export { ConfigError };

export interface Config {
  nodeEnv: NodeEnv;
  host: string;
  port: number;
  logLevel: LogLevel;
  /** Where generated local state lives (embedded database, local signing key). Never committed. */
  dataDir: string;
  database: {
    /** Runtime connection as the authenticator role. Unset: the embedded PostgreSQL. */
    url: string | undefined;
    /** Migration connection as the schema owner. */
    ownerUrl: string | undefined;
    poolSize: number;
    /**
     * DATABASE_POOL_MODE: `session` (direct PostgreSQL or session pooling) keeps named prepared statements;
     * `transaction` (PgBouncer transaction pooling before 1.21) sends only unnamed ones (db/client.ts, ADR 0069).
     */
    poolMode: PoolMode;
    /**
     * DATABASE_LISTEN_URL: where the identity listener holds its LISTEN session (db/identity-listener.ts,
     * ADR 0071). Unset: DATABASE_URL in session pool mode; in transaction mode none, and no identity cache.
     */
    listenUrl: string | undefined;
    embeddedPort: number;
    /**
     * DB_STATEMENT_TIMEOUT_MS, DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: set with every transaction's RLS
     * context, transaction-locally (db/rls.ts, ADR 0061).
     */
    timeLimits: { statementTimeoutMs: number; idleInTransactionTimeoutMs: number };
  };
  auth: {
    mode: AuthMode;
    /** Origins allowed in a session token's `azp` claim. */
    authorizedParties: string[];
    clerk: {
      secretKey: string | undefined;
      publishableKey: string | undefined;
      /** PEM public key for networkless verification. */
      jwtKey: string | undefined;
      apiUrl: string | undefined;
    };
    /**
     * Svix signing secret of Clerk's webhook endpoint (whsec_...). Required in production; in local
     * mode unset means a generated one under the data directory, shared with the local provider.
     */
    webhookSigningSecret: string | undefined;
    /**
     * Entries kept in memory (0: none; ADR 0071): TOKEN_CACHE_SIZE verified session tokens, each until its
     * exp (auth/verified-token-cache.ts); IDENTITY_CACHE_SIZE users and API keys, each while the database's
     * change announcements are heard (auth/identity-cache.ts).
     */
    cacheSizes: { tokens: number; identities: number };
  };
  graphql: {
    /** Largest request body accepted, in bytes. */
    maxBodyBytes: number;
    maxDepth: number;
    maxTokens: number;
    /** Show the GraphiQL IDE at GET /graphql (never in production). */
    graphiql: boolean;
    /** GRAPHQL_REQUEST_TIMEOUT_MS: a request still running after this long is answered TIMEOUT (ADR 0061). */
    requestTimeoutMs: number;
  };
  shutdownTimeoutMs: number;
  /**
   * TRUSTED_PROXIES: IP addresses, CIDR ranges or `loopback` whose Forwarded / X-Forwarded-For headers
   * name the client (http/client-info.ts). Empty: trust nobody, the socket's peer is the client.
   */
  trustedProxies: string[];
  /**
   * TRUSTED_PROXY_HEADER: the one header those proxies write naming the client, `x-forwarded-for`
   * (default; nginx, AWS ALB, GCP) or `forwarded` (RFC 7239). The other is never read.
   */
  trustedProxyHeader: ProxyHeader;
  audit: {
    /** AUDIT_RETENTION_DAYS: npm run audit:prune deletes events older than this many days. */
    retentionDays: number;
  };
  /** RATE_LIMIT_*: budgets per window, shared by every instance through PostgreSQL (rate-limit/). */
  rateLimit: RateLimitSettings;
  users: {
    /** USER_PURGE_AFTER_DAYS: npm run users:purge deletes what users deleted longer ago than this owned. */
    purgeAfterDays: number;
  };
  /**
   * METRICS_*: /metrics on a listener of its own (http/metrics-route.ts, ADR 0068). `port` unset: no metrics
   * listener. The API's port never serves /metrics.
   */
  metrics: {
    port: number | undefined;
    host: string;
    /** A bearer token scrapers must send; required when `host` is not a loopback address. */
    token: string | undefined;
  };
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const envSchema = z.object({
  HOST: envString.transform((host) => host ?? '127.0.0.1'),
  PORT: envWholeNumber({ min: 0, max: 65535, fallback: 4000 }),
  DATA_DIR: envString,
  DATABASE_URL: envString,
  DATABASE_OWNER_URL: envString,
  DATABASE_POOL_SIZE: envWholeNumber({ min: 1, max: 200, fallback: 10 }),
  DATABASE_POOL_MODE: envOneOf(POOL_MODES, DEFAULT_POOL_MODE),
  DATABASE_LISTEN_URL: envString,
  IDENTITY_CACHE_SIZE: envWholeNumber({ min: 0, max: 1_000_000, fallback: 10_000 }),
  TOKEN_CACHE_SIZE: envWholeNumber({ min: 0, max: 1_000_000, fallback: 10_000 }),
  EMBEDDED_POSTGRES_PORT: envWholeNumber({ min: 1, max: 65535, fallback: 54329 }),
  DB_STATEMENT_TIMEOUT_MS: envWholeNumber({ min: 100, max: 600_000, fallback: 10_000 }),
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: envWholeNumber({ min: 100, max: 600_000, fallback: 10_000 }),
  CLERK_API_URL: envString,
  CLERK_WEBHOOK_SIGNING_SECRET: envString.pipe(
    z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, 'must be a Svix signing secret (whsec_...)')
      .optional(),
  ),
  GRAPHQL_MAX_BODY_BYTES: envWholeNumber({ min: 1024, max: 10_485_760, fallback: 102_400 }),
  GRAPHQL_MAX_DEPTH: envWholeNumber({ min: 2, max: 50, fallback: 10 }),
  GRAPHQL_MAX_TOKENS: envWholeNumber({ min: 100, max: 100_000, fallback: 2000 }),
  GRAPHQL_REQUEST_TIMEOUT_MS: envWholeNumber({ min: 100, max: 600_000, fallback: 30_000 }),
  SHUTDOWN_TIMEOUT_MS: envWholeNumber({ min: 0, max: 120_000, fallback: 10_000 }),
  TRUSTED_PROXIES: envString.transform((value, ctx) => {
    const entries = (value ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    try {
      trustedProxies(entries);
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        message: `must be comma-separated IP addresses, CIDR ranges or "loopback": ${(error as Error).message}`,
      });
      return z.NEVER;
    }
    return entries;
  }),
  TRUSTED_PROXY_HEADER: envString.transform((value, ctx) => {
    const header = (value ?? 'x-forwarded-for').toLowerCase();
    const known = PROXY_HEADERS.find((name) => name === header);
    if (known) return known;
    ctx.addIssue({ code: 'custom', message: `must be one of ${PROXY_HEADERS.join(', ')}, got "${value}"` });
    return z.NEVER;
  }),
  AUDIT_RETENTION_DAYS: envWholeNumber({ min: 1, max: 36_500, fallback: 365 }),
  // Defaults a real user never reaches (docs/rate-limits.md).
  RATE_LIMIT_WINDOW_SECONDS: envWholeNumber({ min: 1, max: 3600, fallback: 60 }),
  RATE_LIMIT_ADDRESS_POINTS: envWholeNumber({ min: 1, max: 100_000_000, fallback: 1200 }),
  RATE_LIMIT_AUTH_FAILURE_COST: envWholeNumber({ min: 1, max: 100_000, fallback: 10 }),
  // At least one request's minimum charge: a smaller budget would refuse every request.
  RATE_LIMIT_USER_POINTS: envWholeNumber({ min: MIN_OPERATION_COST, max: 1_000_000_000, fallback: 3_000_000 }),
  RATE_LIMIT_API_KEY_POINTS: envWholeNumber({ min: MIN_OPERATION_COST, max: 1_000_000_000, fallback: 1_500_000 }),
  USER_PURGE_AFTER_DAYS: envWholeNumber({ min: 1, max: 36_500, fallback: 30 }),
  METRICS_PORT: envWholeNumber({ min: 0, max: 65535 }),
  METRICS_HOST: envString.transform((host) => host ?? '127.0.0.1'),
  // Long enough that guessing is hopeless; compared in constant time (http/metrics-route.ts). One word: a
  // bearer token ends at whitespace, so one with a space inside could never match (the ends are trimmed).
  METRICS_TOKEN: envString.pipe(
    z
      .string()
      .min(16, 'must be at least 16 characters')
      .regex(/^\S+$/, 'must not contain whitespace (a bearer token is one word, so it could never match)')
      .optional(),
  ),
  ...commonEnvShape,
});

type Env = z.infer<typeof envSchema>;

/** Refuses configurations that would be unsafe in production. */
function assertProductionSafe(config: Config, env: Env): void {
  if (config.nodeEnv !== 'production') return;
  if (!config.auth.webhookSigningSecret) {
    throw new ConfigError(
      'CLERK_WEBHOOK_SIGNING_SECRET must be set in production (Clerk keeps users in sync by webhook)',
    );
  }
  if (!env.DATABASE_URL) {
    throw new ConfigError('DATABASE_URL must be set in production (the embedded database is for development)');
  }
}

/** The local identity provider hands out tokens for any identity, admin included, on request. */
function assertLocalModeIsLocal(config: Config): void {
  if (config.auth.mode === 'local' && !isLoopbackHost(config.host)) {
    throw new ConfigError(
      `AUTH_MODE=local serves tokens to anyone who can reach it: HOST must be a loopback address, not "${config.host}"`,
    );
  }
}

function assertClerkConfigured(config: Config): void {
  if (config.auth.mode !== 'clerk') return;
  const { secretKey, jwtKey } = config.auth.clerk;
  if (!secretKey && !jwtKey) {
    throw new ConfigError('AUTH_MODE=clerk needs CLERK_JWT_KEY (networkless) or CLERK_SECRET_KEY (JWKS)');
  }
}

/**
 * Metrics name routes, operations and failure reasons: never served to the world by accident. A listener
 * reachable from other machines needs a token, and it never shares the API's port.
 */
function assertMetricsNotPublic(config: Config): void {
  const { port, host, token } = config.metrics;
  if (port === undefined) return;
  if (port !== 0 && port === config.port) {
    throw new ConfigError(`METRICS_PORT must differ from PORT (${port}): /metrics is never served on the API's port`);
  }
  if (!isLoopbackHost(host) && !token) {
    throw new ConfigError(
      `METRICS_HOST "${host}" is reachable from other machines: set METRICS_TOKEN, or use a loopback address`,
    );
  }
}

/** A configuration that works but is not what production should run: logged at start-up (main.ts). */
export interface ConfigWarning {
  event: string;
  message: string;
}

export function configWarnings(config: Config): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  if (config.nodeEnv === 'production' && config.auth.mode === 'clerk' && !config.auth.clerk.jwtKey) {
    // JWKS mode needs Clerk's Backend API to verify: refetches are bounded (ADR 0062), but networkless is better.
    warnings.push({
      event: 'config.clerk_jwt_key_missing',
      message:
        'CLERK_JWT_KEY is not set: session tokens are verified with keys fetched from Clerk (JWKS mode). ' +
        'Set CLERK_JWT_KEY (Clerk Dashboard → API keys → JWT public key) to verify without calling Clerk.',
    });
  }
  return warnings;
}

/** Reads the process environment (and .env); pass an object instead to configure explicitly. */
export function loadConfig(env?: NodeJS.ProcessEnv): Config {
  if (!env) loadRepoDotEnv();
  return configFrom(env ?? process.env);
}

function configFrom(env: NodeJS.ProcessEnv): Config {
  const e = parseEnv(envSchema, env);
  const mode = resolveAuthMode(e);
  const config: Config = {
    nodeEnv: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    dataDir: path.resolve(repoRoot, e.DATA_DIR ?? '.data'),
    database: {
      url: e.DATABASE_URL,
      ownerUrl: e.DATABASE_OWNER_URL,
      poolSize: e.DATABASE_POOL_SIZE,
      poolMode: e.DATABASE_POOL_MODE,
      listenUrl: e.DATABASE_LISTEN_URL,
      embeddedPort: e.EMBEDDED_POSTGRES_PORT,
      timeLimits: {
        statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
        idleInTransactionTimeoutMs: e.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
      },
    },
    auth: {
      mode,
      authorizedParties: authorizedPartiesFor(e.CLERK_AUTHORIZED_PARTIES, e.NODE_ENV),
      clerk: {
        secretKey: e.CLERK_SECRET_KEY,
        publishableKey: e.CLERK_PUBLISHABLE_KEY,
        jwtKey: e.CLERK_JWT_KEY,
        apiUrl: e.CLERK_API_URL,
      },
      webhookSigningSecret: e.CLERK_WEBHOOK_SIGNING_SECRET,
      cacheSizes: { tokens: e.TOKEN_CACHE_SIZE, identities: e.IDENTITY_CACHE_SIZE },
    },
    graphql: {
      maxBodyBytes: e.GRAPHQL_MAX_BODY_BYTES,
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
      graphiql: e.NODE_ENV !== 'production',
      requestTimeoutMs: e.GRAPHQL_REQUEST_TIMEOUT_MS,
    },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    trustedProxies: e.TRUSTED_PROXIES,
    trustedProxyHeader: e.TRUSTED_PROXY_HEADER,
    audit: { retentionDays: e.AUDIT_RETENTION_DAYS },
    rateLimit: {
      windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS,
      addressPoints: e.RATE_LIMIT_ADDRESS_POINTS,
      authFailureCost: e.RATE_LIMIT_AUTH_FAILURE_COST,
      userPoints: e.RATE_LIMIT_USER_POINTS,
      apiKeyPoints: e.RATE_LIMIT_API_KEY_POINTS,
    },
    users: { purgeAfterDays: e.USER_PURGE_AFTER_DAYS },
    metrics: { port: e.METRICS_PORT, host: e.METRICS_HOST, token: e.METRICS_TOKEN },
  };
  assertProductionSafe(config, e);
  assertLocalModeIsLocal(config);
  assertClerkConfigured(config);
  assertMetricsNotPublic(config);
  return config;
}
