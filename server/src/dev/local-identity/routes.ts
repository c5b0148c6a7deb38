// HTTP face of the local identity provider under /__local-auth: JWKS, sessions (start, refresh, end),
// identities (create, delete) and the Backend API stand-in (backend-api.ts, backend-api-sessions.ts), whose
// every /v1 route needs the provider's secret key, as Clerk's Backend API needs CLERK_SECRET_KEY. Mounted by
// the server in local auth mode only; the routes do not exist in production.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LOCAL_AUTH_PREFIX, LOCAL_AUTH_SECRET_HEADER, LOCAL_AUTH_SECRET_REFUSED } from '@deal-brain/shared/local-auth';
import { z } from 'zod';
import { BodyError, readBody } from '#src/http/request-body.js';
import { sendJson } from '#src/http/send-json.js';
import {
  BACKEND_API_PREFIX,
  banClerkUser,
  clerkErrorReply,
  deleteClerkUserProfileImage,
  getClerkUser,
  patchClerkUser,
  PROFILE_IMAGES_PATH,
  secretKeyRefusal,
  sendProfileImage,
  setClerkUserProfileImage,
  unbanClerkUser,
} from './backend-api.js';
import { BACKEND_API_SESSION_ROUTES } from './backend-api-sessions.js';
import { headerCarriesBootSecret } from './boot-secret.js';
import { LocalIdentityError, parseInput, type InputIssue, type LocalIdentityErrorCode } from './errors.js';
import { emailSchema, identityInputSchema } from './identities.js';
import type { LocalIdentityProvider } from './index.js';
import { authorizationCarriesSecretKey } from './secret-key.js';
import { ttlSecondsSchema } from './sessions.js';

export const LOCAL_AUTH_MAX_BODY_BYTES = 16 * 1024;

export interface RouteRequest {
  provider: LocalIdentityProvider;
  /** The path's id segment, percent-decoded, for the routes that have one. */
  id: string;
  /** The query string's parameters (GET /v1/sessions reads its filters from them). */
  query: URLSearchParams;
  /** Whether the request carries a body at all. */
  hasBody: boolean;
  /** The body as JSON: application/json only, at most LOCAL_AUTH_MAX_BODY_BYTES. */
  json(): Promise<unknown>;
  /** The body as multipart/form-data, at most `maxBytes`; undefined when it is another type or unreadable. */
  formData(maxBytes: number): Promise<FormData | undefined>;
  /** This server as the request reached it (http://127.0.0.1:4000): for URLs the stand-in hands out. */
  origin: string;
}

export interface Reply {
  status: number;
  /** Sent as JSON; none for a 204. */
  body?: unknown;
  /** Sent as is instead of a JSON body (an image); headers name its type. */
  raw?: Buffer;
  headers?: Record<string, string>;
}

export type Handler = (request: RouteRequest) => Reply | Promise<Reply>;

/** The body carries a bearer token or a person's data: no cache may keep it. */
const NO_STORE = { 'cache-control': 'no-store' };

const sessionRequestSchema = z.strictObject({
  email: emailSchema,
  ttlSeconds: ttlSecondsSchema.optional(),
  /** The browser's User-Agent, for the session list (kept cut to MAX_USER_AGENT_LENGTH). */
  userAgent: z.string({ error: 'must be a string' }).max(4096, 'must be at most 4096 characters').optional(),
});
const refreshRequestSchema = z.strictObject({ ttlSeconds: ttlSecondsSchema.optional() });

/**
 * `public`: answered without this boot's secret (profile images, which the browser loads itself, like an
 * image host's). The /v1 routes need the stand-in's secret key instead; every other route needs the secret.
 */
const ROUTES: { path: RegExp; methods: Record<string, Handler>; public?: true }[] = [
  { path: /^\/\.well-known\/jwks\.json$/, methods: { GET: sendJwks, HEAD: sendJwks } },
  { path: /^\/sessions$/, methods: { POST: startSession } },
  { path: /^\/sessions\/([^/]+)\/tokens$/, methods: { POST: refreshSession } },
  { path: /^\/sessions\/([^/]+)\/end$/, methods: { POST: endSession } },
  { path: /^\/identities$/, methods: { POST: createIdentity } },
  { path: /^\/identities\/([^/]+)$/, methods: { DELETE: deleteIdentity } },
  { path: /^\/v1\/users\/([^/]+)$/, methods: { GET: getClerkUser, PATCH: patchClerkUser } },
  { path: /^\/v1\/users\/([^/]+)\/ban$/, methods: { POST: banClerkUser } },
  { path: /^\/v1\/users\/([^/]+)\/unban$/, methods: { POST: unbanClerkUser } },
  {
    path: /^\/v1\/users\/([^/]+)\/profile_image$/,
    methods: { POST: setClerkUserProfileImage, DELETE: deleteClerkUserProfileImage },
  },
  {
    path: new RegExp(`^${PROFILE_IMAGES_PATH}/([^/]+)$`),
    methods: { GET: sendProfileImage, HEAD: sendProfileImage },
    public: true,
  },
  ...BACKEND_API_SESSION_ROUTES,
];

