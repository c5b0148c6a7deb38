// Process metrics, kept in a registry of the app's own (not prom-client's global one), so several
// apps in one process (tests, the benchmark) never share or double-register counters. Served on a
// listener of its own (http/metrics-route.ts); what each metric means: docs/observability.md.
import type pg from 'pg';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type WebhookOutcome = 'applied' | 'duplicate' | 'stale' | 'ignored' | 'rejected' | 'failed';

export interface Metrics {
  registry: Registry;
  /** Clerk webhook deliveries by outcome and event type ("other" for types we do not handle). */
  webhookDeliveries: Counter<'outcome' | 'type'>;
  /** Refused credentials by reason (token-expired, token-invalid-signature, api-key-revoked, ...). */
  authFailures: Counter<'reason'>;
  /** Refused personal API keys by reason, the disabled owner's 403 included (api-key-unknown, ...). */
  apiKeyRefusals: Counter<'reason'>;
  /** Requests refused by a rate limit (429), by limiter: address, user, api_key (rate-limit/limits.ts). */
  rateLimitRefusals: Counter<'limiter'>;
  /**
   * Seconds from a request's arrival to its response's last byte: route graphql or webhook; operation a
   * known operation name, "other" or "anonymous"; outcome ok or an error code (http/request-metrics.ts).
   */
  requestDuration: Histogram<'route' | 'operation' | 'outcome'>;
  /** Seconds an RLS transaction held its connection, by database role (db/rls.ts). */
  rlsTransactionDuration: Histogram<'role'>;
  /**
   * Lookups of the token and identity caches (ADR 0071) by cache (token, user, api_key) and outcome: hit,
   * miss, or bypass (the identity cache is off while the database's change announcements are not heard).
   */
  identityCacheLookups: Counter<'cache' | 'outcome'>;
}

// Requests: 5 ms to 30 s (GRAPHQL_REQUEST_TIMEOUT_MS's default); transactions start lower.
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const TRANSACTION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

let processMetrics: Registry | undefined;

/**
 * Memory, CPU, event loop lag, heap, GC: the process_* and nodejs_* series. They describe the process, not an
 * app, and prom-client starts monitors for them (an event loop histogram, a GC observer) that cannot be
 * stopped: started once per process, in a registry every app's registry includes.
 */
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

export function createMetrics(): Metrics {
  // A new registry holding the process's series; the app's own are added to it alone.
  const registry = Registry.merge([processRegistry()]);
  return {
    registry,
    webhookDeliveries: new Counter({
      name: 'dealbrain_webhook_deliveries_total',
      help: 'Clerk webhook deliveries by outcome and event type',
      labelNames: ['outcome', 'type'],
      registers: [registry],
    }),
    authFailures: new Counter({
      name: 'dealbrain_auth_failures_total',
      help: 'Refused credentials by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    apiKeyRefusals: new Counter({
      name: 'dealbrain_api_key_refusals_total',
      help: 'Refused personal API keys by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    rateLimitRefusals: new Counter({
      name: 'dealbrain_rate_limit_refusals_total',
      help: 'Requests refused by a rate limit, by limiter',
      labelNames: ['limiter'],
      registers: [registry],
    }),
    identityCacheLookups: new Counter({
      name: 'dealbrain_identity_cache_lookups_total',
      help: 'Token and identity cache lookups by cache and outcome',
      labelNames: ['cache', 'outcome'],
      registers: [registry],
    }),
    requestDuration: new Histogram({
      name: 'dealbrain_http_request_duration_seconds',
      help: 'Request duration by route, operation name (known ones only) and outcome',
      labelNames: ['route', 'operation', 'outcome'],
      buckets: REQUEST_BUCKETS,
      registers: [registry],
    }),
    rlsTransactionDuration: new Histogram({
      name: 'dealbrain_rls_transaction_duration_seconds',
      help: 'Seconds an RLS transaction held its database connection, by role',
      labelNames: ['role'],
      buckets: TRANSACTION_BUCKETS,
      registers: [registry],
    }),
  };
}

const POOL_STATES = ['total', 'idle', 'waiting'] as const;

/**
 * The pool's connections, read when scraped (not sampled in between): total open, idle among them, and
 * checkouts waiting for one. Waiting above zero for long means DATABASE_POOL_SIZE is too small.
 */
export function observePool(metrics: Metrics, pool: pg.Pool): void {
  new Gauge({
    name: 'dealbrain_db_pool_connections',
    help: 'Database pool connections by state: total, idle, waiting (checkouts queued for a connection)',
    labelNames: ['state'],
    registers: [metrics.registry],
    collect() {
      const counts = { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
      for (const state of POOL_STATES) this.set({ state }, counts[state]);
    },
  });
}
