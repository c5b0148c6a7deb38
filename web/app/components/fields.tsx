import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';

const controlClass =
  'mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm ' +
  'aria-[invalid=true]:border-red-600 aria-[invalid=true]:ring-1 aria-[invalid=true]:ring-red-600';

interface FieldProps {
  name: string;
  label: string;
  error?: string | undefined;
  hint?: string;
  children: (props: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode;
}

/** A labelled control with its hint and its error beside it, linked for screen readers. */
export function Field({ name, label, error, hint, children }: FieldProps) {
  const id = `field-${name}`;
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {children({
        id,
        ...(error ? { 'aria-invalid': true as const } : {}),
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
      })}
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700" data-testid={`error-${name}`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

type TextFieldProps = { name: string; label: string; error?: string | undefined; hint?: string } & Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'name' | 'id'
>;

export function TextField({ name, label, error, hint, ...input }: TextFieldProps) {
  return (
    <Field name={name} label={label} error={error} {...(hint ? { hint } : {})}>
      {(props) => <input name={name} className={controlClass} {...input} {...props} />}
    </Field>
  );
}

type SelectFieldProps = { name: string; label: string; error?: string | undefined; children: ReactNode } & Omit<
  SelectHTMLAttributes<HTMLSelectElement>,
  'name' | 'id'
>;

export function SelectField({ name, label, error, children, ...select }: SelectFieldProps) {
  return (
    <Field name={name} label={label} error={error}>
      {(props) => (
        <select name={name} className={controlClass} {...select} {...props}>
          {children}
        </select>
      )}
    </Field>
  );
}

type TextAreaFieldProps = { name: string; label: string; error?: string | undefined } & Omit<
  TextareaHTMLAttributes<HTMLTextAreaElement>,
  'name' | 'id'
>;

export function TextAreaField({ name, label, error, ...textarea }: TextAreaFieldProps) {
  return (
    <Field name={name} label={label} error={error}>
      {(props) => <textarea name={name} className={controlClass} rows={4} {...textarea} {...props} />}
    </Field>
  );
}

/** A summary above a form that failed, announced to screen readers. */
export function FormErrors({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
      {message}
    </div>
  );
}

export const buttonClass =
  'inline-flex items-center justify-center rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white ' +
  'shadow-sm hover:bg-indigo-500 disabled:opacity-60';
export const secondaryButtonClass =
  'inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-4 py-2 text-sm ' +
  'font-semibold text-slate-800 hover:bg-slate-50';
