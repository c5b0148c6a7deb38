// Settings → Profile and Preferences in a real browser: a changed name reaches the header (in local mode
// through the identity provider's stand-in and its webhook), preferences persist, prices follow the
// chosen currency and the page follows the chosen theme. Every test signs up its own person, so
// changing preferences cannot disturb tests that run alongside.
import type { Page } from '@playwright/test';
import { expect, screenshot, signUp, test, uniqueEmail, addListing } from '../support/fixtures';

/** The class attribute of <html> ('' when there is none). */
function htmlClass(page: Page): Promise<string> {
  return page.evaluate(() => document.documentElement.className);
}

/** The computed background colour of the card (the nearest <div>) around the element with this test id. */
async function cardBackground(page: Page, testId: string): Promise<string> {
  return page
    .getByTestId(testId)
    .evaluate((element) => getComputedStyle(element.closest('div') ?? element).backgroundColor);
}

const WHITE = 'rgb(255, 255, 255)';

/** A 1×1 PNG. */
const PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

test('a changed first name is saved and shows in the header after a reload', async ({ page }) => {
  const email = uniqueEmail('profile');
  await signUp(page, { email, firstName: 'Pat', lastName: 'Profile' });
  await expect(page).toHaveURL(/\/app$/);

  await page.goto('/settings');
  const headings = page.getByRole('heading', { level: 2 });
  await expect(headings).toHaveText(['Profile', 'Preferences', 'Sessions', 'API keys', 'Security activity']);
  await expect(page.getByTestId('settings-email')).toHaveText(email);
  await expect(page.getByTestId('settings-role')).toHaveText('User');
  await expect(page.getByLabel('First name')).toHaveValue('Pat');

  await page.getByLabel('First name').fill('Patricia');
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(page).toHaveURL(/\/settings\?notice=profile-saved#profile$/);
  await expect(page.getByTestId('profile-section').getByRole('status')).toHaveText('Your name is saved.');
  await expect(page.getByTestId('settings-name')).toHaveText('Patricia Profile');
  await screenshot(page, 'settings-profile-saved');

  // After a reload, and on another page: the stored name, in the form and in the header.
  await page.reload();
  await expect(page.getByLabel('First name')).toHaveValue('Patricia');
  await page.goto('/app');
  const menu = page.getByTestId('user-menu');
  await expect(menu.locator('summary')).toContainText('Patricia Profile');
  await menu.locator('summary').click();
  await expect(page.getByTestId('user-menu-name')).toHaveText('Patricia Profile');
});

test('a profile picture is uploaded, shown from the app itself, and removed; a file that is no image is refused', async ({
  page,
}) => {
  await signUp(page, { email: uniqueEmail('avatar'), firstName: 'Ava', lastName: 'Tar' });
  await expect(page).toHaveURL(/\/app$/);
  await page.goto('/settings');
  const profile = page.getByTestId('profile-section');
  await expect(profile.getByTestId('profile-initials')).toHaveText('AT');

  await profile.getByLabel('New picture').setInputFiles({
    name: 'notes.png',
    mimeType: 'image/png',
    buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
  });
  await profile.getByRole('button', { name: 'Upload picture' }).click();
  await expect(profile.getByTestId('error-avatar')).toHaveText('The image must be a PNG, JPEG, GIF or WebP file.');
  await expect(profile.getByTestId('profile-initials')).toBeVisible();

  await profile.getByLabel('New picture').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: PIXEL_PNG });
  await profile.getByRole('button', { name: 'Upload picture' }).click();
  await expect(page).toHaveURL(/\/settings\?notice=avatar-updated#profile$/);
  const picture = profile.getByTestId('profile-avatar');
  await expect(picture).toHaveAttribute('src', /^\/settings\/avatar\/user_[A-Za-z0-9_]+-[0-9a-f]{16}\.png$/);
  // It loads (from this app's origin: the fixture fails the test on a request anywhere else).
  await expect.poll(() => picture.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBe(1);
  await expect(page.getByTestId('user-menu').locator('summary img')).toHaveAttribute('src', /^\/settings\/avatar\//);
  await screenshot(page, 'settings-avatar');

  await profile.getByRole('button', { name: 'Remove picture' }).click();
  await expect(page).toHaveURL(/\/settings\?notice=avatar-removed#profile$/);
  await expect(profile.getByTestId('profile-initials')).toHaveText('AT');
  await expect(page.getByTestId('user-menu').locator('summary img')).toHaveCount(0);
});

test('preferences persist; prices show in the chosen currency and the page in the chosen theme', async ({ page }) => {
  await signUp(page, { email: uniqueEmail('prefs'), firstName: 'Petra', lastName: 'Prefs' });
  await expect(page).toHaveURL(/\/app$/);
  await addListing(page, 'Mac mini M4', '849');
  await expect(page.getByTestId('listing-price')).toHaveText('$849.00');
  // The default theme follows the device (Playwright's is light): the system class, a white table.
  expect(await htmlClass(page)).toBe('theme-system');
  expect(await cardBackground(page, 'listings')).toBe(WHITE);

  await page.goto('/settings');
  const preferences = page.getByTestId('preferences-section');
  await expect(preferences.getByLabel('Security alerts')).toBeChecked();
  await expect(preferences.getByLabel('A collection is shared with me')).toBeChecked();
  await expect(preferences.getByLabel('Weekly digest')).not.toBeChecked();
  await expect(preferences.getByLabel('Currency')).toHaveValue('USD');
  await expect(preferences.getByLabel('Match my device')).toBeChecked();

  await preferences.getByLabel('Weekly digest').check();
  await preferences.getByLabel('Security alerts').uncheck();
  await preferences.getByLabel('Currency').selectOption('EUR');
  await preferences.getByLabel('Dark', { exact: true }).check();
  await preferences.getByRole('button', { name: 'Save preferences' }).click();

  await expect(page).toHaveURL(/\/settings\?notice=preferences-saved#preferences$/);
  await expect(preferences.getByRole('status')).toHaveText('Your preferences are saved.');
  // The new theme applies at once: the root loader reads it again after the post.
  await expect.poll(() => htmlClass(page)).toBe('dark');
  await screenshot(page, 'settings-dark');

  await page.reload();
  await expect(preferences.getByLabel('Weekly digest')).toBeChecked();
  await expect(preferences.getByLabel('Security alerts')).not.toBeChecked();
  await expect(preferences.getByLabel('A collection is shared with me')).toBeChecked();
  await expect(preferences.getByLabel('Currency')).toHaveValue('EUR');
  await expect(preferences.getByLabel('Dark', { exact: true })).toBeChecked();

  // The listings page: euro prices (the amount as entered, not converted), dark surfaces.
  await page.goto('/app');
  await expect(page.getByTestId('listing-price')).toHaveText('€849.00');
  expect(await htmlClass(page)).toBe('dark');
  const pageBackground = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  expect(pageBackground).not.toBe(WHITE);
  expect(await cardBackground(page, 'listings')).not.toBe(WHITE);
  await screenshot(page, 'listings-dark-eur');

  // The price field of the listing form names the currency too.
  await page.goto('/app/listings/new');
  await expect(page.getByText('In EUR (€), e.g. 249.99')).toBeVisible();

  // Back to light: no class at all.
  await page.goto('/settings');
  await preferences.getByLabel('Light', { exact: true }).check();
  await preferences.getByRole('button', { name: 'Save preferences' }).click();
  await expect(page).toHaveURL(/notice=preferences-saved/);
  await expect.poll(() => htmlClass(page)).toBe('');
});

test('profile and preferences work without JavaScript', async ({ newGuardedContext }) => {
  const context = await newGuardedContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signUp(page, { email: uniqueEmail('nojs-settings'), firstName: 'Noel', lastName: 'Script' });
  await expect(page).toHaveURL(/\/app$/);

  await page.goto('/settings');
  await page.getByLabel('Last name').fill('Scripted');
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(page).toHaveURL(/\/settings\?notice=profile-saved#profile$/);
  await expect(page.getByTestId('settings-name')).toHaveText('Noel Scripted');

  const preferences = page.getByTestId('preferences-section');
  await preferences.getByLabel('Currency').selectOption('GBP');
  await preferences.getByLabel('Dark', { exact: true }).check();
  await preferences.getByRole('button', { name: 'Save preferences' }).click();
  await expect(page).toHaveURL(/\/settings\?notice=preferences-saved#preferences$/);
  await expect(preferences.getByLabel('Currency')).toHaveValue('GBP');
  expect(await htmlClass(page)).toBe('dark');

  // A bad value (a crafted post) is refused beside its field, and nothing changes.
  const response = await page.request.post('/settings', {
    form: { intent: 'update-preferences', currency: 'BTC', theme: 'DARK' },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(response.status()).toBe(400);
  await page.reload();
  await expect(preferences.getByLabel('Currency')).toHaveValue('GBP');
});
