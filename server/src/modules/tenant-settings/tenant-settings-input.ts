// updateTenantSettings' input: a partial update. An omitted key stays as it is; an explicit null is
// refused for the keys that always have a value, and clears the maintenance banner (so does "").
import { ADMIN_LIMITS, TENANT_SETTINGS_LIMITS } from '@deal-brain/shared/field-limits';
import { z } from 'zod';
import type { TenantSettingValues } from './tenant-settings.js';

const keepOrSet = (what: string) => `${what}; omit it to leave it unchanged`;

/** Present (not undefined) but null: refused, with `message`. */
const notNull = <T extends z.ZodType>(schema: T, message: string) =>
  schema.nullish().refine((value) => value !== null, keepOrSet(message));

const flag = notNull(z.boolean({ error: 'Must be true or false' }), 'Cannot be null: give true or false');

const { maintenanceBannerLength, minApiKeysPerUser, maxApiKeysPerUser } = TENANT_SETTINGS_LIMITS;

export const updateTenantSettingsSchema = z.object({
  signupsEnabled: flag,
  maintenanceBanner: z
    .string()
    .trim()
    .max(maintenanceBannerLength, `The banner must be at most ${maintenanceBannerLength} characters`)
    .transform((value) => value || null)
    .nullish(),
  maxApiKeysPerUser: notNull(
    z
      .number({ error: 'Must be a whole number' })
      .int('Must be a whole number')
      .min(minApiKeysPerUser, `Must be between ${minApiKeysPerUser} and ${maxApiKeysPerUser}`)
      .max(maxApiKeysPerUser, `Must be between ${minApiKeysPerUser} and ${maxApiKeysPerUser}`),
    `Cannot be null: give a number between ${minApiKeysPerUser} and ${maxApiKeysPerUser}`,
  ),
  collectionSharingEnabled: flag,
  reason: z
    .string()
    .trim()
    .max(ADMIN_LIMITS.reasonLength, `The reason must be at most ${ADMIN_LIMITS.reasonLength} characters`)
    .transform((value) => value || null)
    .nullish(),
});

export type UpdateTenantSettings = z.infer<typeof updateTenantSettingsSchema>;

/** The settings the input sets (undefined: not given). */
export function patchOf(input: UpdateTenantSettings): Partial<TenantSettingValues> {
  const patch: Partial<TenantSettingValues> = {};
  if (input.signupsEnabled != null) patch.signupsEnabled = input.signupsEnabled;
  if (input.maintenanceBanner !== undefined) patch.maintenanceBanner = input.maintenanceBanner;
  if (input.maxApiKeysPerUser != null) patch.maxApiKeysPerUser = input.maxApiKeysPerUser;
  if (input.collectionSharingEnabled != null) patch.collectionSharingEnabled = input.collectionSharingEnabled;
  return patch;
}
