// The settings page's form parsing (profile, avatar, preferences, sessions, API keys), its upload limit,
// and the theme and currency helpers the pages use.
import { describe, expect, it } from 'vitest';
import { CURRENCIES, currencyLabel, formatMoney, themeClass } from '~/lib/appearance';
import {
  AVATAR_MAX_BYTES,
  expiryBounds,
  expiryFromDate,
  parseAvatar,
  parseSettingsAction,
  readSettingsForm,
  sniffImageType,
} from '~/lib/settings-form.server';
import { WEB_ORIGIN } from './support/fake-api';
import { fakeSession, useFakeApi } from './support/use-fake-api';

function form(values: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(values)) {
    for (const item of Array.isArray(value) ? value : [value]) data.append(name, item);
  }
  return data;
}

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const GIF = new TextEncoder().encode('GIF89a....');
const WEBP = new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000WEBPVP8 ');

describe('parseSettingsAction', () => {
  it('passes the names as typed to the API (it trims and checks them)', async () => {
    const parsed = await parseSettingsAction(form({ intent: 'update-profile', firstName: ' Ada ', lastName: '' }));
    expect(parsed).toEqual({
      ok: true,
      action: {
        intent: 'update-profile',
        input: { firstName: ' Ada ', lastName: '' },
        values: { firstName: ' Ada ', lastName: '' },
      },
    });
  });

  it('refuses an unknown intent without calling anything', async () => {
    expect(await parseSettingsAction(form({ intent: 'delete-everything' }))).toMatchObject({
      ok: false,
      errors: { form: expect.stringContaining('Unknown action') },
    });
    expect(await parseSettingsAction(form({}))).toMatchObject({ ok: false });
  });

  it('reads the preferences form: unticked boxes are false, both defaults are chosen by id', async () => {
    const parsed = await parseSettingsAction(
      form({
        intent: 'update-preferences',
        securityAlerts: 'on',
        weeklyDigest: 'on',
        currency: 'EUR',
        theme: 'DARK',
        defaultScoringProfileId: 'U2NvcmluZ1Byb2ZpbGU6MQ==',
        defaultValuationRulesetId: 'VmFsdWF0aW9uUnVsZXNldDox',
      }),
    );
    expect(parsed).toMatchObject({
      ok: true,
      action: {
        intent: 'update-preferences',
        input: {
          notifications: { securityAlerts: true, collectionShared: false, weeklyDigest: true },
          app: {
            currency: 'EUR',
            theme: 'DARK',
            defaultScoringProfileId: 'U2NvcmluZ1Byb2ZpbGU6MQ==',
            defaultValuationRulesetId: 'VmFsdWF0aW9uUnVsZXNldDox',
          },
        },
      },
    });
  });

  it('leaves out what the form did not offer: no profile to choose, no ruleset select', async () => {
    const parsed = await parseSettingsAction(form({ intent: 'update-preferences', currency: 'USD', theme: 'SYSTEM' }));
    if (!parsed.ok || parsed.action.intent !== 'update-preferences') throw new Error('expected preferences');
    expect(parsed.action.input.app).toEqual({ currency: 'USD', theme: 'SYSTEM' });
  });

  it('never clears a default: an empty choice leaves both out', async () => {
    const parsed = await parseSettingsAction(
      form({
        intent: 'update-preferences',
        currency: 'USD',
        theme: 'SYSTEM',
        defaultScoringProfileId: '',
        defaultValuationRulesetId: '',
      }),
    );
    if (!parsed.ok || parsed.action.intent !== 'update-preferences') throw new Error('expected preferences');
    expect(parsed.action.input.app).toEqual({ currency: 'USD', theme: 'SYSTEM' });
  });

  it('refuses a currency or theme that is not in the list, keeping what was sent', async () => {
    const parsed = await parseSettingsAction(
      form({ intent: 'update-preferences', currency: 'BTC', theme: 'NEON', weeklyDigest: 'on' }),
    );
    expect(parsed).toEqual({
      ok: false,
      intent: 'update-preferences',
      values: expect.objectContaining({ currency: 'BTC', theme: 'NEON', weeklyDigest: 'on', securityAlerts: '' }),
      errors: { currency: 'Choose a currency from the list.', theme: 'Choose a theme from the list.' },
    });
  });

  it('needs the id of the session or key to revoke', async () => {
    expect(await parseSettingsAction(form({ intent: 'revoke-session', sessionId: 'sess_2' }))).toEqual({
      ok: true,
      action: { intent: 'revoke-session', sessionId: 'sess_2' },
    });
    expect(await parseSettingsAction(form({ intent: 'confirm-revoke-api-key', id: 'QXBpS2V5OjE=' }))).toEqual({
      ok: true,
      action: { intent: 'confirm-revoke-api-key', id: 'QXBpS2V5OjE=' },
    });
    expect(await parseSettingsAction(form({ intent: 'revoke-session', sessionId: ' ' }))).toMatchObject({
      ok: false,
      errors: { form: 'Choose a session to revoke.' },
    });
    expect(await parseSettingsAction(form({ intent: 'revoke-api-key' }))).toMatchObject({ ok: false });
  });

  it('turns the create-key form into the input: scopes in order, the day as 00:00 UTC', async () => {
    const parsed = await parseSettingsAction(
      form({ intent: 'create-api-key', name: 'Script', scopes: ['WRITE', 'READ'], expiresAt: '2027-02-28' }),
    );
    expect(parsed).toMatchObject({
      ok: true,
      action: {
        intent: 'create-api-key',
        input: { name: 'Script', scopes: ['READ', 'WRITE'], expiresAt: '2027-02-28T00:00:00.000Z' },
      },
    });
    const noExpiry = await parseSettingsAction(form({ intent: 'create-api-key', name: 'x', scopes: 'READ' }));
    expect(noExpiry).toMatchObject({ ok: true, action: { input: { expiresAt: null } } });
  });

  it('refuses a key form without a scope, with an unknown scope or with a date that is not one', async () => {
    expect(await parseSettingsAction(form({ intent: 'create-api-key', name: 'x' }))).toMatchObject({
      ok: false,
      intent: 'create-api-key',
      errors: { scopes: 'Choose at least one scope.' },
    });
    expect(
      await parseSettingsAction(form({ intent: 'create-api-key', name: 'x', scopes: ['READ', 'ADMIN'] })),
    ).toMatchObject({ ok: false, errors: { scopes: 'Choose scopes from the list.' } });
    expect(
      await parseSettingsAction(form({ intent: 'create-api-key', name: 'x', scopes: 'READ', expiresAt: '2027-02-30' })),
    ).toMatchObject({
      ok: false,
      values: { name: 'x', scopes: 'READ', expiresAt: '2027-02-30' },
      errors: { expiresAt: 'Enter the expiry as a date, like 2027-01-31.' },
    });
  });
});

