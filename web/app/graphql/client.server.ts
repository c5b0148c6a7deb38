// GraphQL from loaders and actions: a urql Client per request, carrying the signed-in user's session
// token as a Bearer credential. Nothing here reaches the browser; the browser never holds a token.
import { isIP } from 'node:net';
import { Client, CombinedError, fetchExchange, type AnyVariables, type TypedDocumentNode } from '@urql/core';
import { json, redirect } from '@remix-run/node';
import { ERROR_CODES } from '@deal-brain/shared/error-codes';
import { getConfig } from '~/config.server';
import { logger } from '~/lib/log.server';
import { signInPath } from '~/lib/redirects';
import { requestIdOf } from '~/lib/request-id.server';
import type { SignedIn } from '~/auth/auth.server';
import { clearedSessionCookies, isSecureRequest } from '~/auth/session-cookies.server';

/** A field's validation message, keyed by the input field's name (`title`, `price`, …). */
export type FieldErrors = Record<string, string>;

/** Validation messages keyed by the issue's full path (`input.rules.2.number`); the first per path wins. */
export type PathErrors = Record<string, string>;

export type MutationResult<T> =
  { ok: true; data: T } | { ok: false; fieldErrors: FieldErrors; formError: string | null; pathErrors: PathErrors };

/** What error pages receive: a code to choose the message by (the API's, or the web app's own), and the id to quote. */
export interface ErrorPayload {
  code:
    | typeof ERROR_CODES.ACCOUNT_DISABLED
    | typeof ERROR_CODES.SIGNUPS_DISABLED
    | typeof ERROR_CODES.FORBIDDEN
    | typeof ERROR_CODES.NOT_FOUND
    | typeof ERROR_CODES.RATE_LIMITED
    | typeof ERROR_CODES.TIMEOUT
    | 'API_UNAVAILABLE'
    | 'API_ERROR'
    | 'INTERNAL';
  message: string;
  requestId: string;
}

export interface Api {
  /** The data, or a thrown Response (redirect to sign-in, 403 disabled page, error page). */
  query<Data, Variables extends AnyVariables>(
    document: TypedDocumentNode<Data, Variables>,
    variables: Variables,
  ): Promise<Data>;
  /**
   * Like query, but input validation failures (and an unavailable identity provider) come back as field
   * and form errors instead of being thrown.
   */
  mutate<Data, Variables extends AnyVariables>(
    document: TypedDocumentNode<Data, Variables>,
    variables: Variables,
    options?: MutateOptions,
  ): Promise<MutationResult<Data>>;
}

export interface MutateOptions {
  /**
   * FORBIDDEN errors that carry an `extensions.reason` (a rule of the API refused this change: the last
   * admin, a self-demotion) come back as the form's error, in the API's words, instead of the 403 page.
   */
  rulesAsFormErrors?: boolean;
}

interface GraphQLErrorLike {
  message: string;
  extensions?: Record<string, unknown>;
}

export function errorResponse(status: number, payload: ErrorPayload, headers?: Headers): Response {
  const responseHeaders = new Headers(headers);
  responseHeaders.set('Cache-Control', 'private, no-store');
  return json(payload, { status, headers: responseHeaders });
}

/**
 * The codes a mutation returns to its form instead of throwing an error page: invalid input, and an
 * identity provider that could not take a change (nothing changed; the person may try again).
 */
const FORM_ERROR_CODES: ReadonlySet<string> = new Set([
  ERROR_CODES.BAD_USER_INPUT,
  ERROR_CODES.IDENTITY_PROVIDER_UNAVAILABLE,
]);

function codeOf(error: GraphQLErrorLike): string | undefined {
  const code = error.extensions?.code;
  return typeof code === 'string' ? code : undefined;
}

