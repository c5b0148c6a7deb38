// Issue 11, parts 3 and 8: two browsers signed in as the same person. One of them opens Settings →
// Sessions, sees both sessions (its own marked "This device", each named by the browser's User-Agent),
// and revokes the other after confirming; that other browser's next page load lands on sign-in, and it
// stays signed out, while the first one keeps working. Local identity mode: the API refuses the revoked
// session's long-lived token at once, and the web app answers that 401 by clearing the cookies.
import { expect, screenshot, signIn, signUp, test, uniqueEmail } from '../support/fixtures';

test('revoking another session signs that browser out on its next page load', async ({ page, newGuardedContext }) => {
  const email = uniqueEmail('sessions');
  await signUp(page, { email, firstName: 'Sasha', lastName: 'Sessions' });
  await expect(page).toHaveURL(/\/app$/);

  const otherContext = await newGuardedContext();
  const other = await otherContext.newPage();
  await signIn(other, email);
  await expect(other).toHaveURL(/\/app$/);

  await page.goto('/settings#sessions');
  const rows = page.getByTestId('session-row');
  await expect(rows).toHaveCount(2);
  const current = rows.and(page.locator('[data-current="true"]'));
  await expect(current).toHaveCount(1);
  await expect(current.getByTestId('current-session')).toHaveText('This device');
  // Both were started by this Chromium: its User-Agent names them.
  for (const row of await rows.all()) {
    await expect(row.locator('th')).toHaveText(/^Chrome \d+$/);
    await expect(row.locator('td').first()).toHaveText(/ desktop$/);
  }
  const revocable = rows.and(page.locator(':not([data-current])'));
  await expect(revocable).toHaveCount(1);

  await revocable.getByRole('button', { name: /^Revoke/ }).click();
  const confirm = page.getByTestId('confirm-revoke-session');
  await expect(confirm).toBeVisible();
  await screenshot(page, 'settings-sessions-confirm-revoke');
  await confirm.getByRole('button', { name: 'Yes, revoke session' }).click();
  await expect(page.getByText('Session revoked')).toBeVisible();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-current', 'true');

  // The revoked browser: its next page load lands on sign-in, and it stays signed out.
  await other.reload();
  await expect(other).toHaveURL(/\/sign-in\?redirect_url=%2Fapp$/);
  await expect(other.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  await other.goto('/settings');
  await expect(other).toHaveURL(/\/sign-in\?redirect_url=%2Fsettings$/);
  expect((await otherContext.cookies()).filter((cookie) => cookie.name === '__session' && cookie.value !== '')).toEqual(
    [],
  );

  // This one is untouched.
  await page.goto('/app');
  await expect(page).toHaveURL(/\/app$/);
  await page.goto('/settings#sessions');
  await expect(rows).toHaveCount(1);
});
