// Row Level Security context for Prisma. Every operation runs in a transaction whose first
// statement switches to the viewer's database role and sets the viewer's id and role, all
// transaction-local, so a pooled connection never carries one request's identity into another.
// The same statement sets the transaction's time limits (statement_timeout,
// idle_in_transaction_session_timeout; ADR 0061): a role-level setting would not survive SET ROLE.
// pipelined-context.ts sends that statement in the same round trip as the operation's own.
import type { Prisma } from '#src/generated/prisma/client.js';
import type { Viewer } from '#src/auth/viewer.js';
import { contextValues, runWithDbContext, type DbContext, type DbRole, type TimeLimits } from './context-scope.js';
import { CONTEXT_SQL } from './pipelined-context.js';
import { poolOf, timeLimitsOf, type BasePrisma } from './client.js';

export type { DbRole, TimeLimits } from './context-scope.js';

/**
 * The database role follows the role in our users table, never a token claim. An API key's
 * requests are always app_user, even an admin's key: a key never reaches what only admins read.
 */
export function dbRoleFor(viewer: Viewer): DbRole {
  return viewer.role === 'ADMIN' && viewer.credential.kind === 'session' ? 'app_admin' : 'app_user';
}

export function dbContextFor(viewer: Viewer, limits: TimeLimits): DbContext {
  const role = dbRoleFor(viewer);
  return { role, userId: viewer.userId, userRole: role === 'app_admin' ? 'ADMIN' : 'USER', limits };
}

function syncContext(limits: TimeLimits): DbContext {
  return { role: 'app_sync', userId: '', userRole: 'SYNC', limits };
}

/** The viewer lookup's: app_auth reads who a caller is and may write nothing (ADR 0064). */
function authContext(limits: TimeLimits): DbContext {
  return { role: 'app_auth', userId: '', userRole: 'AUTH', limits };
}

/** Told how long each RLS transaction of a base client took, in seconds, by role (metrics.ts). */
export type RlsTransactionObserver = (role: DbRole, seconds: number) => void;

const observers = new WeakMap<BasePrisma, RlsTransactionObserver>();

/** Reports every RLS transaction `base` runs from now on to `observer` (one per client; app.ts). */
export function observeRlsTransactions(base: BasePrisma, observer: RlsTransactionObserver): void {
  observers.set(base, observer);
}

/**
 * Times `run` for `role`, from now to its end, failed or not. Call it once the transaction has its
 * connection where that moment is visible here (transactionAs); a single operation's checkout happens inside
 * the pool, so its time includes any wait for a connection (docs/observability.md).
 */
async function timed<T>(base: BasePrisma, role: DbRole, run: () => Promise<T>): Promise<T> {
  const observer = observers.get(base);
  if (!observer) return run();
  const started = process.hrtime.bigint();
  try {
    return await run();
  } finally {
    observer(role, Number(process.hrtime.bigint() - started) / 1e9);
  }
}

type RawRunner = Pick<BasePrisma, '$executeRawUnsafe'> | Prisma.TransactionClient;

/**
 * One statement: role, user id and user role, all local to the transaction. Also generic plans
 * for the transaction's prepared statements: PostgreSQL would otherwise re-plan each call for its
 * parameters, and planning is most of what an RLS policy costs. Our queries filter by owner
 * through an index either way; a plan is still rebuilt when the role changes.
 */
function setContext(runner: RawRunner, context: DbContext) {
  return runner.$executeRawUnsafe(CONTEXT_SQL, ...contextValues(context));
}

/**
 * Operations Prisma runs in their caller's own async chain, one query plan each: their context
 * travels in a scope. Anything else (findUnique and findUniqueOrThrow, which Prisma merges with
 * other callers' in the same tick and dispatches from whichever came first; and any operation
 * this list does not know) carries its context in-band, as its transaction's first statement.
 */
const SCOPED_OPERATIONS: ReadonlySet<string> = new Set([
  'findMany',
  'findFirst',
  'findFirstOrThrow',
  'count',
  'aggregate',
  'groupBy',
  'create',
  'createMany',
  'createManyAndReturn',
  'update',
  'updateMany',
  'updateManyAndReturn',
  'upsert',
  'delete',
  'deleteMany',
  '$queryRaw',
  '$executeRaw',
  '$queryRawUnsafe',
  '$executeRawUnsafe',
]);

/**
 * True when Prisma runs the operation as part of a $transaction (batch or interactive). Prisma
 * queues such operations and dispatches them from one shared tick: inside a scope, that tick would
 * carry this viewer's context to every other caller's queued operations.
 */
function joinsTransaction(params: object): boolean {
  const internal = (params as { __internalParams?: { transaction?: unknown } }).__internalParams;
  return internal?.transaction !== undefined;
}

