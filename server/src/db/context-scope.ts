// The database identity of one RLS client operation, carried to the connection pool through
// AsyncLocalStorage (see pipelined-context.ts). Only rls.ts opens a scope, and only around ONE
// operation that Prisma runs in its caller's own async chain; operations Prisma may merge with
// other callers' (dispatched from a shared tick) never run inside a scope: docs/decisions/0005, 0034.
import { AsyncLocalStorage } from 'node:async_hooks';

export type DbRole = 'app_user' | 'app_admin' | 'app_sync';

/** What a transaction is switched to before its first statement: all transaction-local. */
export interface DbContext {
  role: DbRole;
  /** Empty for app_sync, which acts for no user. */
  userId: string;
  userRole: string;
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

/** The context statement's parameters, in order. */
export function contextValues(context: DbContext): [string, string, string] {
  return [context.role, context.userId, context.userRole];
}
