// GET /metrics in Prometheus' text format, on a listener of its own (METRICS_PORT, METRICS_HOST), never on
// the API's port: a load balancer in front of the API cannot expose it by accident (ADR 0068). With
// METRICS_TOKEN set, a scrape must send it as a bearer token; config.ts refuses a non-loopback host
// without one.
import { createHash, timingSafeEqual } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { sendJson } from './send-json.js';

export interface MetricsServerDeps {
  registry: Registry;
  /** METRICS_TOKEN; undefined: no token asked (loopback only, config.ts). */
  token: string | undefined;
  log: Logger;
}

/**
 * Equal digests of equal length, compared in constant time: neither the token's length nor the position
 * of the first wrong character shows in how long a refusal takes.
 */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function bearerOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function authorized(req: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return true;
  const given = bearerOf(req);
  return given !== undefined && sameSecret(given, token);
}

async function serveMetrics(deps: MetricsServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (pathname !== '/metrics') return sendJson(res, 404, { error: 'not_found', message: `No route for ${pathname}` });
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return sendJson(res, 405, { error: 'method_not_allowed', message: 'Use GET' }, { allow: 'GET, HEAD' });
  }
  if (!authorized(req, deps.token)) {
    // Never the token, given or expected: only that a scrape was refused.
    deps.log.warn({ event: 'metrics.unauthorized' }, 'metrics scrape refused');
    return sendJson(
      res,
      401,
      { error: 'unauthorized', message: 'A valid bearer token is required' },
      {
        'www-authenticate': 'Bearer realm="metrics"',
      },
    );
  }
  const body = await deps.registry.metrics();
  res.writeHead(200, {
    'content-type': deps.registry.contentType,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** The metrics listener; main.ts listens on METRICS_HOST:METRICS_PORT before the API's port. */
export function createMetricsServer(deps: MetricsServerDeps): http.Server {
  const server = http.createServer((req, res) => {
    serveMetrics(deps, req, res).catch((error: unknown) => {
      deps.log.error({ event: 'metrics.failed', err: error }, 'metrics not collected');
      if (res.headersSent) res.end();
      else sendJson(res, 500, { error: 'internal', message: 'Metrics could not be collected' });
    });
  });
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  return server;
}
