// HTTP routes: /graphql, /api/webhooks/clerk, /healthz, /readyz, and in local identity mode /__local-auth/*.
// /metrics is never served here: it has a listener of its own (http/metrics-route.ts, ADR 0068).
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { requestIdOr } from '@deal-brain/shared/request-id';
import type { Logger } from 'pino';
import { logAccess } from './http/access-log.js';
import { sendGraphQLError } from './http/graphql-error.js';
import { serveGraphQL, type GraphQLRouteDeps } from './http/graphql-route.js';
import { refuseIfNotLocal } from './http/local-mode-guard.js';
import { measureRequest, type MeasuredRoute } from './http/request-metrics.js';
import { sendJson } from './http/send-json.js';
import { CLERK_WEBHOOK_PATH, type ClerkWebhookHandler } from './webhooks/clerk-webhook-route.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<boolean>;

export interface HttpDeps extends GraphQLRouteDeps {
  log: Logger;
  /** Resolves when the database answers. */
  checkDatabase: () => Promise<void>;
  /** POST /api/webhooks/clerk. */
  clerkWebhook: ClerkWebhookHandler;
  /** Extra routes, tried before the 404 (the local identity provider). */
  extraRoutes?: RouteHandler;
  /**
   * Local identity mode: every route refuses a non-loopback Host and any forwarding header before routing
   * (http/local-mode-guard.ts).
   */
  localOnly?: boolean;
}

export interface HttpServer {
  server: http.Server;
  /** Marks the server as draining: readiness fails so load balancers stop sending traffic. */
  startDraining(): void;
}

/** The routes the request duration histogram covers; /metrics itself is never on this server. */
function measuredRoute(pathname: string): MeasuredRoute | undefined {
  if (pathname === '/graphql') return 'graphql';
  if (pathname === CLERK_WEBHOOK_PATH) return 'webhook';
  return undefined;
}

function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return requestIdOr(typeof given === 'string' ? given : undefined);
}

export function createHttpServer(deps: HttpDeps): HttpServer {
  let draining = false;

  async function route(req: IncomingMessage, res: ServerResponse, pathname: string, requestId: string, log: Logger) {
    if (pathname === '/graphql') return serveGraphQL(deps, req, res, requestId, log);
    if (pathname === CLERK_WEBHOOK_PATH) return deps.clerkWebhook(req, res, log);
    if (pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (pathname === '/readyz') {
      if (draining) return sendJson(res, 503, { status: 'draining' });
      try {
        await deps.checkDatabase();
        return sendJson(res, 200, { status: 'ready' });
      } catch (error) {
        log.error({ event: 'readiness.failed', err: (error as Error).message }, 'database not reachable');
        return sendJson(res, 503, { status: 'unavailable', reason: 'database' });
      }
    }
    if (deps.extraRoutes && (await deps.extraRoutes(req, res, pathname))) return;
    sendJson(res, 404, { error: 'not_found', message: `No route for ${pathname}` });
  }

  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    const requestId = requestIdOf(req);
    const log = deps.log.child({ requestId });
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    res.setHeader('x-request-id', requestId);
    // While draining, keep-alive clients are told to reconnect elsewhere after this response.
    if (draining) res.setHeader('connection', 'close');
    logAccess(log, req, res, pathname, started);
    const measured = measuredRoute(pathname);
    if (measured) measureRequest(deps.metrics, measured, req, res, started);
    const refusedAsNotLocal = deps.localOnly ? refuseIfNotLocal(req, res, pathname) : undefined;
    if (refusedAsNotLocal) {
      log.warn(
        { event: 'local_mode.refused', reason: refusedAsNotLocal.reason },
        'request not from this machine refused',
      );
      return;
    }
    route(req, res, pathname, requestId, log).catch((error: unknown) => {
      log.error({ event: 'http.unhandled', err: error }, 'unhandled error');
      if (res.headersSent) res.end();
      // GraphQL clients get the shape they parse, masked like every unexpected error.
      else if (pathname === '/graphql') sendGraphQLError(res, 500, 'INTERNAL_SERVER_ERROR', 'Unexpected error.');
      else sendJson(res, 500, { error: 'internal', message: 'Internal server error', requestId });
    });
  });
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  return { server, startDraining: () => void (draining = true) };
}
