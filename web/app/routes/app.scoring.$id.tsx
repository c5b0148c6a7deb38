import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { requireUser } from '~/auth/auth.server';
import { FormErrors, buttonClass, secondaryButtonClass } from '~/components/fields';
import { ScoringProfileFields } from '~/components/scoring-fields';
import { createApi, type Api } from '~/graphql/client.server';
import {
  DeleteScoringProfileMutation,
  ScoringProfileQuery,
  SetDefaultScoringProfileMutation,
  UpdateScoringProfileMutation,
} from '~/graphql/scoring.server';
import { guarded } from '~/lib/guard.server';
import { mutateOrNotFoundFor } from '~/lib/mutate.server';
import { notFound } from '~/lib/not-found.server';
import { scoringFormValues } from '~/lib/scoring';
import { parseScoringForm, scoringErrorsFromApi } from '~/lib/scoring-form.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.profile.name} · Scoring · Deal Brain` : 'Scoring profile · Deal Brain' },
];

/** The viewer's own profile with this id, or null (missing, someone else's, not a profile id). */
async function ownProfile(api: Api, id: string) {
  const { node, scoringProfiles } = await api.query(ScoringProfileQuery, { id });
  if (!node || node.__typename !== 'ScoringProfile') return null;
  // An admin's `node` answers with anyone's profile; the editor is for the viewer's own. (Their list
  // holds at most 100 here; past that, RLS and the mutations still keep others' profiles out.)
  const own = scoringProfiles.edges.some((edge) => edge.node.id === node.id);
  if (!own && scoringProfiles.totalCount <= scoringProfiles.edges.length) return null;
  return node;
}

export const loader = (args: LoaderFunctionArgs) =>
  guarded(args.request, async () => {
    const session = await requireUser(args);
    const profile = await ownProfile(createApi(session, args.request), args.params.id ?? '');
    if (!profile) throw notFound(args.request, session.headers);
    return json({ profile }, { headers: session.headers });
  });

export const action = (args: ActionFunctionArgs) =>
  guarded(args.request, async () => {
    const session = await requireUser(args);
    const api = createApi(session, args.request);
    const mutateOrNotFound = mutateOrNotFoundFor(api, args.request, session.headers);
    const id = args.params.id ?? '';
    const form = await args.request.formData();
    const intent = form.get('intent');
    const here = `/app/scoring/${encodeURIComponent(id)}`;

    if (intent === 'save') {
      const { values, input, errors } = parseScoringForm(form);
      if (!input) return json({ values, errors }, { status: 400, headers: session.headers });
      const result = await api.mutate(UpdateScoringProfileMutation, {
        input: { id, name: input.name, weights: input.weights },
      });
      if (!result.ok) {
        const apiErrors = scoringErrorsFromApi(result.pathErrors, result.formError);
        return json({ values, errors: apiErrors }, { status: 400, headers: session.headers });
      }
      return redirect('/app/scoring?notice=saved', { headers: session.headers });
    }
    if (intent === 'default') {
      return mutateOrNotFound(SetDefaultScoringProfileMutation, { input: { id } }, `${here}?notice=default`);
    }
    if (intent === 'delete') {
      return mutateOrNotFound(DeleteScoringProfileMutation, { input: { id } }, '/app/scoring?notice=deleted');
    }
    throw notFound(args.request, session.headers);
  });

const NOTICES: Record<string, string> = {
  default: 'This is now your default profile. Listings are scored under it.',
};

export default function EditScoringProfile() {
  const { profile } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const notice = NOTICES[params.get('notice') ?? ''];
  const saving = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'save';
  const errors: Record<string, string> = actionData?.errors ?? {};
  const hasErrors = Object.keys(errors).length > 0;
  const values = actionData?.values ?? scoringFormValues(profile.name, profile.weights, profile.isDefault);

  return (
    <div className="mx-auto max-w-2xl">
      <p className="text-sm">
        <Link to="/app/scoring" className="text-indigo-700 underline">
          ← Scoring profiles
        </Link>
      </p>
      <div className="mt-2 flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold">Edit scoring profile</h1>
        {profile.isDefault ? (
          <span
            className="rounded-full bg-indigo-100 px-2 py-0.5 text-xs font-semibold text-indigo-800"
            data-testid="default-badge"
          >
            Default
          </span>
        ) : null}
      </div>

      {notice ? (
        <p role="status" className="mt-4 rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-800">
          {notice}
        </p>
      ) : null}

      <Form method="post" noValidate className="mt-6 space-y-5 rounded-lg border border-slate-200 bg-white p-4 sm:p-6">
        <FormErrors message={errors.form ?? (hasErrors ? 'Please correct the fields marked below.' : null)} />
        <ScoringProfileFields values={values} errors={errors} />
        <div className="flex flex-wrap gap-3">
          <button type="submit" name="intent" value="save" className={buttonClass} disabled={saving}>
            {saving ? 'Saving…' : 'Save profile'}
          </button>
          <Link to="/app/scoring" className={secondaryButtonClass}>
            Cancel
          </Link>
        </div>
      </Form>

      <div className="mt-6 flex flex-wrap gap-3">
        {profile.isDefault ? null : (
          <Form method="post">
            <button type="submit" name="intent" value="default" className={secondaryButtonClass}>
              Make default
            </button>
          </Form>
        )}
        <Form method="post">
          <button
            type="submit"
            name="intent"
            value="delete"
            className="inline-flex items-center rounded-md border border-red-300 bg-white px-4 py-2 text-sm font-semibold text-red-700 hover:bg-red-50"
          >
            Delete profile
          </button>
        </Form>
      </div>
    </div>
  );
}