describe('the avatar', () => {
  it('knows PNG, JPEG, GIF and WebP by their bytes, and nothing else', () => {
    expect(sniffImageType(PNG)).toBe('image/png');
    expect(sniffImageType(JPEG)).toBe('image/jpeg');
    expect(sniffImageType(GIF)).toBe('image/gif');
    expect(sniffImageType(WEBP)).toBe('image/webp');
    expect(sniffImageType(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(sniffImageType(new Uint8Array())).toBeNull();
  });

  it('sends the type the bytes show (not the name or the browser guess) as base64', async () => {
    const file = new File([PNG], 'me.jpg', { type: 'image/jpeg' });
    expect(await parseAvatar(file)).toEqual({
      input: { contentType: 'image/png', data: Buffer.from(PNG).toString('base64') },
    });
  });

  it('refuses no file, an empty one, a large one and one that is not an image', async () => {
    expect(await parseAvatar(null)).toEqual({ error: 'Choose an image to upload.' });
    expect(await parseAvatar(new File([], '', { type: 'application/octet-stream' }))).toEqual({
      error: 'Choose an image to upload.',
    });
    const large = new Uint8Array(AVATAR_MAX_BYTES + 1);
    large.set(PNG);
    expect(await parseAvatar(new File([large], 'big.png', { type: 'image/png' }))).toEqual({
      error: 'The image is larger than 64 KiB. Choose a smaller one.',
    });
    expect(await parseAvatar(new File(['<svg/>'], 'x.png', { type: 'image/png' }))).toEqual({
      error: 'The image must be a PNG, JPEG, GIF or WebP file.',
    });
  });

  it('reads a multipart post with an image of the largest size, and refuses one byte more while it streams', async () => {
    const post = (bytes: Uint8Array<ArrayBuffer>, { declareLength }: { declareLength: boolean }) => {
      const body = new FormData();
      body.set('intent', 'upload-avatar');
      body.set('avatar', new File([bytes], 'me.png', { type: 'image/png' }));
      const request = new Request(`${WEB_ORIGIN}/settings`, { method: 'POST', body });
      if (declareLength) return request;
      // The same body, streamed without a Content-Length: the limit per part still applies.
      return new Request(request.url, {
        method: 'POST',
        headers: { 'content-type': request.headers.get('content-type') ?? '' },
        body: request.body,
        duplex: 'half',
      } as RequestInit);
    };
    const fits = new Uint8Array(AVATAR_MAX_BYTES);
    fits.set(PNG);
    const read = await readSettingsForm(post(fits, { declareLength: true }));
    if (!read.ok) throw new Error(`expected the form, got ${read.error}`);
    const parsed = await parseSettingsAction(read.form);
    expect(parsed).toMatchObject({
      ok: true,
      action: { intent: 'upload-avatar', input: { contentType: 'image/png' } },
    });

    const tooLarge = new Uint8Array(AVATAR_MAX_BYTES + 1);
    expect(await readSettingsForm(post(tooLarge, { declareLength: false }))).toEqual({ ok: false, error: 'too-large' });
  });

  it('refuses a multipart body declared larger than one image, without reading it', async () => {
    const request = new Request(`${WEB_ORIGIN}/settings`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(10 * 1024 * 1024) },
      body: 'not read',
    });
    expect(await readSettingsForm(request)).toEqual({ ok: false, error: 'too-large' });
  });

  it('answers a body that is not a form as unreadable, not as a server error', async () => {
    const request = new Request(`${WEB_ORIGIN}/settings`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data' },
      body: 'garbage',
    });
    expect(await readSettingsForm(request)).toEqual({ ok: false, error: 'unreadable' });
  });
});

