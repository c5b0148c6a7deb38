// Tenant settings: one typed document, read through one accessor. The table holds one row per key
// (key → JSON value, updated_at); a key never set reads as its default, and so does a stored value that
// does not fit its schema (a hand-edited row): it is logged and never fails the request. No cache: every
// reader reads the table in its own transaction, so a change holds on the next request on every server.
import { API_KEY_LIMITS, TENANT_SETTINGS_LIMITS } from '@deal-brain/shared/field-limits';
import { z } from 'zod';
import type { Tx } from '#src/db/rls.js';

/** Each setting's schema and default: the one definition readers and writers share. */
export const tenantSettingsSchema = z.object({
  /** Off: a new identity gets no account (SIGNUPS_DISABLED); existing users are unaffected. */
  signupsEnabled: z.boolean().default(true),
  /** Shown on every signed-in page while set. */
  maintenanceBanner: z.string().min(1).max(TENANT_SETTINGS_LIMITS.maintenanceBannerLength).nullable().default(null),
  /** Unrevoked, unexpired keys one user may hold at once (createApiKey). */
  maxApiKeysPerUser: z
    .number()
    .int()
    .min(TENANT_SETTINGS_LIMITS.minApiKeysPerUser)
    .max(TENANT_SETTINGS_LIMITS.maxApiKeysPerUser)
    .default(API_KEY_LIMITS.maxLivePerUser),
  /** Off: shareCollection is refused; existing shares keep working and can still be revoked. */
  collectionSharingEnabled: z.boolean().default(true),
});

export type TenantSettingValues = z.infer<typeof tenantSettingsSchema>;
export type TenantSettingKey = keyof TenantSettingValues;

export const TENANT_SETTING_KEYS = Object.keys(tenantSettingsSchema.shape) as TenantSettingKey[];

export const TENANT_SETTING_DEFAULTS: Readonly<TenantSettingValues> = Object.freeze(tenantSettingsSchema.parse({}));

export interface TenantSettings extends TenantSettingValues {
  /** The latest change of any known key; null when none was ever set. */
  updatedAt: Date | null;
}

export interface StoredSetting {
  key: string;
  value: unknown;
  updatedAt: Date;
}

/** Where a stored value that does not fit its schema is reported. */
export interface SettingsLog {
  warn(fields: Record<string, unknown>, message: string): void;
}

const isKnownKey = (key: string): key is TenantSettingKey => (TENANT_SETTING_KEYS as string[]).includes(key);

/** The settings stored rows stand for, and the keys whose stored value was unusable. Pure. */
export function settingsFromRows(rows: readonly StoredSetting[]): { settings: TenantSettings; problems: string[] } {
  const values: Record<string, unknown> = { ...TENANT_SETTING_DEFAULTS };
  const problems: string[] = [];
  let updatedAt: Date | null = null;
  for (const row of rows) {
    // Unknown keys (retired settings, or someone else's) are ignored, and kept as stored.
    if (!isKnownKey(row.key)) continue;
    if (updatedAt === null || row.updatedAt > updatedAt) updatedAt = row.updatedAt;
    const parsed = tenantSettingsSchema.shape[row.key].safeParse(row.value);
    if (parsed.success) values[row.key] = parsed.data;
    else problems.push(row.key);
  }
  return { settings: { ...(values as TenantSettingValues), updatedAt }, problems };
}

/**
 * The tenant settings, read in `tx` (any role with a policy on tenant_settings: app_user and app_admin
 * with a viewer, app_sync). A stored value that fails its schema reads as its default and is logged.
 */
export async function readTenantSettings(tx: Tx, log?: SettingsLog): Promise<TenantSettings> {
  const rows = await tx.tenantSetting.findMany({
    where: { key: { in: TENANT_SETTING_KEYS } },
    select: { key: true, value: true, updatedAt: true },
  });
  const { settings, problems } = settingsFromRows(rows);
  if (problems.length > 0) {
    log?.warn(
      { event: 'tenant_settings.unreadable', keys: problems },
      'stored tenant settings do not fit their schema; their defaults apply',
    );
  }
  return settings;
}

/** The keys of `patch` whose value differs from `current`. Pure. */
export function changedSettings(
  current: TenantSettingValues,
  patch: Partial<TenantSettingValues>,
): { before: Partial<TenantSettingValues>; after: Partial<TenantSettingValues> } {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const key of TENANT_SETTING_KEYS) {
    if (!(key in patch) || patch[key] === undefined) continue;
    if (patch[key] === current[key]) continue;
    before[key] = current[key];
    after[key] = patch[key];
  }
  return { before: before as Partial<TenantSettingValues>, after: after as Partial<TenantSettingValues> };
}
