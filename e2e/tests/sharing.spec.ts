// Issue 9, part 8: sharing a collection between two people, driven through the pages as they would:
// Bob creates a collection and shares it with Alice (View), changes the share to Edit (she adds one of
// her listings), a stranger who has the URL gets the not-found page, and Bob revokes the share.
// The steps depend on each other, so they run in order in one worker, on one collection made for this
// run (the seeded "Bob's picks" share stays as it is for collections.spec.ts).
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import {
  ALICE_LISTINGS,
  BOB_LISTINGS,
  baseUrl,
  expect,
  guardRequests,
  screenshot,
  signIn,
  signUp,
  test,
  uniqueEmail,
} from '../support/fixtures';

const ALICE = 'alice@example.com';
const COLLECTION = `Quiet desk PCs ${randomUUID().slice(0, 6)}`;
const BOBS_LISTING = BOB_LISTINGS[0]!; // HP EliteDesk 800 G4 Mini, 159.50
const ALICES_LISTING = ALICE_LISTINGS[2]!; // Gaming tower, RTX 3070, 849.00
const BOBS_NOTE = 'Ask whether the power brick is included';
const ALICES_NOTE = 'Could replace the one in the study';

interface Person {
  context: BrowserContext;
  page: Page;
  offending: string[];
}

/** One signed-in browser per person for the whole walk, guarded like the fixtures' contexts. */
async function openAs(browser: Browser, email: string): Promise<Person> {
  const context = await browser.newContext({ baseURL: baseUrl() });
  const offending = guardRequests(context, baseUrl());
  const page = await context.newPage();
  await signIn(page, email);
  await expect(page).toHaveURL(/\/app$/);
  return { context, page, offending };
}

const itemTitles = (page: Page) => page.getByTestId('collection-item').locator('h3');
const sharedRow = (page: Page) => page.getByTestId('shared-collection-row').filter({ hasText: COLLECTION });

