// The database identity of one RLS client operation, carried to the connection pool through
// AsyncLocalStorage (see pipelined-context.ts). Only rls.ts opens a scope, and only around ONE
// operation that Prisma runs in its caller's own async chain; operations Prisma may merge with
// other callers' (dispatched from a shared tick) never run inside a scope: docs/decisions/0005, 0034.
import { AsyncLocalStorage } from 'node:async_hooks';

export type DbRole = 'app_user' | 'app_admin' | 'app_sync' | 'app_auth' | 'app_rate_limit';

/**
 * How long PostgreSQL lets one statement run, and a transaction sit idle between statements, in
 * milliseconds: set with the rest of the context, transaction-locally (ADR 0061). A role-level setting
 * (ALTER ROLE … SET) would not do: PostgreSQL applies those at login, for the login role, and SET ROLE
 * does not apply the target role's.
 */
export interface TimeLimits {
  statementTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
}

/** Well above any statement or pause a real request makes; an admin action's Clerk wait gets its own. */
export const DEFAULT_TIME_LIMITS: Readonly<TimeLimits> = Object.freeze({
  statementTimeoutMs: 10_000,
  idleInTransactionTimeoutMs: 10_000,
});

/** What a transaction is switched to before its first statement: all transaction-local. */
export interface DbContext {
  role: DbRole;
  /** Empty for app_sync and app_auth, which act for no user. */
  userId: string;
  userRole: string;
  limits: TimeLimits;
}

const scope = new AsyncLocalStorage<DbContext>();

/** Runs `fn`; statements it sends outside a transaction of its own run as `context`. */
export function runWithDbContext<T>(context: DbContext, fn: () => Promise<T>): Promise<T> {
  return scope.run(context, fn);
}

/** The context of the operation that is sending a statement, if it runs in a scope. */
export function activeDbContext(): DbContext | undefined {
  return scope.getStore();
}

/** The context statement's parameters, in order (CONTEXT_SQL, pipelined-context.ts). */
export function contextValues(context: DbContext): [string, string, string, string, string] {
  const { statementTimeoutMs, idleInTransactionTimeoutMs } = context.limits;
  return [
    context.role,
    context.userId,
    context.userRole,
    String(statementTimeoutMs),
    String(idleInTransactionTimeoutMs),
  ];
}
