// Issue 12, the admin console in a real browser. Specs run in parallel, so the shared demo users' role and
// status are never touched: each test signs up its own "Bob <unique>" in a second browser and acts on him.
// The maintenance banner is tenant-wide: the test that sets it clears it again even when it fails.
import type { Page } from '@playwright/test';
import { expect, screenshot, signIn, signUp, test, uniqueEmail } from '../support/fixtures';

const ADMIN = 'admin@example.com';

// Long journeys across two browsers, each page a real server render: more than the default minute on a
// busy machine.
test.describe.configure({ timeout: 180_000 });

/** A fresh Bob, signed up (and so signed in) in his own browser. */
async function newBob(newGuardedContext: () => Promise<import('@playwright/test').BrowserContext>) {
  const email = uniqueEmail('bob');
  const lastName = `Tester${email.slice(4, 12)}`;
  const page = await (await newGuardedContext()).newPage();
  await signUp(page, { email, firstName: 'Bob', lastName });
  await expect(page).toHaveURL(/\/app$/);
  return { page, email, name: `Bob ${lastName}` };
}

/** The admin searches the users table for `query` and opens the one result, `name`. */
async function openUser(page: Page, query: string, name: string): Promise<void> {
  await page.goto('/admin');
  await page.getByRole('searchbox', { name: 'Search' }).fill(query);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/\/admin\?q=/);
  await expect(page.getByTestId('user-row')).toHaveCount(1);
  await page.getByRole('link', { name }).click();
  await expect(page.getByTestId('user-name')).toHaveText(name);
}

/** One role or status action on the open detail page: the button, the confirmation with a reason, the notice. */
async function act(page: Page, label: string, confirmLabel: string, reason: string, notice: string): Promise<void> {
  await page.getByTestId('user-actions').getByRole('link', { name: label }).click();
  const confirm = page.getByTestId('confirm-user-action');
  await expect(confirm).toBeVisible();
  await confirm.getByLabel('Reason').fill(reason);
  await confirm.getByRole('button', { name: confirmLabel }).click();
  await expect(page.getByRole('status').filter({ hasText: notice })).toBeVisible();
  await expect(confirm).toHaveCount(0);
}

/** Whether the user menu offers the Admin link (the menu is a <details>: opened first). */
async function adminLink(page: Page) {
  await page.getByTestId('user-menu').locator('summary').click();
  return page.getByTestId('user-menu').getByRole('link', { name: 'Admin', exact: true });
}

test('an admin finds Bob, makes him admin, and demotes him again; each change reaches his next page', async ({
  page,
  newGuardedContext,
}) => {
  const bob = await newBob(newGuardedContext);
  await expect(await adminLink(bob.page)).toHaveCount(0);

  await signIn(page, ADMIN);
  await expect(page).toHaveURL(/\/app$/);
  await page.goto('/admin');
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  await screenshot(page, 'admin-users');
  await openUser(page, bob.email.slice(0, 12).toUpperCase(), bob.name);
  await expect(page.getByTestId('user-role')).toHaveText('User');
  await expect(page.getByTestId('user-status')).toHaveText('Active');
  await expect(page.getByTestId('user-listing-count')).toHaveText('0');

  // The reason is required by the web form, for every action.
  await page.getByTestId('user-actions').getByRole('link', { name: 'Make admin' }).click();
  await expect(page.getByTestId('confirm-user-action')).toBeVisible();
  await screenshot(page, 'admin-user-confirm');
  await page.getByRole('link', { name: 'Cancel' }).click();
  await expect(page.getByTestId('confirm-user-action')).toHaveCount(0);

  await act(page, 'Make admin', 'Yes, make admin', 'Helps run the shop', 'now an administrator');
  await expect(page.getByTestId('user-role')).toHaveText('Admin');
  const event = page.getByTestId('audit-event').filter({ hasText: 'Role changed' });
  await expect(event).toHaveCount(1);
  await expect(event.getByTestId('audit-reason')).toHaveText('Helps run the shop');
  await screenshot(page, 'admin-user-detail');

  // Bob's next page: the Admin link, and the console opens for him.
  await bob.page.goto('/app');
  await expect(await adminLink(bob.page)).toBeVisible();
  await bob.page.goto('/admin');
  await expect(bob.page.getByRole('heading', { name: 'Users' })).toBeVisible();

  await act(page, 'Remove admin', 'Yes, remove admin', 'Only for the sale week', 'no longer an administrator');
  await expect(page.getByTestId('user-role')).toHaveText('User');

  // His next page: no Admin link, and every /admin URL is the 403 page.
  await bob.page.goto('/app');
  await expect(await adminLink(bob.page)).toHaveCount(0);
  for (const path of ['/admin', '/admin/audit', '/admin/settings', '/admin/no-such-page']) {
    const response = await bob.page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(bob.page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
  }
  // The admin gets a 404 for a page that does not exist.
  expect((await page.goto('/admin/no-such-page'))?.status()).toBe(404);
});

test('an admin deactivates Bob: his next page is the disabled page; reactivated, he signs in again', async ({
  page,
  newGuardedContext,
}) => {
  const bob = await newBob(newGuardedContext);
  await signIn(page, ADMIN);
  await expect(page).toHaveURL(/\/app$/);
  await openUser(page, bob.name, bob.name);

  await act(page, 'Deactivate', 'Yes, deactivate', 'Reported for spam', 'account is deactivated');
  await expect(page.getByTestId('user-status')).toHaveText('Deactivated');
  await expect(page.getByTestId('user-actions').getByRole('link', { name: 'Deactivate' })).toHaveCount(0);

  const response = await bob.page.goto('/app');
  expect(response?.status()).toBe(403);
  await expect(bob.page.getByTestId('account-disabled')).toBeVisible();
  await screenshot(bob.page, 'admin-deactivated-user');

  await act(page, 'Reactivate', 'Yes, reactivate', 'Cleared after review', 'account is reactivated');
  await expect(page.getByTestId('user-status')).toHaveText('Active');

  // The ban ended his sessions: he signs in again and is back.
  await bob.page.goto('/app');
  await expect(bob.page).toHaveURL(/\/sign-in/);
  await signIn(bob.page, bob.email);
  await expect(bob.page).toHaveURL(/\/app$/);
  await expect(bob.page.getByRole('heading', { name: 'Your listings' })).toBeVisible();

  // The audit log, filtered to Bob as subject, has both changes with their reasons.
  await page.getByRole('link', { name: 'All events about this user' }).click();
  await expect(page).toHaveURL(/\/admin\/audit\?subject=/);
  await expect(page.getByTestId('audit-event').filter({ hasText: 'Reported for spam' })).toHaveCount(1);
  await expect(page.getByTestId('audit-event').filter({ hasText: 'Cleared after review' })).toHaveCount(1);
  await page.getByLabel('Event type').selectOption('user.deactivated');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByTestId('audit-event')).toHaveCount(1);
  await expect(page.getByTestId('audit-event')).toContainText('Account deactivated');
  await screenshot(page, 'admin-audit');
});

