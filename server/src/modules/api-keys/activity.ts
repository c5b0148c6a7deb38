// What the request path reports about API keys (auth/authenticate.ts calls it): a key used (its
// last use, throttled) and a key refused (counted in the metrics, aggregated into audit events).
import type { ApiKeyActivity } from '#src/auth/authenticate.js';
import { recordAuditEvents } from '#src/audit/audit-events.js';
import type { BasePrisma } from '#src/db/client.js';
import { rlsClient, withSync } from '#src/db/rls.js';
import type { Logger } from '#src/logging.js';
import type { Metrics } from '#src/metrics.js';
import { createLastUsedRecorder } from './last-used.js';
import { createRefusalLog } from './refusal-log.js';

export interface ApiKeyActivityRecorder extends ApiKeyActivity {
  /** Writes the refusals counted so far and waits for last-use writes in flight. */
  flush(): Promise<void>;
  /** Stops the refusal window's timer, then flushes. */
  close(): Promise<void>;
}

export interface ApiKeyActivityOptions {
  base: BasePrisma;
  log: Logger;
  metrics: Metrics;
  /** Refusal window and last-use interval (tests shorten them). */
  windowMs?: number;
  maxRefusalPrefixes?: number;
}

/** At most one write of a key's last use per this interval, across all instances. */
const LAST_USED_INTERVAL_MS = 60_000;

export function createApiKeyActivity(options: ApiKeyActivityOptions): ApiKeyActivityRecorder {
  const { base, log, metrics } = options;
  const intervalMs = options.windowMs ?? LAST_USED_INTERVAL_MS;
  const intervalSeconds = intervalMs / 1000;
  const lastUsed = createLastUsedRecorder({ log, intervalMs });
  const refusals = createRefusalLog({
    log,
    ...(options.windowMs ? { windowMs: options.windowMs } : {}),
    ...(options.maxRefusalPrefixes ? { maxPrefixes: options.maxRefusalPrefixes } : {}),
    // As app_sync: the refused caller is nobody we know, and app_sync may insert audit events.
    write: (events) => withSync(base, (tx) => recordAuditEvents(tx, events)),
  });
  refusals.start();

  return {
    used(viewer) {
      const { credential } = viewer;
      if (credential.kind !== 'apiKey') return;
      // As the key's owner, like the request itself: app_user may set last_used_at on their own keys.
      // The row changes only when its last use is an interval old: with several instances, each
      // throttling in its own memory, the key is still written at most once per interval (ADR 0069).
      // Both sides of that comparison are the database's clock, so instances whose clocks disagree
      // cannot write more often (a clock behind) or hold the next write back (a clock ahead).
      lastUsed.touch(credential.keyId, async () => {
        await rlsClient(base, viewer).$executeRaw`
          UPDATE api_keys SET last_used_at = now()
          WHERE id = ${credential.keyId}::uuid
            AND (last_used_at IS NULL OR last_used_at <= now() - make_interval(secs => ${intervalSeconds}::float8))`;
      });
    },
    refused(refusal) {
      metrics.apiKeyRefusals.inc({ reason: refusal.reason });
      refusals.record(refusal);
    },
    async flush() {
      await Promise.all([refusals.flush(), lastUsed.idle()]);
    },
    async close() {
      await Promise.all([refusals.close(), lastUsed.idle()]);
    },
  };
}
