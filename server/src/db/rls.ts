// Row Level Security context for Prisma. Every operation runs in a transaction whose first
// statement switches to the viewer's database role and sets the viewer's id and role, all
// transaction-local, so a pooled connection never carries one request's identity into another.
import type { Prisma } from '#src/generated/prisma/client.js';
import type { Viewer } from '#src/auth/viewer.js';
import pg from 'pg';
import { CONTEXT_SQL } from './begin-with-context.js';
import { poolOf, type BasePrisma } from './client.js';

const { escapeLiteral } = pg;

export type DbRole = 'app_user' | 'app_admin' | 'app_sync';

/** The database role follows the role in our users table, never a token claim. */
export function dbRoleFor(viewer: Viewer): DbRole {
  return viewer.role === 'ADMIN' ? 'app_admin' : 'app_user';
}

type RawRunner = Pick<BasePrisma, '$executeRawUnsafe'> | Prisma.TransactionClient;

/**
 * One statement, one round trip: role, user id and user role, all local to the transaction. Also
 * generic plans for the transaction's prepared statements: PostgreSQL would otherwise re-plan
 * each call for its parameters, and planning is most of what an RLS policy costs. Our queries
 * filter by owner through an index either way; a plan is still rebuilt when the role changes.
 */
function setContext(runner: RawRunner, role: DbRole, userId: string, userRole: string) {
  return runner.$executeRawUnsafe(CONTEXT_SQL, role, userId, userRole);
}

/**
 * A client whose every operation (model queries and raw SQL alike) runs as `viewer` under RLS.
 * Each operation is its own transaction; use withRls for work that must be atomic.
 */
export function rlsClient(base: BasePrisma, viewer: Viewer) {
  const role = dbRoleFor(viewer);
  return base.$extends({
    name: 'rls',
    query: {
      async $allOperations({ args, query }) {
        const [, result] = await base.$transaction([setContext(base, role, viewer.userId, viewer.role), query(args)]);
        return result;
      },
    },
  });
}

/**
 * Several operations as `viewer` in ONE transaction: one BEGIN, one context statement and one
 * COMMIT for all of them instead of one each. `build` receives the base client to describe the
 * operations with; Prisma's operations are lazy, so nothing runs until the transaction does (an
 * operation awaited directly on it would run as the bare authenticator: permission denied).
 */
export async function rlsBatch<const T extends readonly Prisma.PrismaPromise<unknown>[]>(
  base: BasePrisma,
  viewer: Viewer,
  build: (db: BasePrisma) => T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const [, ...results] = await base.$transaction([
    setContext(base, dbRoleFor(viewer), viewer.userId, viewer.role),
    ...build(base),
  ]);
  return results as { -readonly [K in keyof T]: Awaited<T[K]> };
}

export type RlsClient = ReturnType<typeof rlsClient>;
export type Tx = Prisma.TransactionClient;

export interface TransactionOptions {
  /** Milliseconds the whole transaction may take (Prisma's default is 5 s). */
  timeout?: number;
}

function transactionAs<T>(
  base: BasePrisma,
  [role, userId, userRole]: [DbRole, string, string],
  fn: (tx: Tx) => Promise<T>,
  options: TransactionOptions,
): Promise<T> {
  return base.$transaction(async (tx) => {
    await setContext(tx, role, userId, userRole);
    return fn(tx);
  }, options);
}

/**
 * Runs `fn` in one interactive transaction as `viewer`: all its statements commit together or
 * not at all. (An interactive transaction on the extended client would not be atomic: each inner
 * operation would open its own wrapped transaction.)
 */
export function withRls<T>(
  base: BasePrisma,
  viewer: Viewer,
  fn: (tx: Tx) => Promise<T>,
  options: TransactionOptions = {},
) {
  return transactionAs(base, [dbRoleFor(viewer), viewer.userId, viewer.role], fn, options);
}

/**
 * Runs `fn` in one transaction as app_sync: the role of webhooks and just-in-time provisioning,
 * which may write users, webhook events and audit events and cannot read deal data.
 */
export function withSync<T>(base: BasePrisma, fn: (tx: Tx) => Promise<T>, options: TransactionOptions = {}) {
  return transactionAs(base, ['app_sync', '', 'SYNC'], fn, options);
}

/** SQL text whose interpolated values were all escaped as literals: see literalSql. */
export interface LiteralSql {
  readonly text: string;
}

/**
 * A tagged template for simple-protocol statements, which cannot carry parameters: every
 * interpolated value is escaped as a string literal (pg.escapeLiteral, safe whatever
 * standard_conforming_strings says).
 */
export function literalSql(strings: TemplateStringsArray, ...values: string[]): LiteralSql {
  return { text: strings.reduce((text, part, i) => text + escapeLiteral(values[i - 1]!) + part) };
}

/**
 * One read as app_sync in a single round trip: BEGIN, the role switch, the SELECT and COMMIT go
 * to the server as one simple-protocol message. For the per-request user lookup, where four
 * round trips through Prisma would cost more than the rest of a small request.
 */
export async function readAsSync<Row extends Record<string, unknown>>(
  base: BasePrisma,
  select: LiteralSql,
): Promise<Row[]> {
  const client = await poolOf(base).connect();
  try {
    const results = (await client.query(
      `BEGIN READ ONLY; SELECT set_config('role', 'app_sync', true); ${select.text}; COMMIT`,
    )) as unknown as pg.QueryResult<Row>[];
    client.release();
    return results[2]!.rows; // [BEGIN, set_config, select, COMMIT]
  } catch (error) {
    // The connection may be left inside the failed transaction: destroy it, never reuse it.
    client.release(error as Error);
    throw error;
  }
}
