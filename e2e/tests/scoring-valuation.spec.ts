import type { Page } from '@playwright/test';
import { expect, screenshot, signIn, signUp, test, uniqueEmail } from '../support/fixtures';

async function addListing(page: Page, listing: { title: string; price: string; ramGb: string; gpu?: string }) {
  await page.goto('/app/listings/new');
  await page.getByLabel('Title').fill(listing.title);
  await page.getByLabel('Price').fill(listing.price);
  await page.getByLabel('RAM (GB)').fill(listing.ramGb);
  if (listing.gpu) await page.getByLabel('GPU').fill(listing.gpu);
  await page.getByRole('button', { name: 'Add listing' }).click();
  await expect(page).toHaveURL(/\/app\?notice=created$/);
}

const rule = (page: Page, n: number) => page.getByRole('group', { name: `Rule ${n}`, exact: true });

/** Creates a ruleset and lands in its rule editor. */
async function createRuleset(page: Page, name: string): Promise<void> {
  await page.goto('/app/valuation');
  await page.getByLabel('Name').fill(name);
  await page.getByRole('button', { name: 'Create ruleset' }).click();
  await expect(page).toHaveURL(/\/app\/valuation\/[^/?]+\?notice=created$/);
}

test('scoring profiles, a rule editor with per-rule errors, and listings ordered by score and deal', async ({
  page,
}) => {
  // A long walk through four pages (the dev server compiles each on its first visit).
  test.slow();
  await signUp(page, { email: uniqueEmail('scorer'), firstName: 'Sam', lastName: 'Scorer' });
  await expect(page).toHaveURL(/\/app$/);
  await addListing(page, { title: 'Gaming PC', price: '900', ramGb: '32', gpu: 'NVIDIA RTX 4070' });
  await addListing(page, { title: 'Office mini', price: '150', ramGb: '8' });
  // Nothing to score or value by yet: dashes, and no order control.
  await expect(page.getByTestId('listing-score').first()).toHaveText('—');
  await expect(page.getByTestId('listing-value').first()).toHaveText('—');
  await expect(page.getByRole('navigation', { name: 'Order listings' })).toHaveCount(0);

  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Scoring' }).click();
  await expect(page.getByTestId('empty-state')).toBeVisible();
  await page.getByLabel('Name').fill('Gamer');
  await page.getByLabel('GPU weight').fill('150');
  await page.getByRole('button', { name: 'Create profile' }).click();
  await expect(page.getByTestId('error-weights.gpu')).toHaveText('GPU weight must be between 0 and 100');
  await expect(page.getByLabel('GPU weight')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Name')).toHaveValue('Gamer');
  await page.getByLabel('GPU weight').fill('60');
  await page.getByRole('button', { name: 'Create profile' }).click();
  await expect(page).toHaveURL(/\/app\/scoring\?notice=created$/);
  await page.getByLabel('Name').fill('Budget');
  await page.getByLabel('Price weight').fill('80');
  await page.getByRole('button', { name: 'Create profile' }).click();
  await expect(page.getByTestId('profile-row')).toHaveCount(2);
  // The first profile is the default.
  await expect(page.getByTestId('profile-row').filter({ hasText: 'Gamer' }).getByTestId('default-badge')).toBeVisible();
  await expect(page.getByTestId('profiles')).toContainText(
    'Price 80 · CPU 25 · GPU 15 · RAM 15 · Storage 5 · Condition 10',
  );
  await screenshot(page, 'scoring-list');

  await page.getByRole('button', { name: 'Make default Budget' }).click();
  await expect(page).toHaveURL(/notice=default$/);
  await expect(page.getByTestId('profile-row').first()).toContainText('Budget');
  await expect(page.getByTestId('profile-row').first().getByTestId('default-badge')).toBeVisible();

  // The editor: the API's errors beside the name and the weights.
  await page.getByRole('link', { name: 'Gamer' }).click();
  await expect(page.getByRole('heading', { name: 'Edit scoring profile' })).toBeVisible();
  await page.getByLabel('Name').fill(' ');
  for (const weight of ['Price', 'CPU', 'GPU', 'RAM', 'Storage', 'Condition']) {
    await page.getByLabel(`${weight} weight`).fill('0');
  }
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByTestId('error-name')).toHaveText('Name is required');
  await expect(page.getByTestId('error-weights')).toHaveText('At least one weight must be above 0');
  await screenshot(page, 'scoring-profile-errors');
  await page.getByLabel('Name').fill('Gamer');
  await page.getByLabel('GPU weight').fill('70');
  await page.getByLabel('CPU weight').fill('30');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page).toHaveURL(/\/app\/scoring\?notice=saved$/);
  await expect(page.getByTestId('profile-row').filter({ hasText: 'Gamer' })).toContainText('CPU 30 · GPU 70');

  // A ruleset: add three rules, get the API's errors beside the third rule's fields, move it, save.
  await createRuleset(page, 'My rules');
  for (const n of [1, 2, 3]) {
    await page.getByRole('button', { name: 'Add rule' }).click();
    await expect(rule(page, n)).toBeVisible();
  }
  await rule(page, 1).getByLabel('Value (GB)').fill('16');
  await rule(page, 1).getByLabel('Amount').fill('30');
  await rule(page, 1).getByLabel('Label (optional)').fill('Needs RAM');
  await rule(page, 2).getByLabel('Attribute').selectOption('GPU');
  await rule(page, 2).getByLabel('Value (word)').fill('rtx');
  await rule(page, 2).getByLabel('Adjustment').selectOption('ADD');
  await rule(page, 2).getByLabel('Amount').fill('75');
  await rule(page, 3).getByLabel('Comparison').selectOption('ABOVE');
  await rule(page, 3).getByLabel('Value (GB)').fill('2000000');
  await rule(page, 3).getByLabel('Adjustment').selectOption('MULTIPLY');
  await rule(page, 3).getByLabel('Factor').fill('200');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('error-rules.2.value')).toHaveText('RAM threshold must be at most 1,000,000 GB');
  await expect(page.getByTestId('error-rules.2.amount')).toHaveText('Factor must be more than 0 and at most 100');
  await expect(rule(page, 3).getByLabel('Factor')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('error-rules.0.value')).toHaveCount(0);
  await expect(page.getByRole('alert')).toContainText('Nothing was saved');
  await screenshot(page, 'rule-editor-errors');

  await rule(page, 3).getByRole('button', { name: 'Move up' }).click();
  await expect(rule(page, 2).getByLabel('Value (GB)')).toHaveValue('2000000');
  await expect(rule(page, 3).getByLabel('Value (word)')).toHaveValue('rtx');
  await rule(page, 2).getByLabel('Value (GB)').fill('31');
  await rule(page, 2).getByLabel('Factor').fill('1.1');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page).toHaveURL(/notice=saved$/);
  await expect(page.getByTestId('rule-row')).toHaveCount(3);
  await expect(rule(page, 2).getByLabel('Factor')).toHaveValue('1.1');

  // Removing without saving changes nothing stored.
  await rule(page, 1).getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByTestId('rule-row')).toHaveCount(2);
  await page.reload();
  await expect(page.getByTestId('rule-row')).toHaveCount(3);

  await page.goto('/app/valuation');
  await expect(page.getByTestId('ruleset-row')).toContainText('RAM above 31 GB: multiply by 1.1');
  await expect(page.getByTestId('ruleset-row').getByTestId('active-badge')).toBeVisible();

  // The listings: score and value columns, ordered by score and by deal.
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Listings' }).click();
  const order = page.getByRole('navigation', { name: 'Order listings' });
  await expect(order.getByRole('link', { name: 'Newest' })).toHaveAttribute('aria-current', 'true');
  await order.getByRole('link', { name: 'Score' }).click();
  await expect(page).toHaveURL(/\/app\?order=score$/);
  await expect(order.getByRole('link', { name: 'Score' })).toHaveAttribute('aria-current', 'true');
  const rows = page.getByTestId('listing-row');
  // Budget profile: the cheap one scores higher.
  await expect(rows.first()).toContainText('Office mini');
  await expect(rows.first().getByTestId('listing-value')).toContainText('120.00');
  await expect(rows.first().getByTestId('listing-delta')).toContainText('\u221230.00');
  await expect(rows.nth(1).getByTestId('listing-score')).toHaveText(/^\d+\.\d$/);
  await screenshot(page, 'listings-by-score');

  await order.getByRole('link', { name: 'Best deal' }).click();
  await expect(page).toHaveURL(/\/app\?order=delta$/);
  // 900 × 1.1 + 75 = 1065.00: 165.00 above the asking price.
  await expect(rows.first()).toContainText('Gaming PC');
  await expect(rows.first().getByTestId('listing-delta')).toContainText('+165.00');

  // Pages keep their order; changing the order starts from the first page.
  await page.goto('/app?order=delta&size=1');
  await page.getByRole('link', { name: 'Next →' }).click();
  await expect(page).toHaveURL(/order=delta&after=/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Office mini');
  await expect(order.getByRole('link', { name: 'Score' })).toHaveAttribute('href', '/app?order=score&size=1');
});

