// The security headers of every response (ADR 0066): a Content-Security-Policy with a per-request nonce on
// documents, Permissions-Policy, HSTS in production, and the no-sniff, referrer and framing headers.
import { randomBytes } from 'node:crypto';
import type { AuthMode } from '@deal-brain/shared/auth-mode';
import type { NodeEnv } from '@deal-brain/shared/env/common-env';

export interface SecurityHeaderOptions {
  nodeEnv: NodeEnv;
  authMode: AuthMode;
  /** Clerk mode: the publishable key names the Frontend API host that serves clerk-js. */
  publishableKey: string;
  /** Served by the Vite dev server: its HMR client talks to it over a WebSocket. */
  viteDevServer: boolean;
}

/** Where Clerk's avatars come from (Clerk's recommended img-src). */
export const CLERK_IMAGE_ORIGIN = 'https://img.clerk.com';
/** Cloudflare's bot protection, which Clerk's sign-up loads as a script and a frame (Clerk's recommended CSP). */
export const CLERK_CHALLENGE_ORIGIN = 'https://challenges.cloudflare.com';

/** Browser features the app never uses: no page of it, nor anything it embeds, may ask for them. */
export const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'camera=()',
  'display-capture=()',
  'geolocation=()',
  'gyroscope=()',
  'magnetometer=()',
  'microphone=()',
  'payment=()',
  'usb=()',
].join(', ');

/** Two years, subdomains included; sent in production only (development runs on plain http://localhost). */
export const HSTS = 'max-age=63072000; includeSubDomains';

/** A fresh nonce for one document: 128 random bits. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

const HOST_NAME = /^[a-z0-9.-]+$/i;

/**
 * The Frontend API origin a publishable key names: `pk_test_` or `pk_live_` + base64("<host>$").
 * Null when the key does not decode to a plain host name (it never reaches a header then).
 */
export function frontendApiOrigin(publishableKey: string): string | null {
  const match = /^pk_(?:test|live)_(?<encoded>[A-Za-z0-9+/=_-]+)$/.exec(publishableKey);
  if (!match?.groups) return null;
  const decoded = Buffer.from(match.groups.encoded!, 'base64').toString('utf8');
  if (!decoded.endsWith('$')) return null;
  const host = decoded.slice(0, -1);
  return HOST_NAME.test(host) ? `https://${host.toLowerCase()}` : null;
}

/**
 * The Content-Security-Policy of a document. Scripts: this origin's files and the inline scripts that
 * carry the nonce (Remix's context and module loader, ScrollRestoration); never 'unsafe-inline' or
 * 'unsafe-eval'. Styles keep 'unsafe-inline': React style attributes, Vite's injected styles in
 * development and Clerk's CSS-in-JS need it, and a style cannot run code.
 */
export function contentSecurityPolicy(nonce: string, options: SecurityHeaderOptions): string {
  const script = ["'self'", `'nonce-${nonce}'`];
  const connect = ["'self'"];
  const img = ["'self'", 'data:'];
  const directives: [string, string[]][] = [];
  if (options.authMode === 'clerk') {
    // clerk-js comes from the Frontend API and talks to it; Clerk's recommended directives.
    const fapi = frontendApiOrigin(options.publishableKey);
    if (fapi) {
      script.push(fapi);
      connect.push(fapi);
    }
    script.push(CLERK_CHALLENGE_ORIGIN);
    img.push(CLERK_IMAGE_ORIGIN);
    directives.push(['worker-src', ["'self'", 'blob:']], ['frame-src', ["'self'", CLERK_CHALLENGE_ORIGIN]]);
  }
  if (options.viteDevServer) {
    // Vite's HMR WebSocket, on the dev server's own port (which binds localhost only).
    connect.push('ws://localhost:*', 'ws://127.0.0.1:*');
  }
  return [
    ['default-src', ["'self'"]],
    ['script-src', script],
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', img],
    ['connect-src', connect],
    ...directives,
    ['object-src', ["'none'"]],
    ['base-uri', ["'self'"]],
    ['form-action', ["'self'"]],
    ['frame-ancestors', ["'none'"]],
  ]
    .map(([name, sources]) => `${name as string} ${(sources as string[]).join(' ')}`)
    .join('; ');
}

/**
 * Stamps a response. Every response: no sniffing, no framing, a same-origin referrer, the
 * Permissions-Policy, HSTS in production, and personal pages never cached. Documents (`nonce` given) also
 * get the Content-Security-Policy.
 */
export function setSecurityHeaders(headers: Headers, options: SecurityHeaderOptions, nonce?: string): void {
  if (!headers.has('Cache-Control')) headers.set('Cache-Control', 'private, no-store');
  headers.set('X-Content-Type-Options', 'nosniff');
  headers.set('Referrer-Policy', 'same-origin');
  headers.set('X-Frame-Options', 'DENY');
  headers.set('Permissions-Policy', PERMISSIONS_POLICY);
  if (options.nodeEnv === 'production') headers.set('Strict-Transport-Security', HSTS);
  if (nonce !== undefined) headers.set('Content-Security-Policy', contentSecurityPolicy(nonce, options));
}
