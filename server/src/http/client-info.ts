// Who is on the other end of a request, as far as the audit log needs to know: the client address and
// a truncated user agent.
import type { IncomingMessage } from 'node:http';

/** Long enough for every real browser's user agent; a longer one is cut, never stored whole. */
export const MAX_USER_AGENT_LENGTH = 256;

export interface ClientInfo {
  /** The client's address; null when the socket has none (already closed). */
  ip: string | null;
  /** The User-Agent header, truncated to MAX_USER_AGENT_LENGTH; null when absent or empty. */
  userAgent: string | null;
}

export function truncatedUserAgent(value: string | undefined): string | null {
  if (!value) return null;
  return value.length > MAX_USER_AGENT_LENGTH ? value.slice(0, MAX_USER_AGENT_LENGTH) : value;
}

export function clientInfoOf(req: IncomingMessage): ClientInfo {
  return { ip: req.socket.remoteAddress ?? null, userAgent: truncatedUserAgent(req.headers['user-agent']) };
}
