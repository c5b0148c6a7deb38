import { VALUATION_LIMITS } from '@deal-brain/shared/field-limits';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { useState } from 'react';
import { requireUser } from '~/auth/auth.server';
import { FormErrors, SelectField, TextField, buttonClass, secondaryButtonClass } from '~/components/fields';
import { createApi, type Api } from '~/graphql/client.server';
import {
  ActivateValuationRulesetMutation,
  DeleteValuationRulesetMutation,
  UpdateValuationRulesetMutation,
  ValuationRulesetQuery,
} from '~/graphql/valuation.server';
import { guarded } from '~/lib/guard.server';
import { CONDITIONS } from '~/lib/listing-form.server';
import { mutateOrNotFoundFor } from '~/lib/mutate.server';
import { notFound } from '~/lib/not-found.server';
import {
  ADJUSTMENTS,
  ATTRIBUTES,
  amountLabel,
  operandKind,
  operatorsFor,
  rowErrors,
  valueLabel,
  type RuleRow,
} from '~/lib/valuation';
import {
  applyRowIntent,
  parseIntent,
  parseRuleRows,
  ruleToRow,
  rowsToInput,
  rulesetErrorsFromApi,
} from '~/lib/valuation-form.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.ruleset.name} · Valuation · Deal Brain` : 'Valuation ruleset · Deal Brain' },
];

/** The viewer's own ruleset with this id, or null (missing, someone else's, not a ruleset id). */
async function ownRuleset(api: Api, id: string) {
  const { node, valuationRulesets } = await api.query(ValuationRulesetQuery, { id });
  if (!node || node.__typename !== 'ValuationRuleset') return null;
  // An admin's `node` answers with anyone's ruleset; the editor is for the viewer's own. (Their list
  // holds at most 100 here; past that, RLS and the mutations still keep others' rulesets out.)
  const own = valuationRulesets.edges.some((edge) => edge.node.id === node.id);
  if (!own && valuationRulesets.totalCount <= valuationRulesets.edges.length) return null;
  return node;
}

export const loader = (args: LoaderFunctionArgs) =>
  guarded(args.request, async () => {
    const session = await requireUser(args);
    const ruleset = await ownRuleset(createApi(session, args.request), args.params.id ?? '');
    if (!ruleset) throw notFound(args.request, session.headers);
    return json(
      {
        ruleset: { id: ruleset.id, name: ruleset.name, isActive: ruleset.isActive, updatedAt: ruleset.updatedAt },
        rows: ruleset.rules.map((rule, index) => ruleToRow(rule, `k${index}`)),
        conditions: CONDITIONS,
      },
      { headers: session.headers },
    );
  });

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

export const action = (args: ActionFunctionArgs) =>
  guarded(args.request, async () => {
    const session = await requireUser(args);
    const api = createApi(session, args.request);
    const mutateOrNotFound = mutateOrNotFoundFor(api, args.request, session.headers);
    const id = args.params.id ?? '';
    const here = `/app/valuation/${encodeURIComponent(id)}`;
    const form = await args.request.formData();
    const intent = parseIntent(form.get('intent'));
    if (!intent) throw notFound(args.request, session.headers);

    if (intent.kind === 'activate') {
      return mutateOrNotFound(ActivateValuationRulesetMutation, { input: { id } }, `${here}?notice=activated`);
    }
    if (intent.kind === 'delete') {
      return mutateOrNotFound(DeleteValuationRulesetMutation, { input: { id } }, '/app/valuation?notice=deleted');
    }

    const name = text(form, 'name');
    const posted = parseRuleRows(form);
    if (intent.kind !== 'save') {
      // Add, remove, move: the edited rows come back to the page, nothing is saved.
      const { rows, error } = applyRowIntent(posted, intent);
      return json({ name, rows, errors: error ? { rules: error } : {}, unsaved: true }, { headers: session.headers });
    }
    const { rules, errors } = rowsToInput(posted);
    if (!rules) return json({ name, rows: posted, errors, unsaved: true }, { status: 400, headers: session.headers });
    const result = await api.mutate(UpdateValuationRulesetMutation, { input: { id, name, rules } });
    if (!result.ok) {
      const apiErrors = rulesetErrorsFromApi(result.pathErrors, result.formError);
      return json({ name, rows: posted, errors: apiErrors, unsaved: true }, { status: 400, headers: session.headers });
    }
    return redirect(`${here}?notice=saved`, { headers: session.headers });
  });

