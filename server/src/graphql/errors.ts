// The API's error vocabulary: every expected failure carries one of the shared ERROR_CODES (the web
// app reads the same list) in extensions.code; anything else is masked as an unexpected error.
import { ERROR_CODES, type ErrorCode } from '@deal-brain/shared/error-codes';
import { GraphQLError } from 'graphql';

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
