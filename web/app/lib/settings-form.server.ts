// The settings page's forms → GraphQL inputs. Each form posts an `intent`; only shapes are checked here
// (a currency from the list, a date that is a date, an image small enough to send). The rules (name
// length, which profile is the viewer's, how far ahead a key may expire, how many keys) are the API's,
// and its messages are shown beside the fields they name.
import { PROFILE_LIMITS } from '@deal-brain/shared/field-limits';
import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from '@remix-run/node';
import type {
  ApiKeyScope,
  CreateApiKeyInput,
  UpdatePreferencesInput,
  UpdateProfileImageInput,
  UpdateProfileInput,
} from '~/gql/graphql';
import { isCurrency, isTheme } from './appearance';
import { formText } from './form-text';

/** Largest avatar the API accepts, checked here before it is sent. */
export const AVATAR_MAX_BYTES = PROFILE_LIMITS.imageBytes;

/** What the file input offers; the bytes decide what is sent, not the name or the browser's guess. */
export const AVATAR_ACCEPT = 'image/png,image/jpeg,image/gif,image/webp';

/** A multipart body larger than this is not read at all: one image and a few small fields. */
const MULTIPART_MAX_BYTES = AVATAR_MAX_BYTES + 16 * 1024;

export const API_KEY_SCOPES: { value: ApiKeyScope; label: string; description: string }[] = [
  { value: 'READ', label: 'Read', description: 'Run queries: read your listings, collections and settings.' },
  { value: 'WRITE', label: 'Write', description: 'Run mutations: add, change and delete your data.' },
];

export type FormErrors = Partial<Record<string, string>>;
export type FormValues = Partial<Record<string, string>>;

export type SettingsAction =
  | { intent: 'update-profile'; input: UpdateProfileInput; values: FormValues }
  | { intent: 'upload-avatar'; input: UpdateProfileImageInput }
  | { intent: 'remove-avatar' }
  | { intent: 'update-preferences'; input: UpdatePreferencesInput; values: FormValues }
  | { intent: 'confirm-revoke-session'; sessionId: string }
  | { intent: 'revoke-session'; sessionId: string }
  | { intent: 'create-api-key'; input: CreateApiKeyInput; values: FormValues }
  | { intent: 'confirm-revoke-api-key'; id: string }
  | { intent: 'revoke-api-key'; id: string };

export type SettingsIntent = SettingsAction['intent'];

export type ParsedSettingsAction =
  { ok: true; action: SettingsAction } | { ok: false; intent: string; values: FormValues; errors: FormErrors };

/** The settings form data, or why it could not be read (an upload too large, a body that is not a form). */
export type ReadForm = { ok: true; form: FormData } | { ok: false; error: 'too-large' | 'unreadable' };

/**
 * The posted form. The avatar form is multipart: it is read part by part into memory with a limit per
 * part, so a large upload is refused while it streams, never buffered whole.
 */
export async function readSettingsForm(request: Request): Promise<ReadForm> {
  const contentType = request.headers.get('content-type') ?? '';
  try {
    if (!contentType.toLowerCase().startsWith('multipart/form-data'))
      return { ok: true, form: await request.formData() };
    const length = Number(request.headers.get('content-length') ?? '0');
    if (length > MULTIPART_MAX_BYTES) return { ok: false, error: 'too-large' };
    const form = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: AVATAR_MAX_BYTES }),
    );
    return { ok: true, form };
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { ok: false, error: 'too-large' };
    // A body that is not a form (or a broken multipart one) is the sender's mistake, not a server error.
    return { ok: false, error: 'unreadable' };
  }
}

export const AVATAR_TOO_LARGE = `The image is larger than ${AVATAR_MAX_BYTES / 1024} KiB. Choose a smaller one.`;

/** The image type its first bytes show, or null when they are none of PNG, JPEG, GIF or WebP. */
export function sniffImageType(bytes: Uint8Array): string | null {
  const starts = (...values: number[]) => values.every((value, index) => bytes[index] === value);
  const ascii = (offset: number, text: string) =>
    [...text].every((char, index) => bytes[offset + index] === char.charCodeAt(0));
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'image/gif';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'image/webp';
  return null;
}

