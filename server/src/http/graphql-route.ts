// /graphql. What must not reach GraphQL is refused here: a body declared too large, a bad
// credential, a disabled account. The rest goes to Yoga's Node integration, which reads the body
// (bounded again while it is read: maxRequestBodySize, graphql/yoga.ts) and streams its response.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Authenticate } from '#src/auth/authenticate.js';
import {
  AccountDisabledError,
  IdentityProviderUnavailableError,
  InvalidCredentialError,
  SignupsDisabledError,
} from '#src/auth/errors.js';
import type { Viewer } from '#src/auth/viewer.js';
import type { Context } from '#src/graphql/context.js';
import type { ServerContext } from '#src/graphql/yoga.js';
import type { Metrics } from '#src/metrics.js';
import { authFailureOf, type AuthFailure } from '#src/audit/auth-failure-log.js';
import { clientInfoOf, type ClientInfo, type TrustProxy } from './client-info.js';
import { isQueryCanceled, requestTimedOut } from '#src/graphql/time-limits.js';
import { isTransientDatabaseError } from '#src/db/transient-errors.js';
import { sendGraphQLError } from './graphql-error.js';
import { refusalByDeclaredLength } from './request-body.js';
import type { RateLimits } from '#src/rate-limit/limits.js';
import { sendRateLimited } from '#src/rate-limit/refusal.js';

export interface GraphQLRouteDeps {
  yoga: YogaServerInstance<ServerContext, Context>;
  authenticate: Authenticate;
  maxBodyBytes: number;
  metrics: Metrics;
  /** Whose Forwarded / X-Forwarded-For headers name the client (TRUSTED_PROXIES); default nobody's. */
  trustProxy?: TrustProxy;
  /** Every refused credential, tallied into auth.failed audit events (audit/auth-failure-log.ts). */
  authFailures?: { record(failure: AuthFailure): void };
  /** Per address before and after authentication, per user and API key in GraphQL (rate-limit/). */
  rateLimits?: RateLimits;
  /** GRAPHQL_REQUEST_TIMEOUT_MS: GraphQL's work on one request (parse, validate, execute) may take this long. */
  requestTimeoutMs?: number;
}

/**
 * Runs Yoga under the request's deadline (ADR 0061). When it passes, the client gets 503 TIMEOUT at
 * once, and the deadline is aborted: execution stops, the RLS client starts nothing more and open
 * transactions roll back instead of committing (db/rls.ts). Yoga's own late answer is then dropped
 * (it writes nothing to a response already ended).
 */
