// Who is on the other end of a request, as far as the audit log needs to know: the client address and
// a truncated user agent.
//
// The address is the socket's peer unless that peer is a trusted proxy (TRUSTED_PROXIES): then the
// proxies' own account of the chain is read from the ONE header they are configured to write
// (TRUSTED_PROXY_HEADER: `X-Forwarded-For` by default, or the standard `Forwarded`, RFC 7239), walking
// from the nearest hop outwards and stopping at the first address that is not a trusted proxy. The other
// header is never read: a proxy that writes only X-Forwarded-For (nginx, AWS ALB, GCP) passes a client's
// own `Forwarded` through untouched, so believing it would let anyone choose their recorded address.
// Anyone can send these headers, so they mean nothing from an untrusted peer; a header a trusted proxy
// made that cannot be read falls back to the peer.
import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import parseForwarded from 'forwarded-parse';
import proxyAddr from 'proxy-addr';

/** Long enough for every real browser's user agent; a longer one is cut, never stored whole. */
export const MAX_USER_AGENT_LENGTH = 256;

export interface ClientInfo {
  /** The client's address; null when the socket has none (already closed). */
  ip: string | null;
  /** The User-Agent header, truncated to MAX_USER_AGENT_LENGTH; null when absent or empty. */
  userAgent: string | null;
}

/** The forwarding header our trusted proxies write (TRUSTED_PROXY_HEADER), lower case. */
export const PROXY_HEADERS = ['x-forwarded-for', 'forwarded'] as const;
export type ProxyHeader = (typeof PROXY_HEADERS)[number];

/** Which peers are our proxies, and the one header they write naming the client. */
export interface TrustProxy {
  isTrusted: (address: string) => boolean;
  header: ProxyHeader;
}

/** The default: nobody's forwarding headers are believed. */
export const trustNobody: TrustProxy = { isTrusted: () => false, header: 'x-forwarded-for' };

/**
 * The trust rule of TRUSTED_PROXIES' entries: IP addresses, CIDR ranges, or the word `loopback`
 * (127.0.0.1/8 and ::1), whose `header` (default X-Forwarded-For) is read. Throws on an entry that is
 * none of those. Empty: trust nobody.
 */
export function trustedProxies(entries: readonly string[], header: ProxyHeader = 'x-forwarded-for'): TrustProxy {
  if (entries.length === 0) return trustNobody;
  const compiled = proxyAddr.compile([...entries]);
  return { isTrusted: (address) => compiled(address, 0), header };
}

export function truncatedUserAgent(value: string | undefined): string | null {
  if (!value) return null;
  return value.length > MAX_USER_AGENT_LENGTH ? value.slice(0, MAX_USER_AGENT_LENGTH) : value;
}

/** The address of a Forwarded `for=` value ("192.0.2.60", "192.0.2.60:4711", "[2001:db8::1]:4711"), or null. */
function forwardedAddress(value: string | undefined): string | null {
  if (!value) return null;
  let address = value;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) address = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(value)) address = value.slice(0, value.indexOf(':'));
  return isIP(address) ? address : null;
}

/** The comma-separated elements of a Forwarded header (commas inside quoted strings do not count). */
function forwardedElements(header: string): string[] {
  const elements: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const char = header[i]!;
    if (quoted && char === '\\') {
      current += char + (header[i + 1] ?? '');
      i++;
      continue;
    }
    if (char === '"') quoted = !quoted;
    if (char === ',' && !quoted) {
      elements.push(current);
      current = '';
    } else current += char;
  }
  elements.push(current);
  return elements;
}

/**
 * The hops of the Forwarded header, client first: each element's `for=` address, or null when the element
 * cannot be read. Element by element, so a malformed part a client sent ahead of what our proxy appended
 * cannot make the proxy's own part unreadable.
 */
function forwardedHops(header: string): (string | null)[] {
  return forwardedElements(header).map((element) => {
    try {
      const [parsed] = parseForwarded(element.trim());
      return forwardedAddress(parsed?.for);
    } catch {
      return null;
    }
  });
}

/**
 * From the peer outwards through `hops` (client first): the first address that is not a trusted proxy,
 * or the outermost one when all are. A hop that is not an address, where it would be read, is a header
 * the proxy did not write as expected: the peer is the answer then.
 */
function walk(peer: string, hops: readonly (string | null)[], trust: TrustProxy): string {
  let address = peer;
  for (let i = hops.length - 1; i >= 0 && trust.isTrusted(address); i--) {
    const hop = hops[i];
    if (!hop) return peer;
    address = hop;
  }
  return address;
}

/**
 * The client's address, believing only the configured forwarding header and only from trusted proxies.
 * The other header is ignored whoever sent it: our proxy did not write it, a client may have.
 */
export function clientAddressOf(req: IncomingMessage, trust: TrustProxy = trustNobody): string | null {
  const peer = req.socket.remoteAddress ?? null;
  if (!peer || !trust.isTrusted(peer)) return peer;
  if (trust.header === 'forwarded') {
    const forwarded = req.headers.forwarded;
    return forwarded === undefined ? peer : walk(peer, forwardedHops(forwarded), trust);
  }
  if (req.headers['x-forwarded-for'] === undefined) return peer;
  // proxy-addr walks X-Forwarded-For the same way; what it stops at must still be an address.
  const address = proxyAddr(req, (candidate) => trust.isTrusted(candidate));
  return isIP(address) ? address : peer;
}

export function clientInfoOf(req: IncomingMessage, trust: TrustProxy = trustNobody): ClientInfo {
  return { ip: clientAddressOf(req, trust), userAgent: truncatedUserAgent(req.headers['user-agent']) };
}
