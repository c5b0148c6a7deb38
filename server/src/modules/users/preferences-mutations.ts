// updatePreferences: a partial update of the preferences document. Only the keys given change; an explicit
// null is refused (a boolean, the currency, the theme, either default: there is always one while any
// exist). One transaction as the viewer: the user row is locked first, so two concurrent partial updates
// apply one after the other and neither loses the other's keys; the default scoring profile changes
// through the scoring module's own write, the default valuation ruleset through the valuation module's
// activation, both in the same transaction; the audit event lists the keys whose value changed. A key
// request may not change preferences.
import { z } from 'zod';
import { recordAuditEvents } from '#src/audit/audit-events.js';
import { auditSource, type AuditSource } from '#src/audit/audit-source.js';
import type { Tx } from '#src/db/rls.js';
import { builder } from '#src/graphql/builder.js';
import { signedIn } from '#src/graphql/context.js';
import { notFound } from '#src/graphql/errors.js';
import { forgetScoringWeights } from '#src/modules/scoring/scoring-profile-loader.js';
import { setDefaultProfile } from '#src/modules/scoring/scoring-profile-writes.js';
import { activateRuleset } from '#src/modules/valuation/valuation-mutations.js';
import { forgetValuationRulesets } from '#src/modules/valuation/valuation-ruleset-loader.js';
import {
  changedKeys,
  CURRENCIES,
  CurrencyEnum,
  mergePreferences,
  preferencesDocumentSchema,
  readPreferences,
  THEMES,
  ThemeEnum,
  type PreferencesDocument,
} from './preferences.js';
import { globalIdOf } from '#src/graphql/global-id-input.js';

const keepOrSet = (what: string) => `${what}; omit it to leave it unchanged`;
const flag = z.boolean({ error: keepOrSet('Must be true or false') }).optional();

export const updatePreferencesSchema = z
  .object({
    notifications: z.object({ securityAlerts: flag, collectionShared: flag, weeklyDigest: flag }).nullish(),
    app: z
      .object({
        currency: z.enum(CURRENCIES, { error: keepOrSet(`Must be one of ${CURRENCIES.join(', ')}`) }).optional(),
        theme: z.enum(THEMES, { error: keepOrSet(`Must be one of ${THEMES.join(', ')}`) }).optional(),
        // null is refused: there is always a default profile while you have any (choose another instead).
        defaultScoringProfileId: globalIdOf('ScoringProfile')
          .nullish()
          .refine((value) => value !== null, keepOrSet('Cannot be null: choose one of your scoring profiles')),
        // null is refused: the active ruleset is the default (activate another one instead).
        defaultValuationRulesetId: globalIdOf('ValuationRuleset')
          .nullish()
          .refine((value) => value !== null, keepOrSet('Cannot be null: choose one of your valuation rulesets')),
      })
      .nullish(),
  })
  .refine(
    (input) =>
      Object.values(input.notifications ?? {}).some((value) => value !== undefined) ||
      Object.values(input.app ?? {}).some((value) => value !== undefined),
    'Give at least one preference to change',
  );

type UpdatePreferences = z.infer<typeof updatePreferencesSchema>;

/** The document keys the input sets (the two defaults are not in the document). */
function patchOf(input: UpdatePreferences): PreferencesDocument {
  const defined = <T extends object>(object: T) =>
    Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
  const { defaultScoringProfileId: _scoring, defaultValuationRulesetId: _valuation, ...app } = input.app ?? {};
  return preferencesDocumentSchema.parse({ notifications: defined(input.notifications ?? {}), app: defined(app) });
}

const NotificationPreferencesInput = builder.inputType('NotificationPreferencesInput', {
  description: 'Only the fields given change.',
  fields: (t) => ({
    securityAlerts: t.boolean(),
    collectionShared: t.boolean(),
    weeklyDigest: t.boolean(),
  }),
});

