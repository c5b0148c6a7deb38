// HTTP routes: /graphql, /api/webhooks/clerk, /healthz, /readyz, and in local identity mode /__local-auth/*.
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Context } from './graphql/context.js';
import type { Authenticate } from './auth/authenticate.js';
import { AccountDisabledError, InvalidCredentialError } from './auth/errors.js';
import type { Viewer } from './auth/viewer.js';
import type { ServerContext } from './graphql/yoga.js';
import { BodyError, readBody } from './http/request-body.js';
import { sendJson } from './http/send-json.js';
import type { Metrics } from './metrics.js';
import { CLERK_WEBHOOK_PATH, type ClerkWebhookHandler } from './webhooks/clerk-webhook-route.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<boolean>;

export interface HttpDeps {
  log: Logger;
  yoga: YogaServerInstance<ServerContext, Context>;
  authenticate: Authenticate;
  maxBodyBytes: number;
  /** Resolves when the database answers. */
  checkDatabase: () => Promise<void>;
  metrics: Metrics;
  /** POST /api/webhooks/clerk. */
  clerkWebhook: ClerkWebhookHandler;
  /** Extra routes, tried before the 404 (the local identity provider). */
  extraRoutes?: RouteHandler;
}

export interface HttpServer {
  server: http.Server;
  /** Marks the server as draining: readiness fails so load balancers stop sending traffic. */
  startDraining(): void;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

function fetchHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}

/** Hands the request to Yoga through its fetch API, with the body already read and bounded. */
function graphqlError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
) {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] }, headers);
}

/**
 * Authenticates before GraphQL parses anything, so a bad credential is a 401 whatever the query.
 * Returns undefined when the request has been answered (refused).
 */
async function viewerOrRefuse(
  deps: HttpDeps,
  req: IncomingMessage,
  res: ServerResponse,
  log: Logger,
): Promise<Viewer | null | undefined> {
  try {
    return await deps.authenticate(req.headers.authorization);
  } catch (error) {
    if (error instanceof InvalidCredentialError) {
      log.warn({ event: 'auth.failed', reason: error.reason }, 'credential refused');
      deps.metrics.authFailures.inc({ reason: error.reason });
      graphqlError(res, 401, 'UNAUTHENTICATED', 'The presented credential is invalid or expired', {
        'www-authenticate': 'Bearer error="invalid_token"',
      });
      return undefined;
    }
    if (error instanceof AccountDisabledError) {
      log.warn({ event: 'auth.account_disabled', userId: error.userId }, 'disabled account refused');
      graphqlError(res, 403, 'ACCOUNT_DISABLED', 'This account is disabled');
      return undefined;
    }
    throw error;
  }
}

async function serveGraphQL(
  deps: HttpDeps,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  log: Logger,
): Promise<void> {
  const method = req.method ?? 'GET';
  let body: Buffer | undefined;
  try {
    body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req, deps.maxBodyBytes);
  } catch (error) {
    if (!(error instanceof BodyError)) throw error;
    res.setHeader('connection', 'close');
    return graphqlError(res, error.status, 'BAD_REQUEST', error.message);
  }
  const viewer = await viewerOrRefuse(deps, req, res, log);
  if (viewer === undefined) return;
  const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, {
    method,
    headers: fetchHeaders(req),
    ...(body ? { body: body as unknown as BodyInit } : {}),
  });
  const response = await deps.yoga.fetch(request, { requestId, log, viewer });
  const payload = Buffer.from(await response.arrayBuffer());
  response.headers.forEach((value, name) => res.setHeader(name, value));
  res.writeHead(response.status, { 'content-length': payload.length });
  res.end(payload);
}

function logAccess(log: Logger, req: IncomingMessage, res: ServerResponse, pathname: string, started: bigint): void {
  res.on('finish', () => {
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    log.info(
      {
        event: 'http.request',
        method: req.method,
        path: pathname,
        status: res.statusCode,
        durationMs: Math.round(durationMs * 100) / 100,
      },
      'request',
    );
  });
}

export function createHttpServer(deps: HttpDeps): HttpServer {
  let draining = false;

  async function route(req: IncomingMessage, res: ServerResponse, pathname: string, requestId: string, log: Logger) {
    if (pathname === '/graphql') {
      return serveGraphQL(deps, req, res, requestId, log);
    }
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
    route(req, res, pathname, requestId, log).catch((error: unknown) => {
      log.error({ event: 'http.unhandled', err: error }, 'unhandled error');
      if (res.headersSent) res.end();
      // GraphQL clients get the shape they parse, masked like every unexpected error.
      else if (pathname === '/graphql') graphqlError(res, 500, 'INTERNAL_SERVER_ERROR', 'Unexpected error.');
      else sendJson(res, 500, { error: 'internal', message: 'Internal server error', requestId });
    });
  });
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  return { server, startDraining: () => void (draining = true) };
}
