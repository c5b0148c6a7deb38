// The sign-in and sign-up pages of local identity mode (clerk mode shows Clerk's components instead).
import { Form, Link, useNavigation } from '@remix-run/react';
import type { ReactNode } from 'react';
import { authPagePath } from '~/lib/redirects';
import { FormErrors, TextField, buttonClass } from './fields';

interface LocalAuthPageProps {
  title: string;
  intro: string;
  children: ReactNode;
  /** The way to the other page, passing on where to go afterwards: "No account yet? Sign up". */
  other: { question: string; label: string; page: '/sign-in' | '/sign-up' };
  redirectUrl: string;
}

export function LocalAuthPage({ title, intro, children, other, redirectUrl }: LocalAuthPageProps) {
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-bold">{title}</h1>
      <p className="mt-2 text-sm text-slate-600">{intro}</p>
      {children}
      <p className="mt-6 text-sm text-slate-600">
        {other.question}{' '}
        <Link to={authPagePath(other.page, redirectUrl)} className="font-medium text-indigo-700 underline">
          {other.label}
        </Link>
      </p>
    </div>
  );
}

interface LocalAuthFormProps {
  /** Its place on the page (margin). */
  className: string;
  redirectUrl: string;
  email: string;
  errors: { email?: string | undefined; form?: string | undefined };
  submitLabel: string;
  busyLabel: string;
  /** Fields after the email. */
  children?: ReactNode;
}

/** A form that starts with the email, posts to its route's action and comes back to `redirectUrl`. */
export function LocalAuthForm({
  className,
  redirectUrl,
  email,
  errors,
  submitLabel,
  busyLabel,
  children,
}: LocalAuthFormProps) {
  const busy = useNavigation().state === 'submitting';
  return (
    <Form method="post" className={`${className} space-y-4 rounded-lg border border-slate-200 bg-white p-6`} noValidate>
      <FormErrors message={errors.form} />
      <input type="hidden" name="redirect_url" value={redirectUrl} />
      <TextField
        name="email"
        label="Email"
        type="email"
        autoComplete="email"
        required
        defaultValue={email}
        error={errors.email}
      />
      {children}
      <button type="submit" className={`${buttonClass} w-full`} disabled={busy}>
        {busy ? busyLabel : submitLabel}
      </button>
    </Form>
  );
}
