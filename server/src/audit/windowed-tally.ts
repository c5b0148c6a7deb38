// Events that a flood could repeat without end (refused API keys, failed authentication), counted in
// memory and written as one audit row per distinct key per window (a minute) with metadata.count and
// the window's bounds. At most `maxKeys` distinct keys are kept per window; what comes after is counted
// in one overflow row per overflow key, so a window writes a bounded number of rows whatever arrives.
// The rows are written by the caller's `write` (as app_sync), one window at a time, in order; a write
// that fails is logged with what it lost and never throws into the request path.
import type { Logger } from 'pino';
import type { AuditEventInput } from './audit-events.js';

export interface TallyWindow {
  /** ISO 8601 bounds of the window the count covers. */
  windowStart: string;
  windowEnd: string;
}

export interface WindowedTallyOptions<Item> {
  /** The key an item is counted under. */
  keyOf: (item: Item) => string;
  /** The key of the overflow row it is counted under once the window has `maxKeys` distinct keys. */
  overflowKeyOf: (item: Item) => string;
  /** The audit row of one tally: `first` is the first item counted under its key. */
  eventOf: (tally: { first: Item; count: number; overflow: boolean }, window: TallyWindow) => AuditEventInput;
  /** Writes the window's rows in one transaction. */
  write: (events: AuditEventInput[]) => Promise<void>;
  log: Logger;
  /** The log event of a window that could not be written. */
  lostEvent: string;
  windowMs?: number;
  maxKeys?: number;
  now?: () => number;
}

export interface WindowedTally<Item> {
  record(item: Item): void;
  /** Writes what was counted since the last flush (the timer does this every window). */
  flush(): Promise<void>;
  /** Starts the window timer (unref'd: it never keeps the process alive). */
  start(): void;
  /** Stops the timer and flushes. */
  close(): Promise<void>;
}

interface Tally<Item> {
  first: Item;
  count: number;
  /** Counted under an overflow key: the window had too many distinct keys. */
  overflow: boolean;
}

export function createWindowedTally<Item>(options: WindowedTallyOptions<Item>): WindowedTally<Item> {
  const windowMs = options.windowMs ?? 60_000;
  const maxKeys = options.maxKeys ?? 100;
  const now = options.now ?? Date.now;
  let tallies = new Map<string, Tally<Item>>();
  /** Distinct keys this window, overflow rows not included. */
  let distinct = 0;
  let windowStart = now();
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  function tallyFor(item: Item): Tally<Item> {
    const key = `k:${options.keyOf(item)}`;
    const known = tallies.get(key);
    if (known) return known;
    if (distinct >= maxKeys) {
      const overflowKey = `o:${options.overflowKeyOf(item)}`;
      const other = tallies.get(overflowKey) ?? { first: item, count: 0, overflow: true };
      tallies.set(overflowKey, other);
      return other;
    }
    distinct++;
    const tally = { first: item, count: 0, overflow: false };
    tallies.set(key, tally);
    return tally;
  }

  async function writeWindow(window: Tally<Item>[], from: number, to: number): Promise<void> {
    const bounds = { windowStart: new Date(from).toISOString(), windowEnd: new Date(to).toISOString() };
    const events = window.map((tally) => options.eventOf(tally, bounds));
    try {
      await options.write(events);
    } catch (error) {
      const occurrences = window.reduce((sum, tally) => sum + tally.count, 0);
      options.log.error(
        { event: options.lostEvent, rows: events.length, refusals: occurrences, err: error },
        'aggregated audit events not recorded',
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
    record(item) {
      tallyFor(item).count++;
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
