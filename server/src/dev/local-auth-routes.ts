// HTTP face of the local identity provider under /__local-auth: JWKS, sessions (start, refresh, end),
// identities (create, delete) and the part of Clerk's Backend API the app uses (GET/PATCH /v1/users/:id).
// Mounted by the dev server in local auth mode only; the routes do not exist in production.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import {
  describeIssues,
  emailSchema,
  identityInputSchema,
  identityUpdateSchema,
  LocalIdentityError,
  type LocalIdentity,
  ttlSecondsSchema,
  type LocalIdentityErrorCode,
  type LocalIdentityProvider,
} from './local-identity.js';
import { clerkUserJson } from './clerk-payloads.js';

export const LOCAL_AUTH_PREFIX = '/__local-auth';
export const LOCAL_AUTH_MAX_BODY_BYTES = 16 * 1024;

const sessionRequestSchema = z.strictObject({
  email: emailSchema,
  ttlSeconds: ttlSecondsSchema.optional(),
});

/** An expected failure with the status and JSON body to answer with. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const refreshRequestSchema = z.strictObject({ ttlSeconds: ttlSecondsSchema.optional() });

/** The part of Clerk's `PATCH /v1/users/:id` body the settings page uses. */
const clerkUserPatchSchema = z.strictObject({
  first_name: identityUpdateSchema.shape.firstName,
  last_name: identityUpdateSchema.shape.lastName,
});

const STATUS_BY_PROVIDER_CODE: Record<LocalIdentityErrorCode, number> = {
  invalid_input: 400,
  identity_not_found: 404,
  identity_exists: 409,
  identity_protected: 409,
  session_not_found: 404,
};

type Handler = (provider: LocalIdentityProvider, req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

interface Route {
  /** Handlers by HTTP method; their keys are the Allow header of a 405. */
  methods: Record<string, Handler>;
}

export interface LocalAuthRouteOptions {
  /** Told about unexpected (500) failures; the response itself never carries details. */
  onError?: (error: unknown) => void;
}

/**
 * Answers the request if `pathname` is one of the local auth routes and returns true; returns false
 * (having touched nothing) otherwise, so the caller can go on routing.
 */
export async function handleLocalAuthRequest(
  provider: LocalIdentityProvider,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  options: LocalAuthRouteOptions = {},
): Promise<boolean> {
  const route = matchRoute(pathname);
  if (!route) return false;
  try {
    const handler = route.methods[req.method ?? ''];
    if (!handler) throw methodNotAllowed(route);
    await handler(provider, req, res);
  } catch (error) {
    sendError(req, res, error, options.onError);
  }
  return true;
}

function matchRoute(pathname: string): Route | undefined {
  if (!pathname.startsWith(`${LOCAL_AUTH_PREFIX}/`)) return undefined;
  const rest = pathname.slice(LOCAL_AUTH_PREFIX.length);
  if (rest === '/.well-known/jwks.json') return { methods: { GET: sendJwks, HEAD: sendJwks } };
  if (rest === '/sessions') return { methods: { POST: createSession } };
  if (rest === '/identities') return { methods: { POST: createIdentity } };
  const [, collection, rawId, action] = /^\/(sessions|identities|v1\/users)\/([^/]+)(?:\/([a-z]+))?$/.exec(rest) ?? [];
  if (!collection || !rawId) return undefined;
  const id = decodePathSegment(rawId);
  const end: Handler = (provider, _req, res) => endSession(provider, res, id);
  if (collection === 'sessions' && action === undefined) return { methods: { DELETE: end } };
  if (collection === 'sessions' && action === 'end') return { methods: { POST: end } };
  if (collection === 'sessions' && action === 'tokens') {
    return { methods: { POST: (provider, req, res) => refreshSession(provider, req, res, id) } };
  }
  if (collection === 'identities' && action === undefined) {
    return { methods: { DELETE: (provider, _req, res) => deleteIdentity(provider, res, id) } };
  }
  if (collection === 'v1/users' && action === undefined) {
    return {
      methods: {
        GET: (provider, _req, res) => sendClerkUser(provider, res, id),
        PATCH: (provider, req, res) => patchClerkUser(provider, req, res, id),
      },
    };
  }
  return undefined;
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // Malformed escapes cannot name a session; keep the raw text so the lookup simply misses.
    return segment;
  }
}

function methodNotAllowed(route: Route): HttpError {
  const allow = Object.keys(route.methods).join(', ');
  return new HttpError(405, 'method_not_allowed', `Use ${allow} for this path`, { Allow: allow });
}

// ---------------------------------------------------------------------------------------------------------
// Handlers

function sendJwks(provider: LocalIdentityProvider, _req: IncomingMessage, res: ServerResponse): void {
  // Verifiers may cache the key set briefly; the key only changes when the state directory is wiped.
  sendJson(res, 200, provider.jwks(), { 'Cache-Control': 'public, max-age=300' });
}

