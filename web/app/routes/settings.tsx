import { UserProfile } from '@clerk/remix';
import { auditEventLabel } from '@deal-brain/shared/audit-event-types';
import { API_KEY_LIMITS } from '@deal-brain/shared/field-limits';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData, useLocation, useNavigation } from '@remix-run/react';
import { authMode, requireUser } from '~/auth/auth.server';
import { ApiKeysSection, type ApiKeyRow, type KeyStatus } from '~/components/settings-api-keys';
import { PreferencesSection } from '~/components/settings-preferences';
import { ProfileSection } from '~/components/settings-profile';
import { SecurityActivitySection, type ActivityRow } from '~/components/settings-security-activity';
import { SessionsSection } from '~/components/settings-sessions';
import { createApi, type MutationResult } from '~/graphql/client.server';
import {
  CreateApiKeyMutation,
  RemoveProfileImageMutation,
  RevokeApiKeyMutation,
  RevokeSessionMutation,
  SECURITY_ACTIVITY_PAGE,
  SETTINGS_PAGE,
  SecurityActivityQuery,
  SessionsQuery,
  SettingsQuery,
  UpdatePreferencesMutation,
  UpdateProfileImageMutation,
  UpdateProfileMutation,
} from '~/graphql/settings.server';
import { CURRENCIES, THEMES, currencyLabel } from '~/lib/appearance';
import { avatarSrc } from '~/lib/avatar.server';
import { guarded } from '~/lib/guard.server';
import { shortUserAgent } from '~/lib/user-agent.server';
import {
  API_KEY_SCOPES,
  AVATAR_ACCEPT,
  AVATAR_MAX_BYTES,
  AVATAR_TOO_LARGE,
  expiryBounds,
  parseSettingsAction,
  readSettingsForm,
  type FormErrors,
  type FormValues,
  type SettingsAction,
} from '~/lib/settings-form.server';

export const meta: MetaFunction = () => [{ title: 'Settings · Deal Brain' }];

/** Dates as the page shows them; formatted on the server only, so the browser renders the same text. */
const DATE_TIME = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
const DATE = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });

function dateTime(iso: string): string {
  return `${DATE_TIME.format(new Date(iso))} UTC`;
}

function keyStatus(key: { revokedAt?: string | null; expiresAt?: string | null }, now: number): KeyStatus {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && Date.parse(key.expiresAt) <= now) return 'expired';
  return 'active';
}

/** `?notice=` → the section it belongs to and what it says. */
const NOTICES: Record<string, { section: 'profile' | 'preferences' | 'sessions' | 'api-keys'; text: string }> = {
  'profile-saved': { section: 'profile', text: 'Your name is saved.' },
  'avatar-updated': { section: 'profile', text: 'Your profile picture is updated.' },
  'avatar-removed': { section: 'profile', text: 'Your profile picture is removed.' },
  'preferences-saved': { section: 'preferences', text: 'Your preferences are saved.' },
  'session-revoked': {
    section: 'sessions',
    text: 'Session revoked: that browser is signed out on its next page load.',
  },
  'api-key-revoked': { section: 'api-keys', text: 'Key revoked: requests with it are refused from now on.' },
};

/** The events whose reason Security activity shows: an administrator's, about the viewer's account. */
const ADMIN_ACTIONS: ReadonlySet<string> = new Set(['user.role_changed', 'user.deactivated', 'user.reactivated']);

/** Security activity's page links: `?activity=<cursor>` pages it; the rest of the page ignores it. */
function activityHref(cursor: string | null): string {
  return cursor ? `/settings?activity=${encodeURIComponent(cursor)}#security-activity` : '/settings#security-activity';
}

