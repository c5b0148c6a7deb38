// The two cookies Clerk's server-side verification reads: `__session` (the session token) and
// `__client_uat` (when the client last authenticated, in seconds; must not be newer than the token's iat).
// In local mode the web server sets them itself; in clerk mode clerk-js does (also under names suffixed
// with an instance-specific `_<suffix>`, which @clerk/backend reads first).
import { decodeJwt } from '@clerk/backend/jwt';
import { parse, serialize } from 'cookie';

export const SESSION_COOKIE = '__session';
export const CLIENT_UAT_COOKIE = '__client_uat';

export interface TokenClaims {
  sub: string;
  sid: string | undefined;
  iat: number;
  exp: number;
}

/** The cookies of a Cookie header (the first of repeated names wins, as browsers send the most specific first). */
export function parseCookies(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const [name, value] of Object.entries(parse(header))) {
    if (value !== undefined) cookies.set(name, value);
  }
  return cookies;
}

/** Rebuilds a Cookie header from a map; a pair that cannot be written back (an invalid name) is left out. */
export function serializeCookieHeader(cookies: Map<string, string>): string {
  return [...cookies]
    .flatMap(([name, value]) => {
      try {
        return [serialize(name, value)];
      } catch {
        return [];
      }
    })
    .join('; ');
}

/**
 * Reads a JWT's timing claims WITHOUT verifying it: only to decide whether to refresh it. Verification is
 * Clerk's (`getAuth`), which sees the token afterwards either way.
 */
export function readTokenClaims(token: string): TokenClaims | undefined {
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(token).payload as unknown as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const { sub, sid, iat, exp } = claims;
  if (typeof sub !== 'string' || typeof iat !== 'number' || typeof exp !== 'number') return undefined;
  return { sub, sid: typeof sid === 'string' ? sid : undefined, iat, exp };
}

interface CookieOptions {
  secure: boolean;
}

function attributes(maxAgeSeconds: number, { secure }: CookieOptions): string {
  return `Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

/** Set-Cookie values for a freshly minted token; both cookies go away when the token expires. */
export function sessionCookies(token: string, nowSeconds: number, options: CookieOptions): string[] {
  const claims = readTokenClaims(token);
  if (!claims) throw new TypeError('Not a session token');
  const maxAge = Math.max(0, claims.exp - nowSeconds);
  return [
    `${SESSION_COOKIE}=${token}; ${attributes(maxAge, options)}`,
    // Clerk treats a token issued before the client's last authentication as outdated.
    `${CLIENT_UAT_COOKIE}=${claims.iat}; ${attributes(maxAge, options)}`,
  ];
}

/** Set-Cookie values that remove both cookies. */
export function clearedSessionCookies(options: CookieOptions): string[] {
  return [`${SESSION_COOKIE}=; ${attributes(0, options)}`, `${CLIENT_UAT_COOKIE}=0; ${attributes(0, options)}`];
}

/** clerk-js's instance-suffixed copies of the two cookies: `__session_<suffix>`, `__client_uat_<suffix>`. */
const SUFFIXED_SESSION_COOKIE = /^__(?:session|client_uat)_[A-Za-z0-9_-]+$/;

/** Set-Cookie values that remove the suffixed session cookies this request carries. */
export function clearedSuffixedSessionCookies(request: Request, options: CookieOptions): string[] {
  return [...parseCookies(request.headers.get('cookie')).keys()]
    .filter((name) => SUFFIXED_SESSION_COOKIE.test(name))
    .map((name) => `${name}=; ${attributes(0, options)}`);
}

export function isSecureRequest(request: Request): boolean {
  return new URL(request.url).protocol === 'https:';
}
