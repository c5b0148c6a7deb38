// Preferences: a typed document in users.preferences (jsonb), validated with zod, and its GraphQL face.
// The document holds only what a person changed; every absent key reads as its default, so existing rows
// ({}) need no migration. A stored value that does not fit its schema (a hand-edited row) also reads as
// the default: a bad row can never fail the resolver. The two defaults are not in the document: the
// default scoring profile is the scoring module's is_default flag, the default valuation ruleset is the
// valuation module's active ruleset (is_active), each read from there. A document stored before that
// may still hold `app.defaultValuationRulesetId`: like any key no longer known, it is ignored on read and
// kept as stored.
import { z } from 'zod';
import { builder } from '#src/graphql/builder.js';
import { signedIn } from '#src/graphql/context.js';

export const CURRENCIES = ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'JPY', 'CHF', 'SEK'] as const;
export const THEMES = ['SYSTEM', 'LIGHT', 'DARK'] as const;
export type Currency = (typeof CURRENCIES)[number];
export type Theme = (typeof THEMES)[number];

const notificationsShape = {
  securityAlerts: z.boolean(),
  collectionShared: z.boolean(),
  weeklyDigest: z.boolean(),
};
const appShape = {
  currency: z.enum(CURRENCIES),
  theme: z.enum(THEMES),
};

/** The stored document: every key optional, none other allowed. */
export const preferencesDocumentSchema = z.strictObject({
  notifications: z.strictObject(notificationsShape).partial().optional(),
  app: z.strictObject(appShape).partial().optional(),
});
export type PreferencesDocument = z.infer<typeof preferencesDocumentSchema>;

export interface ResolvedPreferences {
  notifications: { securityAlerts: boolean; collectionShared: boolean; weeklyDigest: boolean };
  app: { currency: Currency; theme: Theme };
}

export const PREFERENCE_DEFAULTS: ResolvedPreferences = Object.freeze({
  notifications: Object.freeze({ securityAlerts: true, collectionShared: true, weeklyDigest: false }),
  app: Object.freeze({ currency: 'USD' as const, theme: 'SYSTEM' as const }),
});

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Each known key as stored when it fits its schema, else its default; unknown keys are ignored. */
function readSection<S extends Record<string, z.ZodType>>(
  shape: S,
  stored: unknown,
  defaults: { [K in keyof S]: z.infer<S[K]> },
  section: string,
  problems: string[],
): { [K in keyof S]: z.infer<S[K]> } {
  const values = isObject(stored) ? stored : {};
  if (stored !== undefined && !isObject(stored)) problems.push(section);
  const read = { ...defaults };
  for (const key of Object.keys(shape) as (keyof S & string)[]) {
    if (!(key in values)) continue;
    const parsed = shape[key]!.safeParse(values[key]);
    if (parsed.success) read[key] = parsed.data as z.infer<S[typeof key]>;
    else problems.push(`${section}.${key}`);
  }
  return read;
}

/** The preferences a stored document stands for, and the keys that held something unusable. */
export function readPreferences(stored: unknown): { preferences: ResolvedPreferences; problems: string[] } {
  const problems: string[] = [];
  const document = isObject(stored) ? stored : {};
  if (!isObject(stored)) problems.push('(document)');
  const preferences = {
    notifications: readSection(
      notificationsShape,
      document.notifications,
      PREFERENCE_DEFAULTS.notifications,
      'notifications',
      problems,
    ),
    app: readSection(appShape, document.app, PREFERENCE_DEFAULTS.app, 'app', problems),
  };
  return { preferences, problems };
}

/**
 * `stored` with `patch` laid over it, key by key: what the document becomes. Keys the patch does not name
 * stay exactly as stored; a section that is not an object is replaced.
 */
export function mergePreferences(stored: unknown, patch: PreferencesDocument): Record<string, unknown> {
  const document = isObject(stored) ? { ...stored } : {};
  for (const section of ['notifications', 'app'] as const) {
    const changes = patch[section];
    if (!changes || Object.keys(changes).length === 0) continue;
    const current = document[section];
    document[section] = { ...(isObject(current) ? current : {}), ...changes };
  }
  return document;
}

/** The keys (`app.theme`) whose effective value differs between two readings. */
export function changedKeys(before: ResolvedPreferences, after: ResolvedPreferences): string[] {
  const changed: string[] = [];
  for (const section of ['notifications', 'app'] as const) {
    const a = before[section] as unknown as Record<string, unknown>;
    const b = after[section] as unknown as Record<string, unknown>;
    for (const key of Object.keys(b)) if (a[key] !== b[key]) changed.push(`${section}.${key}`);
  }
  return changed;
}

// ---------------------------------------------------------------------------------------------------------
// GraphQL

export const CurrencyEnum = builder.enumType('Currency', {
  description: 'The currency prices are shown in (no conversion: prices are amounts as entered).',
  values: CURRENCIES,
});

export const ThemeEnum = builder.enumType('Theme', {
  description: 'SYSTEM follows the device’s light or dark setting.',
  values: THEMES,
});

/** A user's preferences as read, with whose they are (the two defaults are looked up by owner). */
export interface PreferencesParent {
  userId: string;
  preferences: ResolvedPreferences;
}

const NotificationPreferencesRef = builder
  .objectRef<ResolvedPreferences['notifications']>('NotificationPreferences')
  .implement({
    description: 'Which emails to send.',
    fields: (t) => ({
      securityAlerts: t.exposeBoolean('securityAlerts', {
        description: 'Sign-ins and security changes. Default true.',
      }),
      collectionShared: t.exposeBoolean('collectionShared', {
        description: 'Someone shared a collection with you. Default true.',
      }),
      weeklyDigest: t.exposeBoolean('weeklyDigest', { description: 'A weekly summary of deals. Default false.' }),
    }),
  });

const AppPreferencesRef = builder.objectRef<PreferencesParent>('AppPreferences').implement({
  fields: (t) => ({
    currency: t.field({ type: CurrencyEnum, description: 'Default USD.', resolve: (p) => p.preferences.app.currency }),
    theme: t.field({ type: ThemeEnum, description: 'Default SYSTEM.', resolve: (p) => p.preferences.app.theme }),
    defaultScoringProfile: t.prismaField({
      type: 'ScoringProfile',
      nullable: true,
      description: 'The profile marked default (listings are scored under it when none is named).',
      resolve: (query, parent, _args, ctx) =>
        signedIn(ctx).db.scoringProfile.findFirst({ ...query, where: { ownerId: parent.userId, isDefault: true } }),
    }),
    defaultValuationRuleset: t.prismaField({
      type: 'ValuationRuleset',
      nullable: true,
      description: 'The active ruleset (valuations use it when none is named); null only when there is none.',
      resolve: (query, parent, _args, ctx) =>
        signedIn(ctx).db.valuationRuleset.findFirst({ ...query, where: { ownerId: parent.userId, isActive: true } }),
    }),
  }),
});

export const PreferencesRef = builder.objectRef<PreferencesParent>('Preferences').implement({
  fields: (t) => ({
    notifications: t.field({ type: NotificationPreferencesRef, resolve: (p) => p.preferences.notifications }),
    app: t.field({ type: AppPreferencesRef, resolve: (p) => p }),
  }),
});
