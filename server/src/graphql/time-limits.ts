// Time limits as the client sees them (ADR 0061). A statement PostgreSQL cancelled at its
// statement_timeout (SQLSTATE 57014, query_canceled; set with the RLS context, db/rls.ts) and a request
// past its deadline (GRAPHQL_REQUEST_TIMEOUT_MS, http/graphql-route.ts) both answer TIMEOUT, with no
// detail of the statement: never the masked INTERNAL_SERVER_ERROR of a bug.
import { ERROR_CODES } from '@deal-brain/shared/error-codes';
import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError, type Plugin, type YogaServerOptions } from 'graphql-yoga';

/** PostgreSQL's query_canceled: statement_timeout ran out (or the statement was cancelled). */
const QUERY_CANCELED = '57014';

const STATEMENT_TIMEOUT_MESSAGE =
  'A database statement ran past its time limit and was cancelled; nothing it started was committed. Retry later.';

/**
 * True when `error` is, or wraps, a statement PostgreSQL cancelled: pg's DatabaseError, or Prisma's
 * error around the driver adapter's (meta.driverAdapterError.cause).
 */
export function isQueryCanceled(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const { code, cause, meta, originalError } = current as {
      code?: unknown;
      cause?: unknown;
      meta?: { driverAdapterError?: unknown };
      originalError?: unknown;
    };
    if (code === QUERY_CANCELED) return true;
    pending.push(cause, meta?.driverAdapterError, originalError);
  }
  return false;
}

/** The reason a request's deadline aborts with: what the work still running for it throws. */
export function requestTimedOut(timeoutMs: number): GraphQLError {
  return new GraphQLError(
    `The request ran past its time limit of ${timeoutMs} ms and was stopped; what it had not committed was rolled back. Retry later.`,
    { extensions: { code: ERROR_CODES.TIMEOUT } },
  );
}

type MaskError = Exclude<
  Exclude<YogaServerOptions<object, object>['maskedErrors'], boolean | undefined>['maskError'],
  undefined
>;

/**
 * Yoga's error masking, with cancelled statements answered TIMEOUT (at the field's path) instead of
 * "Unexpected error.". Everything else is masked as before.
 */
export const maskErrorsWithTimeouts: MaskError = (error, message, isDev) => {
  if (isQueryCanceled(error)) {
    const located = error instanceof GraphQLError ? error : undefined;
    return new GraphQLError(STATEMENT_TIMEOUT_MESSAGE, {
      ...(located
        ? { nodes: located.nodes, source: located.source, positions: located.positions, path: located.path }
        : {}),
      extensions: { code: ERROR_CODES.TIMEOUT },
    });
  }
  return yogaMaskError(error, message, isDev);
};

/**
 * Hands the request's deadline to the executor: once aborted, execution stops at once (its result is
 * the deadline's TIMEOUT error) instead of resolving the fields left.
 */
export function stopAtDeadline(): Plugin {
  return {
    onExecute: ({ args }) => {
      const { deadline } = args.contextValue as { deadline?: AbortSignal };
      if (!deadline) return;
      const execution = args as { signal?: AbortSignal };
      execution.signal = execution.signal ? AbortSignal.any([execution.signal, deadline]) : deadline;
    },
  };
}
