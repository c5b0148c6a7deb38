// The API's error vocabulary: every expected failure carries one of the shared ERROR_CODES (the web
// app reads the same list) in extensions.code; anything else is masked as an unexpected error.
import { ERROR_CODES, type ErrorCode } from '@deal-brain/shared/error-codes';
import { GraphQLError } from 'graphql';
import type { YogaServerOptions } from 'graphql-yoga';
import { causedByTransientDatabaseError } from '#src/db/transient-errors.js';
import { isQueryCanceled, maskErrorsWithTimeouts } from './time-limits.js';

export type { ErrorCode };

export function apiError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

export function unauthenticated(message = 'Authentication required'): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ERROR_CODES.UNAUTHENTICATED, http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } } },
  });
}

export function forbidden(message = 'Not allowed'): GraphQLError {
  return apiError(ERROR_CODES.FORBIDDEN, message);
}

/** Also what a row hidden by RLS looks like: no existence oracle. */
export function notFound(what: string): GraphQLError {
  return apiError(ERROR_CODES.NOT_FOUND, `${what} not found`);
}

export function badUserInput(message: string, issues: { path: string; message: string }[] = []): GraphQLError {
  return apiError(ERROR_CODES.BAD_USER_INPUT, message, issues.length > 0 ? { issues } : {});
}

/** Prisma's "no row matched" (an update or delete whose row RLS hid or that does not exist). */
export function isRecordNotFound(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'P2025';
}

/** Seconds a client is asked to wait when the database cannot be used (the same as the auth path's answer). */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * A resolver's database could not be used (unreachable, connection lost, restarting, a conflict to retry):
 * SERVICE_UNAVAILABLE at the failed field's path. Retryable (the default): HTTP 503 with Retry-After; Yoga
 * answers the whole request with the highest status its errors carry, so one such field makes the response a
 * 503 that clients retry, never the 500 (or 200 with "Unexpected error.") of a bug. Not retryable: a mutation
 * of which another root field was applied (committed-mutations.ts), answered 200 with its partial result, so
 * that no client repeats a write that was done.
 */
export function databaseUnavailable(located?: GraphQLError, { retryable = true } = {}): GraphQLError {
  const message = retryable
    ? 'The service cannot use its database right now; try again shortly'
    : 'The service could not use its database for this field; other fields of this mutation were applied, do not repeat them';
  return new GraphQLError(message, {
    ...(located
      ? { nodes: located.nodes, source: located.source, positions: located.positions, path: located.path }
      : {}),
    extensions: {
      code: ERROR_CODES.SERVICE_UNAVAILABLE,
      ...(retryable ? { http: { status: 503, headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) } } } : {}),
    },
  });
}

/** A resolver's failure that is a database that cannot be used (a cancelled statement is TIMEOUT instead). */
export function isDatabaseUnavailable(error: unknown): boolean {
  return !isQueryCanceled(error) && causedByTransientDatabaseError(error);
}

type MaskError = Exclude<
  Exclude<YogaServerOptions<object, object>['maskedErrors'], boolean | undefined>['maskError'],
  undefined
>;

/**
 * The API's error masking: a cancelled statement is TIMEOUT (time-limits.ts), a database that cannot be used
 * is SERVICE_UNAVAILABLE (503), anything else unexpected is Yoga's masked "Unexpected error.".
 */
export const maskUnexpectedErrors: MaskError = (error, message, isDev) => {
  if (isDatabaseUnavailable(error)) {
    return databaseUnavailable(error instanceof GraphQLError ? error : undefined);
  }
  return maskErrorsWithTimeouts(error, message, isDev);
};
