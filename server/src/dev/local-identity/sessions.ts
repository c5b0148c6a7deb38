// Session records, in memory only: a restart forgets them (their tokens stay valid until they expire).
import { z } from 'zod';

export const DEFAULT_SESSION_TTL_SECONDS = 60 * 60;
/** Long enough for a web app that mints long-lived local tokens (an expired one would redirect to Clerk). */
export const MAX_SESSION_TTL_SECONDS = 30 * 24 * 60 * 60;

export const ttlSecondsSchema = z
  .number({ error: 'must be a number' })
  .int('must be a whole number of seconds')
  .min(1, 'must be at least 1')
  .max(MAX_SESSION_TTL_SECONDS, `must be at most ${MAX_SESSION_TTL_SECONDS}`);

export interface LocalSessionRecord {
  sessionId: string;
  userId: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  /** Milliseconds since the epoch when ended; null while active. */
  endedAt: number | null;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** The browser's User-Agent when the session started (the web app passes it); absent when not given. */
  userAgent?: string;
  /** Milliseconds since the epoch of the last refresh or API request; absent until the first (then createdAt). */
  lastActiveAt?: number;
  /** Set when the session ended by revocation (from another session) rather than by signing out. */
  revoked?: boolean;
}

/** Longest User-Agent kept: it is shown, never parsed for decisions. */
export const MAX_USER_AGENT_LENGTH = 512;

/** How a verified token's session stands: unknown after a restart (sessions live in memory only). */
export type SessionLiveness = 'active' | 'ended' | 'unknown';

/** Expired records are dropped: their tokens no longer verify anyway. */
export class SessionRegistry {
  private readonly sessions = new Map<string, LocalSessionRecord>();

  constructor(private readonly now: () => number) {}

  add(record: LocalSessionRecord): void {
    const now = this.now();
    for (const [id, { expiresAt }] of this.sessions) {
      if (expiresAt <= now) this.sessions.delete(id);
    }
    this.sessions.set(record.sessionId, record);
  }

  /** Undefined when unknown or past its expiry; ended sessions are still known. */
  get(sessionId: string): LocalSessionRecord | undefined {
    const record = this.sessions.get(sessionId);
    return record && record.expiresAt > this.now() ? record : undefined;
  }

  /** The record when this call ended it; undefined when unknown or already ended. */
  end(sessionId: string): LocalSessionRecord | undefined {
    const record = this.get(sessionId);
    if (!record || record.endedAt !== null) return undefined;
    record.endedAt = this.now();
    return record;
  }

  /** Ends an active session as revoked; the record when this call ended it, as end() does. */
  revoke(sessionId: string): LocalSessionRecord | undefined {
    const record = this.end(sessionId);
    if (record) record.revoked = true;
    return record;
  }

  /** Records a use of an active session (its last activity); how the session stands. */
  touch(sessionId: string): SessionLiveness {
    const record = this.get(sessionId);
    if (!record) return 'unknown';
    if (record.endedAt !== null) return 'ended';
    record.lastActiveAt = this.now();
    return 'active';
  }

  /** Every known (unexpired) session of a user, ended ones included, the most recently active first. */
  allOf(userId: string): LocalSessionRecord[] {
    const now = this.now();
    return [...this.sessions.values()]
      .filter((record) => record.userId === userId && record.expiresAt > now)
      .sort((a, b) => lastActivityOf(b) - lastActivityOf(a) || b.createdAt - a.createdAt);
  }

  /** Ends every active session of a user as revoked (a ban); returns the ones it ended. */
  revokeAllOf(userId: string): LocalSessionRecord[] {
    return [...this.sessions.values()].flatMap((record) =>
      record.userId === userId ? (this.revoke(record.sessionId) ?? []) : [],
    );
  }

  /** Ends every active session of a user; returns the ones it ended. */
  endAllOf(userId: string): LocalSessionRecord[] {
    return [...this.sessions.values()].flatMap((record) =>
      record.userId === userId ? (this.end(record.sessionId) ?? []) : [],
    );
  }
}

/** When the session was last used: its last refresh or API request, else its start. */
export function lastActivityOf(record: LocalSessionRecord): number {
  return record.lastActiveAt ?? record.createdAt;
}
