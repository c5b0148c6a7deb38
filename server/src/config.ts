// The only reader of process.env in the server. Everything else receives a Config.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export type AuthMode = 'clerk' | 'local';

export interface Config {
  nodeEnv: 'development' | 'test' | 'production';
  host: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Where generated local state lives (embedded database, local signing key). Never committed. */
  dataDir: string;
  database: {
    /** Runtime connection as the authenticator role. Unset: the embedded PostgreSQL. */
    url: string | undefined;
    /** Migration connection as the schema owner. */
    ownerUrl: string | undefined;
    poolSize: number;
    embeddedPort: number;
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
  };
  graphql: {
    /** Largest request body accepted, in bytes. */
    maxBodyBytes: number;
    maxDepth: number;
    maxTokens: number;
    /** Show the GraphiQL IDE at GET /graphql (never in production). */
    graphiql: boolean;
  };
  shutdownTimeoutMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: optionalString,
  DATABASE_URL: optionalString,
  DATABASE_OWNER_URL: optionalString,
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  AUTH_MODE: z.enum(['clerk', 'local']).optional(),
  CLERK_AUTHORIZED_PARTIES: optionalString,
  CLERK_SECRET_KEY: optionalString,
  CLERK_PUBLISHABLE_KEY: optionalString,
  CLERK_JWT_KEY: optionalString,
  CLERK_API_URL: optionalString,
  CLERK_WEBHOOK_SIGNING_SECRET: optionalString.pipe(
    z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, 'must be a Svix signing secret (whsec_...)')
      .optional(),
  ),
  GRAPHQL_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(102_400),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(50).default(10),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100).max(100_000).default(2000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
});

type Env = z.infer<typeof envSchema>;

const LOCAL_WEB_ORIGIN = 'http://localhost:3000';

/** Local mode is the default only where nothing says otherwise: no Clerk keys, not production. */
function resolveAuthMode(env: Env): AuthMode {
  if (env.AUTH_MODE) return env.AUTH_MODE;
  const hasClerkKeys = Boolean(env.CLERK_SECRET_KEY || env.CLERK_JWT_KEY || env.CLERK_PUBLISHABLE_KEY);
  if (hasClerkKeys || env.NODE_ENV === 'production') return 'clerk';
  return 'local';
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

/** Refuses configurations that would be unsafe in production. */
function assertProductionSafe(config: Config, env: Env): void {
  if (config.nodeEnv !== 'production') return;
  if (config.auth.mode === 'local') {
    throw new ConfigError('AUTH_MODE=local is refused when NODE_ENV=production');
  }
  if (config.auth.authorizedParties.length === 0) {
    throw new ConfigError('CLERK_AUTHORIZED_PARTIES must be set in production');
  }
  if (!config.auth.webhookSigningSecret) {
    throw new ConfigError(
      'CLERK_WEBHOOK_SIGNING_SECRET must be set in production (Clerk keeps users in sync by webhook)',
    );
  }
  if (!env.DATABASE_URL) {
    throw new ConfigError('DATABASE_URL must be set in production (the embedded database is for development)');
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

/** The local identity provider hands out tokens for any identity, admin included, on request. */
function assertLocalModeIsLocal(config: Config): void {
  if (config.auth.mode === 'local' && !LOOPBACK_HOSTS.has(config.host)) {
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

/** A .env at the repository root, if present, fills variables the environment does not set. */
function loadDotEnv(): void {
  const file = path.join(repoRoot, '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}

/** Reads the process environment (and .env); pass an object instead to configure explicitly. */
export function loadConfig(env?: NodeJS.ProcessEnv): Config {
  if (!env) loadDotEnv();
  return configFrom(env ?? process.env);
}

function configFrom(env: NodeJS.ProcessEnv): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid environment: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  const mode = resolveAuthMode(e);
  const configuredParties = parseOrigins(e.CLERK_AUTHORIZED_PARTIES);
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
      embeddedPort: e.EMBEDDED_POSTGRES_PORT,
    },
    auth: {
      mode,
      authorizedParties: configuredParties.length > 0 || mode === 'clerk' ? configuredParties : [LOCAL_WEB_ORIGIN],
      clerk: {
        secretKey: e.CLERK_SECRET_KEY,
        publishableKey: e.CLERK_PUBLISHABLE_KEY,
        jwtKey: e.CLERK_JWT_KEY?.replace(/\\n/g, '\n'),
        apiUrl: e.CLERK_API_URL,
      },
      webhookSigningSecret: e.CLERK_WEBHOOK_SIGNING_SECRET,
    },
    graphql: {
      maxBodyBytes: e.GRAPHQL_MAX_BODY_BYTES,
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
      graphiql: e.NODE_ENV !== 'production',
    },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  };
  assertProductionSafe(config, e);
  assertLocalModeIsLocal(config);
  assertClerkConfigured(config);
  return config;
}
