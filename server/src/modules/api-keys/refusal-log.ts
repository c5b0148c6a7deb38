// api_key.refused audit events, aggregated so that a flood of bad keys cannot flood the table:
// refusals are counted in memory per (prefix, reason) and written as one row each per window (a
// minute) with metadata.count, as app_sync. At most `maxPrefixes` distinct (prefix, reason) pairs
// are kept per window; the rest are counted in one "other" row per reason. A key's secret never
// gets here: only its public prefix, and none at all for a malformed key.
import type { Logger } from 'pino';
import type { ApiKeyRefusal } from '#src/auth/authenticate.js';
import type { AuditEventInput } from '#src/audit/audit-events.js';

export interface RefusalLogOptions {
  /** Writes the window's rows in one transaction. */
  write: (events: AuditEventInput[]) => Promise<void>;
  log: Logger;
  windowMs?: number;
  maxPrefixes?: number;
  now?: () => number;
}

export interface RefusalLog {
  record(refusal: ApiKeyRefusal): void;
  /** Writes what was counted since the last flush (the timer does this every window). */
  flush(): Promise<void>;
  /** Starts the window timer (unref'd: it never keeps the process alive). */
  start(): void;
  /** Stops the timer and flushes. */
  close(): Promise<void>;
}

interface Tally {
  prefix: string | null;
  reason: string;
  ownerId: string | null;
  count: number;
  /** Counted under "other": the window had too many distinct prefixes. */
  overflow: boolean;
}

export function createRefusalLog(options: RefusalLogOptions): RefusalLog {
  const windowMs = options.windowMs ?? 60_000;
  const maxPrefixes = options.maxPrefixes ?? 100;
  const now = options.now ?? Date.now;
  let tallies = new Map<string, Tally>();
  /** Distinct (prefix, reason) pairs this window, "other" rows not included. */
  let distinct = 0;
  let windowStart = now();
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  function tallyFor({ prefix, reason, ownerId }: ApiKeyRefusal): Tally {
    const key = `${prefix ?? ''}|${reason}`;
    const known = tallies.get(key);
    if (known) return known;
    if (distinct >= maxPrefixes) {
      const otherKey = `*|${reason}`;
      const other = tallies.get(otherKey) ?? { prefix: null, reason, ownerId: null, count: 0, overflow: true };
      tallies.set(otherKey, other);
      return other;
    }
    distinct++;
    const tally = { prefix, reason, ownerId, count: 0, overflow: false };
    tallies.set(key, tally);
    return tally;
  }

  async function writeWindow(window: Tally[], from: number, to: number): Promise<void> {
    const events: AuditEventInput[] = window.map((tally) => ({
      type: 'api_key.refused',
      actorId: null,
      subjectUserId: tally.ownerId,
      metadata: {
        prefix: tally.prefix,
        reason: tally.reason,
        count: tally.count,
        windowStart: new Date(from).toISOString(),
        windowEnd: new Date(to).toISOString(),
        ...(tally.overflow ? { other: true } : {}),
      },
    }));
    try {
      await options.write(events);
    } catch (error) {
      const refusals = window.reduce((sum, tally) => sum + tally.count, 0);
      options.log.error(
        { event: 'api_key.refusals_not_recorded', rows: events.length, refusals, err: error },
        'refused API keys not recorded',
      );
    }
  }

  async function flush(): Promise<void> {
    const window = [...tallies.values()];
    const from = windowStart;
    const to = now();
    tallies = new Map();
    distinct = 0;
    windowStart = to;
    // One write at a time, in window order.
    writing = writing.then(() => (window.length > 0 ? writeWindow(window, from, to) : undefined));
    await writing;
  }

  return {
    record(refusal) {
      tallyFor(refusal).count++;
    },
    flush,
    start() {
      timer ??= setInterval(() => void flush(), windowMs).unref();
    },
    async close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await flush();
    },
  };
}
