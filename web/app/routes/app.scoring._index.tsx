import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { requireUser } from '~/auth/auth.server';
import { DataTable, type Column } from '~/components/data-table';
import { FormErrors, buttonClass } from '~/components/fields';
import { Pagination } from '~/components/pagination';
import { ScoringProfileFields } from '~/components/scoring-fields';
import { createApi } from '~/graphql/client.server';
import {
  CreateScoringProfileMutation,
  DeleteScoringProfileMutation,
  ScoringProfilesQuery,
  SetDefaultScoringProfileMutation,
} from '~/graphql/scoring.server';
import { guarded } from '~/lib/guard.server';
import { mutateOrNotFoundFor } from '~/lib/mutate.server';
import { notFound } from '~/lib/not-found.server';
import { DEFAULT_WEIGHTS, scoringFormValues, weightsSummary } from '~/lib/scoring';
import { parseScoringForm, scoringErrorsFromApi } from '~/lib/scoring-form.server';
import { formText } from '~/lib/form-text';

export const meta: MetaFunction = () => [{ title: 'Scoring profiles · Deal Brain' }];

const PAGE_SIZE = 50;

export const loader = (args: LoaderFunctionArgs) =>
  guarded(args.request, async () => {
    const session = await requireUser(args);
    const after = new URL(args.request.url).searchParams.get('after');
    const { scoringProfiles } = await createApi(session, args.request).query(ScoringProfilesQuery, {
      first: PAGE_SIZE,
      after,
    });
    return json(
      {
        totalCount: scoringProfiles.totalCount,
        paged: Boolean(after),
        nextCursor: scoringProfiles.pageInfo.hasNextPage ? scoringProfiles.pageInfo.endCursor : null,
        profiles: scoringProfiles.edges.map(({ node }) => ({
          id: node.id,
          name: node.name,
          isDefault: node.isDefault,
          summary: weightsSummary(node.weights),
        })),
      },
      { headers: session.headers },
    );
  });

export const action = (args: ActionFunctionArgs) =>
  guarded(args.request, async () => {
    const session = await requireUser(args);
    const api = createApi(session, args.request);
    const mutateOrNotFound = mutateOrNotFoundFor(api, args.request, session.headers);
    const form = await args.request.formData();
    const intent = form.get('intent');
    const id = formText(form, 'id');

    if (intent === 'create') {
      const { values, input, errors } = parseScoringForm(form);
      if (!input) return json({ values, errors }, { status: 400, headers: session.headers });
      const result = await api.mutate(CreateScoringProfileMutation, {
        input: { name: input.name, weights: input.weights, isDefault: input.isDefault || null },
      });
      if (!result.ok) {
        const apiErrors = scoringErrorsFromApi(result.pathErrors, result.formError);
        return json({ values, errors: apiErrors }, { status: 400, headers: session.headers });
      }
      return redirect('/app/scoring?notice=created', { headers: session.headers });
    }
    if (intent === 'default') {
      return mutateOrNotFound(SetDefaultScoringProfileMutation, { input: { id } }, '/app/scoring?notice=default');
    }
    if (intent === 'delete') {
      return mutateOrNotFound(DeleteScoringProfileMutation, { input: { id } }, '/app/scoring?notice=deleted');
    }
    throw notFound(args.request, session.headers);
  });

const NOTICES: Record<string, string> = {
  created: 'Scoring profile created.',
  saved: 'Scoring profile saved.',
  default: 'Default scoring profile changed. Listings are now scored under it.',
  deleted: 'Scoring profile deleted.',
};

const COLUMNS: Column[] = [
  { label: 'Name' },
  { label: 'Weights' },
  { label: 'Default' },
  { label: 'Actions', visuallyHidden: true },
];

