import { ALICE_LISTINGS, BOB_LISTINGS, expect, screenshot, signIn, test } from '../support/fixtures';

test('Alice sees only her listings and Bob, at the same time in another browser, only his', async ({
  page,
  newGuardedContext,
}) => {
  await page.goto('/sign-in');
  await screenshot(page, 'sign-in');
  await signIn(page, 'alice@example.com');
  await expect(page).toHaveURL(/\/app$/);

  const bobContext = await newGuardedContext();
  const bobPage = await bobContext.newPage();
  await bobPage.goto('/sign-in');
  await bobPage.getByRole('button', { name: /Bob Baker/ }).click();
  await expect(bobPage).toHaveURL(/\/app$/);

  const aliceTable = page.getByTestId('listings');
  const bobTable = bobPage.getByTestId('listings');
  for (const title of ALICE_LISTINGS) {
    await expect(aliceTable).toContainText(title);
    await expect(bobTable).not.toContainText(title);
  }
  for (const title of BOB_LISTINGS) {
    await expect(bobTable).toContainText(title);
    await expect(aliceTable).not.toContainText(title);
  }
  await screenshot(page, 'dashboard-alice');

  // Both sessions stay independent after reloading.
  await Promise.all([page.reload(), bobPage.reload()]);
  await expect(page.getByTestId('user-menu').locator('summary')).toHaveAttribute('aria-label', /Alice Anders/);
  await expect(bobPage.getByTestId('user-menu').locator('summary')).toHaveAttribute('aria-label', /Bob Baker/);
  await expect(bobTable).not.toContainText(ALICE_LISTINGS[0]!);
});

test("Bob cannot open Alice's listing by its id", async ({ page, newGuardedContext }) => {
  await signIn(page, 'alice@example.com');
  await expect(page).toHaveURL(/\/app$/);
  const editHref = await page.getByRole('link', { name: `Edit ${ALICE_LISTINGS[0]}` }).getAttribute('href');
  expect(editHref).toBeTruthy();

  const bobPage = await (await newGuardedContext()).newPage();
  await signIn(bobPage, 'bob@example.com');
  await expect(bobPage).toHaveURL(/\/app$/);
  const response = await bobPage.goto(editHref!);
  expect(response?.status()).toBe(404);
  await expect(bobPage.getByRole('heading', { name: 'Not found' })).toBeVisible();
  await expect(bobPage.getByTestId('request-id')).not.toBeEmpty();
});
