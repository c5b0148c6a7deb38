// The small pieces the collection page's sections share: notices, inline errors, button styles, the
// disclosure each section lives in, and the one-button forms of item and share rows.
import { Form } from '@remix-run/react';
import type { ReactNode } from 'react';

/** A failed post's messages, keyed by field (`form` for the form as a whole). */
export type ActionErrors = Partial<Record<string, string>>;

/** What a failed post puts back into its form, keyed by field. */
export type FormValues = Partial<Record<string, string>>;

export const smallButton =
  'inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm ' +
  'font-medium text-slate-800 hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-50';
export const smallDangerButton =
  'inline-flex items-center justify-center rounded-md border border-red-300 bg-white px-3 py-1.5 text-sm ' +
  'font-medium text-red-700 hover:bg-red-50';
const disclosureClass = 'mt-6 rounded-lg border border-slate-200 bg-white';
const summaryClass =
  'cursor-pointer select-none rounded-lg px-4 py-3 font-semibold text-slate-900 hover:bg-slate-50 sm:px-6';

export function Notice({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="mt-4 rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-800">
      {children}
    </p>
  );
}

export function InlineError({ message, testId }: { message: string | undefined; testId?: string }) {
  if (!message) return null;
  return (
    <p role="alert" className="mt-2 text-sm text-red-700" data-testid={testId}>
      {message}
    </p>
  );
}

/** A section of the page behind a summary line; `danger` marks the destructive one. */
export function Disclosure({
  title,
  testId,
  open,
  danger = false,
  children,
}: {
  title: string;
  testId: string;
  open?: boolean;
  danger?: boolean;
  children: ReactNode;
}) {
  return (
    <details
      className={danger ? `${disclosureClass} border-red-200` : disclosureClass}
      open={open}
      data-testid={testId}
    >
      <summary className={danger ? `${summaryClass} text-red-800` : summaryClass}>{title}</summary>
      {children}
    </details>
  );
}

/** A form of one red button (remove, revoke) that posts its `intent` with a hidden field naming the row. */
export function RowActionForm({
  field,
  value,
  intent,
  busy,
  children,
}: {
  field: string;
  value: string;
  intent: string;
  busy: boolean;
  children: ReactNode;
}) {
  return (
    <Form method="post">
      <input type="hidden" name={field} value={value} />
      <button type="submit" name="intent" value={intent} className={smallDangerButton} disabled={busy}>
        {children}
      </button>
    </Form>
  );
}
