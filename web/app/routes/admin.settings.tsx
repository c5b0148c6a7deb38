import { TENANT_SETTINGS_LIMITS } from '@deal-brain/shared/field-limits';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useLocation, useNavigation } from '@remix-run/react';
import { requireUser } from '~/auth/auth.server';
import { Notice } from '~/components/collection-ui';
import { Field, FormErrors, TextField, buttonClass } from '~/components/fields';
import { TenantSettingsQuery, UpdateTenantSettingsMutation } from '~/graphql/admin.server';
import { createApi } from '~/graphql/client.server';
import { adminDateTime } from '~/lib/admin-format.server';
import {
  parseTenantSettingsForm,
  postedOriginals,
  settingsFormOriginals,
  type SettingsFormErrors,
  type SettingsFormValues,
} from '~/lib/admin-settings.server';
import { guarded } from '~/lib/guard.server';

export const meta: MetaFunction = () => [{ title: 'Settings · Admin · Deal Brain' }];

const NOTICES: Record<string, string> = {
  saved: 'The settings are saved. They apply from everyone’s next request.',
  unchanged: 'Nothing changed: the settings are as they were.',
};

/** The layout (routes/admin.tsx) shows non-admins the 403 page; the API refuses them the change. */
export const loader = (args: LoaderFunctionArgs) =>
  guarded(args.request, async () => {
    const session = await requireUser(args);
    const { tenantSettings } = await createApi(session, args.request).query(TenantSettingsQuery, {});
    const notice = new URL(args.request.url).searchParams.get('notice');
    const settings: SettingsFormValues = {
      signupsEnabled: tenantSettings.signupsEnabled,
      collectionSharingEnabled: tenantSettings.collectionSharingEnabled,
      maintenanceBanner: tenantSettings.maintenanceBanner ?? '',
      maxApiKeysPerUser: String(tenantSettings.maxApiKeysPerUser),
      reason: '',
    };
    return json(
      {
        settings,
        originals: settingsFormOriginals(settings),
        updatedAt: adminDateTime(tenantSettings.updatedAt ?? null),
        notice: NOTICES[notice ?? ''] ?? null,
      },
      { headers: session.headers },
    );
  });

type Original = { name: string; value: string };
type ActionData = { values: SettingsFormValues; originals: Original[]; errors: SettingsFormErrors };

export const action = (args: ActionFunctionArgs) =>
  guarded(args.request, async () => {
    const session = await requireUser(args);
    const answer = (data: ActionData) => json<ActionData>(data, { status: 400, headers: session.headers });
    const form = await args.request.formData();
    const parsed = parseTenantSettingsForm(form);
    const originals = postedOriginals(form);
    if (!parsed.ok) return answer({ values: parsed.values, originals, errors: parsed.errors });
    if (!parsed.input) return redirect('/admin/settings?notice=unchanged', { headers: session.headers });
    const result = await createApi(session, args.request).mutate(UpdateTenantSettingsMutation, { input: parsed.input });
    if (result.ok) return redirect('/admin/settings?notice=saved', { headers: session.headers });
    const errors: SettingsFormErrors = {};
    for (const [field, message] of Object.entries(result.fieldErrors)) {
      if (field in parsed.values) errors[field as keyof SettingsFormValues] = message;
      else errors.form ??= message;
    }
    if (result.formError) errors.form = result.formError;
    if (Object.keys(errors).length === 0) errors.form = 'That did not work. Check the form and try again.';
    return answer({ values: parsed.values, originals, errors });
  });

function Toggle({
  name,
  label,
  description,
  defaultChecked,
}: {
  name: string;
  label: string;
  description: string;
  defaultChecked: boolean;
}) {
  return (
    <div className="flex items-start gap-3">
      <input
        id={`field-${name}`}
        type="checkbox"
        name={name}
        defaultChecked={defaultChecked}
        aria-describedby={`field-${name}-hint`}
        className="mt-1 h-4 w-4 rounded border-slate-300"
      />
      <div>
        <label htmlFor={`field-${name}`} className="text-sm font-medium text-slate-800">
          {label}
        </label>
        <p id={`field-${name}-hint`} className="text-xs text-slate-500">
          {description}
        </p>
      </div>
    </div>
  );
}

export default function AdminSettings() {
  const data = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const settled = useActionData<typeof action>();
  const actionData = navigation.state === 'idle' ? settled : undefined;
  const location = useLocation();
  const values = actionData?.values ?? data.settings;
  // After a failed post the form keeps what was typed, and still compares with what was loaded.
  const originals = actionData?.originals ?? data.originals;
  const errors = actionData?.errors ?? {};

  return (
    <div className="max-w-3xl">
      <h1 className="text-2xl font-bold">Tenant settings</h1>
      <p className="mt-1 text-sm text-slate-600">
        {data.updatedAt ? `Last changed ${data.updatedAt}.` : 'Never changed: every setting has its default.'}
      </p>
      {data.notice && !actionData ? <Notice>{data.notice}</Notice> : null}
      {/* Remounted after each navigation (the key), so the fields show what was saved. */}
      <Form
        key={location.key}
        method="post"
        action="/admin/settings"
        className="mt-6 space-y-6 rounded-lg border border-slate-200 bg-white p-4 sm:p-6"
        aria-label="Tenant settings"
      >
        <FormErrors message={errors.form} />
        {originals.map((field) => (
          <input key={field.name} type="hidden" name={field.name} value={field.value} />
        ))}
        <Toggle
          name="signupsEnabled"
          label="Sign-ups enabled"
          description="Off: new people cannot create an account. Existing users are not affected."
          defaultChecked={values.signupsEnabled}
        />
        <Toggle
          name="collectionSharingEnabled"
          label="Collection sharing enabled"
          description="Off: nobody can share a collection. Existing shares keep working."
          defaultChecked={values.collectionSharingEnabled}
        />
        <Field
          name="maintenanceBanner"
          label="Maintenance banner"
          error={errors.maintenanceBanner}
          hint="Shown at the top of every page while set. Leave it empty to remove it."
        >
          {(props) => (
            <textarea
              name="maintenanceBanner"
              rows={3}
              defaultValue={values.maintenanceBanner}
              maxLength={TENANT_SETTINGS_LIMITS.maintenanceBannerLength}
              className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm aria-[invalid=true]:border-red-600 aria-[invalid=true]:ring-1 aria-[invalid=true]:ring-red-600"
              {...props}
            />
          )}
        </Field>
        <TextField
          name="maxApiKeysPerUser"
          label="Maximum API keys per user"
          inputMode="numeric"
          defaultValue={values.maxApiKeysPerUser}
          error={errors.maxApiKeysPerUser}
          hint={`From ${TENANT_SETTINGS_LIMITS.minApiKeysPerUser} to ${TENANT_SETTINGS_LIMITS.maxApiKeysPerUser}. Keys already created are kept.`}
        />
        <TextField
          name="reason"
          label="Reason (optional)"
          defaultValue={values.reason}
          error={errors.reason}
          hint="Kept in the audit log with the change."
        />
        <button type="submit" className={buttonClass} disabled={navigation.state === 'submitting'}>
          Save settings
        </button>
      </Form>
    </div>
  );
}
