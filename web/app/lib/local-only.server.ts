// Local identity mode signs in whoever asks, so the web app answers only a browser on this machine that
// talks to it directly (ADR 0066). Refused, on every route:
// - a Host that is not loopback: a page on another site that rebound its own name to 127.0.0.1 (DNS
//   rebinding) sends that name;
// - any Forwarded, X-Forwarded-*, Via or X-Real-IP header: a reverse proxy on this machine would otherwise pass
//   requests from anywhere through a loopback connection.
import { isLoopbackHostHeader } from '@deal-brain/shared/loopback';

export type LocalRefusal = 'host_not_loopback' | 'proxied';

/** Headers a proxy adds (besides X-Forwarded-*); the API refuses the same ones (ADR 0063). */
const PROXY_HEADERS = new Set(['forwarded', 'via', 'x-real-ip']);

/**
 * Why a request may not reach the app in local mode, or null when it may. Both the Host header and the
 * request URL's host must be loopback: the URL is built from Host by the built web server (web/server.mjs),
 * but from the Origin header by the Vite dev server. (A request built in a test has no Host header; Node's
 * server refuses one without.)
 */
export function localRequestRefusal(request: Request): LocalRefusal | null {
  const url = new URL(request.url);
  const host = request.headers.get('host') ?? url.host;
  if (!isLoopbackHostHeader(host) || !isLoopbackHostHeader(url.host)) return 'host_not_loopback';
  for (const name of request.headers.keys()) {
    if (PROXY_HEADERS.has(name) || name.startsWith('x-forwarded-')) return 'proxied';
  }
  return null;
}

export const LOCAL_REFUSAL_MESSAGE =
  'This app runs in local identity mode: it answers requests from this machine only, sent straight to a loopback address (no proxy).';