export const loader = (args: LoaderFunctionArgs) =>
  guarded(args.request, async () => {
    const session = await requireUser(args);
    const api = createApi(session, args.request);
    const activityCursor = new URL(args.request.url).searchParams.get('activity') || null;
    const [data, sessions, activity] = await Promise.all([
      api.query(SettingsQuery, { keys: SETTINGS_PAGE, choices: SETTINGS_PAGE }),
      // The identity provider down (a 502/503 from the API) leaves the rest of the page usable.
      api.query(SessionsQuery, {}).then(
        (result) => result.viewer.sessions ?? [],
        (error: unknown) => {
          if (error instanceof Response && (error.status === 502 || error.status === 503)) return null;
          throw error;
        },
      ),
      // A cursor the API does not take (edited, from an older server) is a 404 for the query: back to the
      // newest events rather than a page not found. The API unavailable leaves the rest of the page usable.
      api.query(SecurityActivityQuery, { first: SECURITY_ACTIVITY_PAGE, after: activityCursor }).then(
        (result) => result.viewer.auditEvents,
        (error: unknown) => {
          if (error instanceof Response && error.status === 404 && activityCursor) {
            throw redirect(activityHref(null), { headers: session.headers });
          }
          if (error instanceof Response && (error.status === 502 || error.status === 503)) return null;
          throw error;
        },
      ),
    ]);
    const { viewer } = data;
    const now = Date.now();
    const notice = NOTICES[new URL(args.request.url).searchParams.get('notice') ?? ''] ?? null;
    return json(
      {
        mode: authMode(),
        notice,
        profile: {
          email: viewer.email ?? null,
          firstName: viewer.firstName ?? null,
          lastName: viewer.lastName ?? null,
          avatarUrl: avatarSrc(viewer.avatarUrl ?? null),
          roleLabel: viewer.role === 'ADMIN' ? 'Administrator' : 'User',
          memberSince: DATE.format(new Date(viewer.createdAt)),
        },
        preferences: {
          ...viewer.preferences.notifications,
          currency: viewer.preferences.app.currency,
          theme: viewer.preferences.app.theme,
          defaultScoringProfileId: viewer.preferences.app.defaultScoringProfile?.id ?? null,
          defaultValuationRulesetId: viewer.preferences.app.defaultValuationRuleset?.id ?? null,
        },
        currencies: CURRENCIES.map((currency) => ({ value: currency, label: currencyLabel(currency) })),
        themes: [...THEMES],
        scoringProfiles: data.scoringProfiles.edges.map(({ node }) => ({ value: node.id, label: node.name })),
        valuationRulesets: data.valuationRulesets.edges.map(({ node }) => ({ value: node.id, label: node.name })),
        sessions:
          sessions?.map((item) => ({
            id: item.id,
            browser: item.browser ?? 'Unknown browser',
            device: item.device ?? 'Unknown device',
            createdAt: dateTime(item.createdAt),
            lastActiveAt: dateTime(item.lastActiveAt),
            current: item.current,
          })) ?? null,
        apiKeys: viewer.apiKeys.edges.map(({ node }): ApiKeyRow => ({
          id: node.id,
          name: node.name,
          prefix: node.prefix,
          scopes: node.scopes,
          createdAt: DATE.format(new Date(node.createdAt)),
          lastUsedAt: node.lastUsedAt ? dateTime(node.lastUsedAt) : null,
          expiresAt: node.expiresAt ? dateTime(node.expiresAt) : null,
          status: keyStatus(node, now),
        })),
        securityActivity: activity
          ? {
              events: activity.edges.map(({ node }): ActivityRow => ({
                id: node.id,
                type: node.type,
                label: auditEventLabel(node.type),
                createdAt: dateTime(node.createdAt),
                createdAtIso: new Date(node.createdAt).toISOString(),
                ip: node.ip ?? null,
                browser: shortUserAgent(node.userAgent),
                userAgent: node.userAgent ?? null,
                count: node.count,
                reason: ADMIN_ACTIONS.has(node.type) ? (node.reason ?? null) : null,
              })),
              olderTo:
                activity.pageInfo.hasNextPage && activity.pageInfo.endCursor
                  ? activityHref(activity.pageInfo.endCursor)
                  : null,
              newestTo: activityCursor ? activityHref(null) : null,
            }
          : null,
        expiry: expiryBounds(new Date(now), API_KEY_LIMITS.maxLifetimeDays),
        // The tenant's limit, which createApiKey enforces (an admin may change it).
        maxLiveApiKeys: data.tenantSettings.maxApiKeysPerUser,
        scopes: API_KEY_SCOPES,
        avatar: { accept: AVATAR_ACCEPT, maxKiB: AVATAR_MAX_BYTES / 1024 },
      },
      { headers: session.headers },
    );
  });

/** What the action answers when it does not redirect. */
type ActionData =
  | { kind: 'error'; intent: string; values: FormValues; errors: FormErrors }
  | { kind: 'confirm'; intent: 'confirm-revoke-session' | 'confirm-revoke-api-key'; id: string }
  | {
      kind: 'created';
      apiKey: { name: string; prefix: string; scopes: string[]; expiresAt: string | null };
      secret: string;
    };