test('the rule editor and the order links work with JavaScript disabled', async ({ newGuardedContext }) => {
  test.slow();
  const context = await newGuardedContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signUp(page, { email: uniqueEmail('nojs-rules'), firstName: 'Noel', lastName: 'Rules' });
  await expect(page).toHaveURL(/\/app$/);
  await addListing(page, { title: 'Tiny PC', price: '100', ramGb: '4' });

  await createRuleset(page, 'Plain rules');
  await page.getByRole('button', { name: 'Add rule' }).click();
  await page.getByRole('button', { name: 'Add rule' }).click();
  await expect(page.getByTestId('rule-row')).toHaveCount(2);
  await expect(page.getByRole('status')).toContainText('not saved yet');
  // Without JavaScript the value control follows the attribute on the next post.
  await rule(page, 1).getByLabel('Attribute').selectOption('CONDITION');
  await rule(page, 2).getByLabel('Value (GB)').fill('8');
  await rule(page, 2).getByLabel('Adjustment').selectOption('ADD');
  await rule(page, 2).getByLabel('Amount').fill('20');
  await rule(page, 1).getByRole('button', { name: 'Move down' }).click();
  await expect(rule(page, 1).getByLabel('Value (GB)')).toHaveValue('8');
  await expect(rule(page, 2).getByLabel('Value (condition)')).toBeVisible();
  await expect(rule(page, 2).getByLabel('Comparison')).toHaveValue('EQUALS');

  // Saving with the condition left unchosen: the API's message beside rule 2's value.
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('error-rules.1.value')).toHaveText('Condition is required');
  await expect(page.getByTestId('error-rules.1.amount')).toHaveText('Amount is required');
  await rule(page, 2).getByLabel('Value (condition)').selectOption('USED');
  await rule(page, 2).getByLabel('Adjustment').selectOption('MULTIPLY');
  await rule(page, 2).getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByTestId('rule-row')).toHaveCount(1);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page).toHaveURL(/notice=saved$/);
  await expect(page.getByTestId('rule-row')).toHaveCount(1);

  await page.goto('/app');
  await expect(page.getByTestId('listing-delta')).toHaveText(/\+20\.00/);
  await page.getByRole('navigation', { name: 'Order listings' }).getByRole('link', { name: 'Best deal' }).click();
  await expect(page).toHaveURL(/\/app\?order=delta$/);
  await expect(page.getByRole('link', { name: 'Best deal' })).toHaveAttribute('aria-current', 'true');
  // No scoring profile: no score order, and asking for it falls back to newest first.
  await expect(page.getByRole('link', { name: 'Score', exact: true })).toHaveCount(0);
  await page.goto('/app?order=score');
  await expect(page.getByRole('status')).toContainText('no default scoring profile');
  await expect(page.getByTestId('listing-row')).toHaveCount(1);

  // Scoring without JavaScript: create, then the profile's editor.
  await page.goto('/app/scoring');
  await page.getByLabel('Name').fill('Plain');
  await page.getByRole('button', { name: 'Create profile' }).click();
  await expect(page).toHaveURL(/\/app\/scoring\?notice=created$/);
  await expect(page.getByTestId('default-badge')).toBeVisible();
  await page.goto('/app?order=score');
  await expect(page.getByRole('link', { name: 'Score', exact: true })).toHaveAttribute('aria-current', 'true');
  await expect(page.getByTestId('listing-score')).toHaveText(/^\d+\.\d$/);
});

