// The Prisma client of the request path: it connects as the authenticator role, which has no
// privileges of its own. Used directly it can do nothing; every use goes through the RLS
// extension (rls.ts) or a role-switching transaction (withRls, withSync).
import { createHash } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '#src/generated/prisma/client.js';
import { DEFAULT_TIME_LIMITS, type TimeLimits } from './context-scope.js';
import { pipelineContext } from './pipelined-context.js';
import { DEFAULT_POOL_MODE, type PoolMode } from './pool-mode.js';

export type BasePrisma = PrismaClient;

const pools = new WeakMap<BasePrisma, pg.Pool>();
const timeLimits = new WeakMap<BasePrisma, TimeLimits>();

/**
 * Named prepared statements: PostgreSQL parses and plans each distinct statement once per
 * connection instead of on every call, which matters most for RLS policies (their planning is
 * most of their cost). Names are derived from the SQL text, so they are stable and bounded by
 * the number of distinct statements Prisma generates.
 */
function statementName(query: { sql: string }): string {
  return `s_${createHash('sha1').update(query.sql).digest('hex').slice(0, 24)}`;
}

const CONNECT_TIMEOUT_MS = 5_000;

/**
 * `limits`: the statement and idle-in-transaction timeouts every transaction of this client gets with
 * its RLS context (rls.ts; DB_STATEMENT_TIMEOUT_MS, DB_IDLE_IN_TRANSACTION_TIMEOUT_MS).
 * `poolMode` (DATABASE_POOL_MODE, ADR 0069): `transaction` behind a transaction-mode PgBouncer older than
 * 1.21, which cannot keep a named statement on the server connection that prepared it: every statement,
 * Prisma's and the RLS context alike, is then sent unnamed (parsed and planned on every call).
 */
export function createBasePrisma(
  url: string,
  poolSize: number,
  limits: TimeLimits = DEFAULT_TIME_LIMITS,
  poolMode: PoolMode = DEFAULT_POOL_MODE,
): BasePrisma {
  // A database that does not answer fails a request after this long instead of holding it forever
  // (webhooks then answer 503 in time for Svix to retry; GraphQL answers 503 SERVICE_UNAVAILABLE).
  // Pipeline mode: statements handed to a connection together go out without waiting for each
  // other's answers (pipelined-context.ts sends a viewer's context that way). Statements sent one
  // after another, as Prisma sends a transaction's, behave exactly as without it.
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    pipeline: true,
  });
  // An idle connection the server closed (restart, idle timeout) is an 'error' event on the pool;
  // unheard, it would crash the process. pg drops that connection and opens a new one on demand.
  pool.on('error', () => {});
  pipelineContext(pool, poolMode);
  const named = poolMode === 'session' ? { statementNameGenerator: statementName } : {};
  const adapter = new PrismaPg(pool, { ...named, disposeExternalPool: true });
  const prisma = new PrismaClient({ adapter });
  pools.set(prisma, pool);
  timeLimits.set(prisma, { ...limits });
  return prisma;
}

/** The time limits a base client's transactions run under. */
export function timeLimitsOf(base: BasePrisma): TimeLimits {
  const limits = timeLimits.get(base);
  if (!limits) throw new Error('timeLimitsOf: not a client from createBasePrisma');
  return limits;
}

/** The pg pool under a base client, for the few statements sent without Prisma. */
export function poolOf(base: BasePrisma): pg.Pool {
  const pool = pools.get(base);
  if (!pool) throw new Error('poolOf: not a client from createBasePrisma');
  return pool;
}

/** Disconnects Prisma and ends the pool, also when Prisma never opened it. */
export async function closeBasePrisma(base: BasePrisma): Promise<void> {
  await base.$disconnect();
  const pool = poolOf(base);
  if (!pool.ended) await pool.end();
}