async function createSession(provider: LocalIdentityProvider, req: IncomingMessage, res: ServerResponse) {
  const { email, ttlSeconds } = parseBody(sessionRequestSchema, await readJsonBody(req));
  const session = provider.startSession(email, ttlSeconds === undefined ? {} : { ttlSeconds });
  // The body carries a bearer token: no cache may keep it.
  sendJson(res, 201, session, { 'Cache-Control': 'no-store' });
}

async function createIdentity(provider: LocalIdentityProvider, req: IncomingMessage, res: ServerResponse) {
  const input = parseBody(identityInputSchema, await readJsonBody(req));
  sendJson(res, 201, await provider.createIdentity(input), { 'Cache-Control': 'no-store' });
}

async function refreshSession(
  provider: LocalIdentityProvider,
  req: IncomingMessage,
  res: ServerResponse,
  sessionId: string,
) {
  // Clerk's POST /v1/sessions/:id/tokens takes no body; ours may carry a ttl.
  const body = hasBody(req) ? await readJsonBody(req) : {};
  const { ttlSeconds } = parseBody(refreshRequestSchema, body);
  const session = provider.refreshSession(sessionId, ttlSeconds === undefined ? {} : { ttlSeconds });
  sendJson(res, 201, session, { 'Cache-Control': 'no-store' });
}

async function deleteIdentity(provider: LocalIdentityProvider, res: ServerResponse, clerkId: string) {
  await provider.deleteIdentity(clerkId);
  // Clerk's DELETE /v1/users/:id answers with the deleted object.
  sendJson(res, 200, { object: 'user', id: clerkId, deleted: true }, { 'Cache-Control': 'no-store' });
}

function requireIdentity(provider: LocalIdentityProvider, clerkId: string): LocalIdentity {
  const identity = provider.findIdentityByClerkId(clerkId);
  if (!identity) throw new HttpError(404, 'resource_not_found', `No user with id ${clerkId}`);
  return identity;
}

/**
 * @clerk/backend parses a response body as JSON only when Content-Type is exactly `application/json` (as
 * Clerk sends it); with a charset parameter its client would hand back the raw text instead of a User.
 */
const CLERK_API_HEADERS = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };

function sendClerkUser(provider: LocalIdentityProvider, res: ServerResponse, clerkId: string): void {
  sendJson(res, 200, clerkUserJson(requireIdentity(provider, clerkId)), CLERK_API_HEADERS);
}

async function patchClerkUser(
  provider: LocalIdentityProvider,
  req: IncomingMessage,
  res: ServerResponse,
  clerkId: string,
) {
  const patch = parseBody(clerkUserPatchSchema, await readJsonBody(req));
  requireIdentity(provider, clerkId);
  const updated = await provider.updateIdentity(clerkId, {
    ...(patch.first_name === undefined ? {} : { firstName: patch.first_name }),
    ...(patch.last_name === undefined ? {} : { lastName: patch.last_name }),
  });
  sendJson(res, 200, clerkUserJson(updated), CLERK_API_HEADERS);
}

function endSession(provider: LocalIdentityProvider, res: ServerResponse, sessionId: string): void {
  if (!provider.endSession(sessionId)) {
    throw new HttpError(404, 'session_not_found', 'No active or ended session with this id (sessions live in memory)');
  }
  res.writeHead(204).end();
}

// ---------------------------------------------------------------------------------------------------------
// Request bodies

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new HttpError(400, 'invalid_request', describeIssues(parsed.error));
  return parsed.data;
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function assertJsonContentType(req: IncomingMessage): void {
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new HttpError(415, 'unsupported_media_type', 'Content-Type must be application/json');
  }
}

function payloadTooLarge(): HttpError {
  return new HttpError(413, 'payload_too_large', `Request body must be at most ${LOCAL_AUTH_MAX_BODY_BYTES} bytes`);
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  assertJsonContentType(req);
  const text = (await readBody(req)).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_json', 'Request body is not valid JSON');
  }
}

/** Reads at most the limit; stops listening (rather than destroying the socket) so a 413 can still be sent. */
function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > LOCAL_AUTH_MAX_BODY_BYTES) return Promise.reject(payloadTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > LOCAL_AUTH_MAX_BODY_BYTES) {
        cleanup();
        reject(payloadTooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    // A client that goes away mid-body may end the stream with 'close' alone; do not wait forever.
    const onClose = () => onError(new Error('Request closed before its body was complete'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

// ---------------------------------------------------------------------------------------------------------
// Responses

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function toHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof LocalIdentityError) {
    return new HttpError(STATUS_BY_PROVIDER_CODE[error.code], error.code, error.message);
  }
  return undefined;
}

function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  error: unknown,
  onError: ((error: unknown) => void) | undefined,
): void {
  const expected = toHttpError(error);
  if (!expected) onError?.(error);
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const httpError = expected ?? new HttpError(500, 'internal_error', 'The local identity provider failed');
  const headers = { ...httpError.headers };
  if (!req.complete) {
    // The unread rest of the body would be parsed as the next request: close the connection after
    // answering, and discard what still arrives meanwhile.
    headers.Connection = 'close';
    req.resume();
  }
  sendJson(res, httpError.status, { error: httpError.code, message: httpError.message }, headers);
}
