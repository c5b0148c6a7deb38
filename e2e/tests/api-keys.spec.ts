// Settings → API keys in a real browser: create a key, read its secret from the page (shown once), call
// the API with it from the test as a program would, revoke it in the page (after a confirmation), and
// see the next call refused with 401.
import { apiUrl, expect, screenshot, signUp, test, uniqueEmail, addListing } from '../support/fixtures';

const SECRET = /^dbk_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/;

/** A GraphQL call with the key, as a script would make it. */
async function callApi(secret: string, query: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${apiUrl()}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: await response.json() };
}

const LISTINGS = '{ listings(first: 20) { edges { node { title } } } }';

function titles(body: unknown): string[] {
  const data = (body as { data?: { listings?: { edges: { node: { title: string } }[] } } }).data;
  return data?.listings?.edges.map((edge) => edge.node.title) ?? [];
}

test('create a key, call the API with it, revoke it: the next call gets 401', async ({ page }) => {
  await signUp(page, { email: uniqueEmail('keys'), firstName: 'Kim', lastName: 'Keys' });
  await expect(page).toHaveURL(/\/app$/);
  await addListing(page, 'Key test tower', '612.40');

  await page.goto('/settings');
  const section = page.getByTestId('api-keys-section');
  await expect(section.getByTestId('api-keys-empty')).toBeVisible();
  await section.getByLabel('Key name').fill('E2E script');
  // READ is ticked by default; WRITE is not.
  await expect(section.getByLabel('Read', { exact: true })).toBeChecked();
  await expect(section.getByLabel('Write', { exact: true })).not.toBeChecked();
  await section.getByRole('button', { name: 'Create key' }).click();

  // The secret, once, with its warning; the URL carries nothing of it.
  const panel = section.getByTestId('new-api-key');
  await expect(panel).toBeVisible();
  await expect(panel).toContainText('it will not be shown again');
  const secret = await panel.getByTestId('api-key-secret').inputValue();
  expect(secret).toMatch(SECRET);
  expect(page.url()).not.toContain(secret.slice(4));
  await expect(panel.getByRole('button', { name: 'Copy the API key' })).toBeVisible();
  const row = section.getByTestId('api-key-row').filter({ hasText: 'E2E script' });
  await expect(row.getByTestId('api-key-prefix')).toHaveText(secret.slice(0, 12));
  await expect(row.getByTestId('api-key-status')).toHaveText('Active');
  await expect(row).toContainText('Read');
  await screenshot(page, 'api-key-created');

  // A program with the key sees the owner's listings; a READ key cannot change anything.
  const listed = await callApi(secret, LISTINGS);
  expect(listed.status).toBe(200);
  expect(titles(listed.body)).toContain('Key test tower');
  const refused = await callApi(
    secret,
    'mutation { createListing(input: { title: "Sneaky", price: "1" }) { listing { id } } }',
  );
  expect((refused.body as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code).toBe(
    'FORBIDDEN',
  );

  // Shown once: after a reload the page holds the prefix only.
  await page.reload();
  await expect(section.getByTestId('new-api-key')).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);

  // Revoke asks first; Cancel keeps the key.
  await row.getByRole('button', { name: 'Revoke E2E script' }).click();
  const confirm = section.getByTestId('confirm-revoke-api-key');
  await expect(confirm).toContainText('Revoke the key “E2E script”');
  await confirm.getByRole('link', { name: 'Cancel' }).click();
  await expect(section.getByTestId('confirm-revoke-api-key')).toHaveCount(0);
  await expect(row.getByTestId('api-key-status')).toHaveText('Active');
  expect((await callApi(secret, LISTINGS)).status).toBe(200);

  await row.getByRole('button', { name: 'Revoke E2E script' }).click();
  await section.getByRole('button', { name: 'Yes, revoke key' }).click();
  await expect(page).toHaveURL(/\/settings\?notice=api-key-revoked#api-keys$/);
  await expect(section.getByRole('status')).toHaveText('Key revoked: requests with it are refused from now on.');
  await expect(row.getByTestId('api-key-status')).toHaveText('Revoked');
  await expect(row.getByRole('button', { name: /Revoke/ })).toHaveCount(0);
  await screenshot(page, 'api-key-revoked');

  const after = await callApi(secret, LISTINGS);
  expect(after.status).toBe(401);
  expect(titles(after.body)).toEqual([]);
});

test('the key form reports its errors beside the fields, and works without JavaScript', async ({
  newGuardedContext,
}) => {
  const context = await newGuardedContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signUp(page, { email: uniqueEmail('keys-nojs'), firstName: 'Nia', lastName: 'Nojs' });
  await expect(page).toHaveURL(/\/app$/);

  await page.goto('/settings');
  const section = page.getByTestId('api-keys-section');
  // No name, no scope: both reported; nothing created.
  await section.getByLabel('Read', { exact: true }).uncheck();
  await section.getByRole('button', { name: 'Create key' }).click();
  await expect(section.getByTestId('error-scopes')).toHaveText('Choose at least one scope.');
  await expect(section.getByTestId('api-keys-empty')).toBeVisible();

  // The API's own rule: a name is required.
  await section.getByLabel('Read', { exact: true }).check();
  await section.getByLabel('Write', { exact: true }).check();
  await section.getByRole('button', { name: 'Create key' }).click();
  await expect(section.getByTestId('error-name')).toBeVisible();
  await expect(section.getByLabel('Key name')).toHaveAttribute('aria-invalid', 'true');
  await expect(section.getByTestId('api-keys-empty')).toBeVisible();

  await section.getByLabel('Key name').fill('No-JS key');
  const inAMonth = new Date(Date.now() + 30 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
  await section.getByLabel('Expires on (optional)').fill(inAMonth);
  await section.getByRole('button', { name: 'Create key' }).click();
  const secret = await section.getByTestId('api-key-secret').inputValue();
  expect(secret).toMatch(SECRET);
  // Without JavaScript there is no Copy button: the read-only field is there to select.
  await expect(section.getByRole('button', { name: 'Copy the API key' })).toHaveCount(0);
  const row = section.getByTestId('api-key-row').filter({ hasText: 'No-JS key' });
  await expect(row).toContainText('Read, Write');
  await expect(row).toContainText(/UTC/);

  await row.getByRole('button', { name: 'Revoke No-JS key' }).click();
  await section.getByRole('button', { name: 'Yes, revoke key' }).click();
  await expect(row.getByTestId('api-key-status')).toHaveText('Revoked');
  expect((await callApi(secret, LISTINGS)).status).toBe(401);
});
