// "Share this collection" (owners only): share with an address, then per share change its permission
// or revoke it.
import { COLLECTION_LIMITS } from '@deal-brain/shared/field-limits';
import { Form } from '@remix-run/react';
import { FormErrors, SelectField, TextField, buttonClass } from '~/components/fields';
import {
  Disclosure,
  InlineError,
  RowActionForm,
  smallButton,
  type ActionErrors,
  type FormValues,
} from './collection-ui';

export interface Share {
  id: string;
  email: string;
  permission: string;
}

export function ShareSection({
  open,
  shares,
  permissions,
  errors,
  rowErrors,
  values,
  busy,
}: {
  open: boolean;
  shares: Share[];
  permissions: { value: string; label: string }[];
  errors: ActionErrors;
  /** A failed change-permission or revoke post: the row of its email shows the errors. */
  rowErrors: { intent: string; values: FormValues; errors: ActionErrors } | null;
  values: FormValues;
  busy: boolean;
}) {
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <Disclosure title="Share this collection" testId="share-section" open={open || hasErrors}>
      <div className="border-t border-slate-200 p-4 sm:p-6">
        <p className="text-sm text-slate-600">
          People you share with see this collection and its listings. With Edit they can also add, remove and reorder
          listings and edit notes. Only you can share, rename or delete it.
        </p>
        <Form method="post" noValidate className="mt-4 space-y-4" aria-label="Share with someone new">
          <FormErrors message={errors.form ?? null} />
          <div className="grid gap-4 sm:grid-cols-[1fr_12rem]">
            <TextField
              name="email"
              label="Email address"
              type="email"
              inputMode="email"
              autoComplete="off"
              required
              maxLength={COLLECTION_LIMITS.emailLength}
              defaultValue={values.email ?? ''}
              error={errors.email}
            />
            <SelectField
              name="permission"
              label="Permission"
              defaultValue={values.permission ?? 'VIEW'}
              error={errors.permission}
            >
              {permissions.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </SelectField>
          </div>
          <button type="submit" name="intent" value="share" className={buttonClass} disabled={busy}>
            Share
          </button>
        </Form>

        <h3 className="mt-8 font-semibold">Shared with</h3>
        {shares.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600" data-testid="shares-empty">
            Nobody yet.
          </p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100 rounded-md border border-slate-200" data-testid="shares">
            {shares.map((share, index) => (
              <ShareRow
                key={share.id}
                share={share}
                selectId={`share-permission-${index}`}
                permissions={permissions}
                errors={rowErrors && rowErrors.values.email?.toLowerCase() === share.email ? rowErrors.errors : {}}
                busy={busy}
              />
            ))}
          </ul>
        )}
      </div>
    </Disclosure>
  );
}

function ShareRow({
  share,
  selectId,
  permissions,
  errors,
  busy,
}: {
  share: Share;
  selectId: string;
  permissions: { value: string; label: string }[];
  errors: ActionErrors;
  busy: boolean;
}) {
  return (
    <li className="p-3" data-testid="share-row">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <span className="break-all font-medium" data-testid="share-email">
          {share.email}
        </span>
        <div className="flex flex-wrap items-end gap-2">
          <Form method="post" className="flex items-end gap-2">
            <input type="hidden" name="email" value={share.email} />
            <div>
              <label htmlFor={selectId} className="block text-xs font-medium text-slate-700">
                Permission<span className="sr-only"> for {share.email}</span>
              </label>
              <select
                id={selectId}
                name="permission"
                defaultValue={share.permission}
                className="mt-1 block rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
              >
                {permissions.map((option) => (
                  <option key={option.value} value={option.value}>
                    {option.label}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" name="intent" value="change-permission" className={smallButton} disabled={busy}>
              Change<span className="sr-only"> permission for {share.email}</span>
            </button>
          </Form>
          <RowActionForm field="email" value={share.email} intent="revoke" busy={busy}>
            Revoke<span className="sr-only"> access for {share.email}</span>
          </RowActionForm>
        </div>
      </div>
      <InlineError message={errors.form ?? errors.email ?? errors.permission} testId="share-row-error" />
    </li>
  );
}
