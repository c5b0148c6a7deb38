import type { Page } from '@playwright/test';
import { expect, screenshot, signIn, signUp, test, uniqueEmail, addListing } from '../support/fixtures';

/** Whether the app's client entry ran on this page (entry.client.tsx sets the marker). */
function hydrated(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as { __dealBrainHydrated?: boolean }).__dealBrainHydrated === true);
}

const itemTitles = (page: Page) => page.getByTestId('collection-item').locator('h3');

/** The share notice with the address taken out: it must read the same for every address. */
async function shareNoticeFor(page: Page, email: string, permission: 'View' | 'Edit'): Promise<string> {
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Permission', { exact: true }).selectOption({ label: permission });
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  await expect(page).toHaveURL(/notice=shared/);
  const notice = await page.getByRole('status').innerText();
  expect(notice).toContain(email.toLowerCase());
  return notice.replace(email.toLowerCase(), '<address>');
}

test('a VIEW grantee sees a shared collection without any edit control', async ({ page }) => {
  await signIn(page, 'alice@example.com');
  await expect(page).toHaveURL(/\/app/);
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Collections' }).click();
  await expect(page).toHaveURL(/\/app\/collections$/);
  const row = page.getByTestId('shared-collection-row').filter({ hasText: "Bob's picks" });
  await expect(row).toContainText('Bob Baker');
  await expect(row).toContainText('View');
  await screenshot(page, 'collections-list-alice');

  await row.getByRole('link', { name: "Bob's picks" }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Bob's picks");
  await expect(page.getByTestId('viewer-permission')).toHaveText('View only');
  await expect(page.getByTestId('collection-item').first()).toBeVisible();
  await expect(page.getByTestId('item-note').first()).toBeVisible();
  // No forms at all: no note editing, moving, removing, adding, sharing, renaming or deleting.
  await expect(page.locator('main form')).toHaveCount(0);
  await expect(page.getByTestId('add-listing')).toHaveCount(0);
  await expect(page.getByTestId('share-section')).toHaveCount(0);
  await expect(page.getByTestId('delete-section')).toHaveCount(0);
  await screenshot(page, 'collection-view-grantee');

  // An id nobody can read is the ordinary 404 page.
  const response = await page.goto('/app/collections/00000000-0000-4000-8000-000000000000');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
});

test('collections work without JavaScript: create, add, note, reorder, share, revoke, delete', async ({
  newGuardedContext,
}) => {
  // About thirty full-page form posts, each rendered by the dev server: beside one other worker it takes
  // about 45 s, beside three others on two cores well over the default 60 s; slow() gives it 180 s.
  test.slow();
  const context = await newGuardedContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  // Someone who has an account already, and an address nobody has signed up with yet.
  const member = uniqueEmail('member');
  const memberContext = await newGuardedContext();
  const memberPage = await memberContext.newPage();
  await signUp(memberPage, { email: member, firstName: 'Mia', lastName: 'Member' });
  await expect(memberPage).toHaveURL(/\/app$/);
  const newcomer = uniqueEmail('Newcomer');

  await signUp(page, { email: uniqueEmail('curator'), firstName: 'Cora', lastName: 'Curator' });
  await expect(page).toHaveURL(/\/app$/);
  expect(await hydrated(page)).toBe(false);
  await addListing(page, 'NUC 13 Pro', '420');
  await addListing(page, 'Mac mini M2', '499');

  await page.goto('/app/collections');
  await expect(page.getByTestId('own-empty')).toBeVisible();
  await page.getByRole('button', { name: 'Create collection' }).click();
  await expect(page.getByTestId('error-name')).toHaveText('Name is required');
  await page.getByLabel('Name').fill('Desk machines');
  await page.getByLabel('Description (optional)').fill('Small and quiet');
  await page.getByRole('button', { name: 'Create collection' }).click();
  await expect(page).toHaveURL(/\/app\/collections\/[0-9a-f-]{36}\?notice=created$/);
  const collectionUrl = page.url().split('?')[0]!;
  await expect(page.getByTestId('items-empty')).toBeVisible();

  // The add dialog says who will see the listing.
  for (const [title, note] of [
    ['Mac mini M2 ($499.00)', 'Quietest'],
    ['NUC 13 Pro ($420.00)', ''],
  ] as const) {
    await page.getByTestId('add-listing').locator('summary').click();
    await expect(page.getByTestId('add-warning')).toHaveText(
      'Everyone who can see this collection will be able to see this listing.',
    );
    await page.getByLabel('Listing', { exact: true }).selectOption({ label: title });
    await page.getByLabel('Note (optional)').fill(note);
    await page.getByRole('button', { name: 'Add to collection' }).click();
    await expect(page).toHaveURL(/notice=item-added/);
  }
  await expect(itemTitles(page)).toHaveText(['1.Mac mini M2', '2.NUC 13 Pro']);
  await expect(page.getByLabel('Note for Mac mini M2')).toHaveValue('Quietest');

  await page.getByRole('button', { name: 'Move up NUC 13 Pro' }).click();
  await expect(page).toHaveURL(/notice=moved/);
  await expect(itemTitles(page)).toHaveText(['1.NUC 13 Pro', '2.Mac mini M2']);
  await expect(page.getByRole('button', { name: 'Move up NUC 13 Pro' })).toBeDisabled();

  await page.getByLabel('Note for NUC 13 Pro').fill('Has Thunderbolt');
  await page.getByRole('button', { name: 'Save note for NUC 13 Pro' }).click();
  await expect(page).toHaveURL(/notice=note-saved/);
  await expect(page.getByLabel('Note for NUC 13 Pro')).toHaveValue('Has Thunderbolt');

  // Sharing: an invalid address is refused beside its field; then the same notice for an address
  // with an account and one without (no account enumeration).
  await page.getByTestId('share-section').locator('summary').click();
  await page.getByLabel('Email address').fill('not an address');
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  await expect(page.getByTestId('error-email')).toHaveText('Enter a valid email address');
  const forMember = await shareNoticeFor(page, member, 'View');
  const forNewcomer = await shareNoticeFor(page, newcomer, 'Edit');
  expect(forNewcomer).toBe(forMember);
  expect(forMember).toBe(
    "Shared with <address>. If they don't have an account yet, they'll see it once they sign up with that address.",
  );
  await expect(page.getByTestId('share-email')).toHaveText([member, newcomer.toLowerCase()]);
  await screenshot(page, 'collection-owner-share-open');

  // The member sees it, read-only; after a permission change they may edit items.
  await memberPage.goto('/app/collections');
  await expect(memberPage.getByTestId('shared-collection-row')).toContainText(['Desk machines']);
  await memberPage.goto(collectionUrl);
  await expect(memberPage.getByTestId('viewer-permission')).toHaveText('View only');
  await page.getByLabel(`Permission for ${member}`).selectOption({ label: 'Edit' });
  await page.getByRole('button', { name: `Change permission for ${member}` }).click();
  await expect(page).toHaveURL(/notice=permission/);
  await memberPage.reload();
  await expect(memberPage.getByTestId('viewer-permission')).toHaveText('You can edit its items');
  await expect(memberPage.getByTestId('share-section')).toHaveCount(0);

  // Revoking ends the member's access at once.
  await page.getByRole('button', { name: `Revoke access for ${member}` }).click();
  await expect(page).toHaveURL(/notice=revoked/);
  await expect(page.getByTestId('share-email')).toHaveText([newcomer.toLowerCase()]);
  expect((await memberPage.reload())?.status()).toBe(404);

  await page.getByRole('button', { name: 'Remove Mac mini M2' }).click();
  await expect(page).toHaveURL(/notice=item-removed/);
  await expect(itemTitles(page)).toHaveText(['1.NUC 13 Pro']);

  // The newcomer signs up with the shared address and finds the collection, with Edit.
  const newcomerContext = await newGuardedContext();
  const newcomerPage = await newcomerContext.newPage();
  await signUp(newcomerPage, { email: newcomer, firstName: 'Nico', lastName: 'Newcomer' });
  await expect(newcomerPage).toHaveURL(/\/app$/);
  await newcomerPage.goto('/app/collections');
  const row = newcomerPage.getByTestId('shared-collection-row').filter({ hasText: 'Desk machines' });
  await expect(row).toContainText('Cora Curator');
  await expect(row).toContainText('Edit');

  // Deleting takes a second step inside the disclosure.
  await page.getByTestId('delete-section').locator('summary').click();
  await page.getByRole('button', { name: 'Delete collection' }).click();
  await expect(page).toHaveURL(/\/app\/collections\?notice=deleted$/);
  await expect(page.getByRole('status')).toHaveText('Collection deleted.');
  expect((await newcomerPage.goto(collectionUrl))?.status()).toBe(404);
});
