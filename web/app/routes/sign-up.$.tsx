import { SignUp } from '@clerk/remix';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { authenticate, authMode, localProvider, sessionHeaders } from '~/auth/auth.server';
import { parseSignUp, providerFieldErrors, type FormErrors } from '~/auth/forms.server';
import { LocalAuthError } from '~/auth/local-provider.server';
import { FormErrors as FormErrorSummary, TextField, buttonClass } from '~/components/fields';
import { guarded } from '~/lib/guard.server';
import { logger } from '~/lib/log.server';
import { safeRedirect } from '~/lib/redirects';
import { requestIdOf } from '~/lib/request-id.server';

export const meta: MetaFunction = () => [{ title: 'Sign up · Deal Brain' }];

export const loader = (args: LoaderFunctionArgs) =>
  guarded(args.request, async () => {
    const url = new URL(args.request.url);
    const redirectUrl = safeRedirect(url.searchParams.get('redirect_url'));
    const { auth, headers } = await authenticate(args);
    if (auth.userId) throw redirect(redirectUrl, { headers });
    return json({ mode: authMode(), redirectUrl }, { headers });
  });

export const action = (args: ActionFunctionArgs) =>
  guarded(args.request, async () => {
    if (authMode() !== 'local') throw new Response('Not found', { status: 404 });
    const form = await args.request.formData();
    const redirectUrl = safeRedirect(form.get('redirect_url'));
    const { values, errors } = parseSignUp(form);
    if (Object.keys(errors).length > 0) return json({ values, errors }, { status: 400 });
    const provider = localProvider();
    try {
      await provider.createIdentity(values);
    } catch (error) {
      if (error instanceof LocalAuthError && error.code === 'identity_exists') {
        const exists: FormErrors = { email: 'An account with this email already exists. Sign in instead.' };
        return json({ values, errors: exists }, { status: 409 });
      }
      if (error instanceof LocalAuthError && error.status === 400) {
        return json({ values, errors: providerFieldErrors(error.message) }, { status: 400 });
      }
      throw error;
    }
    const session = await provider.createSession(values.email);
    logger.info('auth.signed_up', { requestId: requestIdOf(args.request), userId: session.userId });
    return redirect(redirectUrl, { headers: sessionHeaders(args.request, session.token) });
  });

function LocalSignUp({ redirectUrl }: { redirectUrl: string }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting';
  const errors: FormErrors = actionData?.errors ?? {};
  const signInHref = redirectUrl === '/app' ? '/sign-in' : `/sign-in?redirect_url=${encodeURIComponent(redirectUrl)}`;
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-bold">Create your account</h1>
      <p className="mt-2 text-sm text-slate-600">Local identity mode: the account lives on this machine only.</p>
      <Form method="post" className="mt-6 space-y-4 rounded-lg border border-slate-200 bg-white p-6" noValidate>
        <FormErrorSummary message={errors.form} />
        <input type="hidden" name="redirect_url" value={redirectUrl} />
        <TextField
          name="email"
          label="Email"
          type="email"
          autoComplete="email"
          required
          defaultValue={actionData?.values.email ?? ''}
          error={errors.email}
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            name="firstName"
            label="First name"
            autoComplete="given-name"
            required
            maxLength={100}
            defaultValue={actionData?.values.firstName ?? ''}
            error={errors.firstName}
          />
          <TextField
            name="lastName"
            label="Last name"
            autoComplete="family-name"
            required
            maxLength={100}
            defaultValue={actionData?.values.lastName ?? ''}
            error={errors.lastName}
          />
        </div>
        <button type="submit" className={`${buttonClass} w-full`} disabled={busy}>
          {busy ? 'Creating your account…' : 'Sign up'}
        </button>
      </Form>
      <p className="mt-6 text-sm text-slate-600">
        Already have an account?{' '}
        <Link to={signInHref} className="font-medium text-indigo-700 underline">
          Sign in
        </Link>
      </p>
    </div>
  );
}

export default function SignUpPage() {
  const { mode, redirectUrl } = useLoaderData<typeof loader>();
  if (mode === 'clerk') {
    return (
      <div className="flex justify-center">
        <SignUp routing="path" path="/sign-up" signInUrl="/sign-in" forceRedirectUrl={redirectUrl} />
      </div>
    );
  }
  return <LocalSignUp redirectUrl={redirectUrl} />;
}
