// One round trip fewer per RLS transaction. Prisma's driver adapter opens a transaction with
// BEGIN and then sends our context statement, and pg waits for each answer before sending the
// next. On every pooled connection, BEGIN is held back and, when the context statement follows,
// both go to PostgreSQL as one simple-protocol message (the context values inlined as escaped
// literals). Anything else after a held BEGIN is sent exactly as before: BEGIN, then it.
import pg from 'pg';

/** The context statement (rls.ts): its exact text is how it is recognised here. */
export const CONTEXT_SQL =
  "SELECT set_config('role', $1, true), set_config('app.current_user_id', $2, true), " +
  "set_config('app.current_user_role', $3, true), set_config('plan_cache_mode', 'force_generic_plan', true)";

interface QueryConfig {
  text?: unknown;
  values?: unknown[];
  rowMode?: unknown;
  types?: unknown;
}

type Send = (config: unknown, ...rest: unknown[]) => unknown;

const notSent = (command: string): Promise<pg.QueryResult> =>
  Promise.resolve({ command, rowCount: null, oid: 0, rows: [], fields: [] });

function contextWithBegin(values: unknown[]): string {
  const literals = values.map((value) => pg.escapeLiteral(String(value)));
  // One pass, and a function replacer: a value can never be read as another placeholder or as a
  // replacement pattern like $&.
  return `BEGIN; ${CONTEXT_SQL.replace(/\$([123])/g, (_match, n: string) => literals[Number(n) - 1]!)}`;
}

/** A query given as one config object, answered by a promise (how Prisma's adapter calls). */
function isPlainConfig(config: unknown, rest: unknown[]): config is QueryConfig {
  return rest.length === 0 && typeof config === 'object' && config !== null && !('submit' in config);
}

/** Connections whose BEGIN is held back, not yet sent. */
const beginHeld = new WeakSet<pg.PoolClient>();

/** Sends the held BEGIN ahead of `config` (pg keeps the order); a failed BEGIN fails the query. */
function sendAfterBegin(send: Send, config: unknown, rest: unknown[]): unknown {
  const begun = send({ text: 'BEGIN' }) as Promise<unknown>;
  const result = send(config, ...rest);
  if (result instanceof Promise) return Promise.all([begun, result]).then(([, answer]) => answer);
  begun.catch(() => {}); // a callback or stream query reports a broken connection itself
  return result;
}

function patch(client: pg.PoolClient): void {
  const send = client.query.bind(client) as Send;
  const query: Send = (config, ...rest) => {
    const plain = isPlainConfig(config, rest);
    if (!beginHeld.has(client)) {
      if (plain && config.text === 'BEGIN') {
        beginHeld.add(client);
        return notSent('BEGIN');
      }
      return send(config, ...rest);
    }
    beginHeld.delete(client);
    if (plain && config.text === CONTEXT_SQL && config.values?.length === 3) {
      const merged = { text: contextWithBegin(config.values), rowMode: config.rowMode, types: config.types };
      return (send(merged) as Promise<pg.QueryResult[]>).then((results) => results[1]);
    }
    // A transaction that ends before it did anything never needs to have begun.
    if (plain && (config.text === 'COMMIT' || config.text === 'ROLLBACK')) return notSent(config.text);
    return sendAfterBegin(send, config, rest);
  };
  (client as unknown as { query: Send }).query = query;
}

/**
 * Applies to every connection of `pool`. A connection goes back to the pool with nothing held:
 * a BEGIN that was never sent must not be sent ahead of the next borrower's query.
 */
export function mergeBeginWithContext(pool: pg.Pool): void {
  pool.on('connect', patch);
  pool.on('release', (_error: Error | undefined, client: pg.PoolClient) => beginHeld.delete(client));
}
