// /metrics (ADR 0068): served on its own listener only, behind its bearer token when one is set, in
// Prometheus' text format; request durations labelled by known operation names and outcomes, pool gauges
// read at scrape time, RLS transaction durations by role, and the process' default metrics.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { withSync } from '#src/db/rls.js';
import { createMetricsServer } from '#src/http/metrics-route.js';
import { createMetrics } from '#src/metrics.js';
import { newIdentity, startTestServer, type TestServer } from '../support/server.js';

// Built at run time: no secret-shaped string is committed, not even a test's.
const TOKEN = `metrics-${crypto.randomUUID()}`;

let server: TestServer;
let metricsUrl: string;

beforeAll(async () => {
  server = await startTestServer({ METRICS_PORT: '0', METRICS_TOKEN: TOKEN });
  const metricsServer = server.app.metricsServer!;
  metricsServer.listen(0, '127.0.0.1');
  await once(metricsServer, 'listening');
  metricsUrl = `http://127.0.0.1:${(metricsServer.address() as AddressInfo).port}/metrics`;
});

afterAll(async () => {
  const metricsServer = server?.app.metricsServer;
  if (metricsServer?.listening) await new Promise<void>((resolve) => metricsServer.close(() => resolve()));
  await server?.close();
});

async function scrape(): Promise<string> {
  const res = await fetch(metricsUrl, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  return res.text();
}

/** The value of one series in a scrape, by its full name with labels; 0 when absent. */
function valueOf(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

const requestCount = (route: string, operation: string, outcome: string) =>
  `dealbrain_http_request_duration_seconds_count{route="${route}",operation="${operation}",outcome="${outcome}"}`;

async function post(body: Record<string, unknown>, token: string | null): Promise<number> {
  const res = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

describe('the metrics listener', () => {
  it('answers a scrape with the bearer token in Prometheus text format', async () => {
    const res = await fetch(metricsUrl, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    for (const name of [
      'dealbrain_http_request_duration_seconds',
      'dealbrain_rls_transaction_duration_seconds',
      'dealbrain_db_pool_connections',
      'dealbrain_auth_failures_total',
      'dealbrain_webhook_deliveries_total',
      'dealbrain_rate_limit_refusals_total',
      'dealbrain_api_key_refusals_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });

  it.each([
    ['no credential', undefined],
    ['a wrong token', `Bearer ${TOKEN}x`],
    ['a prefix of the token', `Bearer ${TOKEN.slice(0, -1)}`],
    ['another scheme', `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`],
  ])('refuses a scrape with %s: 401, and the answer holds no metric', async (_name, authorization) => {
    const res = await fetch(metricsUrl, { headers: authorization ? { authorization } : {} });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect(await res.text()).not.toContain('dealbrain_');
  });

  it('serves nothing but /metrics', async () => {
    const res = await fetch(new URL('/graphql', metricsUrl), { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(404);
  });

  it('is not on the API port: /metrics there is 404, with or without the token', async () => {
    for (const headers of [{}, { authorization: `Bearer ${TOKEN}` }] as Record<string, string>[]) {
      const res = await fetch(`${server.url}/metrics`, { headers });
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('dealbrain_');
    }
  });

  it('asks for no token when none is configured (loopback only, config.ts)', async () => {
    const metrics = createMetrics();
    const open = createMetricsServer({ registry: metrics.registry, token: undefined, log: pino({ level: 'silent' }) });
    open.listen(0, '127.0.0.1');
    await once(open, 'listening');
    try {
      const res = await fetch(`http://127.0.0.1:${(open.address() as AddressInfo).port}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('dealbrain_http_request_duration_seconds');
    } finally {
      await new Promise<void>((resolve) => open.close(() => resolve()));
    }
  });
});

describe('request durations', () => {
  it('count /graphql requests by known operation name and outcome; unknown names are "other"', async () => {
    const { token } = await newIdentity(server, 'metrics');
    const before = await scrape();
    const viewer = requestCount('graphql', 'Viewer', 'ok');
    const other = requestCount('graphql', 'other', 'ok');
    const anonymous = requestCount('graphql', 'anonymous', 'ok');
    const unauthenticated = requestCount('graphql', 'anonymous', 'UNAUTHENTICATED');
    const badInput = requestCount('graphql', 'other', 'GRAPHQL_VALIDATION_FAILED');

    expect(await post({ query: 'query Viewer { viewer { id } }', operationName: 'Viewer' }, token)).toBe(200);
    expect(await post({ query: 'query Viewer { viewer { id } }' }, token)).toBe(200); // named by its document
    expect(await post({ query: 'query MyOwnName { viewer { id } }', operationName: 'MyOwnName' }, token)).toBe(200);
    expect(await post({ query: 'query Another_1 { viewer { id } }' }, token)).toBe(200);
    expect(await post({ query: '{ __typename }' }, token)).toBe(200);
    expect(await post({ query: '{ __typename }' }, 'not-a-token')).toBe(401);
    expect(await post({ query: 'query Broken { noSuchField }', operationName: 'Broken' }, token)).toBe(200);

    await vi.waitFor(async () => {
      const after = await scrape();
      expect(valueOf(after, viewer) - valueOf(before, viewer)).toBe(2);
      expect(valueOf(after, other) - valueOf(before, other)).toBe(2);
      expect(valueOf(after, anonymous) - valueOf(before, anonymous)).toBe(1);
      expect(valueOf(after, unauthenticated) - valueOf(before, unauthenticated)).toBe(1);
      expect(valueOf(after, badInput) - valueOf(before, badInput)).toBe(1);
    });
    const text = await scrape();
    // Caller-chosen names never become label values.
    expect(text).not.toContain('MyOwnName');
    expect(text).not.toContain('Another_1');
    expect(text).toMatch(
      /dealbrain_http_request_duration_seconds_bucket\{le="0\.005",route="graphql",operation="Viewer",outcome="ok"\} \d+/,
    );
  });

  it("takes the outcome from the answer's first error", async () => {
    const { token } = await newIdentity(server, 'metrics-node');
    const notFound = requestCount('graphql', 'DeleteListing', 'NOT_FOUND');
    const before = valueOf(await scrape(), notFound);
    const missing = Buffer.from(`Listing:${crypto.randomUUID()}`).toString('base64');
    const status = await post(
      {
        query: 'mutation DeleteListing($id: ID!) { deleteListing(id: $id) { __typename } }',
        operationName: 'DeleteListing',
        variables: { id: missing },
      },
      token,
    );
    expect(status).toBe(200);
    await vi.waitFor(async () => expect(valueOf(await scrape(), notFound) - before).toBe(1));
  });

  it('count webhook requests by outcome', async () => {
    const rejected = requestCount('webhook', 'clerk', 'rejected');
    const before = valueOf(await scrape(), rejected);
    const res = await fetch(`${server.url}/api/webhooks/clerk`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    await vi.waitFor(async () => expect(valueOf(await scrape(), rejected) - before).toBe(1));
  });
});

describe('database metrics', () => {
  it('report the pool by state when scraped', async () => {
    const text = await scrape();
    const total = valueOf(text, 'dealbrain_db_pool_connections{state="total"}');
    const idle = valueOf(text, 'dealbrain_db_pool_connections{state="idle"}');
    expect(total).toBeGreaterThan(0); // the requests above opened connections
    expect(idle).toBeLessThanOrEqual(total);
    expect(text).toContain('dealbrain_db_pool_connections{state="waiting"} 0');
  });

  it('time RLS transactions by role: the viewer lookup, the viewer, and an interactive app_sync one', async () => {
    const { token } = await newIdentity(server, 'metrics-rls');
    const series = (role: string) => `dealbrain_rls_transaction_duration_seconds_count{role="${role}"}`;
    const before = await scrape();
    expect(await post({ query: '{ listings(first: 5) { totalCount } }' }, token)).toBe(200);
    await withSync(server.app.base, (tx) => tx.$queryRaw`SELECT 1`);
    const after = await scrape();
    expect(valueOf(after, series('app_auth'))).toBeGreaterThan(valueOf(before, series('app_auth')));
    expect(valueOf(after, series('app_user'))).toBeGreaterThan(valueOf(before, series('app_user')));
    expect(valueOf(after, series('app_sync'))).toBeGreaterThan(valueOf(before, series('app_sync')));
    expect(valueOf(after, 'dealbrain_rls_transaction_duration_seconds_sum{role="app_user"}')).toBeGreaterThan(0);
  });
});
