// Row Level Security context in the same round trip as the statement it guards. Every statement
// of a viewer runs in a transaction whose first statement sets the role, user id and user role,
// and its time limits (statement_timeout, idle_in_transaction_session_timeout), all transaction-local.
// Sent one at a time, BEGIN, that context statement, the query and COMMIT
// cost four round trips, each a full wait; here they go to PostgreSQL together through
// node-postgres' pipeline mode, so a read as the viewer costs one round trip, like a plain query.
//
// A statement's context arrives in one of two ways:
// - in-band: the transaction's first statement is CONTEXT_SQL itself (withRls, withSync, and the
//   operations rls.ts runs as a transaction). BEGIN and the context are held back, answered
//   without a trip, and sent together with the transaction's next statement;
// - scoped: the RLS client runs an operation inside runWithDbContext (context-scope.ts). A
//   statement Prisma then sends outside a transaction goes out as BEGIN, context, statement,
//   COMMIT; a transaction Prisma opens for a multi-statement operation begins with that context.
// With neither, a statement runs as the bare authenticator, which may do nothing: it fails closed.
// Every checkout from the pool is a lease (lease()): once released, it can send nothing more.
// Pool mode `transaction` (ADR 0069): nothing is sent as a named statement, the context included.
import pg from 'pg';
import { activeDbContext, contextValues } from './context-scope.js';
import { DEFAULT_POOL_MODE, type PoolMode } from './pool-mode.js';

/** The context statement (rls.ts): its exact text is how it is recognised here. */
export const CONTEXT_SQL =
  "SELECT set_config('role', $1, true), set_config('app.current_user_id', $2, true), " +
  "set_config('app.current_user_role', $3, true), set_config('plan_cache_mode', 'force_generic_plan', true), " +
  "set_config('statement_timeout', $4, true), set_config('idle_in_transaction_session_timeout', $5, true)";

/** Role, user id, user role, statement timeout and idle-in-transaction timeout (context-scope.ts). */
const CONTEXT_PARAMETERS = 5;

/** Parsed once per connection, then only bound and executed (pool mode `session` only). */
const CONTEXT_STATEMENT = 'rls_context';

interface QueryConfig {
  text?: unknown;
  values?: unknown[];
}

type Send = (config: unknown, ...rest: unknown[]) => unknown;
type ConnectCallback = (
  error: Error | undefined,
  client: pg.PoolClient | undefined,
  done: (release?: Error | boolean) => void,
) => void;

/** A query given as one config object, answered by a promise (how Prisma's adapter calls). */
function isPlainConfig(config: unknown, rest: unknown[]): config is QueryConfig {
  return rest.length === 0 && typeof config === 'object' && config !== null && !('submit' in config);
}

function contextStatement(values: readonly unknown[], named: boolean): pg.QueryConfig {
  return { ...(named ? { name: CONTEXT_STATEMENT } : {}), text: CONTEXT_SQL, values: [...values] };
}

/**
 * The query without its statement name. A transaction-mode PgBouncer before 1.21 may run the next
 * transaction on another server connection, where a statement prepared by name does not exist
 * ("prepared statement ... does not exist"); an unnamed one is parsed anew with each execution.
 * rate-limiter-flexible names its statements; Prisma does not when given no statementNameGenerator.
 */
function withoutName(config: unknown): unknown {
  if (typeof config !== 'object' || config === null || 'submit' in config || !('name' in config)) return config;
  const copy: Record<string, unknown> = { ...config };
  delete copy.name;
  return copy;
}

const answered = (command: string, rowCount: number | null = null): Promise<pg.QueryResult> =>
  Promise.resolve({ command, rowCount, oid: 0, rows: [], fields: [] });

/**
 * Sends `configs` back to back, without waiting between them, and answers with the result of the
 * one at `answer`. The first failure in sending order is the one reported: after a failed
 * context statement the query fails only because the transaction is aborted.
 */
async function pipelined(
  client: pg.PoolClient,
  send: Send,
  configs: readonly unknown[],
  answer: number,
): Promise<pg.QueryResult> {
  // One write for all of them instead of one per statement, as pg corks a single query's messages.
  const { stream } = (client as unknown as { connection: { stream: import('node:net').Socket } }).connection;
  stream.cork();
  let answers: Promise<pg.QueryResult>[];
  try {
    answers = configs.map((config) => send(config) as Promise<pg.QueryResult>);
  } finally {
    stream.uncork();
  }
  const settled = await Promise.allSettled(answers);
  const failed = settled.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
  return (settled[answer] as PromiseFulfilledResult<pg.QueryResult>).value;
}

/** A transaction begun but not yet sent, with the context it is to start with, if known yet. */
interface HeldBegin {
  context: readonly unknown[] | undefined;
}

const held = new WeakMap<pg.PoolClient, HeldBegin>();
/** Each pooled connection's own, unpatched query. */
const unpatched = new WeakMap<pg.PoolClient, Send>();

