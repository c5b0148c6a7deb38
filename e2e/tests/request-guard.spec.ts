// The guard every other test relies on ("the browser talks to no origin but the app's") must itself
// catch a request elsewhere — even to another port on loopback, like the API server's.
import { apiUrl, expect, guardRequests, isAppRequest, test } from '../support/fixtures';

test('accepts the app origin and in-browser schemes only', () => {
  const app = 'http://localhost:3000';
  expect(isAppRequest('http://localhost:3000/app?x=1', app)).toBe(true);
  expect(isAppRequest('ws://localhost:3000/?token=hmr', app)).toBe(true);
  expect(isAppRequest('data:image/png;base64,AAAA', app)).toBe(true);
  expect(isAppRequest('blob:http://localhost:3000/1234', app)).toBe(true);
  expect(isAppRequest('about:blank', app)).toBe(true);
  expect(isAppRequest('http://localhost:4000/graphql', app)).toBe(false);
  expect(isAppRequest('http://127.0.0.1:3000/', app)).toBe(false);
  expect(isAppRequest('https://localhost:3000/', app)).toBe(false);
  expect(isAppRequest('ws://localhost:4000/', app)).toBe(false);
  expect(isAppRequest('https://clerk.example.com/npm/clerk.js', app)).toBe(false);
});

test('records a request from the page to another loopback origin', async ({ browser, baseURL }) => {
  // A context of its own, not the fixture's: this test wants the guard to find something. The app's CSP
  // (connect-src 'self') would stop these requests before they leave: bypassed, so that the guard, not the
  // CSP, is what this test shows working. (security-headers.spec.ts shows the CSP.)
  const context = await browser.newContext({ baseURL, bypassCSP: true });
  const offending = guardRequests(context, baseURL!);
  const page = await context.newPage();
  await page.goto('/sign-in');
  await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();

  const api = new URL(apiUrl());
  const elsewhere = [`${api.origin}/healthz`, `http://localhost:${api.port}/healthz`];
  for (const url of elsewhere) {
    await page.evaluate(
      (target) =>
        fetch(target, { mode: 'no-cors' }).then(
          () => undefined,
          () => undefined,
        ),
      url,
    );
  }
  await context.close();

  expect(offending).toEqual(elsewhere.map((url) => `GET ${url}`));
});