/** The API's issue paths end in the input field's name; the avatar's (`data`, `contentType`) belong to its file field. */
function apiErrors(intent: string, result: Extract<MutationResult<unknown>, { ok: false }>): FormErrors {
  const errors: FormErrors = {};
  for (const [field, message] of Object.entries(result.fieldErrors)) {
    const key = intent === 'upload-avatar' ? 'avatar' : field;
    errors[key] ??= message;
  }
  if (result.formError) errors.form = result.formError;
  if (Object.keys(errors).length === 0) errors.form = 'That did not work. Check the form and try again.';
  return errors;
}

/**
 * A mutation whose failure is shown in its form: input errors and an unavailable identity provider as the
 * API words them (client.server.ts), and an API that cannot answer at all as a short message instead of
 * an error page. Redirects (the session ended) and the disabled/forbidden pages still go through.
 */
async function shownInForm<T>(run: () => Promise<MutationResult<T>>): Promise<MutationResult<T>> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof Response && (error.status === 502 || error.status === 503)) {
      return {
        ok: false,
        fieldErrors: {},
        pathErrors: {},
        formError: 'The change could not be saved right now. Please try again in a moment.',
      };
    }
    throw error;
  }
}

/** A 404 from the API (the session or key is gone already) counts as done for a revoke. */
async function alreadyGoneIsDone<T>(run: () => Promise<MutationResult<T>>): Promise<MutationResult<T | null>> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof Response && error.status === 404) return { ok: true, data: null };
    throw error;
  }
}

export const action = (args: ActionFunctionArgs) =>
  guarded(args.request, async () => {
    const session = await requireUser(args);
    const headers = session.headers;
    const answer = (data: ActionData, status = 200) => json<ActionData>(data, { status, headers });

    const read = await readSettingsForm(args.request);
    if (!read.ok) {
      return answer(
        {
          kind: 'error',
          intent: 'upload-avatar',
          values: {},
          errors:
            read.error === 'too-large'
              ? { avatar: AVATAR_TOO_LARGE }
              : { form: 'The form could not be read. Reload the page and try again.' },
        },
        read.error === 'too-large' ? 413 : 400,
      );
    }
    const parsed = await parseSettingsAction(read.form);
    if (!parsed.ok) {
      return answer({ kind: 'error', intent: parsed.intent, values: parsed.values, errors: parsed.errors }, 400);
    }
    const api = createApi(session, args.request);
    const back = (notice: string, section: string) => redirect(`/settings?notice=${notice}#${section}`, { headers });
    const failed = (action: SettingsAction, result: Extract<MutationResult<unknown>, { ok: false }>) =>
      answer(
        {
          kind: 'error',
          intent: action.intent,
          values: 'values' in action ? action.values : {},
          errors: apiErrors(action.intent, result),
        },
        400,
      );

    const action = parsed.action;
    switch (action.intent) {
      case 'update-profile': {
        const result = await shownInForm(() => api.mutate(UpdateProfileMutation, { input: action.input }));
        return result.ok ? back('profile-saved', 'profile') : failed(action, result);
      }
      case 'upload-avatar': {
        const result = await shownInForm(() => api.mutate(UpdateProfileImageMutation, { input: action.input }));
        return result.ok ? back('avatar-updated', 'profile') : failed(action, result);
      }
      case 'remove-avatar': {
        const result = await shownInForm(() => api.mutate(RemoveProfileImageMutation, {}));
        return result.ok ? back('avatar-removed', 'profile') : failed(action, result);
      }
      case 'update-preferences': {
        const result = await api.mutate(UpdatePreferencesMutation, { input: action.input });
        return result.ok ? back('preferences-saved', 'preferences') : failed(action, result);
      }
      case 'confirm-revoke-session':
        return answer({ kind: 'confirm', intent: action.intent, id: action.sessionId });
      case 'revoke-session': {
        const result = await alreadyGoneIsDone(() =>
          shownInForm(() => api.mutate(RevokeSessionMutation, { input: { sessionId: action.sessionId } })),
        );
        return result.ok ? back('session-revoked', 'sessions') : failed(action, result);
      }
      case 'create-api-key': {
        const result = await api.mutate(CreateApiKeyMutation, { input: action.input });
        if (!result.ok) return failed(action, result);
        const { apiKey, secret } = result.data.createApiKey;
        // The secret goes to this one response (no-store), never into a URL, a cookie or a log.
        return answer({
          kind: 'created',
          apiKey: {
            name: apiKey.name,
            prefix: apiKey.prefix,
            scopes: apiKey.scopes,
            expiresAt: apiKey.expiresAt ? dateTime(apiKey.expiresAt) : null,
          },
          secret,
        });
      }
      case 'confirm-revoke-api-key':
        return answer({ kind: 'confirm', intent: action.intent, id: action.id });
      case 'revoke-api-key': {
        const result = await alreadyGoneIsDone(() => api.mutate(RevokeApiKeyMutation, { input: { id: action.id } }));
        return result.ok ? back('api-key-revoked', 'api-keys') : failed(action, result);
      }
    }
  });

