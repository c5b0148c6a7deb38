// Local mode: keeps the `__session` cookie fresh on the server, before Clerk's verification sees it.
// An expired token on a document request would make @clerk/remix redirect to Clerk's handshake, which
// does not exist in local mode; so a token close to expiry is replaced by a fresh one for the same
// session, and a token that cannot be refreshed is dropped (the visitor is simply signed out).
import { LocalAuthError, type LocalProvider, type LocalSession } from './local-provider.server';
import {
  CLIENT_UAT_COOKIE,
  SESSION_COOKIE,
  clearedSessionCookies,
  isSecureRequest,
  parseCookies,
  readTokenClaims,
  serializeCookieHeader,
  sessionCookies,
} from './session-cookies.server';

export interface PreparedRequest {
  /** What Clerk should verify: the original request, or a header-only copy with the fresh cookies. */
  request: Request;
  /** Set-Cookie values to send back with the response (empty when nothing changed). */
  setCookies: string[];
}

export interface LocalSessionKeeper {
  prepare(request: Request): Promise<PreparedRequest>;
}

/** The request without its session cookies, and the Set-Cookie values that remove them from the browser. */
export function signedOutRequest(request: Request): PreparedRequest {
  const cookies = parseCookies(request.headers.get('cookie'));
  cookies.delete(SESSION_COOKIE);
  cookies.delete(CLIENT_UAT_COOKIE);
  return {
    request: withCookies(request, cookies),
    setCookies: clearedSessionCookies({ secure: isSecureRequest(request) }),
  };
}

export interface LocalSessionKeeperOptions {
  provider: LocalProvider;
  /**
   * Whether the token was really issued by the provider (signature and authorized party; expiry aside).
   * Only such a token may be exchanged for a fresh one: a forged token naming someone's session must not be.
   */
  isGenuine: (token: string) => Promise<boolean>;
  refreshBeforeSeconds: number;
  now?: () => number;
  onRefreshFailed?: (error: unknown) => void;
}

/** How long a refresh result is shared with the other loaders of the same page load. */
const SHARE_REFRESH_MS = 30_000;

/** A header-only copy for verification; the original keeps its body for the action that reads it. */
function withCookies(request: Request, cookies: Map<string, string>): Request {
  const headers = new Headers(request.headers);
  if (cookies.size > 0) headers.set('cookie', serializeCookieHeader(cookies));
  else headers.delete('cookie');
  return new Request(request.url, { method: 'GET', headers });
}

export function createLocalSessionKeeper(options: LocalSessionKeeperOptions): LocalSessionKeeper {
  const now = options.now ?? Date.now;
  // Root and route loaders of one page load run in parallel with the same old token: one refresh for all.
  const refreshes = new Map<string, Promise<LocalSession | null>>();

  function refreshOnce(token: string, sessionId: string): Promise<LocalSession | null> {
    let pending = refreshes.get(token);
    if (!pending) {
      pending = options.provider.refreshSession(sessionId).catch((error: unknown) => {
        if (error instanceof LocalAuthError) return null; // ended, expired or unknown: sign out
        options.onRefreshFailed?.(error);
        throw error;
      });
      refreshes.set(token, pending);
      const forget = () => setTimeout(() => refreshes.delete(token), SHARE_REFRESH_MS).unref();
      pending.then(forget, () => refreshes.delete(token));
    }
    return pending;
  }

  return {
    async prepare(request) {
      const cookies = parseCookies(request.headers.get('cookie'));
      const token = cookies.get(SESSION_COOKIE);
      const secure = isSecureRequest(request);
      const signOut = () => signedOutRequest(request);

      if (!token) {
        // A client_uat without a session token means "signed in somewhere, token missing": Clerk would
        // answer with a handshake redirect. Locally there is nothing to recover: signed out.
        const uat = cookies.get(CLIENT_UAT_COOKIE);
        return uat && uat !== '0' ? signOut() : { request, setCookies: [] };
      }
      const claims = readTokenClaims(token);
      if (!claims) return signOut();

      const nowSeconds = Math.floor(now() / 1000);
      const remaining = claims.exp - nowSeconds;
      if (remaining > options.refreshBeforeSeconds) return { request, setCookies: [] };
      if (!claims.sid) return remaining > 0 ? { request, setCookies: [] } : signOut();

      let fresh: LocalSession | null;
      try {
        if (!(await options.isGenuine(token))) return signOut();
        fresh = await refreshOnce(token, claims.sid);
      } catch {
        // The provider is unreachable: a token that still verifies keeps working until it expires.
        return remaining > 0 ? { request, setCookies: [] } : signOut();
      }
      // A session belongs to one user: anything else is not a refresh of this token.
      if (!fresh || fresh.userId !== claims.sub) return signOut();
      cookies.set(SESSION_COOKIE, fresh.token);
      const setCookies = sessionCookies(fresh.token, nowSeconds, { secure });
      const freshClaims = readTokenClaims(fresh.token);
      cookies.set(CLIENT_UAT_COOKIE, String(freshClaims?.iat ?? nowSeconds));
      return { request: withCookies(request, cookies), setCookies };
    },
  };
}