describe('expiry dates', () => {
  it('accepts real calendar days only', () => {
    expect(expiryFromDate('2028-02-29')).toBe('2028-02-29T00:00:00.000Z');
    expect(expiryFromDate('2027-02-29')).toBeNull();
    expect(expiryFromDate('2027-13-01')).toBeNull();
    expect(expiryFromDate('tomorrow')).toBeNull();
  });

  it('offers tomorrow to the last day within the limit (UTC days)', () => {
    expect(expiryBounds(new Date('2026-12-07T23:59:00Z'), 365)).toEqual({ min: '2026-12-08', max: '2027-12-07' });
    expect(expiryBounds(new Date('2028-02-28T00:00:00Z'), 1)).toEqual({ min: '2028-02-29', max: '2028-02-29' });
  });
});

describe('appearance', () => {
  it('puts the theme on <html>: dark, nothing, or the system media query', () => {
    expect(themeClass('DARK')).toBe('dark');
    expect(themeClass('LIGHT')).toBeUndefined();
    expect(themeClass('SYSTEM')).toBe('theme-system');
  });

  it('formats amounts in the chosen currency without converting them', () => {
    expect(formatMoney('849.00', 'USD')).toBe('$849.00');
    expect(formatMoney('849.00', 'EUR')).toBe('€849.00');
    expect(formatMoney('1299.5', 'GBP')).toBe('£1,299.50');
    expect(formatMoney('849.00', 'JPY')).toBe('¥849');
    // Cents someone typed are not rounded away in a currency without minor units.
    expect(formatMoney('849.50', 'JPY')).toBe('¥849.5');
    expect(formatMoney('not a number', 'EUR')).toBe('not a number');
    expect(currencyLabel('EUR')).toBe('EUR (€)');
    expect(currencyLabel('CHF')).toBe('CHF');
    for (const currency of CURRENCIES) expect(formatMoney(1, currency)).toMatch(/1/);
  });
});

describe('a mutation the identity provider could not take', () => {
  const api = useFakeApi();

  it('serves local profile pictures from this app: their URLs are rewritten, nothing else is', async () => {
    const { avatarSrc } = await import('~/lib/avatar.server');
    const name = 'user_local_bob-0123456789abcdef.png';
    expect(avatarSrc(`http://127.0.0.1:4000/__local-auth/images/${name}`)).toBe(`/settings/avatar/${name}`);
    expect(avatarSrc('http://127.0.0.1:4000/__local-auth/images/..%2F..%2Fsecret')).toBeNull();
    expect(avatarSrc('https://img.example.com/a.png')).toBe('https://img.example.com/a.png');
    expect(avatarSrc(null)).toBeNull();
  });

  it('proxies a local picture by its checked name only, with its type and a long cache life', async () => {
    const { loader } = await import('~/routes/settings_.avatar.$name');
    const request = new Request(`${WEB_ORIGIN}/settings/avatar/x`);
    const refused = await loader({ params: { name: '../jwks.json' }, request, context: {} });
    expect(refused.status).toBe(404);
    // The fake API has no image route: a well-formed name it does not know is a 404 too, not an error.
    const unknown = await loader({ params: { name: 'user_local_bob-0123456789abcdef.png' }, request, context: {} });
    expect(unknown.status).toBe(404);
    expect(api().requests.map((recorded) => recorded.path)).toContain(
      '/__local-auth/images/user_local_bob-0123456789abcdef.png',
    );
  });

  it("comes back to the form with the API's message instead of an error page", async () => {
    api().graphql = [
      {
        body: {
          data: null,
          errors: [
            {
              message: 'The identity provider is not reachable; nothing was changed.',
              extensions: { code: 'IDENTITY_PROVIDER_UNAVAILABLE' },
            },
          ],
        },
      },
    ];
    const { createApi } = await import('~/graphql/client.server');
    const { UpdateProfileMutation } = await import('~/graphql/settings.server');
    const client = createApi(fakeSession(), new Request(`${WEB_ORIGIN}/settings`, { method: 'POST' }));
    const result = await client.mutate(UpdateProfileMutation, { input: { firstName: 'A', lastName: 'B' } });
    expect(result).toEqual({
      ok: false,
      fieldErrors: {},
      formError: 'The identity provider is not reachable; nothing was changed.',
      pathErrors: {},
    });
  });
});
