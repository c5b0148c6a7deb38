import { expect, screenshot, signIn, signUp, test, uniqueEmail } from '../support/fixtures';
import { apiUrl, localAuthHeaders } from '../support/fixtures';

test('admins see the users page; users are told they are not allowed', async ({ page, newGuardedContext }) => {
  await signIn(page, 'admin@example.com');
  await expect(page).toHaveURL(/\/app$/);
  await page.getByRole('link', { name: 'Admin' }).click();
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  await expect(page.locator('table')).toContainText('alice@example.com');
  await expect(page.locator('table')).toContainText('bob@example.com');
  await screenshot(page, 'admin');

  const alicePage = await (await newGuardedContext()).newPage();
  await signIn(alicePage, 'alice@example.com');
  await expect(alicePage).toHaveURL(/\/app$/);
  await expect(alicePage.getByRole('link', { name: 'Admin' })).toHaveCount(0);
  const response = await alicePage.goto('/admin');
  expect(response?.status()).toBe(403);
  await expect(alicePage.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
  await expect(alicePage.getByTestId('request-id')).not.toBeEmpty();
});

test('a deleted account sees a clear "account disabled" page', async ({ page, request }) => {
  await signUp(page, { email: uniqueEmail('leaving'), firstName: 'Lee', lastName: 'Ving' });
  await expect(page).toHaveURL(/\/app$/);
  const session = (await page.context().cookies()).find((cookie) => cookie.name === '__session');
  expect(session).toBeDefined();
  const { sub } = JSON.parse(Buffer.from(session!.value.split('.')[1]!, 'base64url').toString('utf8')) as {
    sub: string;
  };

  // Deleting the identity at the provider sends Clerk's user.deleted webhook: the API soft-deletes the user.
  const deleted = await request.delete(`${apiUrl()}/__local-auth/identities/${encodeURIComponent(sub)}`, {
    headers: localAuthHeaders(),
  });
  expect(deleted.status()).toBeLessThan(300);

  // The provider ends the session at once and delivers user.deleted a moment later. Until the API has applied
  // it, a request meets an ended session on a live account (401, and the web app signs the browser out)
  // rather than a deleted account: wait for the API to answer this token with 403, as Clerk's order allows.
  await expect
    .poll(
      async () =>
        (
          await request.post(`${apiUrl()}/graphql`, {
            headers: { authorization: `Bearer ${session!.value}` },
            data: { query: '{ viewer { id } }' },
          })
        ).status(),
      { timeout: 15_000 },
    )
    .toBe(403);
  const response = await page.reload();
  expect(response?.status()).toBe(403);
  await expect(page.getByTestId('account-disabled')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Your account is disabled' })).toBeVisible();
  await expect(page.getByTestId('request-id')).not.toBeEmpty();
  await expect(page.locator('body')).not.toContainText(/\bat \S+\.(ts|tsx|js):\d+/);
  await screenshot(page, 'account-disabled');
});

test('an unknown listing id shows an error page with a request id and no stack trace', async ({ page }) => {
  await signIn(page, 'bob@example.com');
  await expect(page).toHaveURL(/\/app$/);
  const response = await page.goto('/app/listings/not-a-real-id/edit');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
  const requestId = await page.getByTestId('request-id').textContent();
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  await expect(page.locator('body')).not.toContainText('Error:');
});

test('works at 375 px wide and by keyboard', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await signIn(page, 'alice@example.com');
  await expect(page).toHaveURL(/\/app$/);
  // The page itself never scrolls sideways; only the table's own container may.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await screenshot(page, 'dashboard-375px');

  // Keyboard: on a fresh page the skip link comes first; the form can be filled and submitted by keys alone.
  await page.reload();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.goto('/app/listings/new');
  await page.getByLabel('Title').focus();
  await page.keyboard.type('Keyboard-only deal');
  await page.keyboard.press('Tab');
  await page.keyboard.type('42');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/app\?notice=created$/);
  await expect(page.getByTestId('listings')).toContainText('Keyboard-only deal');
});
