// What counts as loopback. Local identity mode hands out sessions to whoever asks, so both apps allow
// it only where nothing but this machine can reach them; this is the one list both check against.

/** Loopback host names and addresses, as a HOST variable gives them (IPv6 without brackets). */
export const LOOPBACK_HOSTS: readonly string[] = Object.freeze(['127.0.0.1', 'localhost', '::1']);

/** A host as a HOST variable gives it: one of LOOPBACK_HOSTS exactly. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.includes(host);
}

/** URLs and Host headers write an IPv6 address in brackets. */
function withoutBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** A URL on a loopback host. Throws on a string that is not a URL. */
export function isLoopbackUrl(url: string | URL): boolean {
  return isLoopbackHost(withoutBrackets(new URL(url).hostname));
}

// A name, or an IPv6 address in brackets, then an optional port: nothing else (no path, no user info).
const HOST_HEADER = /^(?<host>[^:[\]/@]+|\[[0-9A-Fa-f:.]+\])(?::\d+)?$/;

/**
 * An HTTP Host header naming a loopback host, with or without a port. A page that reaches us through
 * a name it controls (DNS rebinding) sends that name here, so it never qualifies.
 */
export function isLoopbackHostHeader(header: string | undefined): boolean {
  const host = header === undefined ? undefined : HOST_HEADER.exec(header)?.groups?.host;
  return host !== undefined && isLoopbackHost(withoutBrackets(host));
}
