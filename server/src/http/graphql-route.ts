// /graphql. What must not reach GraphQL is refused here: a body declared too large, a bad
// credential, a disabled account. The rest goes to Yoga's Node integration, which reads the body
// (bounded again while it is read: maxRequestBodySize, graphql/yoga.ts) and streams its response.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Authenticate } from '#src/auth/authenticate.js';
import { AccountDisabledError, InvalidCredentialError, SignupsDisabledError } from '#src/auth/errors.js';
import type { Viewer } from '#src/auth/viewer.js';
import type { Context } from '#src/graphql/context.js';
import type { ServerContext } from '#src/graphql/yoga.js';
import type { Metrics } from '#src/metrics.js';
import { authFailureOf, type AuthFailure } from '#src/audit/auth-failure-log.js';
import { clientInfoOf, type ClientInfo, type TrustProxy } from './client-info.js';
import { sendGraphQLError } from './graphql-error.js';
import { refusalByDeclaredLength } from './request-body.js';

export interface GraphQLRouteDeps {
  yoga: YogaServerInstance<ServerContext, Context>;
  authenticate: Authenticate;
  maxBodyBytes: number;
  metrics: Metrics;
  /** Whose Forwarded / X-Forwarded-For headers name the client (TRUSTED_PROXIES); default nobody's. */
  trustProxy?: TrustProxy;
  /** Every refused credential, tallied into auth.failed audit events (audit/auth-failure-log.ts). */
  authFailures?: { record(failure: AuthFailure): void };
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
    throw error;
  }
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
  const viewer = await viewerOrRefuse(deps, req, res, log, client);
  if (viewer === undefined) return;
  await deps.yoga.handle(req, res, { requestId, log, viewer, client });
}
