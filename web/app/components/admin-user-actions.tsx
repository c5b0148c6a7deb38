// The user detail page's role and status actions. Each is two steps that work without JavaScript: a
// link that opens the confirmation (`?confirm=deactivate`), then a form with the reason and the real
// button. The API's refusals (the last admin, a self-demotion) are shown in that form, in its words.
import { ADMIN_LIMITS } from '@deal-brain/shared/field-limits';
import { Form, Link } from '@remix-run/react';
import { smallButton, smallDangerButton } from './collection-ui';
import { Field } from './fields';

/** The four actions of the user detail page; each asks for confirmation and a reason first. */
export const USER_ACTIONS = {
  'make-admin': {
    label: 'Make admin',
    question: 'Make this user an administrator?',
    consequence: 'They can manage every user, the tenant settings and the audit log from their next page.',
    confirmLabel: 'Yes, make admin',
    notice: 'The user is now an administrator.',
  },
  'remove-admin': {
    label: 'Remove admin',
    question: 'Remove administrator rights from this user?',
    consequence: 'They lose access to the admin console from their next page.',
    confirmLabel: 'Yes, remove admin',
    notice: 'The user is no longer an administrator.',
  },
  deactivate: {
    label: 'Deactivate',
    question: 'Deactivate this account?',
    consequence:
      'They are signed out everywhere, their next page shows that the account is disabled, and their API keys stop working.',
    confirmLabel: 'Yes, deactivate',
    notice: 'The account is deactivated.',
  },
  reactivate: {
    label: 'Reactivate',
    question: 'Reactivate this account?',
    consequence: 'They can sign in again, and their API keys work again.',
    confirmLabel: 'Yes, reactivate',
    notice: 'The account is reactivated.',
  },
} as const;

export type UserActionIntent = keyof typeof USER_ACTIONS;

export function isUserActionIntent(value: unknown): value is UserActionIntent {
  return typeof value === 'string' && Object.hasOwn(USER_ACTIONS, value);
}

export interface UserActionView {
  intent: UserActionIntent;
  label: string;
  question: string;
  consequence: string;
  confirmLabel: string;
  notice: string;
  danger: boolean;
}

export function actionView(intent: UserActionIntent): UserActionView {
  return { intent, ...USER_ACTIONS[intent], danger: intent === 'deactivate' || intent === 'remove-admin' };
}

export function UserActions({
  actions,
  basePath,
  deleted,
}: {
  actions: UserActionView[];
  /** The detail page's own path, `/admin/users/<uuid>`. */
  basePath: string;
  deleted: boolean;
}) {
  if (deleted) {
    return (
      <p className="mt-4 text-sm text-slate-600" data-testid="user-actions-none">
        This account was deleted: its role and status cannot be changed.
      </p>
    );
  }
  if (actions.length === 0) return null;
  return (
    <ul className="mt-4 flex flex-wrap gap-3" data-testid="user-actions">
      {actions.map((action) => (
        <li key={action.intent}>
          <Link
            to={`${basePath}?confirm=${action.intent}#confirm`}
            className={action.danger ? smallDangerButton : smallButton}
            preventScrollReset
          >
            {action.label}
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** The confirmation: what will happen, a required reason, and the button that does it (or Cancel). */
export function ConfirmUserAction({
  action,
  basePath,
  reason,
  errors,
  busy,
}: {
  action: UserActionView;
  basePath: string;
  reason: string;
  errors: { reason?: string | undefined; form?: string | undefined };
  busy: boolean;
}) {
  return (
    <div
      id="confirm"
      role="alertdialog"
      aria-labelledby="confirm-question"
      aria-describedby="confirm-consequence"
      className={`mt-4 scroll-mt-4 rounded-md border p-4 text-sm ${
        action.danger ? 'border-red-200 bg-red-50' : 'border-indigo-200 bg-indigo-50'
      }`}
      data-testid="confirm-user-action"
    >
      <p id="confirm-question" className="font-semibold text-slate-900">
        {action.question}
      </p>
      <p id="confirm-consequence" className="mt-1 text-slate-700">
        {action.consequence}
      </p>
      {errors.form ? (
        <p
          role="alert"
          className="mt-3 rounded-md border border-red-300 bg-white p-3 font-medium text-red-800"
          data-testid="user-action-error"
        >
          {errors.form}
        </p>
      ) : null}
      <Form method="post" action={basePath} className="mt-3 space-y-3">
        <input type="hidden" name="intent" value={action.intent} />
        <Field name="reason" label="Reason" error={errors.reason} hint="Kept in the audit log with the change.">
          {(props) => (
            <textarea
              name="reason"
              rows={3}
              required
              maxLength={ADMIN_LIMITS.reasonLength}
              defaultValue={reason}
              autoFocus
              className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm aria-[invalid=true]:border-red-600"
              {...props}
            />
          )}
        </Field>
        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" className={action.danger ? smallDangerButton : smallButton} disabled={busy}>
            {action.confirmLabel}
          </button>
          <Link to={basePath} className="text-sm font-medium text-slate-700 underline" preventScrollReset>
            Cancel
          </Link>
        </div>
      </Form>
    </div>
  );
}