const AppPreferencesInput = builder.inputType('AppPreferencesInput', {
  description: 'Only the fields given change.',
  fields: (t) => ({
    currency: t.field({ type: CurrencyEnum }),
    theme: t.field({ type: ThemeEnum }),
    defaultScoringProfileId: t.globalID({
      description: "Global id of one of the viewer's scoring profiles (makes it the default) — null not allowed.",
    }),
    defaultValuationRulesetId: t.globalID({
      description: "Global id of one of the viewer's valuation rulesets (makes it the active one) — null not allowed.",
    }),
  }),
});

const UpdatePreferencesInput = builder.inputType('UpdatePreferencesInput', {
  description: 'A partial update: only the keys given change.',
  fields: (t) => ({
    notifications: t.field({ type: NotificationPreferencesInput }),
    app: t.field({ type: AppPreferencesInput }),
  }),
});

const UpdatePreferencesPayload = builder.objectRef<{ userId: string }>('UpdatePreferencesPayload').implement({
  fields: (t) => ({
    user: t.prismaField({
      type: 'User',
      resolve: (query, parent, _args, ctx) =>
        signedIn(ctx).db.user.findFirstOrThrow({ ...query, where: { id: parent.userId } }),
    }),
  }),
});

/** Applies the update as `userId` inside `tx`; the keys whose value changed. */
async function applyPreferences(
  tx: Tx,
  userId: string,
  input: UpdatePreferences,
  source: AuditSource,
): Promise<string[]> {
  // The lock serialises concurrent updates of this user's preferences until the transaction ends.
  const [row] = await tx.$queryRaw<{ preferences: unknown }[]>`
    SELECT preferences FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
  if (!row) throw notFound('User');
  const changed: string[] = [];

  const profileId = input.app?.defaultScoringProfileId?.id;
  if (profileId) {
    const before = await tx.scoringProfile.findFirst({
      where: { ownerId: userId, isDefault: true },
      select: { id: true },
    });
    // The scoring module's own write: its lock, its NOT_FOUND for a profile that is not the viewer's.
    await setDefaultProfile(tx, userId, profileId);
    if (before?.id !== profileId) changed.push('app.defaultScoringProfile');
  }
  const rulesetId = input.app?.defaultValuationRulesetId?.id;
  // The valuation module's own activation: its lock, its NOT_FOUND for a ruleset that is not the viewer's.
  if (rulesetId && (await activateRuleset(tx, userId, rulesetId))) changed.push('app.defaultValuationRulesetId');

  const patch = patchOf(input);
  const merged = mergePreferences(row.preferences, patch);
  if (Object.keys(patch.notifications ?? {}).length + Object.keys(patch.app ?? {}).length > 0) {
    await tx.$executeRaw`
      UPDATE users SET preferences = ${JSON.stringify(merged)}::jsonb, updated_at = now() WHERE id = ${userId}::uuid`;
  }
  changed.unshift(...changedKeys(readPreferences(row.preferences).preferences, readPreferences(merged).preferences));
  if (changed.length > 0) {
    await recordAuditEvents(tx, [
      { type: 'user.preferences_updated', actorId: userId, subjectUserId: userId, ...source, metadata: { changed } },
    ]);
  }
  return changed;
}

builder.mutationField('updatePreferences', (t) =>
  t.field({
    type: UpdatePreferencesPayload,
    description: 'Partial update: only the keys given change. Unknown keys or wrong types: BAD_USER_INPUT with paths.',
    authScopes: { sessionCredential: true },
    args: {
      input: t.arg({ type: UpdatePreferencesInput, required: true, validate: { schema: updatePreferencesSchema } }),
    },
    resolve: async (_root, args, ctx) => {
      const { viewer } = signedIn(ctx);
      const input = updatePreferencesSchema.parse(args.input);
      const changed = await ctx.withRls((tx) => applyPreferences(tx, viewer.userId, input, auditSource(ctx)));
      if (changed.includes('app.defaultScoringProfile')) forgetScoringWeights(ctx);
      if (changed.includes('app.defaultValuationRulesetId')) forgetValuationRulesets(ctx);
      return { userId: viewer.userId };
    },
  }),
);