/** An expected failure, answered with its status and `{ error: code, message, issues? }`. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { headers?: Record<string, string>; issues?: InputIssue[] } = {},
  ) {
    super(message);
  }
}

const STATUS_OF: Record<LocalIdentityErrorCode, number> = {
  invalid_input: 400,
  identity_not_found: 404,
  identity_exists: 409,
  identity_protected: 409,
  identity_banned: 403,
  session_not_found: 404,
};

export interface LocalAuthRouteOptions {
  /** Told about unexpected (500) failures; the response itself never carries details. */
  onError?: (error: unknown) => void;
}

/**
 * Answers the request if `pathname` is one of the local auth routes, or any /v1 path without the secret key
 * (401), and returns true; returns false (having touched nothing) otherwise, so the caller can go on routing.
 */
export async function handleLocalAuthRequest(
  provider: LocalIdentityProvider,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  options: LocalAuthRouteOptions = {},
): Promise<boolean> {
  // The Backend API answers in Clerk's shape, refusals included.
  const backendApi = pathname.startsWith(`${LOCAL_AUTH_PREFIX}${BACKEND_API_PREFIX}`);
  // One guard for every /v1 path, before anything else, as Clerk's 401 comes before its 404 or 405: without
  // the secret key nothing of the Backend API answers, not even whether a route exists.
  if (backendApi && !authorizationCarriesSecretKey(req.headers.authorization, provider.secretKey)) {
    send(res, withUnreadBodyClosed(req, secretKeyRefusal()));
    return true;
  }
  const route = pathname.startsWith(`${LOCAL_AUTH_PREFIX}/`)
    ? matchRoute(pathname.slice(LOCAL_AUTH_PREFIX.length))
    : undefined;
  if (!route) return false;
  // Sessions, identities and the key set answer only the web app, which read this boot's secret from the
  // state directory: a page, a reverse proxy or another user on this machine cannot.
  if (
    !backendApi &&
    !route.public &&
    !headerCarriesBootSecret(req.headers[LOCAL_AUTH_SECRET_HEADER], provider.bootSecret)
  ) {
    send(res, withUnreadBodyClosed(req, bootSecretRefusal()));
    return true;
  }
  try {
    const handler = route.methods[req.method ?? ''];
    if (!handler) throw methodNotAllowed(Object.keys(route.methods).join(', '));
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    const reply = await handler({
      provider,
      id: route.id,
      query,
      hasBody: hasBody(req),
      json: () => readJson(req),
      formData: (maxBytes) => readFormData(req, maxBytes),
      origin: `http://${req.headers.host ?? 'localhost'}`,
    });
    send(res, withUnreadBodyClosed(req, reply));
  } catch (error) {
    sendFailure(req, res, error, options.onError, backendApi);
  }
  return true;
}

/**
 * A reply sent before the request's body was read (a refusal) closes the connection, and what still arrives
 * is discarded: the unread rest of the body would otherwise be parsed as the next request.
 */
function withUnreadBodyClosed(req: IncomingMessage, reply: Reply): Reply {
  if (req.complete) return reply;
  req.resume();
  return { ...reply, headers: { ...reply.headers, connection: 'close' } };
}

function matchRoute(path: string): { methods: Record<string, Handler>; id: string; public: boolean } | undefined {
  for (const route of ROUTES) {
    const found = route.path.exec(path);
    if (found) return { methods: route.methods, id: decodePathSegment(found[1] ?? ''), public: route.public ?? false };
  }
  return undefined;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new HttpError(415, 'unsupported_media_type', 'Content-Type must be application/json');
  }
  const text = (await readBody(req, LOCAL_AUTH_MAX_BODY_BYTES)).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'invalid_json', 'Request body is not valid JSON');
  }
}

async function readFormData(req: IncomingMessage, maxBytes: number): Promise<FormData | undefined> {
  const contentType = req.headers['content-type'] ?? '';
  if (contentType.split(';')[0]?.trim().toLowerCase() !== 'multipart/form-data') return undefined;
  const bytes = await readBody(req, maxBytes);
  try {
    // The platform's own multipart parser (undici), as fetch's Request and Response use it.
    return await new Response(new Uint8Array(bytes), { headers: { 'content-type': contentType } }).formData();
  } catch {
    return undefined;
  }
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // Malformed escapes cannot name anything; keep the raw text so the lookup simply misses.
    return segment;
  }
}