test.describe.serial('sharing a collection between Bob and Alice', () => {
  let bob: Person;
  let alice: Person;
  /** /app/collections/<id> of the collection Bob makes in the first test. */
  let collectionPath: string;

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(120_000);
    [bob, alice] = await Promise.all([openAs(browser, 'bob@example.com'), openAs(browser, ALICE)]);
  });

  test.afterAll(async () => {
    for (const person of [bob, alice]) await person?.context.close();
    expect(
      [...(bob?.offending ?? []), ...(alice?.offending ?? [])],
      "requests to origins other than the app's",
    ).toEqual([]);
  });

  test('Bob shares a collection with Alice as View: she finds it under "Shared with me" and cannot edit it', async () => {
    test.slow();
    // Bob: a new collection with one of his listings and a note, shared with Alice (View).
    const { page } = bob;
    await page.goto('/app/collections');
    await page.getByLabel('Name').fill(COLLECTION);
    await page.getByLabel('Description (optional)').fill('Small boxes for the home office');
    await page.getByRole('button', { name: 'Create collection' }).click();
    await expect(page).toHaveURL(/\/app\/collections\/[0-9a-f-]{36}\?notice=created$/);
    collectionPath = new URL(page.url()).pathname;
    await page.getByTestId('add-listing').locator('summary').click();
    await page.getByLabel('Listing', { exact: true }).selectOption({ label: `${BOBS_LISTING} ($159.50)` });
    await page.getByLabel('Note (optional)').fill(BOBS_NOTE);
    await page.getByRole('button', { name: 'Add to collection' }).click();
    await expect(page).toHaveURL(/notice=item-added/);
    await expect(itemTitles(page)).toHaveText([`1.${BOBS_LISTING}`]);

    await page.getByTestId('share-section').locator('summary').click();
    await page.getByLabel('Email address').fill(ALICE);
    await page.getByLabel('Permission', { exact: true }).selectOption({ label: 'View' });
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    await expect(page).toHaveURL(/notice=shared/);
    await expect(page.getByRole('status')).toContainText(`Shared with ${ALICE}.`);
    await expect(page.getByTestId('share-email')).toHaveText([ALICE]);
    await expect(page.getByLabel(`Permission for ${ALICE}`)).toHaveValue('VIEW');

    // Alice: under "Shared with me" (not under her own), with Bob's name, View and one listing.
    const her = alice.page;
    await her.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Collections' }).click();
    await expect(her).toHaveURL(/\/app\/collections$/);
    await expect(sharedRow(her)).toHaveCount(1);
    await expect(sharedRow(her).locator('th, td')).toHaveText([COLLECTION, 'Bob Baker', 'View', '1']);
    await expect(her.getByTestId('own-collections')).not.toContainText(COLLECTION);
    await screenshot(her, 'sharing-alice-shared-with-me');

    await sharedRow(her).getByRole('link', { name: COLLECTION }).click();
    await expect(her).toHaveURL(new RegExp(`${collectionPath}$`));
    await expect(her.getByRole('heading', { level: 1 })).toHaveText(COLLECTION);
    await expect(her.getByTestId('collection-meta')).toHaveText('1 listing · Shared with you by Bob Baker · View only');
    await expect(itemTitles(her)).toHaveText([`1.${BOBS_LISTING}`]);
    await expect(her.getByTestId('item-note')).toHaveText(`Note: ${BOBS_NOTE}`);
    // Nothing to edit: no note fields, move or remove buttons, no add, share, rename or delete.
    await expect(her.locator('main form')).toHaveCount(0);
    await expect(her.locator('main textarea, main input, main select')).toHaveCount(0);
    for (const section of ['add-listing', 'share-section', 'rename-section', 'delete-section']) {
      await expect(her.getByTestId(section), section).toHaveCount(0);
    }
    await screenshot(her, 'sharing-alice-view-only');

    // The server refuses it too: posting the add form by hand (one of her own listings) adds nothing.
    await her.goto('/app');
    const editHref = await her.getByRole('link', { name: `Edit ${ALICES_LISTING}` }).getAttribute('href');
    const listingId = decodeURIComponent(editHref!.split('/')[3]!);
    const forged = await her.request.post(collectionPath, {
      form: { intent: 'add-item', listingId, note: 'sneaked in' },
      maxRedirects: 0,
    });
    expect(forged.status(), 'a View grantee adding an item').toBe(403);
    await her.goto(collectionPath);
    await expect(itemTitles(her)).toHaveText([`1.${BOBS_LISTING}`]);
  });

  test('Bob changes the share to Edit: Alice adds one of her listings to it', async () => {
    test.slow();
    const { page } = bob;
    await page.goto(collectionPath);
    await page.getByTestId('share-section').locator('summary').click();
    await page.getByLabel(`Permission for ${ALICE}`).selectOption({ label: 'Edit' });
    await page.getByRole('button', { name: `Change permission for ${ALICE}` }).click();
    await expect(page).toHaveURL(/notice=permission/);
    await expect(page.getByLabel(`Permission for ${ALICE}`)).toHaveValue('EDIT');

    // Alice's next load shows Edit, in the list and on the page; still no owner controls.
    const her = alice.page;
    await her.goto('/app/collections');
    await expect(sharedRow(her).locator('td').nth(1)).toHaveText('Edit');
    await sharedRow(her).getByRole('link', { name: COLLECTION }).click();
    await expect(her.getByTestId('viewer-permission')).toHaveText('You can edit its items');
    for (const section of ['share-section', 'rename-section', 'delete-section']) {
      await expect(her.getByTestId(section), section).toHaveCount(0);
    }

    // The add dialog offers her own listings only.
    await her.getByTestId('add-listing').locator('summary').click();
    const options = her.getByLabel('Listing', { exact: true }).locator('option');
    await expect(options).toContainText([`${ALICES_LISTING} ($849.00)`]);
    await expect(options.filter({ hasText: BOBS_LISTING })).toHaveCount(0);
    await her.getByLabel('Listing', { exact: true }).selectOption({ label: `${ALICES_LISTING} ($849.00)` });
    await her.getByLabel('Note (optional)').fill(ALICES_NOTE);
    await her.getByRole('button', { name: 'Add to collection' }).click();
    await expect(her).toHaveURL(/notice=item-added/);
    await expect(itemTitles(her)).toHaveText([`1.${BOBS_LISTING}`, `2.${ALICES_LISTING}`]);
    const hers = her.getByTestId('collection-item').filter({ hasText: ALICES_LISTING });
    await expect(hers.getByTestId('added-by-viewer')).toHaveText('Added by you');
    await expect(her.getByTestId('added-by-viewer')).toHaveCount(1);
    await expect(her.getByLabel(`Note for ${ALICES_LISTING}`)).toHaveValue(ALICES_NOTE);
    await screenshot(her, 'sharing-alice-edit-added');

    // Bob sees her listing in his collection, with her note.
    await page.goto(collectionPath);
    await expect(itemTitles(page)).toHaveText([`1.${BOBS_LISTING}`, `2.${ALICES_LISTING}`]);
    const inBobs = page.getByTestId('collection-item').filter({ hasText: ALICES_LISTING });
    await expect(inBobs.getByTestId('item-price')).toHaveText('$849.00');
    await expect(page.getByLabel(`Note for ${ALICES_LISTING}`)).toHaveValue(ALICES_NOTE);
  });

  test("a stranger who opens the collection's URL gets the not-found page", async ({ page }) => {
    // Someone who just signed up, while the collection is shared with Alice (Edit).
    await signUp(page, { email: uniqueEmail('stranger'), firstName: 'Stan', lastName: 'Stranger' });
    await expect(page).toHaveURL(/\/app$/);
    const response = await page.goto(collectionPath);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
    await expect(page.getByTestId('request-id')).toHaveText(/^[0-9a-f-]{36}$/);
    for (const text of [COLLECTION, BOBS_LISTING, ALICES_LISTING, BOBS_NOTE, 'Bob Baker']) {
      await expect(page.locator('body'), text).not.toContainText(text);
    }
    await screenshot(page, 'sharing-stranger-not-found');
    await page.goto('/app/collections');
    await expect(page.getByTestId('shared-empty')).toBeVisible();
  });

  test("Bob revokes the share: Alice's next page load no longer shows it", async () => {
    test.slow();
    const her = alice.page;
    await her.goto('/app/collections');
    await expect(sharedRow(her)).toHaveCount(1);

    const { page } = bob;
    await page.goto(collectionPath);
    await page.getByTestId('share-section').locator('summary').click();
    await page.getByRole('button', { name: `Revoke access for ${ALICE}` }).click();
    await expect(page).toHaveURL(/notice=revoked/);
    await expect(page.getByTestId('shares-empty')).toHaveText('Nobody yet.');
    // What Alice added leaves with her: Bob no longer reads her listing through his collection.
    await page.reload();
    await expect(page.locator('body')).toContainText(BOBS_LISTING);
    await expect(page.locator('body')).not.toContainText(ALICES_LISTING);

    // Her next load: gone from "Shared with me" (Bob's seeded share still there), and its URL is a 404.
    await her.reload();
    await expect(her.getByRole('heading', { name: 'Shared with me' })).toBeVisible();
    await expect(her.getByTestId('shared-collection-row').filter({ hasText: "Bob's picks" })).toHaveCount(1);
    await expect(sharedRow(her)).toHaveCount(0);
    await screenshot(her, 'sharing-alice-after-revoke');
    const response = await her.goto(collectionPath);
    expect(response?.status()).toBe(404);
    await expect(her.getByRole('heading', { name: 'Not found' })).toBeVisible();
    await expect(her.locator('body')).not.toContainText(COLLECTION);
  });
});