/** `input.title` → `title`; the first message per field wins. */
export function fieldErrorsFrom(errors: readonly GraphQLErrorLike[]): {
  fieldErrors: FieldErrors;
  formError: string | null;
} {
  const fieldErrors: FieldErrors = {};
  let formError: string | null = null;
  for (const error of errors) {
    const issues = error.extensions?.issues;
    if (Array.isArray(issues) && issues.length > 0) {
      for (const issue of issues as { path?: unknown; message?: unknown }[]) {
        if (typeof issue.message !== 'string') continue;
        const field = typeof issue.path === 'string' ? issue.path.split('.').pop() : undefined;
        if (field && field !== 'input' && !(field in fieldErrors)) fieldErrors[field] = issue.message;
        else formError ??= issue.message;
      }
    } else {
      formError ??= error.message;
    }
  }
  return { fieldErrors, formError };
}

/**
 * Every issue by its full path, for forms whose fields repeat (`input.rules.0.amount` and
 * `input.rules.1.amount` are different fields; fieldErrorsFrom keys both as `amount`).
 */
export function pathErrorsFrom(errors: readonly GraphQLErrorLike[]): PathErrors {
  const pathErrors: PathErrors = {};
  for (const error of errors) {
    const issues = error.extensions?.issues;
    if (!Array.isArray(issues)) continue;
    for (const issue of issues as { path?: unknown; message?: unknown }[]) {
      if (typeof issue.message !== 'string' || typeof issue.path !== 'string') continue;
      if (!(issue.path in pathErrors)) pathErrors[issue.path] = issue.message;
    }
  }
  return pathErrors;
}

/**
 * A Retry-After value in whole seconds. The API sends delta-seconds only (RFC 9110 also allows an HTTP
 * date, which it never sends); anything else is undefined, so a garbled header is dropped, not passed on.
 */
export function parseRetryAfter(value: string): number | undefined {
  const trimmed = value.trim();
  if (!/^\d+$/.test(trimmed)) return undefined;
  const seconds = Number(trimmed);
  return Number.isSafeInteger(seconds) ? seconds : undefined;
}

/**
 * How long the API asked us to wait: its Retry-After header (a 429 before GraphQL ran, or Yoga's from the
 * error's `extensions.http`), else the `retryAfter` extension an error in a 200 answer carries.
 */
function retryAfterSecondsOf(error: CombinedError): number | undefined {
  const header = (error.response as Response | undefined)?.headers?.get('retry-after');
  const fromHeader = header ? parseRetryAfter(header) : undefined;
  if (fromHeader !== undefined) return fromHeader;
  for (const graphQLError of error.graphQLErrors) {
    const seconds = graphQLError.extensions?.retryAfter;
    if (typeof seconds === 'number' && Number.isSafeInteger(seconds) && seconds >= 0) return seconds;
  }
  return undefined;
}

/** What the rate-limited page says: when to come back, if the API said. */
function tooManyRequestsMessage(retryAfterSeconds: number | undefined): string {
  if (!retryAfterSeconds) return 'Too many requests, try again in a moment';
  return `Too many requests, try again in ${retryAfterSeconds} ${retryAfterSeconds === 1 ? 'second' : 'seconds'}`;
}

/** Longer than any real browser's; the API keeps less still (it truncates what it records). */
export const MAX_FORWARDED_USER_AGENT_LENGTH = 512;

/**
 * The browser's User-Agent, passed on to the API as the request's own so the audit events it writes
 * (a key created, a profile changed) record the person's browser rather than this server's fetch. Empty
 * when the browser sent none: the API then records none (not Node's default "node"). No other header of
 * the browser's request is passed on: never its cookies.
 */
export function forwardedUserAgent(request: Request): string {
  return (request.headers.get('user-agent') ?? '').slice(0, MAX_FORWARDED_USER_AGENT_LENGTH);
}

/**
 * Set by the production server (web/server.mjs) on every request to the browser's address, replacing
 * whatever the browser sent under this name (ADR 0067).
 */
export const CLIENT_ADDRESS_HEADER = 'x-deal-brain-client-address';

