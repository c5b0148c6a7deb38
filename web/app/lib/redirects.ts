// Where to send someone after signing in: only a path on this site, never another origin.

export const DEFAULT_AFTER_SIGN_IN = '/app';

const PLACEHOLDER_ORIGIN = 'http://placeholder.invalid';

/**
 * `to` if it is a same-origin path (like `/app/listings?after=x`), otherwise `fallback`. Refuses
 * absolute and protocol-relative URLs (`//evil.test`), backslash tricks (`/\evil.test`), control
 * characters, and anything that resolves to another origin.
 */
export function safeRedirect(to: unknown, fallback: string = DEFAULT_AFTER_SIGN_IN): string {
  if (typeof to !== 'string' || to.length === 0 || to.length > 2048) return fallback;
  if (!to.startsWith('/') || to.startsWith('//') || to.includes('\\')) return fallback;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(to)) return fallback;
  let url: URL;
  try {
    url = new URL(to, PLACEHOLDER_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return fallback;
  // Never bounce back into the auth pages themselves.
  if (/^\/(sign-in|sign-up|sign-out)(\/|$)/.test(url.pathname)) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in page, coming back to `returnTo` afterwards. */
export function signInPath(returnTo: string): string {
  const target = safeRedirect(returnTo, '');
  return target ? `/sign-in?redirect_url=${encodeURIComponent(target)}` : '/sign-in';
}

/** The sign-in or sign-up page, passing on where to go afterwards unless that is the default. */
export function authPagePath(page: '/sign-in' | '/sign-up', redirectUrl: string): string {
  return redirectUrl === DEFAULT_AFTER_SIGN_IN ? page : `${page}?redirect_url=${encodeURIComponent(redirectUrl)}`;
}
