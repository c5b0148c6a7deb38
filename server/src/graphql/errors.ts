// The API's error vocabulary: every expected failure carries one of these codes in
// extensions.code; anything else is masked as an unexpected error.
import { GraphQLError } from 'graphql';

export type ErrorCode =
  'UNAUTHENTICATED' | 'FORBIDDEN' | 'ACCOUNT_DISABLED' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'RATE_LIMITED';

export function apiError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

export function unauthenticated(message = 'Authentication required'): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } } },
  });
}

export function forbidden(message = 'Not allowed'): GraphQLError {
  return apiError('FORBIDDEN', message);
}

/** Also what a row hidden by RLS looks like: no existence oracle. */
export function notFound(what: string): GraphQLError {
  return apiError('NOT_FOUND', `${what} not found`);
}

export function badUserInput(message: string, issues: { path: string; message: string }[] = []): GraphQLError {
  return apiError('BAD_USER_INPUT', message, issues.length > 0 ? { issues } : {});
}

/** Prisma's "no row matched" (an update or delete whose row RLS hid or that does not exist). */
export function isRecordNotFound(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'P2025';
}
