// How the request path's connections reach PostgreSQL (DATABASE_POOL_MODE, ADR 0069). Its own module so
// config.ts can name the modes without loading the database client.

/**
 * - `session`: each pool connection is one PostgreSQL session (direct, or a session-mode pooler). Named
 *   prepared statements stay on the connection that prepared them: parsed and planned once per connection.
 * - `transaction`: a transaction-mode pooler (PgBouncer before 1.21) may hand each transaction to another
 *   server connection, where a statement prepared earlier does not exist. Only unnamed statements are sent.
 */
export const POOL_MODES = ['session', 'transaction'] as const;

export type PoolMode = (typeof POOL_MODES)[number];

export const DEFAULT_POOL_MODE: PoolMode = 'session';
