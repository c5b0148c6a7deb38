import { ALICE_LISTINGS, expect, screenshot, signIn, signOut, test } from '../support/fixtures';

test('a signed-out visit of a private page goes to sign-in and comes back after signing in', async ({ page }) => {
  const response = await page.goto('/app/listings/new?from=test');
  await expect(page).toHaveURL(/\/sign-in\?redirect_url=%2Fapp%2Flistings%2Fnew%3Ffrom%3Dtest$/);
  expect(response?.status()).toBe(200);
  await signIn(page, 'alice@example.com');
  await expect(page).toHaveURL(/\/app\/listings\/new\?from=test$/);
  await expect(page.getByRole('heading', { name: 'Add a listing' })).toBeVisible();
});

for (const path of ['/settings', '/admin', '/app/no-such-page']) {
  test(`${path} needs a session`, async ({ page }) => {
    await page.goto(path);
    await expect(page).toHaveURL(`/sign-in?redirect_url=${encodeURIComponent(path)}`);
  });
}

test('redirect_url never leaves the site', async ({ page }) => {
  await page.goto('/sign-in?redirect_url=https%3A%2F%2Fevil.example%2Fphish');
  await signIn(page, 'bob@example.com');
  await expect(page).toHaveURL(/\/app$/);
  await signOut(page);

  await page.goto('/sign-in?redirect_url=%2F%2Fevil.example');
  await signIn(page, 'bob@example.com');
  await expect(page).toHaveURL(/\/app$/);
});

test('refresh keeps the session; after sign-out the back button shows no private data', async ({ page }) => {
  await signIn(page, 'alice@example.com');
  await expect(page).toHaveURL(/\/app$/);
  const response = await page.reload();
  expect(response?.headers()['cache-control']).toBe('private, no-store');
  await expect(page.getByTestId('listings')).toContainText(ALICE_LISTINGS[0]!);
  await expect(page.getByTestId('user-menu')).toBeVisible();

  await page.goto('/settings');
  await expect(page.getByTestId('settings-email')).toHaveText('alice@example.com');
  await screenshot(page, 'settings');
  await page.goto('/app');

  await signOut(page);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  const cookies = await page.context().cookies();
  expect(cookies.find((cookie) => cookie.name === '__session')).toBeUndefined();

  await page.goBack();
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.locator('body')).not.toContainText(ALICE_LISTINGS[0]!);
  await expect(page.getByTestId('user-menu')).toHaveCount(0);

  await page.goto('/app');
  await expect(page).toHaveURL(/\/sign-in\?redirect_url=%2Fapp$/);
});

test('signing in with an unknown email shows the error beside the field', async ({ page }) => {
  await signIn(page, 'nobody-here@example.com');
  await expect(page.getByTestId('error-email')).toContainText('No account uses this email');
  await signIn(page, 'not-an-email');
  await expect(page.getByTestId('error-email')).toContainText('valid email');
});
