// Which database failures are worth retrying: the server could not be reached, the connection
// broke, the pool or a transaction timed out, or PostgreSQL asked us to try again. Callers answer
// those with 503 so that clients (and Svix) come back later; anything else is a bug of ours.
import { Prisma } from '#src/generated/prisma/client.js';

const TRANSIENT_PRISMA_CODES = new Set([
  'P1001', // cannot reach the database server
  'P1002', // the server was reached but timed out
  'P1008', // operation timed out
  'P1017', // the server closed the connection
  'P2024', // timed out fetching a connection from the pool
  'P2028', // transaction API error (e.g. the transaction timed out or was closed)
  'P2034', // write conflict or deadlock: retry the transaction
]);

const TRANSIENT_ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TransactionWriteConflict',
  'TransactionAlreadyClosed',
]);

/**
 * SQLSTATE classes and codes PostgreSQL uses for "not now": connection, resources, shutdown, conflicts, and a
 * statement cancelled at its statement_timeout (57014; ADR 0061).
 */
const TRANSIENT_SQLSTATE = /^(08|53|57P0[1-3]|57014|40001|40P01|55P03)/;

const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);

/**
 * node-postgres reports a lost or unobtainable connection as a plain Error with one of these fixed
 * messages (no code), and Prisma passes some through unwrapped (e.g. when starting a transaction).
 */
const PG_CONNECTION_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

interface AdapterCause {
  kind?: string;
  code?: string;
}

function adapterCauseOf(error: Prisma.PrismaClientKnownRequestError): AdapterCause | undefined {
  const adapterError = (error.meta as { driverAdapterError?: { cause?: AdapterCause } } | undefined)
    ?.driverAdapterError;
  return adapterError?.cause;
}

export function isTransientDatabaseError(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientInitializationError) return true;
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (TRANSIENT_PRISMA_CODES.has(error.code)) return true;
    const cause = adapterCauseOf(error);
    if (cause?.kind && TRANSIENT_ADAPTER_KINDS.has(cause.kind)) return true;
    return cause?.kind === 'postgres' && typeof cause.code === 'string' && TRANSIENT_SQLSTATE.test(cause.code);
  }
  if (error instanceof Error && PG_CONNECTION_MESSAGES.test(error.message)) return true;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return TRANSIENT_NODE_CODES.has(code) || TRANSIENT_SQLSTATE.test(code);
}

/**
 * True when `error`, or an error it wraps (a GraphQLError's originalError, an Error's cause), is transient:
 * what a resolver's failure looks like by the time Yoga masks it.
 */
export function causedByTransientDatabaseError(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current: unknown = error; typeof current === 'object' && current !== null;) {
    if (seen.has(current)) return false;
    seen.add(current);
    if (isTransientDatabaseError(current)) return true;
    const { originalError, cause } = current as { originalError?: unknown; cause?: unknown };
    current = originalError ?? cause;
  }
  return false;
}