/**
 * A client whose every operation (model queries and raw SQL alike) runs as `viewer` under RLS.
 * Each operation is its own transaction; use withRls for work that must be atomic. Its
 * $transaction is refused: it would not be atomic either (each operation is a transaction).
 * Extend the base client, never this one: a query extension added on top would run inside the
 * viewer's scope, and anything it started there (a findUnique, a base-client call) with it.
 */
export function rlsClient(base: BasePrisma, viewer: Viewer, deadline?: AbortSignal) {
  const context = dbContextFor(viewer, timeLimitsOf(base));
  return base.$extends({
    name: 'rls',
    query: {
      async $allOperations(params) {
        const { operation, args, query } = params;
        if (joinsTransaction(params)) {
          throw new Error(`${operation}: the RLS client does not join transactions; use withRls`);
        }
        // A request past its deadline starts nothing more (http/graphql-route.ts).
        deadline?.throwIfAborted();
        // Awaited inside the scope: Prisma's operations are lazy and start when awaited.
        if (SCOPED_OPERATIONS.has(operation)) {
          return timed(base, context.role, () => runWithDbContext(context, async () => await query(args)));
        }
        const [, result] = await timed(base, context.role, () =>
          base.$transaction([setContext(base, context), query(args)]),
        );
        return result;
      },
    },
  });
}

export type RlsClient = ReturnType<typeof rlsClient>;
export type Tx = Prisma.TransactionClient;

export interface TransactionOptions {
  /**
   * Milliseconds the whole transaction may take (Prisma's default is 5 s). A transaction given more
   * than the idle-in-transaction limit may also sit idle that long: an admin action waits on Clerk
   * with its transaction open (modules/admin), and PostgreSQL must not end the session meanwhile.
   */
  timeout?: number;
  /**
   * The request's deadline: once aborted, the transaction does not start, or rolls back instead of
   * committing (its reason, a TIMEOUT error, is what it throws).
   */
  signal?: AbortSignal;
}

/**
 * The limits of one transaction: the client's, with the idle-in-transaction limit raised to the
 * transaction's own timeout when it declares a longer one (an admin action waiting on Clerk). Prisma
 * rolls back at that timeout in any case; the server-side limit is the backstop for a client that
 * went away. A transaction declaring no timeout keeps the configured limit.
 */
export function transactionLimits(limits: TimeLimits, options: TransactionOptions): TimeLimits {
  const { timeout } = options;
  if (timeout === undefined || timeout <= limits.idleInTransactionTimeoutMs) return limits;
  return { ...limits, idleInTransactionTimeoutMs: timeout };
}

function transactionAs<T>(
  base: BasePrisma,
  context: DbContext,
  fn: (tx: Tx) => Promise<T>,
  options: TransactionOptions,
): Promise<T> {
  const { signal, timeout } = options;
  signal?.throwIfAborted();
  const limited = { ...context, limits: transactionLimits(context.limits, options) };
  // Prisma calls back once the transaction has its connection: the time spent waiting for one is not counted.
  let started: bigint | undefined;
  const transaction = base.$transaction(
    async (tx) => {
      started = process.hrtime.bigint();
      await setContext(tx, limited);
      const result = await fn(tx);
      // Past the deadline the client has its answer already (TIMEOUT): roll back, never commit.
      signal?.throwIfAborted();
      return result;
    },
    timeout === undefined ? {} : { timeout },
  );
  const observer = observers.get(base);
  if (!observer) return transaction;
  const observe = () => {
    if (started !== undefined) observer(context.role, Number(process.hrtime.bigint() - started) / 1e9);
  };
  return transaction.finally(observe);
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
  return transactionAs(base, dbContextFor(viewer, timeLimitsOf(base)), fn, options);
}

/**
 * Runs `fn` in one transaction as app_sync: the role of webhooks and just-in-time provisioning,
 * which may write users, webhook events and audit events and cannot read deal data.
 */
export function withSync<T>(base: BasePrisma, fn: (tx: Tx) => Promise<T>, options: TransactionOptions = {}) {
  return transactionAs(base, syncContext(timeLimitsOf(base)), fn, options);
}

/**
 * One read as app_auth in a single round trip, through pg without Prisma: BEGIN, the role
 * switch, the SELECT and COMMIT go to the server together. For the per-request viewer lookup
 * (users by clerk id, API keys by prefix), where Prisma's own work would cost more than the rest of
 * a small request. app_auth may read only what that lookup needs, and write nothing: ADR 0064.
 */
export async function readAsAuth<Row extends Record<string, unknown>>(
  base: BasePrisma,
  select: { text: string; values: unknown[] },
): Promise<Row[]> {
  const context = authContext(timeLimitsOf(base));
  const result = await timed(base, context.role, () =>
    runWithDbContext(context, () => poolOf(base).query<Row>(select)),
  );
  return result.rows;
}