/**
 * Set on globalThis by web/server.mjs before it loads the build: only then does the header above come from
 * this server. Under any other host (the Vite dev server, or the build served by something else) it could
 * only come from the browser.
 */
export const WEB_SERVER_MARKER = Symbol.for('deal-brain.web-server');

/**
 * The browser's address, passed on to the API as X-Forwarded-For so that its audit events and rate limits
 * see the person rather than this server (the API trusts this server's address through TRUSTED_PROXIES).
 * None unless web/server.mjs hosts the app: elsewhere the header is the browser's own claim.
 */
export function forwardedClientAddress(request: Request): Record<string, string> {
  if (__VITE_DEV_SERVER__ || (globalThis as Record<symbol, unknown>)[WEB_SERVER_MARKER] !== true) return {};
  const address = request.headers.get(CLIENT_ADDRESS_HEADER)?.trim() ?? '';
  return isIP(address) ? { 'x-forwarded-for': address } : {};
}

export function createApi(session: SignedIn, request: Request): Api {
  const config = getConfig();
  const requestId = requestIdOf(request);
  const url = new URL(request.url);
  const userAgent = forwardedUserAgent(request);
  const clientAddress = forwardedClientAddress(request);
  const client = new Client({
    url: `${config.apiUrl}/graphql`,
    exchanges: [fetchExchange],
    requestPolicy: 'network-only',
    preferGetMethod: false,
    fetchOptions: () => ({
      headers: {
        authorization: `Bearer ${session.token}`,
        'x-request-id': requestId,
        'user-agent': userAgent,
        ...clientAddress,
      },
      signal: AbortSignal.timeout(config.apiTimeoutMs),
    }),
  });

  /** Turns a failed operation into the Response a loader or action throws. */
  function fail(kind: 'query' | 'mutation', operation: string, error: CombinedError): never {
    const status = (error.response as Response | undefined)?.status;
    const codes = error.graphQLErrors.map((graphQLError) => codeOf(graphQLError));
    const secure = isSecureRequest(request);

    if (status === 401 || codes.includes(ERROR_CODES.UNAUTHENTICATED)) {
      // The API does not accept this session (ended, expired, foreign): sign in again.
      logger.warn('api.unauthenticated', { requestId, operation });
      const headers = new Headers({ 'Cache-Control': 'private, no-store' });
      for (const cookie of clearedSessionCookies({ secure })) headers.append('Set-Cookie', cookie);
      throw redirect(signInPath(`${url.pathname}${url.search}`), { headers });
    }
    if (codes.includes(ERROR_CODES.ACCOUNT_DISABLED)) {
      throw errorResponse(
        403,
        { code: 'ACCOUNT_DISABLED', message: 'This account is disabled', requestId },
        session.headers,
      );
    }
    if (codes.includes(ERROR_CODES.SIGNUPS_DISABLED)) {
      // A new identity signed in while sign-ups are off: the API created no account for it.
      throw errorResponse(
        403,
        { code: 'SIGNUPS_DISABLED', message: 'Sign-ups are closed', requestId },
        session.headers,
      );
    }
    if (codes.includes(ERROR_CODES.FORBIDDEN)) {
      throw errorResponse(
        403,
        { code: 'FORBIDDEN', message: 'You do not have access to this page', requestId },
        session.headers,
      );
    }
    // NOT_FOUND, or a query whose id from the URL is not even well-formed: either way, nothing here.
    if (
      codes.includes(ERROR_CODES.NOT_FOUND) ||
      (kind === 'query' && codes.length > 0 && codes.every((code) => code === ERROR_CODES.BAD_USER_INPUT))
    ) {
      throw errorResponse(404, { code: 'NOT_FOUND', message: 'Not found', requestId }, session.headers);
    }
    if (status === 429 || codes.includes(ERROR_CODES.RATE_LIMITED)) {
      // A refusal to wait out, not a failure of the API: a warning, and the browser learns for how long.
      const retryAfterSeconds = retryAfterSecondsOf(error);
      logger.warn('api.rate_limited', { requestId, operation, status, retryAfterSeconds });
      const headers = new Headers(session.headers);
      if (retryAfterSeconds !== undefined) headers.set('Retry-After', String(retryAfterSeconds));
      throw errorResponse(
        429,
        { code: 'RATE_LIMITED', message: tooManyRequestsMessage(retryAfterSeconds), requestId },
        headers,
      );
    }
    if (codes.includes(ERROR_CODES.TIMEOUT)) {
      // A statement or the whole request ran past the API's time limit (HTTP 200 or 503): worth a retry.
      logger.warn('api.timeout', { requestId, operation, status });
      throw errorResponse(
        503,
        { code: 'TIMEOUT', message: 'The Deal Brain API took too long to answer this request', requestId },
        session.headers,
      );
    }
    const unavailable = Boolean(error.networkError) || (status !== undefined && status >= 500);
    logger.error('api.failed', {
      requestId,
      operation,
      status,
      codes,
      err: error.networkError?.message ?? error.graphQLErrors.map((graphQLError) => graphQLError.message).join('; '),
    });
    throw errorResponse(
      unavailable ? 503 : 502,
      unavailable
        ? { code: 'API_UNAVAILABLE', message: 'The Deal Brain API is not reachable right now', requestId }
        : { code: 'API_ERROR', message: 'The Deal Brain API could not answer this request', requestId },
      session.headers,
    );
  }

  function operationName(document: TypedDocumentNode<unknown, never>): string {
    for (const definition of document.definitions) {
      if (definition.kind === 'OperationDefinition') return definition.name?.value ?? 'anonymous';
    }
    return 'anonymous';
  }

  return {
    async query(document, variables) {
      const started = performance.now();
      const result = await client.query(document, variables).toPromise();
      logApiCall(requestId, operationName(document as TypedDocumentNode<unknown, never>), started, result.error);
      if (result.error || !result.data) {
        fail('query', operationName(document as TypedDocumentNode<unknown, never>), result.error ?? missingData());
      }
      return result.data;
    },

    async mutate(document, variables, options = {}) {
      const started = performance.now();
      const result = await client.mutation(document, variables).toPromise();
      logApiCall(requestId, operationName(document as TypedDocumentNode<unknown, never>), started, result.error);
      const error = result.error;
      if (error && !error.networkError) {
        const inputErrors = error.graphQLErrors.filter(
          (graphQLError) =>
            FORM_ERROR_CODES.has(codeOf(graphQLError) ?? '') ||
            (options.rulesAsFormErrors === true &&
              codeOf(graphQLError) === ERROR_CODES.FORBIDDEN &&
              typeof graphQLError.extensions?.reason === 'string'),
        );
        if (inputErrors.length > 0 && inputErrors.length === error.graphQLErrors.length) {
          return { ok: false, ...fieldErrorsFrom(inputErrors), pathErrors: pathErrorsFrom(inputErrors) };
        }
      }
      if (error || !result.data) {
        fail('mutation', operationName(document as TypedDocumentNode<unknown, never>), error ?? missingData());
      }
      return { ok: true, data: result.data };
    },
  };
}

/**
 * One line per API call, under the request id the API logs too (x-request-id): debug when it succeeded,
 * info when it did not (the page's own warning or error line follows). A success is Yoga's 200; a failure
 * carries the API's status, or none when the API was not reached.
 */
function logApiCall(requestId: string, operation: string, started: number, error: CombinedError | undefined): void {
  const durationMs = Math.round((performance.now() - started) * 100) / 100;
  if (!error) {
    logger.debug('api.request', { requestId, operation, status: 200, durationMs });
    return;
  }
  const status = (error.response as Response | undefined)?.status;
  logger.info('api.request', { requestId, operation, status, durationMs, failed: true });
}

function missingData(): CombinedError {
  return new CombinedError({ networkError: new Error('The API answered without data') });
}
