// The pieces the settings page's sections share: the section card, status badges and the confirmation
// step that revoking a session or a key goes through.
import { Form, Link } from '@remix-run/react';
import type { ReactNode } from 'react';
import { InlineError, Notice, smallDangerButton } from './collection-ui';

export type ActionErrors = Partial<Record<string, string>>;
export type FormValues = Partial<Record<string, string>>;

export const dangerButtonClass =
  'inline-flex items-center justify-center rounded-md bg-red-700 px-4 py-2 text-sm font-semibold text-white ' +
  'hover:bg-red-600 disabled:opacity-60';

/** One section of the settings page: a card with its heading (the id is its anchor: /settings#sessions). */
export function SettingsSection({
  id,
  title,
  description,
  notice,
  error,
  children,
}: {
  id: string;
  title: string;
  description?: ReactNode;
  /** A success message for this section (from `?notice=`). */
  notice?: string | null;
  /** A message for the section as a whole, when a post failed. */
  error?: string | undefined;
  children: ReactNode;
}) {
  return (
    <section
      aria-labelledby={id}
      className="mt-6 scroll-mt-4 rounded-lg border border-slate-200 bg-white p-4 sm:p-6"
      data-testid={`${id}-section`}
    >
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {description ? <p className="mt-1 text-sm text-slate-600">{description}</p> : null}
      {notice ? <Notice>{notice}</Notice> : null}
      <InlineError message={error} testId={`${id}-error`} />
      {children}
    </section>
  );
}

const BADGE_TONES = {
  green: 'border-green-200 bg-green-50 text-green-800',
  slate: 'border-slate-200 bg-slate-100 text-slate-700',
  red: 'border-red-200 bg-red-50 text-red-800',
  indigo: 'border-indigo-200 bg-indigo-50 text-indigo-800 dark:border-indigo-800',
} as const;

export function Badge({
  tone,
  children,
  testId,
}: {
  tone: keyof typeof BADGE_TONES;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <span
      className={`inline-flex items-center rounded-full border px-2 py-0.5 text-xs font-semibold ${BADGE_TONES[tone]}`}
      data-testid={testId}
    >
      {children}
    </span>
  );
}

/**
 * The second step of a revoke: a question and a red button that posts the real intent, or Cancel (a
 * link back to the section). The first step is a button that posts `confirm-…` to the section's anchor
 * (`/settings#sessions`), and the action answers with this step, shown above the section's table: in
 * view at any width (a row inside the table could sit beyond its sideways scroll), and focused when
 * JavaScript runs.
 */
export function ConfirmRevoke({
  question,
  consequence,
  field,
  value,
  intent,
  confirmLabel,
  cancelTo,
  busy,
  testId,
}: {
  question: string;
  consequence: string;
  field: string;
  value: string;
  intent: string;
  confirmLabel: string;
  cancelTo: string;
  busy: boolean;
  testId: string;
}) {
  return (
    <div
      role="alertdialog"
      aria-labelledby={`${testId}-question`}
      aria-describedby={`${testId}-consequence`}
      className="mt-4 rounded-md border border-red-200 bg-red-50 p-3 text-sm"
      data-testid={testId}
    >
      <p id={`${testId}-question`} className="font-semibold text-red-800">
        {question}
      </p>
      <p id={`${testId}-consequence`} className="mt-1 text-red-800">
        {consequence}
      </p>
      <Form method="post" className="mt-3 flex flex-wrap items-center gap-3">
        <input type="hidden" name={field} value={value} />
        <button type="submit" name="intent" value={intent} className={smallDangerButton} disabled={busy} autoFocus>
          {confirmLabel}
        </button>
        <Link to={cancelTo} className="text-sm font-medium text-slate-700 underline">
          Cancel
        </Link>
      </Form>
    </div>
  );
}
