import { expect, screenshot, signUp, test, uniqueEmail } from '../support/fixtures';

test('a newcomer signs up, lands on an empty dashboard, adds a listing and sees it listed', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('hardware deal');
  await screenshot(page, 'landing');

  await page.getByRole('link', { name: 'Create an account' }).click();
  await expect(page).toHaveURL(/\/sign-up$/);
  await screenshot(page, 'sign-up');

  const email = uniqueEmail('newcomer');
  await signUp(page, { email, firstName: 'Nora', lastName: 'Newcomer' });

  await expect(page).toHaveURL(/\/app$/);
  await expect(page.getByTestId('empty-state')).toBeVisible();
  await expect(page.getByTestId('listing-count')).toHaveText('0 listings');
  await screenshot(page, 'dashboard-empty');

  // The user menu shows initials, name and email.
  const menu = page.getByTestId('user-menu');
  await expect(menu.locator('summary')).toContainText('NN');
  await menu.locator('summary').click();
  await expect(page.getByTestId('user-menu-name')).toHaveText('Nora Newcomer');
  await expect(page.getByTestId('user-menu-email')).toHaveText(email);
  await menu.locator('summary').click();

  await page.getByTestId('empty-state').getByRole('link', { name: 'Add a listing' }).click();
  await expect(page).toHaveURL(/\/app\/listings\/new$/);
  await page.getByLabel('Title').fill('Beelink SER5 mini PC');
  await page.getByLabel('Price').fill('219.90');
  await page.getByLabel('Condition').selectOption('NEW');
  await page.getByLabel('Listing URL').fill('https://example.com/ser5');
  await page.getByLabel('CPU').fill('AMD Ryzen 5 5560U');
  await page.getByLabel('RAM (GB)').fill('16');
  await page.getByLabel('Storage (GB)').fill('500');
  await screenshot(page, 'listing-new');
  await page.getByRole('button', { name: 'Add listing' }).click();

  await expect(page).toHaveURL(/\/app\?notice=created$/);
  await expect(page.getByRole('status')).toHaveText('Listing added.');
  const rows = page.getByTestId('listing-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Beelink SER5 mini PC');
  await expect(rows.first()).toContainText('219.90');
  await expect(rows.first()).toContainText('New');
  await expect(rows.first()).toContainText('AMD Ryzen 5 5560U');
  await expect(rows.first()).toContainText('16 GB');
  await expect(rows.first()).toContainText('500 GB');
  await expect(page.getByTestId('listing-count')).toHaveText('1 listing');
  await screenshot(page, 'dashboard-with-listing');
});

test('sign-up refuses an email that is taken and shows the errors beside the fields', async ({ page }) => {
  await page.goto('/sign-up');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page.getByTestId('error-email')).toHaveText('Email is required');
  await expect(page.getByTestId('error-firstName')).toHaveText('First name is required');
  await expect(page.getByTestId('error-lastName')).toHaveText('Last name is required');
  await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');

  await signUp(page, { email: 'alice@example.com', firstName: 'Other', lastName: 'Alice' });
  await expect(page.getByTestId('error-email')).toContainText('already exists');
  await expect(page).toHaveURL(/\/sign-up$/);
});