function bootSecretRefusal(): Reply {
  const message = `Send this boot's secret in ${LOCAL_AUTH_SECRET_HEADER}: the web app reads it from the API server's local-auth state directory (DATA_DIR/local-auth)`;
  return { status: 403, body: { error: LOCAL_AUTH_SECRET_REFUSED, message }, headers: NO_STORE };
}

function methodNotAllowed(allow: string): HttpError {
  return new HttpError(405, 'method_not_allowed', `Use ${allow} for this path`, { headers: { allow } });
}

// ---------------------------------------------------------------------------------------------------------
// Handlers

function sendJwks({ provider }: RouteRequest): Reply {
  // Verifiers may cache the key set briefly; the key only changes when the state directory is wiped.
  return { status: 200, body: provider.jwks(), headers: { 'cache-control': 'public, max-age=300' } };
}

async function startSession({ provider, json }: RouteRequest): Promise<Reply> {
  const { email, ttlSeconds, userAgent } = parseInput(sessionRequestSchema, await json());
  return { status: 201, body: await provider.startSession(email, { ttlSeconds, userAgent }), headers: NO_STORE };
}

async function refreshSession({ provider, id, hasBody, json }: RouteRequest): Promise<Reply> {
  // Clerk's POST /v1/sessions/:id/tokens takes no body; ours may carry a ttl.
  const { ttlSeconds } = parseInput(refreshRequestSchema, hasBody ? await json() : {});
  return { status: 201, body: await provider.refreshSession(id, { ttlSeconds }), headers: NO_STORE };
}

/** Sign-out. Idempotent: an ended session is ended again with 204. */
function endSession({ provider, id }: RouteRequest): Reply {
  if (provider.endSession(id)) return { status: 204 };
  const message = 'No active or ended session with this id (sessions live in memory)';
  return { status: 404, body: { error: 'session_not_found', message } };
}

async function createIdentity({ provider, json }: RouteRequest): Promise<Reply> {
  const input = parseInput(identityInputSchema, await json());
  return { status: 201, body: await provider.createIdentity(input), headers: NO_STORE };
}

async function deleteIdentity({ provider, id }: RouteRequest): Promise<Reply> {
  await provider.deleteIdentity(id);
  // Clerk's DELETE /v1/users/:id answers with the deleted object.
  return { status: 200, body: { object: 'user', id, deleted: true }, headers: NO_STORE };
}

// ---------------------------------------------------------------------------------------------------------
// Responses

function send(res: ServerResponse, reply: Reply): void {
  if (reply.raw !== undefined) {
    res.writeHead(reply.status, { ...reply.headers, 'content-length': reply.raw.length });
    res.end(res.req.method === 'HEAD' ? undefined : reply.raw);
  } else if (reply.body === undefined) res.writeHead(reply.status, reply.headers).end();
  else sendJson(res, reply.status, reply.body, reply.headers);
}

function expectedFailure(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof BodyError) {
    return new HttpError(error.status, error.status === 413 ? 'payload_too_large' : 'invalid_request', error.message);
  }
  if (error instanceof LocalIdentityError) {
    // Over HTTP, invalid input is an invalid request, whether the routes or the provider found it.
    const code = error.code === 'invalid_input' ? 'invalid_request' : error.code;
    return new HttpError(STATUS_OF[error.code], code, error.message, { issues: error.issues });
  }
  return undefined;
}

function sendFailure(
  req: IncomingMessage,
  res: ServerResponse,
  error: unknown,
  onError: ((error: unknown) => void) | undefined,
  /** Answer in Clerk's error shape (the Backend API routes), which @clerk/backend parses. */
  clerkShaped = false,
): void {
  const expected = expectedFailure(error);
  if (!expected) onError?.(error);
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const failure = expected ?? new HttpError(500, 'internal_error', 'The local identity provider failed');
  const headers = { ...failure.extra.headers };
  if (!req.complete) {
    // The unread rest of the body would be parsed as the next request: close the connection after
    // answering, and discard what still arrives meanwhile.
    headers.connection = 'close';
    req.resume();
  }
  if (clerkShaped) {
    const paramOf = (path: (string | number)[]) => (path.length > 0 ? path.join('.') : undefined);
    const entries = failure.extra.issues?.length
      ? failure.extra.issues.map((issue) => ({
          code: failure.code,
          message: issue.message,
          paramName: paramOf(issue.path),
        }))
      : [{ code: failure.code, message: failure.message }];
    const reply = clerkErrorReply(failure.status, entries);
    sendJson(res, reply.status, reply.body, { ...reply.headers, ...headers });
    return;
  }
  const issues = failure.extra.issues?.length ? { issues: failure.extra.issues } : {};
  sendJson(res, failure.status, { error: failure.code, message: failure.message, ...issues }, headers);
}
