import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.js';

describe('createMetrics', () => {
  it("shares the process's series between apps (their monitors start once) and keeps each app's own", async () => {
    const first = createMetrics();
    const second = createMetrics();

    // The same metric objects: one event loop monitor and one GC observer for the process, however many apps.
    const lag = first.registry.getSingleMetric('nodejs_eventloop_lag_seconds');
    expect(lag).toBeDefined();
    expect(second.registry.getSingleMetric('nodejs_eventloop_lag_seconds')).toBe(lag);
    expect(second.registry.getSingleMetric('process_cpu_user_seconds_total')).toBe(
      first.registry.getSingleMetric('process_cpu_user_seconds_total'),
    );

    // An app's counters are its own: another app's registry does not see them.
    first.rateLimitRefusals.inc({ limiter: 'address' });
    expect(await first.registry.getSingleMetricAsString('dealbrain_rate_limit_refusals_total')).toContain(
      'limiter="address"} 1',
    );
    expect(await second.registry.getSingleMetricAsString('dealbrain_rate_limit_refusals_total')).not.toContain(
      'limiter="address"',
    );
    // Both scrape the process's series.
    expect(await second.registry.metrics()).toContain('process_resident_memory_bytes');
  });
});
