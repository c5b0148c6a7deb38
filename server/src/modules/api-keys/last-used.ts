// When a key was last used, without a database write on every request: at most one write per key
// per interval (a minute) on this instance, started after the request was authenticated and not
// awaited by it. A failed write is logged and never fails a request. The map of last writes is
// bounded: past `maxTracked` keys the least recently written is forgotten (its next use writes
// again, once). This is not a cache of anything a request relies on: every request looks its key
// up afresh (auth/api-key.ts).
import type { Logger } from 'pino';

export interface LastUsedOptions {
  log: Logger;
  intervalMs?: number;
  maxTracked?: number;
  now?: () => number;
}

export interface LastUsedRecorder {
  /**
   * A request used the key; `write` records `at` as its last use (only ever moving it forward) and
   * runs only when this use is due, which the answer says.
   */
  touch(keyId: string, write: (at: Date) => Promise<void>): boolean;
  /** Resolves when every write started so far has finished (shutdown, tests). */
  idle(): Promise<void>;
  /** How many keys are tracked. */
  readonly size: number;
}

export function createLastUsedRecorder(options: LastUsedOptions): LastUsedRecorder {
  const intervalMs = options.intervalMs ?? 60_000;
  const maxTracked = options.maxTracked ?? 10_000;
  const now = options.now ?? Date.now;
  /** Key id → when its last use was written; in the order written (oldest first). */
  const written = new Map<string, number>();
  const pending = new Set<Promise<void>>();

  return {
    touch(keyId, write) {
      const at = now();
      const previous = written.get(keyId);
      if (previous !== undefined && at - previous < intervalMs) return false;
      written.delete(keyId);
      written.set(keyId, at);
      for (const oldest of written.keys()) {
        if (written.size <= maxTracked) break;
        written.delete(oldest);
      }
      // Started after this tick: the request goes on without waiting for it.
      const writing = Promise.resolve()
        .then(() => write(new Date(at)))
        .catch((error: unknown) => {
          options.log.warn(
            { event: 'api_key.last_used_failed', keyId, err: error },
            'last use of an API key not recorded',
          );
        })
        .finally(() => pending.delete(writing));
      pending.add(writing);
      return true;
    },
    async idle() {
      await Promise.all([...pending]);
    },
    get size() {
      return written.size;
    },
  };
}