test("the API's guards show as messages in the form, never as a crash", async ({ page }) => {
  await signIn(page, ADMIN);
  await expect(page).toHaveURL(/\/app$/);
  await openUser(page, ADMIN, 'Ada Admin');
  // Their own page offers neither a self-demotion nor a self-deactivation…
  await expect(page.getByRole('heading', { level: 1 })).toContainText('(you)');
  await expect(page.getByTestId('user-actions').getByRole('link')).toHaveCount(0);

  // …and a crafted post of either is refused by the API, its message shown in the confirmation.
  for (const [intent, message] of [
    ['deactivate', 'You cannot deactivate your own account. Another admin can.'],
    ['remove-admin', 'You cannot remove your own admin role. Another admin can.'],
  ] as const) {
    await page.evaluate((value) => {
      const form = document.createElement('form');
      form.method = 'post';
      form.action = window.location.pathname;
      for (const [name, text] of [
        ['intent', value],
        ['reason', 'Crafted'],
      ]) {
        const input = document.createElement('input');
        input.type = 'hidden';
        input.name = name!;
        input.value = text!;
        form.append(input);
      }
      document.body.append(form);
      form.submit();
    }, intent);
    const error = page.getByTestId('user-action-error');
    await expect(error).toBeVisible();
    await expect(error).toHaveText(message);
    await screenshot(page, `admin-guard-${intent}`);
  }
  await expect(page.getByTestId('user-role')).toHaveText('Admin');
  await expect(page.getByTestId('user-status')).toHaveText('Active');
});

test('the maintenance banner appears on every page, for everyone, and disappears when cleared', async ({
  page,
  newGuardedContext,
}) => {
  const text = `Maintenance tonight ${uniqueEmail('banner').slice(7, 15)}`;
  await signIn(page, ADMIN);
  await expect(page).toHaveURL(/\/app$/);
  const other = await (await newGuardedContext()).newPage();
  await signIn(other, 'alice@example.com');
  await expect(other).toHaveURL(/\/app$/);

  const setBanner = async (value: string) => {
    await page.goto('/admin/settings');
    await page.getByLabel('Maintenance banner').fill(value);
    await page.getByLabel('Reason (optional)').fill(value ? 'Database upgrade' : 'Done');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByRole('status').filter({ hasText: /settings are saved|Nothing changed/ })).toBeVisible();
  };

  try {
    await setBanner(text);
    await expect(page.getByLabel('Maintenance banner')).toHaveValue(text);
    await expect(page.getByTestId('maintenance-banner')).toHaveText(text);
    await screenshot(page, 'admin-settings');
    await other.goto('/app');
    await expect(other.getByTestId('maintenance-banner')).toHaveText(text);
    await other.goto('/settings');
    await expect(other.getByTestId('maintenance-banner')).toHaveText(text);
    await screenshot(other, 'maintenance-banner');

    // A field error from the API's rules, beside its field; nothing saved.
    await page.getByLabel('Maximum API keys per user').fill('1000');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByTestId('error-maxApiKeysPerUser')).toBeVisible();
    await screenshot(page, 'admin-settings-error');
    await page.goto('/admin/settings');
    await expect(page.getByLabel('Maximum API keys per user')).not.toHaveValue('1000');
  } finally {
    await setBanner('');
  }
  await expect(page.getByTestId('maintenance-banner')).toHaveCount(0);
  await other.goto('/app');
  await expect(other.getByTestId('maintenance-banner')).toHaveCount(0);
});
