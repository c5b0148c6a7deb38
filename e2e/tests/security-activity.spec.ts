// Settings → Security activity in a real browser: a newly signed-up person sees their own sign-in there,
// then creating and revoking an API key adds its two events, newest first. A fresh identity per test, so
// specs running alongside cannot add to (or read) this person's activity. Sign-ups are never turned off
// here (that would refuse other specs' sign-ups): web/test/shell-components.test.tsx covers that page.
import type { Locator, Page } from '@playwright/test';
import { expect, screenshot, signUp, test, uniqueEmail } from '../support/fixtures';

/** The section's event labels, newest first. */
async function labels(section: Locator): Promise<string[]> {
  return section.getByTestId('security-event-label').allInnerTexts();
}

/** Reloads /settings until the section lists `label`: the sign-in arrives through the provider's webhook. */
async function waitForEvent(page: Page, label: string): Promise<void> {
  await expect(async () => {
    await page.goto('/settings');
    expect(await labels(page.getByTestId('security-activity-section'))).toContain(label);
  }).toPass({ timeout: 15_000 });
}

test('a new user sees their own sign-in, then their API key created and revoked', async ({ page }) => {
  await signUp(page, { email: uniqueEmail('activity'), firstName: 'Ada', lastName: 'Activity' });
  await expect(page).toHaveURL(/\/app$/);

  // An ordinary user's menu has no Admin link.
  await page.getByTestId('user-menu').locator('summary').click();
  await expect(page.getByTestId('user-menu').getByRole('link', { name: 'Settings' })).toBeVisible();
  await expect(page.getByTestId('admin-link')).toHaveCount(0);

  await waitForEvent(page, 'Signed in');
  const section = page.getByTestId('security-activity-section');
  await expect(section.getByRole('heading', { name: 'Security activity' })).toBeVisible();
  await expect(section.getByTestId('security-activity-empty')).toHaveCount(0);
  const signIn = section.locator('[data-testid="security-event"][data-type="auth.sign_in"]').first();
  await expect(signIn.locator('time')).toHaveText(/\d{4}, \d{2}:\d{2} UTC$/);
  // Nothing of anyone else's: one person's sign-in and account, no more.
  expect(await section.getByTestId('security-event').count()).toBeLessThanOrEqual(3);
  await expect(section.getByRole('navigation', { name: 'Security activity pages' })).toHaveCount(0);

  // Create a key: its event is the newest.
  const keys = page.getByTestId('api-keys-section');
  await keys.getByLabel('Key name').fill('Activity key');
  await keys.getByRole('button', { name: 'Create key' }).click();
  await expect(keys.getByTestId('new-api-key')).toBeVisible();
  await page.goto('/settings');
  await expect(section.getByTestId('security-event-label').first()).toHaveText('API key created');

  // Revoke it (after the confirmation): newest again, the creation right after.
  const row = keys.getByTestId('api-key-row').filter({ hasText: 'Activity key' });
  await row.getByRole('button', { name: 'Revoke Activity key' }).click();
  await keys.getByRole('button', { name: 'Yes, revoke key' }).click();
  await expect(page).toHaveURL(/notice=api-key-revoked/);
  const eventLabels = section.getByTestId('security-event-label');
  await expect(eventLabels.nth(0)).toHaveText('API key revoked');
  await expect(eventLabels.nth(1)).toHaveText('API key created');
  expect(await labels(section)).toContain('Signed in');

  await section.scrollIntoViewIfNeeded();
  await screenshot(page, 'security-activity');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.reload();
  await expect(page.locator('html')).toHaveClass(/theme-system/);
  await screenshot(page, 'security-activity-dark');
  await page.setViewportSize({ width: 375, height: 800 });
  await screenshot(page, 'security-activity-375');
});
