// The web app's security headers in a real browser (ADR 0066): every page carries a Content-Security-
// Policy with a fresh nonce and no inline-script allowance, the pages still hydrate and work under it
// with no violation reported, and in local identity mode a rebinding request (Host evil.test:3000) or a
// proxied one (X-Forwarded-For) is refused before it can sign anyone in.
import http from 'node:http';
import type { Page } from '@playwright/test';
import { expect, signIn, test } from '../support/fixtures';

const SIGNED_OUT_PAGES = ['/', '/sign-in', '/sign-up'];
const SIGNED_IN_PAGES = [
  '/app',
  '/app/collections',
  '/app/scoring',
  '/app/valuation',
  '/settings',
  '/admin',
  '/admin/audit',
];

/** Collects every CSP violation the page reports: the DOM event, and Chromium's console message. */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('__reportCspViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __reportCspViolation: (text: string) => void }).__reportCspViolation;
      report(
        `${event.violatedDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`,
      );
    });
  });
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to (load|execute|connect|apply|frame)/i.test(message.text())) {
      violations.push(`console: ${message.text()}`);
    }
  });
  return violations;
}

function hydrated(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as { __dealBrainHydrated?: boolean }).__dealBrainHydrated === true);
}

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name, ...sources] = part.trim().split(/\s+/);
      return [name!, sources];
    }),
  );
}

async function visit(page: Page, path: string): Promise<string> {
  const response = await page.goto(path);
  expect(response?.status(), path).toBe(200);
  const headers = response!.headers();
  const policy = headers['content-security-policy'];
  expect(policy, `${path} has a Content-Security-Policy`).toBeTruthy();
  const csp = directives(policy!);
  const script = csp.get('script-src')!;
  expect(script.some((source) => /^'nonce-[A-Za-z0-9+/]+=*'$/.test(source))).toBe(true);
  expect(script).not.toContain("'unsafe-inline'");
  expect(script).not.toContain("'unsafe-eval'");
  expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  expect(csp.get('object-src')).toEqual(["'none'"]);
  expect(csp.get('base-uri')).toEqual(["'self'"]);
  expect(csp.get('form-action')).toEqual(["'self'"]);
  expect(headers['permissions-policy']).toContain('camera=()');
  expect(headers['x-content-type-options']).toBe('nosniff');
  // Development: no HSTS on plain http://localhost.
  expect(headers['strict-transport-security']).toBeUndefined();
  await expect.poll(() => hydrated(page), { message: `${path} hydrates under its CSP` }).toBe(true);
  return policy!;
}

test('every main page has a nonce CSP, hydrates and reports no violation; sign-in works', async ({ page }) => {
  // Many pages, each compiled by the dev server on its first visit.
  test.slow();
  const violations = await watchViolations(page);
  const policies = new Set<string>();
  for (const path of SIGNED_OUT_PAGES) policies.add(await visit(page, path));

  await page.goto('/sign-in');
  await expect.poll(() => hydrated(page)).toBe(true);
  await signIn(page, 'admin@example.com');
  await expect(page).toHaveURL(/\/app$/);
  await expect(page.getByTestId('user-menu')).toBeVisible();
  for (const path of SIGNED_IN_PAGES) policies.add(await visit(page, path));

  // A client-side navigation runs under the same policy too.
  await page.goto('/settings');
  await expect.poll(() => hydrated(page)).toBe(true);
  await page.locator('header a').first().click();
  await expect(page).toHaveURL(/\/app$/);
  await expect(page.getByTestId('listings')).toBeVisible();

  // A fresh nonce for every document.
  expect(policies.size).toBe(SIGNED_OUT_PAGES.length + SIGNED_IN_PAGES.length);
  expect(violations).toEqual([]);
});

test('an inline script without the nonce is blocked', async ({ page }) => {
  const violations = await watchViolations(page);
  await page.goto('/sign-in');
  await expect.poll(() => hydrated(page)).toBe(true);
  // As an injected <script> would be (for example through an HTML injection).
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true';
    document.body.append(script);
  });
  expect(await page.evaluate(() => (window as { __injected?: boolean }).__injected)).toBeUndefined();
  await expect.poll(() => violations.length).toBeGreaterThan(0);
});

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
}

/** A request with exactly these headers, Host included (fetch would not let us set it). */
function raw(url: string, method: string, headers: Record<string, string>, body?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test.describe('local identity mode answers this machine only', () => {
  const signInForm = 'email=admin%40example.com&redirect_url=%2Fapp';

  test('a rebinding request (Host evil.test:3000) is refused, and signs no one in', async ({ baseURL }) => {
    const page = await raw(`${baseURL}/sign-in`, 'GET', { host: 'evil.test:3000' });
    expect(page.status).toBe(403);
    const post = await raw(
      `${baseURL}/sign-in`,
      'POST',
      { host: 'evil.test:3000', origin: 'http://evil.test:3000', 'content-type': 'application/x-www-form-urlencoded' },
      signInForm,
    );
    expect(post.status).toBe(403);
    expect(post.headers['set-cookie']).toBeUndefined();
  });

  test('a proxied request (X-Forwarded-For) is refused: documents, data requests and sign-in', async ({ baseURL }) => {
    const host = new URL(baseURL!).host;
    const forwarded = { host, 'x-forwarded-for': '203.0.113.7' };
    expect((await raw(`${baseURL}/sign-in`, 'GET', forwarded)).status).toBe(403);
    expect((await raw(`${baseURL}/app?_data=root`, 'GET', forwarded)).status).toBe(403);
    expect((await raw(`${baseURL}/settings/avatar/x.png`, 'GET', forwarded)).status).toBe(403);
    const post = await raw(
      `${baseURL}/sign-in`,
      'POST',
      { ...forwarded, origin: baseURL!, 'content-type': 'application/x-www-form-urlencoded' },
      signInForm,
    );
    expect(post.status).toBe(403);
    expect(post.headers['set-cookie']).toBeUndefined();
    // The same request without the proxy header is served.
    expect((await raw(`${baseURL}/sign-in`, 'GET', { host })).status).toBe(200);
  });
});
