// rate-limiter-flexible's PostgreSQL store, on the request path's own pool. The pool logs in as
// authenticator, which may do nothing by itself; each of the store's statements runs in a transaction
// of its own that first switches to app_rate_limit, transaction-locally (pipelined-context.ts sends
// BEGIN, the switch, the statement and COMMIT in one round trip). app_rate_limit may touch the
// rate_limits table and nothing else. No session-level SET: it works through a transaction-mode pooler.
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import { runWithDbContext, DEFAULT_TIME_LIMITS, type DbContext } from '#src/db/context-scope.js';
import { poolOf, type BasePrisma } from '#src/db/client.js';

/** The table of migration 20261207003000_rate_limits (model RateLimit). */
export const RATE_LIMIT_TABLE = 'rate_limits';

/** A counter update is one indexed upsert: a second is far more than it ever needs. */
const LIMITER_CONTEXT: DbContext = {
  role: 'app_rate_limit',
  userId: '',
  userRole: 'RATE_LIMIT',
  limits: { ...DEFAULT_TIME_LIMITS, statementTimeoutMs: 2_000 },
};

interface StoreQuery {
  name?: string;
  text: string;
  values?: unknown[];
}

/**
 * The store client contract RateLimiterPostgres uses (`storeType: 'client'`): `query({ name, text,
 * values })` answering pg's result. Every statement runs as app_rate_limit.
 */
export function rateLimitStoreClient(base: BasePrisma) {
  const pool = poolOf(base);
  return {
    query: ({ name, text, values }: StoreQuery) =>
      runWithDbContext(LIMITER_CONTEXT, () => pool.query({ ...(name ? { name } : {}), text, values: values ?? [] })),
  };
}

export interface LimiterShape {
  keyPrefix: string;
  points: number;
  durationSeconds: number;
}

/** A limiter whose counters live in PostgreSQL, shared by every server instance on the database. */
export function postgresLimiter(storeClient: ReturnType<typeof rateLimitStoreClient>, shape: LimiterShape) {
  return new RateLimiterPostgres({
    storeClient,
    storeType: 'client',
    tableName: RATE_LIMIT_TABLE,
    // The migration created it: the role has no right to, and must not try.
    tableCreated: true,
    keyPrefix: shape.keyPrefix,
    points: shape.points,
    duration: shape.durationSeconds,
  });
}
