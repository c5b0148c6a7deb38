// Local identity mode only: a session token is refused once its session has ended (signed out or
// revoked from another session). The web app holds long-lived local tokens, so without this a revoked
// session would keep working until its token expired. The check is an in-memory lookup in the
// in-process provider, no I/O. In clerk mode no such check runs: a revoked session cannot refresh its
// token, and Clerk's tokens live about 60 seconds (docs/architecture.md).
import { InvalidCredentialError } from './errors.js';

/** How the provider knows a session: unknown after a restart (its sessions live in memory only). */
export type SessionLiveness = (sessionId: string) => 'active' | 'ended' | 'unknown';

/** The reason logs and the refused-credential metric give for a token of an ended session. */
export const SESSION_ENDED = 'session-ended';

/**
 * Refuses a verified token whose session `liveness` knows as ended. An unknown session is let through:
 * its token verified, and a restart must not sign everyone out (nor could it be told apart). Asked after
 * the account check, so a deleted or deactivated account is still told so (403), not signed out (401).
 */
export function assertSessionLive(sessionId: string | undefined, liveness: SessionLiveness): void {
  if (sessionId !== undefined && liveness(sessionId) === 'ended') throw new InvalidCredentialError(SESSION_ENDED);
}