export default function ScoringProfiles() {
  const { profiles, totalCount, paged, nextCursor } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const notice = NOTICES[params.get('notice') ?? ''];
  const creating = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'create';
  const errors: Record<string, string> = actionData?.errors ?? {};
  const hasErrors = Object.keys(errors).length > 0;

  return (
    <div>
      <h1 className="text-2xl font-bold">Scoring profiles</h1>
      <p className="mt-1 max-w-2xl text-sm text-slate-600">
        A profile weighs what matters to you; each listing gets a score from 0 to 100 under your default profile.
      </p>

      {notice ? (
        <p role="status" className="mt-4 rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-800">
          {notice}
        </p>
      ) : null}

      {profiles.length === 0 && !paged ? (
        <div
          className="mt-6 rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center"
          data-testid="empty-state"
        >
          <h2 className="text-lg font-semibold">No scoring profiles yet</h2>
          <p className="mt-2 text-sm text-slate-600">Create one below; your first profile becomes your default.</p>
        </div>
      ) : (
        <>
          <p className="mt-4 text-sm text-slate-600" data-testid="profile-count">
            {totalCount === 1 ? '1 profile' : `${totalCount} profiles`}
          </p>
          <DataTable caption="Your scoring profiles, the default first" columns={COLUMNS} bodyTestId="profiles">
            {profiles.map((profile) => (
              <tr key={profile.id} data-testid="profile-row">
                <th scope="row" className="px-4 py-3 text-left font-medium">
                  <Link to={`/app/scoring/${encodeURIComponent(profile.id)}`} className="text-indigo-700 underline">
                    {profile.name}
                  </Link>
                </th>
                <td className="px-4 py-3 text-slate-700">{profile.summary}</td>
                <td className="px-4 py-3">
                  {profile.isDefault ? (
                    <span
                      className="rounded-full bg-indigo-100 px-2 py-0.5 text-xs font-semibold text-indigo-800"
                      data-testid="default-badge"
                    >
                      Default
                    </span>
                  ) : null}
                </td>
                <td className="whitespace-nowrap px-4 py-3 text-right">
                  <div className="flex justify-end gap-3">
                    {profile.isDefault ? null : (
                      <Form method="post">
                        <input type="hidden" name="id" value={profile.id} />
                        <button
                          type="submit"
                          name="intent"
                          value="default"
                          className="font-medium text-indigo-700 underline"
                        >
                          Make default<span className="sr-only"> {profile.name}</span>
                        </button>
                      </Form>
                    )}
                    <Form method="post">
                      <input type="hidden" name="id" value={profile.id} />
                      <button type="submit" name="intent" value="delete" className="font-medium text-red-700 underline">
                        Delete<span className="sr-only"> {profile.name}</span>
                      </button>
                    </Form>
                  </div>
                </td>
              </tr>
            ))}
          </DataTable>
          <Pagination
            previous={paged ? { to: '/app/scoring', label: '← First page' } : null}
            next={nextCursor ? { to: `/app/scoring?after=${encodeURIComponent(nextCursor)}`, label: 'More →' } : null}
          />
        </>
      )}

      <section aria-labelledby="create-profile" className="mt-10 max-w-2xl">
        {/* Keyed by the count: after a profile is added or deleted the form starts afresh; a failed post
            keeps what was typed. */}
        <h2 id="create-profile" className="text-lg font-semibold">
          New scoring profile
        </h2>
        <Form
          key={totalCount}
          method="post"
          noValidate
          className="mt-3 space-y-5 rounded-lg border border-slate-200 bg-white p-4 sm:p-6"
          data-testid="create-profile-form"
        >
          <FormErrors message={errors.form ?? (hasErrors ? 'Please correct the fields marked below.' : null)} />
          <ScoringProfileFields values={actionData?.values ?? scoringFormValues('', DEFAULT_WEIGHTS)} errors={errors} />
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              name="isDefault"
              value="on"
              defaultChecked={actionData?.values.isDefault ?? false}
              className="h-4 w-4"
            />
            Make it my default profile
          </label>
          <button type="submit" name="intent" value="create" className={buttonClass} disabled={creating}>
            {creating ? 'Creating…' : 'Create profile'}
          </button>
        </Form>
      </section>
    </div>
  );
}
