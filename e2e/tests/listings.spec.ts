import type { Page } from '@playwright/test';
import { expect, screenshot, signUp, test, uniqueEmail, addListing } from '../support/fixtures';

/** Whether the app's client entry ran on this page (entry.client.tsx sets the marker). */
function hydrated(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as { __dealBrainHydrated?: boolean }).__dealBrainHydrated === true);
}

/** Fills the edit form with three invalid values and checks each error sits beside its field. */
async function submitInvalidEdit(page: Page): Promise<void> {
  await page.getByLabel('Title').fill('');
  await page.getByLabel('Price').fill('-5');
  await page.getByLabel('Listing URL').fill('javascript:alert(document.cookie)');
  await page.getByRole('button', { name: 'Save changes' }).click();

  await expect(page.getByTestId('error-title')).toHaveText('Title is required');
  await expect(page.getByTestId('error-price')).toHaveText('Price must be between 0 and 10,000,000');
  await expect(page.getByTestId('error-url')).toHaveText('URL must be an http or https address');
  await expect(page.getByRole('alert')).toContainText('Please correct the fields marked below.');
  for (const field of ['Title', 'Price', 'Listing URL']) {
    await expect(page.getByLabel(field)).toHaveAttribute('aria-invalid', 'true');
  }
  // The error is announced with its field.
  await expect(page.getByLabel('Price')).toHaveAttribute('aria-describedby', /field-price-error/);
  // What was typed stays in the form.
  await expect(page.getByLabel('Listing URL')).toHaveValue('javascript:alert(document.cookie)');
}

test('edit and delete a listing, with validation errors for bad input', async ({ page }) => {
  await signUp(page, { email: uniqueEmail('editor'), firstName: 'Eddie', lastName: 'Editor' });
  await expect(page).toHaveURL(/\/app$/);
  await addListing(page, 'ThinkPad T480', '230');

  // The create form reports bad input too.
  await page.goto('/app/listings/new');
  await page.getByLabel('Title').fill('   ');
  await page.getByLabel('Price').fill('cheap');
  await page.getByRole('button', { name: 'Add listing' }).click();
  await expect(page.getByTestId('error-price')).toHaveText('Price must be a number, like 199.99');
  await page.getByLabel('Price').fill('-1');
  await page.getByRole('button', { name: 'Add listing' }).click();
  await expect(page.getByTestId('error-title')).toHaveText('Title is required');
  await expect(page.getByTestId('error-price')).toHaveText('Price must be between 0 and 10,000,000');

  await page.goto('/app');
  await page.getByRole('link', { name: 'Edit ThinkPad T480' }).click();
  await expect(page.getByLabel('Title')).toHaveValue('ThinkPad T480');
  // With JavaScript on, the app hydrates: the marker the JavaScript-off test relies on is real.
  await expect.poll(() => hydrated(page)).toBe(true);
  await submitInvalidEdit(page);
  await screenshot(page, 'listing-edit-errors');

  // Nothing was saved.
  await page.goto('/app');
  await expect(page.getByTestId('listings')).toContainText('ThinkPad T480');
  await expect(page.getByTestId('listings')).toContainText('230.00');

  await page.getByRole('link', { name: 'Edit ThinkPad T480' }).click();
  await page.getByLabel('Title').fill('ThinkPad T480s');
  await page.getByLabel('Price').fill('245.50');
  await page.getByLabel('RAM (GB)').fill('24');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(/\/app\?notice=updated$/);
  const row = page.getByTestId('listing-row').filter({ hasText: 'ThinkPad T480s' });
  await expect(row).toContainText('245.50');
  await expect(row).toContainText('24 GB');

  await page.getByRole('link', { name: 'Delete ThinkPad T480s' }).click();
  await expect(page.getByRole('heading', { name: 'Delete this listing?' })).toBeVisible();
  await screenshot(page, 'listing-delete');
  await page.getByRole('button', { name: 'Delete listing' }).click();
  await expect(page).toHaveURL(/\/app\?notice=deleted$/);
  await expect(page.getByTestId('empty-state')).toBeVisible();
});

test('create, edit with errors and delete work with JavaScript disabled', async ({ newGuardedContext }) => {
  const context = await newGuardedContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signUp(page, { email: uniqueEmail('nojs'), firstName: 'Noah', lastName: 'Script' });
  await expect(page).toHaveURL(/\/app$/);
  // No script ran (the client entry marks hydration): every step below is a plain form post and a full
  // page load.
  expect(await hydrated(page)).toBe(false);

  await addListing(page, 'Raspberry Pi 5 kit', '95');
  await page.getByRole('link', { name: 'Edit Raspberry Pi 5 kit' }).click();
  await submitInvalidEdit(page);

  await page.getByLabel('Title').fill('Raspberry Pi 5 8GB kit');
  await page.getByLabel('Price').fill('99.99');
  await page.getByLabel('Listing URL').fill('https://example.com/pi5');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(/\/app\?notice=updated$/);
  await expect(page.getByTestId('listings')).toContainText('Raspberry Pi 5 8GB kit');

  await page.getByRole('link', { name: 'Delete Raspberry Pi 5 8GB kit' }).click();
  await page.getByRole('button', { name: 'Delete listing' }).click();
  await expect(page).toHaveURL(/\/app\?notice=deleted$/);
  await expect(page.getByTestId('empty-state')).toBeVisible();
});

test('paginates the listings table', async ({ page }) => {
  await signUp(page, { email: uniqueEmail('pager'), firstName: 'Paige', lastName: 'Turner' });
  await expect(page).toHaveURL(/\/app$/);
  for (const n of [1, 2, 3]) await addListing(page, `Deal ${n}`, `${n}00`);

  await page.goto('/app?size=2');
  await expect(page.getByTestId('listing-row')).toHaveCount(2);
  await expect(page.getByTestId('listings')).toContainText('Deal 3');
  await page.getByRole('link', { name: 'Older →' }).click();
  await expect(page.getByTestId('listing-row')).toHaveCount(1);
  await expect(page.getByTestId('listings')).toContainText('Deal 1');
  await page.getByRole('link', { name: '← Newer' }).click();
  await expect(page.getByTestId('listing-row')).toHaveCount(2);
  await expect(page.getByTestId('listings')).toContainText('Deal 3');
});