const NOTICES: Record<string, string> = {
  created: 'Ruleset created. Add its rules below.',
  saved: 'Rules saved.',
  activated: 'This is now your active ruleset. Listings are valued with it.',
};

const smallButtonClass =
  'rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-semibold text-slate-700 hover:bg-slate-50 ' +
  'disabled:cursor-not-allowed disabled:opacity-40';

interface RuleRowFieldsProps {
  row: RuleRow;
  index: number;
  count: number;
  errors: Record<string, string>;
  conditions: { value: string; label: string }[];
}

/**
 * One rule. Its controls are named `rules.<index>.<field>`. With JavaScript, changing the attribute or
 * the adjustment swaps the value and amount controls at once; without it, they follow on the next
 * post (any button re-renders the rows), and Save reads the value by the attribute chosen.
 */
function RuleRowFields({ row, index, count, errors, conditions }: RuleRowFieldsProps) {
  const [attribute, setAttribute] = useState(row.attribute);
  const [adjustment, setAdjustment] = useState(row.adjustment);
  const kind = operandKind(attribute);
  const operators = operatorsFor(attribute);
  const operator = operators.some((option) => option.value === row.operator) ? row.operator : operators[0]?.value;
  // The posted value belongs to the control of the attribute it was typed for.
  const value = operandKind(row.attribute) === kind ? row.value : '';
  const fieldErrors = rowErrors(errors, index);
  const prefix = `rules.${index}`;
  const number = index + 1;

  return (
    <fieldset
      className="rounded-lg border border-slate-200 bg-white p-4 data-[invalid]:border-red-300"
      data-testid="rule-row"
      {...(Object.keys(fieldErrors).length > 0 ? { 'data-invalid': '' } : {})}
    >
      <legend className="px-1 text-sm font-semibold text-slate-800">Rule {number}</legend>
      <input type="hidden" name={`${prefix}.key`} value={row.key} />
      {fieldErrors.row ? (
        <p className="mb-2 text-sm text-red-700" data-testid={`error-${prefix}`}>
          {fieldErrors.row}
        </p>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-3">
        <SelectField
          name={`${prefix}.attribute`}
          label="Attribute"
          defaultValue={row.attribute}
          onChange={(event) => setAttribute(event.target.value)}
          error={fieldErrors.attribute}
        >
          {ATTRIBUTES.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </SelectField>
        <SelectField
          key={`operator-${attribute}`}
          name={`${prefix}.operator`}
          label="Comparison"
          defaultValue={operator}
          error={fieldErrors.operator}
        >
          {operators.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </SelectField>
        {kind === 'condition' ? (
          <SelectField
            key="value-condition"
            name={`${prefix}.value`}
            label={valueLabel(attribute)}
            defaultValue={value}
            error={fieldErrors.value}
          >
            <option value="">Choose…</option>
            {conditions.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </SelectField>
        ) : kind === 'number' ? (
          <TextField
            key="value-number"
            name={`${prefix}.value`}
            label={valueLabel(attribute)}
            type="number"
            inputMode="numeric"
            min={0}
            step={1}
            defaultValue={value}
            error={fieldErrors.value}
          />
        ) : (
          <TextField
            key="value-text"
            name={`${prefix}.value`}
            label={valueLabel(attribute)}
            maxLength={VALUATION_LIMITS.wordLength}
            placeholder="e.g. rtx"
            defaultValue={value}
            error={fieldErrors.value}
          />
        )}
        <SelectField
          name={`${prefix}.adjustment`}
          label="Adjustment"
          defaultValue={row.adjustment}
          onChange={(event) => setAdjustment(event.target.value)}
          error={fieldErrors.adjustment}
        >
          {ADJUSTMENTS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </SelectField>
        <TextField
          name={`${prefix}.amount`}
          label={amountLabel(adjustment)}
          inputMode="decimal"
          placeholder={adjustment === 'MULTIPLY' ? 'e.g. 1.1' : 'e.g. 30.00'}
          defaultValue={row.amount}
          error={fieldErrors.amount}
        />
        <TextField
          name={`${prefix}.label`}
          label="Label (optional)"
          maxLength={VALUATION_LIMITS.labelLength}
          defaultValue={row.label}
          error={fieldErrors.label}
        />
      </div>
      <div className="mt-3 flex flex-wrap gap-2">
        <button type="submit" name="intent" value={`up:${index}`} className={smallButtonClass} disabled={index === 0}>
          Move up<span className="sr-only"> rule {number}</span>
        </button>
        <button
          type="submit"
          name="intent"
          value={`down:${index}`}
          className={smallButtonClass}
          disabled={index === count - 1}
        >
          Move down<span className="sr-only"> rule {number}</span>
        </button>
        <button type="submit" name="intent" value={`remove:${index}`} className={`${smallButtonClass} text-red-700`}>
          Remove<span className="sr-only"> rule {number}</span>
        </button>
      </div>
    </fieldset>
  );
}

export default function EditValuationRuleset() {
  const { ruleset, rows: savedRows, conditions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const notice = NOTICES[params.get('notice') ?? ''];
  const busyIntent = navigation.state === 'submitting' ? navigation.formData?.get('intent') : null;
  const rows = actionData?.rows ?? savedRows;
  const name = actionData?.name ?? ruleset.name;
  const errors: Record<string, string> = actionData?.errors ?? {};
  const hasErrors = Object.keys(errors).length > 0;
  const formError =
    errors.form ?? errors.rules ?? (hasErrors ? 'Please correct the fields marked below. Nothing was saved.' : null);

  return (
    <div className="mx-auto max-w-4xl">
      <p className="text-sm">
        <Link to="/app/valuation" className="text-indigo-700 underline">
          ← Valuation rulesets
        </Link>
      </p>
      <div className="mt-2 flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold">Edit ruleset</h1>
        {ruleset.isActive ? (
          <span
            className="rounded-full bg-green-100 px-2 py-0.5 text-xs font-semibold text-green-800"
            data-testid="active-badge"
          >
            Active
          </span>
        ) : null}
      </div>
      <p className="mt-1 text-sm text-slate-600">
        Rules apply in order to the asking price; each one whose condition matches adjusts the running value.
      </p>

      {notice && !actionData ? (
        <p role="status" className="mt-4 rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-800">
          {notice}
        </p>
      ) : null}
      {actionData?.unsaved && !hasErrors ? (
        <p role="status" className="mt-4 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
          Changes are not saved yet: press Save to keep them.
        </p>
      ) : null}

      {/* Saved (a new updatedAt): the form starts afresh from the loader; add, remove and move keep it. */}
      <Form key={ruleset.updatedAt} method="post" noValidate className="mt-6 space-y-5">
        {/* Enter in a field saves: the form's first submit button is its default one. */}
        <button type="submit" name="intent" value="save" className="sr-only" tabIndex={-1} aria-hidden="true">
          Save
        </button>
        <FormErrors message={formError} />
        <div className="max-w-md">
          <TextField
            name="name"
            label="Ruleset name"
            required
            maxLength={VALUATION_LIMITS.nameLength}
            defaultValue={name}
            error={errors.name}
          />
        </div>
        <div className="space-y-4" data-testid="rules">
          {rows.length === 0 ? (
            <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">
              No rules yet: every listing is worth its asking price. Add a rule to adjust it.
            </p>
          ) : (
            rows.map((row, index) => (
              <RuleRowFields
                key={row.key}
                row={row}
                index={index}
                count={rows.length}
                errors={errors}
                conditions={conditions}
              />
            ))
          )}
        </div>
        <div className="flex flex-wrap gap-3">
          <button
            type="submit"
            name="intent"
            value="add"
            className={secondaryButtonClass}
            disabled={rows.length >= VALUATION_LIMITS.rules}
          >
            Add rule
          </button>
          <button type="submit" name="intent" value="save" className={buttonClass} disabled={busyIntent === 'save'}>
            {busyIntent === 'save' ? 'Saving…' : 'Save'}
          </button>
          <Link to="/app/valuation" className={secondaryButtonClass}>
            Cancel
          </Link>
        </div>
      </Form>

      <div className="mt-8 flex flex-wrap gap-3 border-t border-slate-200 pt-6">
        {ruleset.isActive ? null : (
          <Form method="post">
            <button type="submit" name="intent" value="activate" className={secondaryButtonClass}>
              Make active
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
            Delete ruleset
          </button>
        </Form>
      </div>
    </div>
  );
}
