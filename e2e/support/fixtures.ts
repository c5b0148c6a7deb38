// Test fixtures: the app's URL from global setup, a guard that fails any test whose browser sent a
// request to any origin other than the app's own, and helpers to sign in, sign up and keep screenshots.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCAL_AUTH_SECRET_FILE, LOCAL_AUTH_SECRET_HEADER, LOCAL_AUTH_STATE_DIR } from '@deal-brain/shared/local-auth';
import {
  test as base,
  expect,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from '@playwright/test';

const screenshotDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'artifacts', 'screenshots');
mkdirSync(screenshotDir, { recursive: true });

/** A WebSocket to the app (Vite's HMR) has the app's origin with ws: for http: and wss: for https:. */
const HTTP_SCHEME_OF: Record<string, string> = {
  'http:': 'http:',
  'https:': 'https:',
  'ws:': 'http:',
  'wss:': 'https:',
};

/** Whether the browser may send this request: only to the app's own origin (and non-network schemes). */
export function isAppRequest(url: string, appOrigin: string): boolean {
  const parsed = new URL(url);
  const scheme = HTTP_SCHEME_OF[parsed.protocol];
  if (!scheme) return true; // data:, blob:, about: never leave the browser
  return `${scheme}//${parsed.host}` === new URL(appOrigin).origin;
}

/** Records every request of the context that goes anywhere but the app at `appUrl`. */
export function guardRequests(context: BrowserContext, appUrl: string): string[] {
  const offending: string[] = [];
  context.on('request', (request) => {
    if (!isAppRequest(request.url(), appUrl)) offending.push(`${request.method()} ${request.url()}`);
  });
  // WebSockets are not requests in Playwright's model: watch them per page.
  context.on('page', (page) =>
    page.on('websocket', (socket) => {
      if (!isAppRequest(socket.url(), appUrl)) offending.push(`WS ${socket.url()}`);
    }),
  );
  return offending;
}

export function baseUrl(): string {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error('E2E_BASE_URL is not set: run through playwright.config.ts (global setup)');
  return url;
}

export function apiUrl(): string {
  const url = process.env.E2E_API_URL;
  if (!url) throw new Error('E2E_API_URL is not set: run through playwright.config.ts (global setup)');
  return url;
}

/** What a direct call to the API's /__local-auth needs: the secret the API keeps under DATA_DIR. */
export function localAuthHeaders(): Record<string, string> {
  const dataDir = process.env.E2E_DATA_DIR;
  if (!dataDir) throw new Error('E2E_DATA_DIR is not set: run through playwright.config.ts (global setup)');
  const secret = readFileSync(path.join(dataDir, LOCAL_AUTH_STATE_DIR, LOCAL_AUTH_SECRET_FILE), 'utf8').trim();
  return { [LOCAL_AUTH_SECRET_HEADER]: secret };
}

interface Fixtures {
  /** Extra browser contexts (a second user, JavaScript off), guarded like the default one. */
  newGuardedContext: (options?: BrowserContextOptions) => Promise<BrowserContext>;
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture's dependencies from this pattern
  baseURL: async ({}, use) => {
    await use(baseUrl());
  },
  context: async ({ context }, use) => {
    const offending = guardRequests(context, baseUrl());
    await use(context);
    expect(offending, "requests to origins other than the app's").toEqual([]);
  },
  newGuardedContext: async ({ browser, baseURL }, use) => {
    const contexts: { context: BrowserContext; offending: string[] }[] = [];
    await use(async (options = {}) => {
      const context = await (browser as Browser).newContext({ baseURL, ...options });
      contexts.push({ context, offending: guardRequests(context, baseUrl()) });
      return context;
    });
    for (const { context } of contexts) await context.close();
    const offending = contexts.flatMap((entry) => entry.offending);
    expect(offending, "requests to origins other than the app's").toEqual([]);
  },
});

export { expect };

/** Keeps a full-page screenshot of a main page under e2e/artifacts/screenshots/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.com`;
}

/** Signs in through the local sign-in form by typing the email. */
export async function signIn(page: Page, email: string): Promise<void> {
  if (!page.url().includes('/sign-in')) await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

export async function signUp(page: Page, user: { email: string; firstName: string; lastName: string }): Promise<void> {
  await page.goto('/sign-up');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('First name').fill(user.firstName);
  await page.getByLabel('Last name').fill(user.lastName);
  await page.getByRole('button', { name: 'Sign up' }).click();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByTestId('user-menu').locator('summary').click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/sign-in$/);
}

export const ALICE_LISTINGS = ['Lenovo ThinkCentre M720q Tiny', 'Dell OptiPlex 7080 Micro', 'Gaming tower, RTX 3070'];
export const BOB_LISTINGS = ['HP EliteDesk 800 G4 Mini', 'Minisforum UM790 Pro'];

/** Adds a listing through the form and waits for the dashboard's notice. */
export async function addListing(page: Page, title: string, price: string): Promise<void> {
  await page.goto('/app/listings/new');
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Price').fill(price);
  await page.getByRole('button', { name: 'Add listing' }).click();
  await expect(page).toHaveURL(/\/app\?notice=created$/);
}
