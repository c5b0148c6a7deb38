/**
 * Budgets no test reaches. Every test server of a run shares one database, so one set of counters, and
 * one client address (127.0.0.1): the real budgets would be spent by the whole suite together.
 * test/http/rate-limits.test.ts sets its own.
 */
export const UNREACHABLE_RATE_LIMITS = {
  RATE_LIMIT_ADDRESS_POINTS: '100000000',
  RATE_LIMIT_USER_POINTS: '1000000000',
  RATE_LIMIT_API_KEY_POINTS: '1000000000',
} as const;
