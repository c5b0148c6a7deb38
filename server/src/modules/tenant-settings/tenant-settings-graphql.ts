// The GraphQL face of tenant settings: every signed-in viewer reads them (a session or an API key), only an
// admin's session writes them. A write locks the settings, reads them, writes the keys whose value changes
// and one tenant_settings.updated audit event { before, after, reason } of those keys, all in one
// transaction; when nothing changes, nothing is written.
import { TENANT_SETTINGS_LIMITS } from '@deal-brain/shared/field-limits';
import { recordAuditEvents } from '#src/audit/audit-events.js';
import { auditSource } from '#src/audit/audit-source.js';
import type { Tx } from '#src/db/rls.js';
import { builder } from '#src/graphql/builder.js';
import type { Context } from '#src/graphql/context.js';
import { signedIn } from '#src/graphql/context.js';
import { patchOf, updateTenantSettingsSchema } from './tenant-settings-input.js';
import { changedSettings, readTenantSettings, type TenantSettings } from './tenant-settings.js';

/** Any fixed number: it keeps this advisory lock apart from anyone else's. */
const LOCK_KEY = 0x74736574; // "tset"

const { maintenanceBannerLength, minApiKeysPerUser, maxApiKeysPerUser } = TENANT_SETTINGS_LIMITS;

export const TenantSettingsRef = builder.objectRef<TenantSettings>('TenantSettings').implement({
  description: 'Settings of the whole service, set by admins. A singleton, not a node.',
  fields: (t) => ({
    signupsEnabled: t.exposeBoolean('signupsEnabled', {
      description:
        'Off: a new identity gets no account (SIGNUPS_DISABLED); existing users are unaffected. Default true.',
    }),
    maintenanceBanner: t.exposeString('maintenanceBanner', {
      nullable: true,
      description: `Shown on every signed-in page while set (1 to ${maintenanceBannerLength} characters). Default null.`,
    }),
    maxApiKeysPerUser: t.exposeInt('maxApiKeysPerUser', {
      description: `Active API keys one user may hold (${minApiKeysPerUser} to ${maxApiKeysPerUser}). Default 10.`,
    }),
    collectionSharingEnabled: t.exposeBoolean('collectionSharingEnabled', {
      description:
        'Off: shareCollection is refused (FORBIDDEN, reason sharing-disabled); existing shares keep working. Default true.',
    }),
    updatedAt: t.expose('updatedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'The latest change of any setting; null when none was ever set.',
    }),
  }),
});

const UpdateTenantSettingsInput = builder.inputType('UpdateTenantSettingsInput', {
  description: 'A partial update: only the settings given change.',
  fields: (t) => ({
    signupsEnabled: t.boolean({ description: 'null not allowed.' }),
    maintenanceBanner: t.string({
      description: `Trimmed; at most ${maintenanceBannerLength} characters; "" or null clears it.`,
    }),
    maxApiKeysPerUser: t.int({ description: `${minApiKeysPerUser} to ${maxApiKeysPerUser}; null not allowed.` }),
    collectionSharingEnabled: t.boolean({ description: 'null not allowed.' }),
    reason: t.string({ description: 'Why, for the audit log. Optional; at most 500 characters.' }),
  }),
});

const UpdateTenantSettingsPayload = builder
  .objectRef<{ tenantSettings: TenantSettings }>('UpdateTenantSettingsPayload')
  .implement({
    fields: (t) => ({
      tenantSettings: t.field({ type: TenantSettingsRef, resolve: (parent) => parent.tenantSettings }),
    }),
  });

/** Writes `values` (key → value) as the current values of their keys. */
async function storeSettings(tx: Tx, values: Record<string, unknown>): Promise<void> {
  for (const [key, value] of Object.entries(values)) {
    await tx.$executeRaw`
      INSERT INTO tenant_settings (key, value, updated_at) VALUES (${key}, ${JSON.stringify(value)}::jsonb, now())
      ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`;
  }
}

builder.queryField('tenantSettings', (t) =>
  t.field({
    type: TenantSettingsRef,
    description: 'The tenant settings. Any signed-in viewer (a session or an API key).',
    authScopes: { signedIn: true },
    resolve: (_root, _args, ctx: Context) => ctx.withRls((tx) => readTenantSettings(tx, ctx.log)),
  }),
);

builder.mutationField('updateTenantSettings', (t) =>
  t.field({
    type: UpdateTenantSettingsPayload,
    description:
      'Admins only. Partial: only the settings given change. One tenant_settings.updated audit event lists the ' +
      'settings whose value changed (none changed: nothing is written).',
    authScopes: { admin: true },
    args: {
      input: t.arg({
        type: UpdateTenantSettingsInput,
        required: true,
        validate: { schema: updateTenantSettingsSchema },
      }),
    },
    resolve: async (_root, args, ctx) => {
      const { viewer } = signedIn(ctx);
      const input = updateTenantSettingsSchema.parse(args.input);
      const tenantSettings = await ctx.withRls(async (tx) => {
        // Concurrent updates apply one after the other: each one's `before` is what the previous left.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK_KEY}::int, 0)`;
        const current = await readTenantSettings(tx, ctx.log);
        const { before, after } = changedSettings(current, patchOf(input));
        if (Object.keys(after).length === 0) return current;
        await storeSettings(tx, after);
        await recordAuditEvents(tx, [
          {
            type: 'tenant_settings.updated',
            actorId: viewer.userId,
            subjectUserId: null,
            metadata: { before, after, reason: input.reason ?? null },
            ...auditSource(ctx),
          },
        ]);
        return readTenantSettings(tx, ctx.log);
      });
      return { tenantSettings };
    },
  }),
);