export default function Settings() {
  const data = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  // The action's answer only once the navigation is over: React Router hands it out while the page's
  // loaders still revalidate, before the location (and so the forms' key below) changes; shown then, a
  // form would be remounted right after its errors appear, dropping what was typed or chosen meanwhile.
  const settledActionData = useActionData<typeof action>();
  const actionData = navigation.state === 'idle' ? settledActionData : undefined;
  const location = useLocation();
  const busy = navigation.state === 'submitting';

  const failure = actionData?.kind === 'error' ? actionData : null;
  const errorsOf = (...intents: string[]): FormErrors =>
    failure && intents.includes(failure.intent) ? failure.errors : {};
  const valuesOf = (intent: string): FormValues | null =>
    failure && failure.intent === intent ? failure.values : null;
  const confirmOf = (intent: string): string | null =>
    actionData?.kind === 'confirm' && actionData.intent === intent ? actionData.id : null;
  const noticeFor = (section: string) => (data.notice?.section === section ? data.notice.text : null);
  const revokeError = (intent: string) => {
    const errors = errorsOf(intent, `confirm-${intent}`);
    return errors.form ?? Object.values(errors)[0];
  };

  return (
    // Forms remount after each navigation (the key), so a field shows the saved value, not the typed one.
    <div key={location.key} className="mx-auto max-w-4xl">
      <h1 className="text-2xl font-bold">Settings</h1>

      <ProfileSection
        profile={data.profile}
        localMode={data.mode === 'local'}
        notice={noticeFor('profile')}
        errors={errorsOf('update-profile')}
        values={valuesOf('update-profile')}
        avatarErrors={errorsOf('upload-avatar', 'remove-avatar')}
        avatarAccept={data.avatar.accept}
        avatarMaxKiB={data.avatar.maxKiB}
        busy={busy}
      />

      <PreferencesSection
        preferences={data.preferences}
        currencies={data.currencies}
        themes={data.themes}
        scoringProfiles={data.scoringProfiles}
        valuationRulesets={data.valuationRulesets}
        notice={noticeFor('preferences')}
        errors={errorsOf('update-preferences')}
        values={valuesOf('update-preferences')}
        busy={busy}
      />

      <SessionsSection
        sessions={data.sessions}
        confirmId={confirmOf('confirm-revoke-session')}
        notice={noticeFor('sessions')}
        error={revokeError('revoke-session')}
        busy={busy}
      />

      <ApiKeysSection
        keys={data.apiKeys}
        created={actionData?.kind === 'created' ? { ...actionData.apiKey, secret: actionData.secret } : null}
        confirmId={confirmOf('confirm-revoke-api-key')}
        scopes={data.scopes}
        expiry={data.expiry}
        maxLive={data.maxLiveApiKeys}
        nameLength={API_KEY_LIMITS.nameLength}
        notice={noticeFor('api-keys')}
        errors={errorsOf('create-api-key')}
        values={valuesOf('create-api-key')}
        rowError={revokeError('revoke-api-key')}
        busy={busy}
      />

      <SecurityActivitySection {...(data.securityActivity ?? { events: null, olderTo: null, newestTo: null })} />

      {data.mode === 'clerk' ? (
        <section aria-labelledby="account" className="mt-6">
          <h2 id="account" className="text-lg font-semibold">
            Email, password and connected accounts
          </h2>
          <p className="mt-1 text-sm text-slate-600">Managed by Clerk.</p>
          <div className="mt-4">
            <UserProfile routing="hash" />
          </div>
        </section>
      ) : null}
    </div>
  );
}
