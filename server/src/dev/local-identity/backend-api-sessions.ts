// The slice of Clerk's Backend API sessions the settings page uses, answered from local sessions, so the
// server's one @clerk/backend code path (`clerk.sessions.getSessionList / getSession / revokeSession`)
// runs unchanged in local mode: GET /v1/sessions?user_id=…&status=…, GET /v1/sessions/:id and
// POST /v1/sessions/:id/revoke, in Clerk's JSON shape (snake_case, milliseconds, `latest_activity`
// parsed from the User-Agent the web app passed when the session started).
import type { SessionJSON } from '@clerk/backend';
import Bowser from 'bowser';
import { CLERK_API_HEADERS, clerkErrorReply } from './backend-api.js';
import type { Handler, Reply, RouteRequest } from './routes.js';
import { lastActivityOf, type LocalSessionRecord } from './sessions.js';

type SessionActivityJSON = NonNullable<SessionJSON['latest_activity']>;

/** Clerk's session statuses; local sessions are active, ended (signed out) or revoked. */
const SESSION_STATUSES = ['abandoned', 'active', 'ended', 'expired', 'pending', 'removed', 'replaced', 'revoked'];
/** The query parameters Clerk's GET /v1/sessions takes that the stand-in answers; anything else is refused. */
const LIST_PARAMETERS = new Set(['user_id', 'status', 'limit', 'offset', 'paginated']);
/** Clerk's default page and its largest. */
const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 500;

/** Clerk's error body with one entry. */
function clerkError(status: number, code: string, message: string, paramName?: string): Reply {
  return clerkErrorReply(status, [{ code, message, ...(paramName ? { paramName } : {}) }]);
}

function sessionNotFound(sessionId: string): Reply {
  return clerkError(404, 'resource_not_found', `No session with id ${sessionId}`);
}

function statusOf(record: LocalSessionRecord): string {
  if (record.endedAt === null) return 'active';
  return record.revoked ? 'revoked' : 'ended';
}

/**
 * What Clerk derives from a request's User-Agent: browser name and version, a device type and whether it
 * is a phone or tablet. Absent when the session started without one (a token from the CLI, say).
 */
export function sessionActivityFromUserAgent(sessionId: string, userAgent: string | undefined) {
  if (!userAgent?.trim()) return undefined;
  const { browser, os, platform } = Bowser.parse(userAgent);
  const deviceType = platform.model ?? os.name;
  const activity: SessionActivityJSON = {
    // Clerk's object name; @clerk/backend's ObjectType list has no entry for it.
    object: 'session_activity' as SessionActivityJSON['object'],
    id: `sess_activity_${sessionId.replace(/^sess_/, '')}`,
    is_mobile: platform.type === 'mobile' || platform.type === 'tablet',
    ...(browser.name ? { browser_name: browser.name } : {}),
    ...(browser.version ? { browser_version: browser.version } : {}),
    ...(deviceType ? { device_type: deviceType } : {}),
  };
  return activity;
}

/** A Backend API session (GET /v1/sessions/:id), as Clerk answers it. */
export function clerkSessionJson(record: LocalSessionRecord): SessionJSON {
  const lastActiveAt = lastActivityOf(record);
  const activity = sessionActivityFromUserAgent(record.sessionId, record.userAgent);
  return {
    object: 'session',
    id: record.sessionId,
    client_id: `client_${record.sessionId.replace(/^sess_/, '')}`,
    user_id: record.userId,
    status: statusOf(record),
    actor: null,
    last_active_at: lastActiveAt,
    expire_at: record.expiresAt,
    abandon_at: record.expiresAt,
    created_at: record.createdAt,
    updated_at: record.endedAt ?? lastActiveAt,
    ...(activity ? { latest_activity: activity } : {}),
  };
}

/** A whole number in [min, max] from a query parameter, or the fallback when absent. */
function wholeNumber(value: string | null, min: number, max: number, fallback: number): number | undefined {
  if (value === null) return fallback;
  if (!/^\d{1,9}$/.test(value)) return undefined;
  const number = Number(value);
  return number >= min && number <= max ? number : undefined;
}

/**
 * GET /v1/sessions: a user's sessions, the most recently active first. Clerk needs user_id or client_id;
 * the stand-in answers user_id. With `paginated=true` (what @clerk/backend sends) the answer is
 * `{ data, total_count }`, otherwise a bare array, as Clerk's.
 */
export function listClerkSessions({ provider, query }: RouteRequest): Reply {
  const unknown = [...query.keys()].find((name) => !LIST_PARAMETERS.has(name));
  if (unknown)
    return clerkError(400, 'form_param_unknown', `${unknown} is not supported by the local stand-in`, unknown);
  const userId = query.get('user_id');
  if (!userId)
    return clerkError(422, 'form_param_missing', 'user_id is required (client_id is not supported locally)', 'user_id');
  const status = query.get('status');
  if (status !== null && !SESSION_STATUSES.includes(status)) {
    return clerkError(
      422,
      'form_param_value_invalid',
      `status must be one of ${SESSION_STATUSES.join(', ')}`,
      'status',
    );
  }
  const limit = wholeNumber(query.get('limit'), 1, MAX_LIMIT, DEFAULT_LIMIT);
  if (limit === undefined)
    return clerkError(422, 'form_param_value_invalid', `limit must be 1 to ${MAX_LIMIT}`, 'limit');
  const offset = wholeNumber(query.get('offset'), 0, Number.MAX_SAFE_INTEGER, 0);
  if (offset === undefined) return clerkError(422, 'form_param_value_invalid', 'offset must be 0 or more', 'offset');

  const sessions = provider
    .listSessions(userId)
    .filter((record) => status === null || statusOf(record) === status)
    .map(clerkSessionJson);
  const page = sessions.slice(offset, offset + limit);
  const body = query.get('paginated') === 'true' ? { data: page, total_count: sessions.length } : page;
  return { status: 200, body, headers: { ...CLERK_API_HEADERS } };
}

/** GET /v1/sessions/:id: any known session, whatever its status (the caller checks whose it is). */
export function getClerkSession({ provider, id }: RouteRequest): Reply {
  const record = provider.getSession(id);
  if (!record) return sessionNotFound(id);
  return { status: 200, body: clerkSessionJson(record), headers: { ...CLERK_API_HEADERS } };
}

/**
 * POST /v1/sessions/:id/revoke: the session as revoked. Its tokens are refused by the API server from
 * then on (the provider's touchSession answers 'ended'). A session that has already ended stays as it is.
 */
export function revokeClerkSession({ provider, id }: RouteRequest): Reply {
  const record = provider.revokeSession(id);
  if (!record) return sessionNotFound(id);
  return { status: 200, body: clerkSessionJson(record), headers: { ...CLERK_API_HEADERS } };
}

/** The routes, for routes.ts (under /v1/, so the Backend API's secret-key guard covers them). */
export const BACKEND_API_SESSION_ROUTES: { path: RegExp; methods: Record<string, Handler> }[] = [
  { path: /^\/v1\/sessions$/, methods: { GET: listClerkSessions } },
  { path: /^\/v1\/sessions\/([^/]+)$/, methods: { GET: getClerkSession } },
  { path: /^\/v1\/sessions\/([^/]+)\/revoke$/, methods: { POST: revokeClerkSession } },
];
