// api_key.refused audit events, aggregated so that a flood of bad keys cannot flood the table:
// refusals are counted in memory per (prefix, reason) and written as one row each per window (a
// minute) with metadata.count, as app_sync. At most `maxPrefixes` distinct (prefix, reason) pairs
// are kept per window; the rest are counted in one "other" row per reason. A key's secret never
// gets here: only its public prefix, and none at all for a malformed key. The windowed counting is
// audit/windowed-tally.ts, shared with failed authentication (audit/auth-failure-log.ts).
import type { Logger } from 'pino';
import type { ApiKeyRefusal } from '#src/auth/authenticate.js';
import type { AuditEventInput } from '#src/audit/audit-events.js';
import { createWindowedTally, type WindowedTally } from '#src/audit/windowed-tally.js';

export interface RefusalLogOptions {
  /** Writes the window's rows in one transaction. */
  write: (events: AuditEventInput[]) => Promise<void>;
  log: Logger;
  windowMs?: number;
  maxPrefixes?: number;
  now?: () => number;
}

export type RefusalLog = WindowedTally<ApiKeyRefusal>;

export function createRefusalLog(options: RefusalLogOptions): RefusalLog {
  return createWindowedTally<ApiKeyRefusal>({
    keyOf: ({ prefix, reason }) => `${prefix ?? ''}|${reason}`,
    overflowKeyOf: ({ reason }) => reason,
    eventOf: ({ first, count, overflow }, window) => ({
      type: 'api_key.refused',
      actorId: null,
      subjectUserId: overflow ? null : first.ownerId,
      metadata: {
        prefix: overflow ? null : first.prefix,
        reason: first.reason,
        count,
        ...window,
        ...(overflow ? { other: true } : {}),
      },
    }),
    write: options.write,
    log: options.log,
    lostEvent: 'api_key.refusals_not_recorded',
    ...(options.windowMs ? { windowMs: options.windowMs } : {}),
    ...(options.maxPrefixes ? { maxKeys: options.maxPrefixes } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
}
