import { VALUATION_LIMITS } from '@deal-brain/shared/field-limits';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { requireUser } from '~/auth/auth.server';
import { DataTable, type Column } from '~/components/data-table';
import { FormErrors, TextField, buttonClass } from '~/components/fields';
import { Pagination } from '~/components/pagination';
import { createApi } from '~/graphql/client.server';
import {
  ActivateValuationRulesetMutation,
  CreateValuationRulesetMutation,
  DeleteValuationRulesetMutation,
  ValuationRulesetsQuery,
} from '~/graphql/valuation.server';
import { guarded } from '~/lib/guard.server';
import { mutateOrNotFoundFor } from '~/lib/mutate.server';
import { notFound } from '~/lib/not-found.server';
import { rulesetErrorsFromApi } from '~/lib/valuation-form.server';
import { formText } from '~/lib/form-text';

export const meta: MetaFunction = () => [{ title: 'Valuation rulesets · Deal Brain' }];

const PAGE_SIZE = 50;
/** How many rule sentences a row of the list shows. */
const SHOWN_RULES = 3;

export const loader = (args: LoaderFunctionArgs) =>
  guarded(args.request, async () => {
    const session = await requireUser(args);
    const after = new URL(args.request.url).searchParams.get('after');
    const { valuationRulesets } = await createApi(session, args.request).query(ValuationRulesetsQuery, {
      first: PAGE_SIZE,
      after,
    });
    return json(
      {
        totalCount: valuationRulesets.totalCount,
        paged: Boolean(after),
        nextCursor: valuationRulesets.pageInfo.hasNextPage ? valuationRulesets.pageInfo.endCursor : null,
        rulesets: valuationRulesets.edges.map(({ node }) => ({
          id: node.id,
          name: node.name,
          isActive: node.isActive,
          ruleCount: node.rules.length,
          shownRules: node.rules
            .slice(0, SHOWN_RULES)
            .map((rule) => (rule.label ? `${rule.label} — ${rule.description}` : rule.description)),
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
      const name = formText(form, 'name');
      const active = form.get('active') !== null;
      const result = await api.mutate(CreateValuationRulesetMutation, {
        input: { name, rules: [], active: active || null },
      });
      if (!result.ok) {
        const errors = rulesetErrorsFromApi(result.pathErrors, result.formError);
        return json({ values: { name, active }, errors }, { status: 400, headers: session.headers });
      }
      const created = result.data.createValuationRuleset.valuationRuleset.id;
      return redirect(`/app/valuation/${encodeURIComponent(created)}?notice=created`, { headers: session.headers });
    }
    if (intent === 'activate') {
      return mutateOrNotFound(ActivateValuationRulesetMutation, { input: { id } }, '/app/valuation?notice=activated');
    }
    if (intent === 'delete') {
      return mutateOrNotFound(DeleteValuationRulesetMutation, { input: { id } }, '/app/valuation?notice=deleted');
    }
    throw notFound(args.request, session.headers);
  });

const NOTICES: Record<string, string> = {
  activated: 'Active ruleset changed. Listings are now valued with it.',
  saved: 'Ruleset saved.',
  deleted: 'Ruleset deleted.',
};

const COLUMNS: Column[] = [
  { label: 'Name' },
  { label: 'Rules' },
  { label: 'Active' },
  { label: 'Actions', visuallyHidden: true },
];

export default function ValuationRulesets() {
  const { rulesets, totalCount, paged, nextCursor } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const notice = NOTICES[params.get('notice') ?? ''];
  const creating = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'create';
  const errors: Record<string, string> = actionData?.errors ?? {};
  const formError = errors.form ?? errors.rules;

  return (
    <div>
      <h1 className="text-2xl font-bold">Valuation rulesets</h1>
      <p className="mt-1 max-w-2xl text-sm text-slate-600">
        A ruleset adjusts each listing&apos;s asking price into what it is worth to you; the listings table shows the
        value under your active ruleset.
      </p>

      {notice ? (
        <p role="status" className="mt-4 rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-800">
          {notice}
        </p>
      ) : null}

      {rulesets.length === 0 && !paged ? (
        <div
          className="mt-6 rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center"
          data-testid="empty-state"
        >
          <h2 className="text-lg font-semibold">No valuation rulesets yet</h2>
          <p className="mt-2 text-sm text-slate-600">Create one below; your first ruleset becomes the active one.</p>
        </div>
      ) : (
        <>
          <p className="mt-4 text-sm text-slate-600" data-testid="ruleset-count">
            {totalCount === 1 ? '1 ruleset' : `${totalCount} rulesets`}
          </p>
          <DataTable caption="Your valuation rulesets, the active one first" columns={COLUMNS} bodyTestId="rulesets">
            {rulesets.map((ruleset) => (
              <tr key={ruleset.id} data-testid="ruleset-row">
                <th scope="row" className="px-4 py-3 text-left align-top font-medium">
                  <Link to={`/app/valuation/${encodeURIComponent(ruleset.id)}`} className="text-indigo-700 underline">
                    {ruleset.name}
                  </Link>
                </th>
                <td className="px-4 py-3 align-top text-slate-700">
                  {ruleset.ruleCount === 0 ? (
                    <span className="text-slate-500">No rules yet</span>
                  ) : (
                    <ul className="space-y-0.5">
                      {ruleset.shownRules.map((rule, index) => (
                        <li key={index}>{rule}</li>
                      ))}
                      {ruleset.ruleCount > ruleset.shownRules.length ? (
                        <li className="text-slate-500">and {ruleset.ruleCount - ruleset.shownRules.length} more</li>
                      ) : null}
                    </ul>
                  )}
                </td>
                <td className="px-4 py-3 align-top">
                  {ruleset.isActive ? (
                    <span
                      className="rounded-full bg-green-100 px-2 py-0.5 text-xs font-semibold text-green-800"
                      data-testid="active-badge"
                    >
                      Active
                    </span>
                  ) : null}
                </td>
                <td className="whitespace-nowrap px-4 py-3 text-right align-top">
                  <div className="flex justify-end gap-3">
                    {ruleset.isActive ? null : (
                      <Form method="post">
                        <input type="hidden" name="id" value={ruleset.id} />
                        <button
                          type="submit"
                          name="intent"
                          value="activate"
                          className="font-medium text-indigo-700 underline"
                        >
                          Activate<span className="sr-only"> {ruleset.name}</span>
                        </button>
                      </Form>
                    )}
                    <Form method="post">
                      <input type="hidden" name="id" value={ruleset.id} />
                      <button type="submit" name="intent" value="delete" className="font-medium text-red-700 underline">
                        Delete<span className="sr-only"> {ruleset.name}</span>
                      </button>
                    </Form>
                  </div>
                </td>
              </tr>
            ))}
          </DataTable>
          <Pagination
            previous={paged ? { to: '/app/valuation', label: '← First page' } : null}
            next={nextCursor ? { to: `/app/valuation?after=${encodeURIComponent(nextCursor)}`, label: 'More →' } : null}
          />
        </>
      )}

      <section aria-labelledby="create-ruleset" className="mt-10 max-w-2xl">
        {/* Keyed by the count: after a ruleset is added or deleted the form starts afresh; a failed post
            keeps what was typed. */}
        <h2 id="create-ruleset" className="text-lg font-semibold">
          New ruleset
        </h2>
        <Form
          key={totalCount}
          method="post"
          noValidate
          className="mt-3 space-y-5 rounded-lg border border-slate-200 bg-white p-4 sm:p-6"
          data-testid="create-ruleset-form"
        >
          <FormErrors message={formError} />
          <TextField
            name="name"
            label="Name"
            required
            maxLength={VALUATION_LIMITS.nameLength}
            defaultValue={actionData?.values.name ?? ''}
            error={errors.name}
          />
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              name="active"
              value="on"
              defaultChecked={actionData?.values.active ?? false}
              className="h-4 w-4"
            />
            Make it my active ruleset
          </label>
          <p className="text-sm text-slate-600">You add its rules on the next page.</p>
          <button type="submit" name="intent" value="create" className={buttonClass} disabled={creating}>
            {creating ? 'Creating…' : 'Create ruleset'}
          </button>
        </Form>
      </section>
    </div>
  );
}
