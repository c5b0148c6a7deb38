// The security headers (lib/security-headers.server.ts): the Content-Security-Policy with its nonce and
// no inline scripts, Clerk's hosts in Clerk mode only, Vite's HMR socket in the dev server only,
// Permissions-Policy everywhere and HSTS in production only.
import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  createNonce,
  frontendApiOrigin,
  setSecurityHeaders,
  type SecurityHeaderOptions,
} from '~/lib/security-headers.server';

const CLERK_KEY = `pk_live_${Buffer.from('clerk.deals.example.com$').toString('base64')}`;
const LOCAL: SecurityHeaderOptions = {
  nodeEnv: 'development',
  authMode: 'local',
  publishableKey: `pk_live_${Buffer.from('clerk.local.invalid$').toString('base64')}`,
  viteDevServer: false,
};
const CLERK: SecurityHeaderOptions = {
  nodeEnv: 'production',
  authMode: 'clerk',
  publishableKey: CLERK_KEY,
  viteDevServer: false,
};

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name, ...sources] = part.trim().split(/\s+/);
      return [name!, sources];
    }),
  );
}

describe('contentSecurityPolicy', () => {
  it("allows this origin's scripts and the nonce's inline scripts, never unsafe-inline or eval", () => {
    const csp = directives(contentSecurityPolicy('abc123', LOCAL));
    expect(csp.get('script-src')).toEqual(["'self'", "'nonce-abc123'"]);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'self'"]);
    expect(csp.get('form-action')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    for (const policy of [LOCAL, CLERK, { ...LOCAL, viteDevServer: true }]) {
      const script = directives(contentSecurityPolicy('n', policy)).get('script-src')!;
      expect(script).not.toContain("'unsafe-inline'");
      expect(script).not.toContain("'unsafe-eval'");
    }
  });

  it("local mode names no host but this one (not even the publishable key's)", () => {
    const policy = contentSecurityPolicy('n', LOCAL);
    expect(policy).not.toMatch(/https?:\/\//);
    expect(policy).not.toContain('clerk');
  });

  it("Clerk mode allows clerk-js from the key's Frontend API, Clerk's images, Cloudflare's challenge", () => {
    const csp = directives(contentSecurityPolicy('n', CLERK));
    expect(csp.get('script-src')).toEqual([
      "'self'",
      "'nonce-n'",
      'https://clerk.deals.example.com',
      'https://challenges.cloudflare.com',
    ]);
    expect(csp.get('connect-src')).toEqual(["'self'", 'https://clerk.deals.example.com']);
    expect(csp.get('img-src')).toContain('https://img.clerk.com');
    expect(csp.get('worker-src')).toEqual(["'self'", 'blob:']);
    expect(csp.get('frame-src')).toEqual(["'self'", 'https://challenges.cloudflare.com']);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it("allows Vite's HMR WebSocket in the dev server only", () => {
    expect(directives(contentSecurityPolicy('n', { ...LOCAL, viteDevServer: true })).get('connect-src')).toEqual([
      "'self'",
      'ws://localhost:*',
      'ws://127.0.0.1:*',
    ]);
    expect(contentSecurityPolicy('n', LOCAL)).not.toContain('ws:');
  });
});

describe('frontendApiOrigin', () => {
  it('decodes the host a publishable key names', () => {
    expect(frontendApiOrigin(CLERK_KEY)).toBe('https://clerk.deals.example.com');
    const test = `pk_test_${Buffer.from('fond-owl-12.clerk.accounts.dev$').toString('base64')}`;
    expect(frontendApiOrigin(test)).toBe('https://fond-owl-12.clerk.accounts.dev');
  });

  it('refuses anything that would put more than a host name into the header', () => {
    expect(frontendApiOrigin('sk_live_abc')).toBeNull();
    expect(frontendApiOrigin(`pk_live_${Buffer.from('clerk.example.com').toString('base64')}`)).toBeNull();
    expect(frontendApiOrigin(`pk_live_${Buffer.from('evil.com; script-src *$').toString('base64')}`)).toBeNull();
    expect(frontendApiOrigin(`pk_live_${Buffer.from('a.com/x$').toString('base64')}`)).toBeNull();
  });
});

describe('setSecurityHeaders', () => {
  it('sets the CSP on documents only, the other headers on every response', () => {
    const document = new Headers();
    setSecurityHeaders(document, LOCAL, 'n1');
    expect(document.get('Content-Security-Policy')).toContain("'nonce-n1'");
    const data = new Headers();
    setSecurityHeaders(data, LOCAL);
    expect(data.get('Content-Security-Policy')).toBeNull();
    for (const headers of [document, data]) {
      expect(headers.get('Permissions-Policy')).toMatch(/camera=\(\).*geolocation=\(\).*microphone=\(\)/);
      expect(headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(headers.get('Referrer-Policy')).toBe('same-origin');
      expect(headers.get('X-Frame-Options')).toBe('DENY');
      expect(headers.get('Cache-Control')).toBe('private, no-store');
    }
  });

  it('sends HSTS in production only', () => {
    const production = new Headers();
    setSecurityHeaders(production, CLERK, 'n');
    expect(production.get('Strict-Transport-Security')).toBe('max-age=63072000; includeSubDomains');
    const development = new Headers();
    setSecurityHeaders(development, { ...CLERK, nodeEnv: 'development' }, 'n');
    expect(development.get('Strict-Transport-Security')).toBeNull();
  });

  it('keeps a Cache-Control the route chose', () => {
    const headers = new Headers({ 'Cache-Control': 'public, max-age=60' });
    setSecurityHeaders(headers, LOCAL);
    expect(headers.get('Cache-Control')).toBe('public, max-age=60');
  });
});

describe('createNonce', () => {
  it('is fresh, 128 bits, and safe inside a header', () => {
    const nonces = new Set(Array.from({ length: 50 }, createNonce));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});