/** The avatar file → the API's input: its real type (by its bytes) and base64 data. */
export async function parseAvatar(
  value: FormDataEntryValue | null,
): Promise<{ input: UpdateProfileImageInput } | { error: string }> {
  if (value === null || typeof value === 'string' || value.size === 0) return { error: 'Choose an image to upload.' };
  if (value.size > AVATAR_MAX_BYTES) return { error: AVATAR_TOO_LARGE };
  const bytes = new Uint8Array(await value.arrayBuffer());
  const contentType = sniffImageType(bytes);
  if (!contentType) return { error: 'The image must be a PNG, JPEG, GIF or WebP file.' };
  return { input: { contentType, data: Buffer.from(bytes).toString('base64') } };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2027-03-01" → "2027-03-01T00:00:00.000Z", or null when it is not a real calendar date. */
export function expiryFromDate(value: string): string | null {
  const match = DATE.exec(value.trim());
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString();
}

/** A UTC day as the date input writes it. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * The date input's bounds: a key expires at 00:00 UTC of the chosen day, so tomorrow is the first day
 * that is still in the future, and `maxDays` from today the last one within the API's limit.
 */
export function expiryBounds(now: Date, maxDays: number): { min: string; max: string } {
  const day = 24 * 60 * 60 * 1000;
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return { min: isoDay(new Date(today + day)), max: isoDay(new Date(today + maxDays * day)) };
}

const INTENTS: readonly string[] = [
  'update-profile',
  'upload-avatar',
  'remove-avatar',
  'update-preferences',
  'confirm-revoke-session',
  'revoke-session',
  'create-api-key',
  'confirm-revoke-api-key',
  'revoke-api-key',
] satisfies SettingsIntent[];

/** The posted form → what to do, or the errors to show beside the form that was sent. */
export async function parseSettingsAction(form: FormData): Promise<ParsedSettingsAction> {
  const intent = formText(form, 'intent');
  const fail = (errors: FormErrors, values: FormValues = {}): ParsedSettingsAction => ({
    ok: false,
    intent,
    values,
    errors,
  });
  if (!INTENTS.includes(intent)) return fail({ form: 'Unknown action. Reload the page and try again.' });

  switch (intent as SettingsIntent) {
    case 'update-profile': {
      const values = { firstName: formText(form, 'firstName'), lastName: formText(form, 'lastName') };
      // As typed: the API trims, checks the length, and stores an empty name as none.
      return { ok: true, action: { intent: 'update-profile', input: { ...values }, values } };
    }
    case 'upload-avatar': {
      const avatar = await parseAvatar(form.get('avatar'));
      if ('error' in avatar) return fail({ avatar: avatar.error });
      return { ok: true, action: { intent: 'upload-avatar', input: avatar.input } };
    }
    case 'remove-avatar':
      return { ok: true, action: { intent: 'remove-avatar' } };
    case 'update-preferences':
      return parsePreferences(form);
    case 'confirm-revoke-session':
    case 'revoke-session': {
      const sessionId = formText(form, 'sessionId').trim();
      if (!sessionId) return fail({ form: 'Choose a session to revoke.' });
      return { ok: true, action: { intent: intent as 'revoke-session', sessionId } };
    }
    case 'create-api-key':
      return parseApiKey(form);
    case 'confirm-revoke-api-key':
    case 'revoke-api-key': {
      const id = formText(form, 'id').trim();
      if (!id) return fail({ form: 'Choose a key to revoke.' });
      return { ok: true, action: { intent: intent as 'revoke-api-key', id } };
    }
  }
}

/**
 * The preferences form: every field is on the form, so an unchecked box is false. The default scoring
 * profile and the default valuation ruleset (the active one) can be changed but not cleared (the API
 * always keeps one while any exist): an empty choice, or no select at all, leaves them as they are.
 */
export function parsePreferences(form: FormData): ParsedSettingsAction {
  const values: FormValues = {
    currency: formText(form, 'currency'),
    theme: formText(form, 'theme'),
    defaultScoringProfileId: formText(form, 'defaultScoringProfileId'),
    defaultValuationRulesetId: formText(form, 'defaultValuationRulesetId'),
  };
  for (const name of ['securityAlerts', 'collectionShared', 'weeklyDigest']) {
    values[name] = form.has(name) ? 'on' : '';
  }
  const errors: FormErrors = {};
  if (!isCurrency(values.currency)) errors.currency = 'Choose a currency from the list.';
  if (!isTheme(values.theme)) errors.theme = 'Choose a theme from the list.';
  if (Object.keys(errors).length > 0) return { ok: false, intent: 'update-preferences', values, errors };

  const app: NonNullable<UpdatePreferencesInput['app']> = {
    currency: values.currency as NonNullable<typeof app.currency>,
    theme: values.theme as NonNullable<typeof app.theme>,
  };
  if (values.defaultScoringProfileId) app.defaultScoringProfileId = values.defaultScoringProfileId;
  if (values.defaultValuationRulesetId) app.defaultValuationRulesetId = values.defaultValuationRulesetId;
  return {
    ok: true,
    action: {
      intent: 'update-preferences',
      values,
      input: {
        notifications: {
          securityAlerts: values.securityAlerts === 'on',
          collectionShared: values.collectionShared === 'on',
          weeklyDigest: values.weeklyDigest === 'on',
        },
        app,
      },
    },
  };
}

/** The create-key form: a name, the ticked scopes, and an optional expiry day. */
export function parseApiKey(form: FormData): ParsedSettingsAction {
  const picked = form.getAll('scopes').filter((value): value is string => typeof value === 'string');
  const values: FormValues = {
    name: formText(form, 'name'),
    expiresAt: formText(form, 'expiresAt'),
    scopes: picked.join(','),
  };
  const errors: FormErrors = {};
  const scopes = API_KEY_SCOPES.map((scope) => scope.value).filter((scope) => picked.includes(scope));
  if (picked.some((value) => !API_KEY_SCOPES.some((scope) => scope.value === value))) {
    errors.scopes = 'Choose scopes from the list.';
  } else if (scopes.length === 0) {
    errors.scopes = 'Choose at least one scope.';
  }
  let expiresAt: string | null = null;
  if (values.expiresAt?.trim()) {
    expiresAt = expiryFromDate(values.expiresAt);
    if (!expiresAt) errors.expiresAt = 'Enter the expiry as a date, like 2027-01-31.';
  }
  if (Object.keys(errors).length > 0) return { ok: false, intent: 'create-api-key', values, errors };
  return {
    ok: true,
    action: { intent: 'create-api-key', values, input: { name: values.name ?? '', scopes, expiresAt } },
  };
}
