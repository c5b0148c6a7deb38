// The tenant settings form → updateTenantSettings' input. Every field is on the form, so an unchecked box
// is false and an empty banner clears it. Only the settings the admin changed are sent (the form carries
// the values it was loaded with, `was.<name>`): the update is partial, so a setting another admin changed
// meanwhile is not put back. Only shapes are checked here (a whole number); the ranges and lengths are
// the API's, and its messages are shown beside the fields they name.
import { TENANT_SETTINGS_LIMITS } from '@deal-brain/shared/field-limits';
import type { UpdateTenantSettingsInput } from '~/gql/graphql';
import { formText } from './form-text';

export type SettingsFormValues = {
  signupsEnabled: boolean;
  collectionSharingEnabled: boolean;
  maintenanceBanner: string;
  maxApiKeysPerUser: string;
  reason: string;
};

export type SettingsFormErrors = Partial<Record<keyof SettingsFormValues | 'form', string>>;

export type ParsedSettingsForm =
  /** `input` is null when nothing changed. */
  | { ok: true; input: UpdateTenantSettingsInput | null; values: SettingsFormValues }
  | { ok: false; values: SettingsFormValues; errors: SettingsFormErrors };

const WHOLE_NUMBER = /^\d{1,9}$/;

/** Browsers send a textarea's line breaks as CRLF; the banner keeps plain newlines. */
function lines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

export function parseTenantSettingsForm(form: FormData): ParsedSettingsForm {
  const values: SettingsFormValues = {
    signupsEnabled: form.has('signupsEnabled'),
    collectionSharingEnabled: form.has('collectionSharingEnabled'),
    maintenanceBanner: lines(formText(form, 'maintenanceBanner')),
    maxApiKeysPerUser: formText(form, 'maxApiKeysPerUser').trim(),
    reason: formText(form, 'reason'),
  };
  const errors: SettingsFormErrors = {};
  if (!WHOLE_NUMBER.test(values.maxApiKeysPerUser)) {
    errors.maxApiKeysPerUser =
      `Enter a whole number from ${TENANT_SETTINGS_LIMITS.minApiKeysPerUser} to ` +
      `${TENANT_SETTINGS_LIMITS.maxApiKeysPerUser}.`;
  }
  if (Object.keys(errors).length > 0) return { ok: false, values, errors };
  const was = (name: string): string | null => {
    const value = form.get(`was.${name}`);
    return typeof value === 'string' ? lines(value) : null;
  };
  const input: UpdateTenantSettingsInput = {};
  if (was('signupsEnabled') !== String(values.signupsEnabled)) input.signupsEnabled = values.signupsEnabled;
  if (was('collectionSharingEnabled') !== String(values.collectionSharingEnabled)) {
    input.collectionSharingEnabled = values.collectionSharingEnabled;
  }
  // As typed: the API trims, checks the length, and clears the banner when it is empty.
  if (was('maintenanceBanner') !== values.maintenanceBanner) input.maintenanceBanner = values.maintenanceBanner;
  const maxApiKeysPerUser = Number(values.maxApiKeysPerUser);
  if (was('maxApiKeysPerUser') !== String(maxApiKeysPerUser)) input.maxApiKeysPerUser = maxApiKeysPerUser;
  if (Object.keys(input).length === 0) return { ok: true, values, input: null };
  const reason = values.reason.trim();
  return { ok: true, values, input: { ...input, reason: reason || null } };
}

/** The hidden `was.<name>` fields: the values the form was loaded with. */
export function settingsFormOriginals(values: SettingsFormValues): { name: string; value: string }[] {
  return [
    { name: 'was.signupsEnabled', value: String(values.signupsEnabled) },
    { name: 'was.collectionSharingEnabled', value: String(values.collectionSharingEnabled) },
    { name: 'was.maintenanceBanner', value: values.maintenanceBanner },
    { name: 'was.maxApiKeysPerUser', value: values.maxApiKeysPerUser },
  ];
}

/** The `was.<name>` fields as they were posted, to put back into a form that failed. */
export function postedOriginals(form: FormData): { name: string; value: string }[] {
  return ORIGINAL_NAMES.flatMap((name) => {
    const value = form.get(name);
    return typeof value === 'string' ? [{ name, value }] : [];
  });
}

const ORIGINAL_NAMES = [
  'was.signupsEnabled',
  'was.collectionSharingEnabled',
  'was.maintenanceBanner',
  'was.maxApiKeysPerUser',
];