test("another user's profile or ruleset is not found, for admins too", async ({ page, newGuardedContext }) => {
  // Three browsers (Alice, Bob, the admin) loading the app's scripts: 58 s of the default 60 s in a full run.
  test.slow();
  await signIn(page, 'alice@example.com');
  await expect(page).toHaveURL(/\/app$/);
  await page.goto('/app/scoring');
  const profileHref = await page.getByTestId('profile-row').first().getByRole('link').getAttribute('href');
  await page.goto('/app/valuation');
  const rulesetHref = await page.getByTestId('ruleset-row').first().getByRole('link').getAttribute('href');
  for (const href of ['/app/scoring', '/app/valuation', profileHref!, rulesetHref!, '/app?order=score']) {
    const response = await page.goto(href);
    expect(response?.status(), href).toBe(200);
    expect(response?.headers()['cache-control'], href).toBe('private, no-store');
  }

  for (const email of ['bob@example.com', 'admin@example.com']) {
    const other = await (await newGuardedContext()).newPage();
    await signIn(other, email);
    await expect(other).toHaveURL(/\/app$/);
    for (const href of [profileHref!, rulesetHref!]) {
      expect((await other.goto(href))?.status(), `${email} ${href}`).toBe(404);
      await expect(other.getByRole('heading', { name: 'Not found' })).toBeVisible();
    }
  }
  expect((await page.goto('/app/scoring/not-an-id'))?.status()).toBe(404);
  expect((await page.goto('/app/valuation/not-an-id'))?.status()).toBe(404);
});

