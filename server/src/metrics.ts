// Process metrics, kept in a registry of the app's own (not prom-client's global one), so several
// apps in one process (tests, the benchmark) never share or double-register counters.
import { Counter, Registry } from 'prom-client';

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
}

export function createMetrics(): Metrics {
  const registry = new Registry();
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
  };
}
