// auth.failed audit events: every credential refused at /graphql (a bad or expired token, a bad API key,
// a disabled account, a new identity while sign-ups are closed), aggregated so that a flood cannot fill
// the table: counted per (reason, client address) per window (a minute) and written as app_sync as one row
// each, with metadata { reason, count, windowStart, windowEnd } and the address in the ip column. At most
// `maxKeys` distinct pairs per window; the rest are counted in one "other" row per reason (no address).
// The credential itself never gets here: only the refusal's reason.
import type { Logger } from 'pino';
import { AccountDisabledError, InvalidCredentialError, SignupsDisabledError } from '#src/auth/errors.js';
import type { AuditEventInput } from './audit-events.js';
import { createWindowedTally, type WindowedTally } from './windowed-tally.js';

export interface AuthFailure {
  /** Short machine-readable cause: InvalidCredentialError's reason, 'account-disabled', 'signups-disabled'. */
  reason: string;
  /** The client address (http/client-info.ts); null when unknown. */
  ip: string | null;
  /** The account a disabled-account refusal was about; null otherwise. */
  subjectUserId: string | null;
}

export type AuthFailureLog = WindowedTally<AuthFailure>;

/** The failure an authentication error stands for, or undefined when it is not a refused credential. */
export function authFailureOf(error: unknown): Omit<AuthFailure, 'ip'> | undefined {
  if (error instanceof InvalidCredentialError) return { reason: error.reason, subjectUserId: null };
  if (error instanceof AccountDisabledError) return { reason: 'account-disabled', subjectUserId: error.userId };
  if (error instanceof SignupsDisabledError) return { reason: 'signups-disabled', subjectUserId: null };
  return undefined;
}

export interface AuthFailureLogOptions {
  /** Writes the window's rows in one transaction (as app_sync). */
  write: (events: AuditEventInput[]) => Promise<void>;
  log: Logger;
  windowMs?: number;
  /** Distinct (reason, address) pairs kept per window (default 100). */
  maxKeys?: number;
  now?: () => number;
}

export function createAuthFailureLog(options: AuthFailureLogOptions): AuthFailureLog {
  return createWindowedTally<AuthFailure>({
    keyOf: ({ reason, ip, subjectUserId }) => JSON.stringify([reason, ip, subjectUserId]),
    overflowKeyOf: ({ reason }) => reason,
    eventOf: ({ first, count, overflow }, window) => ({
      type: 'auth.failed',
      actorId: null,
      subjectUserId: overflow ? null : first.subjectUserId,
      ip: overflow ? null : first.ip,
      metadata: { reason: first.reason, count, ...window, ...(overflow ? { other: true } : {}) },
    }),
    write: options.write,
    log: options.log,
    lostEvent: 'auth.failures_not_recorded',
    ...(options.windowMs ? { windowMs: options.windowMs } : {}),
    ...(options.maxKeys ? { maxKeys: options.maxKeys } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
}