test("seeded data: Alice's listings ordered by score and by best deal put the expected listing first", async ({
  page,
}) => {
  // Expected numbers, from docs/scoring.md and docs/valuation.md and server/src/db/seed.ts:
  //
  // Score = 100 × Σ wᵢsᵢ / Σ wᵢ. Balanced (default): price 30, cpu 25, gpu 15, ram 15, storage 5, condition 10.
  //   Gaming tower, RTX 3070  849.00  Ryzen 7 → .8, RTX → .8, 32 GB → .5, 1000 GB → .5, USED .6
  //     30×500/1349 + 25×.8 + 15×.8 + 15×.5 + 5×.5 + 10×.6   = 59.119… → 59.1
  //   Dell OptiPlex 7080 Micro  279.99  i7 → .8, no GPU 0, 32 GB → .5, 512 GB → .256, REFURBISHED .8
  //     30×500/779.99 + 25×.8 + 0 + 15×.5 + 5×.256 + 10×.8    = 56.011… → 56.0
  //   Lenovo ThinkCentre M720q Tiny  189.00  i5 → .6, no GPU 0, 16 GB → .25, 256 GB → .128, USED .6
  //     30×500/689 + 25×.6 + 0 + 15×.25 + 5×.128 + 10×.6      = 47.161… → 47.2
  // Budget first: price 60, cpu 10, gpu 5, ram 10, storage 5, condition 10:
  //   Dell 38.462 + 8 + 0 + 5 + 1.28 + 8 = 60.742 → 60.7; Lenovo 43.541 + 6 + 0 + 2.5 + 0.64 + 6 = 58.681 → 58.7;
  //   Gaming tower 47.7 (the docs' worked example).
  // Valuation, "Default components": RAM < 16 −30, RAM > 31 +40, FOR_PARTS × 0.3, GPU has "rtx" +75:
  //   Gaming tower 849.00 + 40 + 75 = 964.00 (+115.00); Dell 279.99 + 40 = 319.99 (+40.00);
  //   Lenovo 16 GB matches nothing (thresholds are strict): 189.00 (0.00).
  // Under the seeded defaults the same listing leads both orders, so the test also makes the seeded
  // "Budget first" profile the default for a moment: Dell then leads the score order (and Gaming tower,
  // first a moment ago, comes last) while the best-deal order stays.
  // Other tests may add listings to Alice's account while this runs (a 42.00 listing with no specs:
  // at most 37.7 under Balanced, a 0.00 delta), so the order of the seeded three is asserted among
  // themselves, and the first row only where no such listing can come first.
  const seeded = /Gaming tower, RTX 3070|Dell OptiPlex 7080 Micro|Lenovo ThinkCentre M720q Tiny/;
  const rows = page.getByTestId('listing-row');
  const seededRows = rows.filter({ hasText: seeded });
  const order = page.getByRole('navigation', { name: 'Order listings' });

  await signIn(page, 'alice@example.com');
  await expect(page).toHaveURL(/\/app$/);
  await expect(page.getByTestId('valuation-context')).toHaveText(
    'Scores under Balanced · Values under Default components',
  );

  await order.getByRole('link', { name: 'Score' }).click();
  await expect(page).toHaveURL(/\/app\?order=score$/);
  await expect(page.getByRole('table')).toContainText('Your listings, highest score first');
  await expect(rows.first().locator('th')).toHaveText('Gaming tower, RTX 3070');
  await expect(rows.first().getByTestId('listing-score')).toHaveText('59.1');
  await expect(seededRows.locator('th')).toHaveText([
    'Gaming tower, RTX 3070',
    'Dell OptiPlex 7080 Micro',
    'Lenovo ThinkCentre M720q Tiny (opens the listing in a new tab)',
  ]);
  await expect(seededRows.getByTestId('listing-score')).toHaveText(['59.1', '56.0', '47.2']);
  await screenshot(page, 'seeded-alice-by-score');

  await order.getByRole('link', { name: 'Best deal' }).click();
  await expect(page).toHaveURL(/\/app\?order=delta$/);
  await expect(page.getByRole('table')).toContainText('Your listings, best deal first');
  await expect(rows.first().locator('th')).toHaveText('Gaming tower, RTX 3070');
  await expect(rows.first().getByTestId('listing-value')).toContainText('964.00');
  await expect(rows.first().getByTestId('listing-delta')).toHaveText('+115.00 against the asking price');
  await expect(seededRows.getByTestId('listing-delta')).toHaveText([
    '+115.00 against the asking price',
    '+40.00 against the asking price',
    '0.00 against the asking price',
  ]);
  await expect(seededRows.getByTestId('listing-value')).toContainText(['964.00', '319.99', '189.00']);
  await screenshot(page, 'seeded-alice-by-delta');

  // Budget first as the default: the score order changes, the deal order does not.
  await page.goto('/app/scoring');
  await page.getByRole('button', { name: 'Make default Budget first' }).click();
  try {
    await expect(page).toHaveURL(/\/app\/scoring\?notice=default$/);
    await page.goto('/app?order=score');
    await expect(page.getByTestId('valuation-context')).toContainText('Scores under Budget first');
    await expect(seededRows.locator('th')).toHaveText([
      'Dell OptiPlex 7080 Micro',
      'Lenovo ThinkCentre M720q Tiny (opens the listing in a new tab)',
      'Gaming tower, RTX 3070',
    ]);
    await expect(seededRows.getByTestId('listing-score')).toHaveText(['60.7', '58.7', '47.7']);
    await page.goto('/app?order=delta');
    await expect(rows.first().locator('th')).toHaveText('Gaming tower, RTX 3070');
  } finally {
    // Put Alice's seeded default back for the other tests.
    await page.goto('/app/scoring');
    await page.getByRole('button', { name: 'Make default Balanced' }).click();
    await expect(page.getByTestId('profile-row').first()).toContainText('Balanced');
    await expect(page.getByTestId('profile-row').first().getByTestId('default-badge')).toBeVisible();
  }
});
