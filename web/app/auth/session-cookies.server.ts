// The two cookies Clerk's server-side verification reads: `__session` (the session token) and
// `__client_uat` (when the client last authenticated, in seconds; must not be newer than the token's iat).
// In local mode the web server sets them itself; in clerk mode clerk-js does.

export const SESSION_COOKIE = '__session';
export const CLIENT_UAT_COOKIE = '__client_uat';

export interface TokenClaims {
  sub: string;
  sid: string | undefined;
  iat: number;
  exp: number;
}

export function parseCookies(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    const name = part.slice(0, index).trim();
    if (!name || cookies.has(name)) continue;
    let value = part.slice(index + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      cookies.set(name, decodeURIComponent(value));
    } catch {
      cookies.set(name, value);
    }
  }
  return cookies;
}

/** Rebuilds a Cookie header from a map (values are tokens and numbers: no encoding needed). */
export function serializeCookieHeader(cookies: Map<string, string>): string {
  return [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
}

/**
 * Reads a JWT's timing claims WITHOUT verifying it: only to decide whether to refresh it. Verification is
 * Clerk's (`getAuth`), which sees the token afterwards either way.
 */
export function readTokenClaims(token: string): TokenClaims | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const { sub, sid, iat, exp } = claims;
    if (typeof sub !== 'string' || typeof iat !== 'number' || typeof exp !== 'number') return undefined;
    return { sub, sid: typeof sid === 'string' ? sid : undefined, iat, exp };
  } catch {
    return undefined;
  }
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

export function isSecureRequest(request: Request): boolean {
  return new URL(request.url).protocol === 'https:';
}
