// The viewer's sessions at the identity provider, through @clerk/backend's client in both auth modes
// (Clerk itself, or the local provider's stand-in of the same calls). Failures come out as GraphQL
// errors of our vocabulary: the provider unreachable, slow, failing or refusing us is
// IDENTITY_PROVIDER_UNAVAILABLE; an unknown session is null for the caller to answer NOT_FOUND.
import type { Logger } from 'pino';
import { ERROR_CODES } from '@deal-brain/shared/error-codes';
import { ClerkRefusedError, ClerkUnavailableError, type ClerkBackend } from '#src/clerk/backend-api.js';
import { apiError } from '#src/graphql/errors.js';
import type { ClerkSessionFields } from './session-view.js';

/**
 * Clerk pages session lists (10 by default); one page of this many is the list. A person with more active
 * sessions than this sees the most recent ones (Clerk orders by activity).
 */
export const MAX_LISTED_SESSIONS = 100;

/** Clerk's session ids (sess_…; locally sess_local_…): anything else never reaches a URL path. */
export const SESSION_ID = /^sess_[A-Za-z0-9_]{1,100}$/;

export function identityProviderUnavailable() {
  return apiError(
    ERROR_CODES.IDENTITY_PROVIDER_UNAVAILABLE,
    'The identity provider cannot be reached right now, so sessions cannot be shown or changed. Try again later.',
  );
}

/** The error to answer for a failed call, logged with what it was (never with credentials). */
function failure(log: Logger, operation: string, error: unknown): Error {
  if (error instanceof ClerkUnavailableError) {
    log.warn(
      { event: 'sessions.provider_unavailable', operation, reason: error.reason, status: error.status },
      error.message,
    );
    return identityProviderUnavailable();
  }
  if (error instanceof ClerkRefusedError) {
    // Our input is checked before the call, and ownership before a change: a refusal is not the person's doing.
    const codes = error.reasons.map((reason) => reason.code);
    log.warn({ event: 'sessions.provider_refused', operation, status: error.status, codes }, error.message);
    return identityProviderUnavailable();
  }
  return error instanceof Error ? error : new Error(String(error));
}

export interface SessionDirectory {
  /** The user's active sessions (Clerk's user id), whatever order Clerk gives. */
  activeSessionsOf(clerkUserId: string): Promise<ClerkSessionFields[]>;
  /** The session, whatever its status or owner; null when the provider knows no such session. */
  find(sessionId: string): Promise<ClerkSessionFields | null>;
  /** Revokes the session at the provider; false when the provider knows no such session (any more). */
  revoke(sessionId: string): Promise<boolean>;
}

export function sessionDirectory(clerk: ClerkBackend, log: Logger): SessionDirectory {
  return {
    async activeSessionsOf(clerkUserId) {
      const operation = 'sessions.getSessionList';
      try {
        const { data } = await clerk.call(operation, (api) =>
          api.sessions.getSessionList({ userId: clerkUserId, status: 'active', limit: MAX_LISTED_SESSIONS }),
        );
        // What was asked for, and nothing else, whatever the answer holds.
        return data.filter((session) => session.userId === clerkUserId && session.status === 'active');
      } catch (error) {
        throw failure(log, operation, error);
      }
    },

    async find(sessionId) {
      const operation = 'sessions.getSession';
      try {
        return await clerk.call(operation, (api) => api.sessions.getSession(sessionId));
      } catch (error) {
        if (error instanceof ClerkRefusedError && error.status === 404) return null;
        throw failure(log, operation, error);
      }
    },

    async revoke(sessionId) {
      const operation = 'sessions.revokeSession';
      try {
        await clerk.call(operation, (api) => api.sessions.revokeSession(sessionId));
        return true;
      } catch (error) {
        if (error instanceof ClerkRefusedError && error.status === 404) return false;
        throw failure(log, operation, error);
      }
    },
  };
}
