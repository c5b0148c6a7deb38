// Local identity mode hands out sessions to whoever reaches /__local-auth, so in local mode the API answers
// nothing that did not come straight from this machine: on EVERY route, a request is refused when its Host
// is not loopback (a page on another site reaching us through a name it controls: DNS rebinding), or when
// it carries a header a proxy adds (a reverse proxy on this machine relaying others' requests). Clerk mode
// never runs this: there TRUSTED_PROXIES decides what a forwarding header means (docs/audit-log.md).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ERROR_CODES } from '@deal-brain/shared/error-codes';
import { isLoopbackHostHeader, isLoopbackUrl } from '@deal-brain/shared/loopback';
import { sendGraphQLError } from './graphql-error.js';
import { sendJson } from './send-json.js';

export interface LocalModeRefusal {
  /** 421 for a Host that is not ours, 403 for a proxied request. */
  status: 421 | 403;
  error: 'local_mode_host_refused' | 'local_mode_proxy_refused';
  message: string;
  /** For the log: which header decided (never its value beyond the Host's, cut short). */
  reason: string;
}

/** Headers proxies add: RFC 7239 Forwarded, Via, the X-Forwarded-* family, and nginx's X-Real-IP. */
export function isForwardingHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === 'forwarded' || lower === 'via' || lower === 'x-real-ip' || lower.startsWith('x-forwarded-');
}

/** An absolute-form request target (`GET http://host/path`) names its host there, not only in Host. */
function targetHostIsForeign(url: string | undefined): boolean {
  if (url === undefined || url.startsWith('/') || url === '*') return false;
  try {
    return !isLoopbackUrl(url);
  } catch {
    return true;
  }
}

/** Why a request must not be served in local mode, or undefined when it came straight from this machine. */
export function localModeRefusal(
  req: Pick<IncomingMessage, 'headers' | 'rawHeaders' | 'url'>,
): LocalModeRefusal | undefined {
  if (!isLoopbackHostHeader(req.headers.host) || targetHostIsForeign(req.url)) {
    return {
      status: 421,
      error: 'local_mode_host_refused',
      message:
        'Local identity mode answers requests for a loopback host only (localhost, 127.0.0.1, [::1]); this request named another host',
      reason: 'host',
    };
  }
  // rawHeaders: every header as sent, repeated or empty ones included.
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] ?? '';
    if (isForwardingHeader(name)) {
      return {
        status: 403,
        error: 'local_mode_proxy_refused',
        message: `Local identity mode does not answer requests relayed by a proxy (this one carried ${name.toLowerCase()}): call it directly on loopback`,
        reason: name.toLowerCase(),
      };
    }
  }
  return undefined;
}

/**
 * Answers a request `localModeRefusal` refuses and returns true; false (having touched nothing) otherwise.
 * GraphQL clients get the error shape they parse (code FORBIDDEN); other routes `{ error, message }`.
 */
export function refuseIfNotLocal(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
): LocalModeRefusal | undefined {
  const refusal = localModeRefusal(req);
  if (!refusal) return undefined;
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  if (!req.complete) {
    // Never read: the rest of the body would be parsed as the next request. Close after answering.
    headers.connection = 'close';
    req.resume();
  }
  if (pathname === '/graphql') sendGraphQLError(res, refusal.status, ERROR_CODES.FORBIDDEN, refusal.message, headers);
  else sendJson(res, refusal.status, { error: refusal.error, message: refusal.message }, headers);
  return refusal;
}