function patch(client: pg.PoolClient, named: boolean): void {
  const send = client.query.bind(client) as Send;
  unpatched.set(client, send);
  const query: Send = (given, ...rest) => {
    const config = named ? given : withoutName(given);
    const plain = isPlainConfig(config, rest);
    const begun = held.get(client);
    if (!begun) {
      if (plain && config.text === 'BEGIN') {
        const scoped = activeDbContext();
        held.set(client, { context: scoped && contextValues(scoped) });
        return answered('BEGIN');
      }
      return send(config, ...rest);
    }
    if (plain && config.text === CONTEXT_SQL && config.values?.length === CONTEXT_PARAMETERS) {
      begun.context = config.values; // in-band: it wins over a scope
      return answered('SELECT', 1);
    }
    held.delete(client);
    // A transaction that ends before it did anything never needs to have begun.
    if (plain && (config.text === 'COMMIT' || config.text === 'ROLLBACK')) return answered(config.text);
    const opening = begun.context ? ['BEGIN', contextStatement(begun.context, named)] : ['BEGIN'];
    if (plain) return pipelined(client, send, [...opening, config], opening.length);
    // A callback or stream query: pg keeps the order; if the opening fails, so does the query.
    for (const statement of opening) (send(statement) as Promise<unknown>).catch(() => {});
    return send(config, ...rest);
  };
  (client as unknown as { query: Send }).query = query;
}

/** One statement in a transaction of its own, as the scope's context: one round trip. */
async function queryInScope(
  connect: () => Promise<pg.PoolClient>,
  context: readonly unknown[],
  config: QueryConfig,
  named: boolean,
) {
  const client = await connect();
  // A connection that breaks mid-query rejects its queries and also emits 'error': unheard, that
  // event would crash the process (pg-pool listens only while a connection is idle).
  const ignoreBrokenConnection = () => {};
  client.on('error', ignoreBrokenConnection);
  let failure: unknown;
  try {
    const send = unpatched.get(client)!; // patched on connect, before the pool hands it out
    const statement = named ? config : withoutName(config);
    return await pipelined(client, send, ['BEGIN', contextStatement(context, named), statement, 'COMMIT'], 2);
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    client.removeListener('error', ignoreBrokenConnection);
    // A statement PostgreSQL refused ends its transaction (COMMIT answers ROLLBACK) and leaves the
    // connection idle: keep it. Anything else, a broken connection say, takes it out of the pool.
    const clean =
      failure === undefined || (failure instanceof pg.DatabaseError && client.getTransactionStatus() === 'I');
    client.release(clean ? undefined : (failure as Error));
  }
}

const alreadyReleased = () => new Error('query on a database connection already released to the pool');

/**
 * The connection as one borrower sees it: once released, its queries fail. Prisma can send the
 * rest of a plan after its transaction timed out and released the connection; the same connection
 * may by then carry the next borrower's held BEGIN and context, and the late statement would run
 * as that borrower.
 */
function lease(client: pg.PoolClient): pg.PoolClient {
  const release = client.release; // this checkout's: the next one gets another
  let released = false;
  const leased = {
    release(error?: Error | boolean) {
      released = true;
      release(error);
    },
    query(config: unknown, ...rest: unknown[]) {
      if (!released) return (client.query as Send).call(client, config, ...rest);
      const callback = rest.at(-1);
      if (typeof callback !== 'function') return Promise.reject(alreadyReleased());
      process.nextTick(callback as (error: Error) => void, alreadyReleased());
      return undefined;
    },
  };
  const proxy: pg.PoolClient = new Proxy(client, {
    get(target, property) {
      if (property === 'release' || property === 'query') return leased[property];
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      // Chained methods (on, once, removeListener…) hand back the lease, never the connection.
      return (...args: unknown[]) => {
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        return result === target ? proxy : result;
      };
    },
    set(target, property, value) {
      // Replacing query or release on the lease would replace them for every later borrower.
      if (property === 'release' || property === 'query') return false;
      return Reflect.set(target, property, value, target);
    },
  });
  return proxy;
}

/**
 * Applies to every connection of `pool`, which should be in pipeline mode (client.ts); without
 * it the same statements are sent in the same order, one round trip each. A connection goes back
 * to the pool with nothing held: a BEGIN never sent must not precede the next borrower's query.
 * `poolMode` `transaction`: every statement goes out unnamed (withoutName).
 */
export function pipelineContext(pool: pg.Pool, poolMode: PoolMode = DEFAULT_POOL_MODE): void {
  const named = poolMode === 'session';
  pool.on('connect', (client: pg.PoolClient) => patch(client, named));
  pool.on('release', (_error: Error | undefined, client: pg.PoolClient) => held.delete(client));
  const connect = pool.connect.bind(pool) as (callback?: ConnectCallback) => Promise<pg.PoolClient> | undefined;
  const leasedConnect = (callback?: ConnectCallback) => {
    if (!callback) return (connect() as Promise<pg.PoolClient>).then(lease);
    return connect((error, client, done) => {
      const leased = client && lease(client);
      callback(error, leased, leased ? leased.release : done); // done must end the lease too
    });
  };
  (pool as unknown as { connect: typeof leasedConnect }).connect = leasedConnect;
  const poolQuery = pool.query.bind(pool) as Send;
  const query: Send = (config, ...rest) => {
    const scoped = activeDbContext();
    if (!scoped || !isPlainConfig(config, rest)) return poolQuery(config, ...rest);
    return queryInScope(() => connect() as Promise<pg.PoolClient>, contextValues(scoped), config, named);
  };
  (pool as unknown as { query: Send }).query = query;
}
