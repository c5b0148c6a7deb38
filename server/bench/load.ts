// Load through the whole server with autocannon, in a worker thread so the load generator does not
// share the server's event loop. Requests rotate over the owners' tokens (each connection cycles
// through them). Latency comes from every response's exact duration (worker/latency-probe.cjs):
// autocannon's own histogram keeps whole milliseconds only.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { BroadcastChannel } from 'node:worker_threads';
import autocannon, { type RequestSpec, type Result } from 'autocannon';
import { LISTINGS_QUERY } from './server.js';
import { percentiles, type Percentiles } from './stats.js';

const LATENCY_PROBE = fileURLToPath(new URL('./worker/latency-probe.cjs', import.meta.url));
const VERIFY_BODY = fileURLToPath(new URL('./worker/verify-body.cjs', import.meta.url));
/** How long to wait for the last latency batches after autocannon reports. */
const SAMPLE_WAIT_MS = 5_000;

export interface LoadOptions {
  url: string;
  tokens: string[];
  connections: number;
  durationSeconds: number;
}

export interface LoadResult {
  requests: number;
  durationSeconds: number;
  requestsPerSecond: number;
  latency: Percentiles;
}

function requestsFor(tokens: string[]): RequestSpec[] {
  const body = JSON.stringify({ query: LISTINGS_QUERY });
  return tokens.map((token) => ({
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  }));
}

function runAutocannon(options: LoadOptions, channelName: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationSeconds,
        timeout: 10,
        // autocannon stops on the first sample tick after the duration: tick often.
        sampleInt: 250,
        workers: 1,
        title: channelName,
        requests: requestsFor(options.tokens),
        setupClient: LATENCY_PROBE,
        verifyBody: VERIFY_BODY,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

function describeFailures(result: Result): string | undefined {
  const problems: string[] = [];
  if (result.errors > 0) problems.push(`${result.errors} connection errors`);
  if (result.timeouts > 0) problems.push(`${result.timeouts} timeouts`);
  if (result.non2xx > 0) problems.push(`${result.non2xx} non-2xx (${JSON.stringify(result.statusCodeStats)})`);
  if (result.mismatches > 0)
    problems.push(`${result.mismatches} responses failing the body check (totalCount 500, 20 edges, no errors)`);
  return problems.length > 0 ? problems.join(', ') : undefined;
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

/** Runs one load test; throws on any failed or wrong response. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const channelName = `dealbrain-bench-${randomUUID()}`;
  const channel = new BroadcastChannel(channelName);
  const samples: number[] = [];
  channel.onmessage = (event) => {
    for (const value of (event as { data: number[] }).data) samples.push(value);
  };
  try {
    const result = await runAutocannon(options, channelName);
    const failures = describeFailures(result);
    if (failures) throw new Error(`load against ${options.url} failed: ${failures}`);
    const expected = result.latency.totalCount;
    if (!(await waitFor(() => samples.length >= expected, SAMPLE_WAIT_MS))) {
      throw new Error(`latency probe delivered ${samples.length} of ${expected} samples`);
    }
    return {
      requests: expected,
      durationSeconds: result.duration,
      requestsPerSecond: expected / result.duration,
      latency: percentiles(samples),
    };
  } finally {
    channel.close();
  }
}