async function handleWithDeadline(
  deps: GraphQLRouteDeps,
  res: ServerResponse,
  log: Logger,
  handle: (deadline: AbortSignal | undefined) => Promise<unknown>,
): Promise<void> {
  const timeoutMs = deps.requestTimeoutMs;
  if (timeoutMs === undefined) {
    await handle(undefined);
    return;
  }
  const deadline = new AbortController();
  const timer = setTimeout(() => {
    const reason = requestTimedOut(timeoutMs);
    log.warn({ event: 'graphql.request_timeout', timeoutMs }, 'request ran past its deadline');
    if (!res.headersSent) sendGraphQLError(res, 503, 'TIMEOUT', reason.message, { 'retry-after': '1' });
    deadline.abort(reason);
  }, timeoutMs);
  try {
    await handle(deadline.signal);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Authenticates before GraphQL parses anything, so a bad credential is a 401 whatever the query.
 * Returns undefined when the request has been answered (refused).
 */
async function viewerOrRefuse(
  deps: GraphQLRouteDeps,
  req: IncomingMessage,
  res: ServerResponse,
  log: Logger,
  client: ClientInfo,
): Promise<Viewer | null | undefined> {
  try {
    return await deps.authenticate(req.headers.authorization);
  } catch (error) {
    const failure = authFailureOf(error);
    if (failure) deps.authFailures?.record({ ...failure, ip: client.ip });
    if (error instanceof InvalidCredentialError) {
      log.warn({ event: 'auth.failed', reason: error.reason }, 'credential refused');
      deps.metrics.authFailures.inc({ reason: error.reason });
      // Every refused credential costs its address more than a request without one.
      const limited = await deps.rateLimits?.chargeAddress(client.ip, 'auth_failure');
      if (limited) {
        sendRateLimited(res, limited);
        return undefined;
      }
      sendGraphQLError(res, 401, 'UNAUTHENTICATED', 'The presented credential is invalid or expired', {
        'www-authenticate': 'Bearer error="invalid_token"',
      });
      return undefined;
    }
    if (error instanceof AccountDisabledError) {
      log.warn({ event: 'auth.account_disabled', userId: error.userId }, 'disabled account refused');
      sendGraphQLError(res, 403, 'ACCOUNT_DISABLED', 'This account is disabled');
      return undefined;
    }
    if (error instanceof SignupsDisabledError) {
      log.info({ event: 'auth.signup_refused', clerkId: error.clerkId }, 'new identity refused: sign-ups are closed');
      sendGraphQLError(res, 403, 'SIGNUPS_DISABLED', 'Sign-ups are closed');
      return undefined;
    }
    if (error instanceof IdentityProviderUnavailableError) {
      // No signing key held and none can be fetched: the token may well be good. Nothing is refused for it.
      log.error({ event: 'auth.unavailable', reason: error.reason }, 'session tokens cannot be verified');
      sendGraphQLError(
        res,
        503,
        'IDENTITY_PROVIDER_UNAVAILABLE',
        'Sign-in cannot be checked right now; try again shortly',
        { 'retry-after': '5' },
      );
      return undefined;
    }
    return refuseIfDatabaseFailed(error, res, log);
  }
}

/**
 * The viewer lookup or just-in-time provisioning failed in the database: a statement past its timeout is
 * 503 TIMEOUT, a database that cannot be reached 503 SERVICE_UNAVAILABLE; both changed nothing and are worth
 * retrying. Anything else is a bug of ours, rethrown to the masked 500.
 */
function refuseIfDatabaseFailed(error: unknown, res: ServerResponse, log: Logger): undefined {
  if (isQueryCanceled(error)) {
    log.warn({ event: 'auth.timeout' }, 'the viewer lookup ran past its statement timeout');
    sendGraphQLError(res, 503, 'TIMEOUT', 'Checking the credential took too long; try again shortly', {
      'retry-after': '1',
    });
    return undefined;
  }
  if (isTransientDatabaseError(error)) {
    log.error({ event: 'auth.database_unavailable', err: error }, 'the viewer lookup could not reach the database');
    sendGraphQLError(res, 503, 'SERVICE_UNAVAILABLE', 'The service cannot reach its database; try again shortly', {
      'retry-after': '5',
    });
    return undefined;
  }
  throw error;
}

export async function serveGraphQL(
  deps: GraphQLRouteDeps,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  log: Logger,
): Promise<void> {
  // Refused before authenticating costs anything; the connection closes rather than read the rest.
  const refusal = refusalByDeclaredLength(req, deps.maxBodyBytes);
  if (refusal) {
    res.setHeader('connection', 'close');
    return sendGraphQLError(res, refusal.status, 'BAD_REQUEST', refusal.message);
  }
  const client = clientInfoOf(req, deps.trustProxy);
  // An address that spent its budget on refused credentials or anonymous requests is refused before
  // its credential is looked at: it gets to try no more of them in this window.
  const blocked = deps.rateLimits?.addressBlocked(client.ip);
  if (blocked) return sendRateLimited(res, blocked);
  const viewer = await viewerOrRefuse(deps, req, res, log, client);
  if (viewer === undefined) return;
  if (viewer === null) {
    const limited = await deps.rateLimits?.chargeAddress(client.ip, 'anonymous');
    if (limited) return sendRateLimited(res, limited);
  }
  await handleWithDeadline(deps, res, log, (deadline) =>
    deps.yoga.handle(req, res, { requestId, log, viewer, client, ...(deadline ? { deadline } : {}) }),
  );
}
