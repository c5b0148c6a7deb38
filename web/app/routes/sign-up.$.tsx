import { IDENTITY_LIMITS } from '@deal-brain/shared/field-limits';
import { SignUp } from '@clerk/remix';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { localAuthPost, signedOutVisit, startLocalSession } from '~/auth/auth-pages.server';
import { authMode, localProvider } from '~/auth/auth.server';
import { parseSignUp, providerFieldErrors, type FormErrors } from '~/auth/forms.server';
import { LocalAuthError } from '~/auth/local-provider.server';
import { TextField } from '~/components/fields';
import { LocalAuthForm, LocalAuthPage } from '~/components/local-auth';
import { guarded } from '~/lib/guard.server';

export const meta: MetaFunction = () => [{ title: 'Sign up · Deal Brain' }];

export const loader = (args: LoaderFunctionArgs) =>
  guarded(args.request, async () => {
    const { redirectUrl, headers } = await signedOutVisit(args);
    return json({ mode: authMode(), redirectUrl }, { headers });
  });

export const action = (args: ActionFunctionArgs) =>
  guarded(args.request, async () => {
    const { form, redirectUrl } = await localAuthPost(args);
    const { values, errors } = parseSignUp(form);
    if (Object.keys(errors).length > 0) return json({ values, errors }, { status: 400 });
    try {
      await localProvider().createIdentity(values);
    } catch (error) {
      if (error instanceof LocalAuthError && error.code === 'identity_exists') {
        const exists: FormErrors = { email: 'An account with this email already exists. Sign in instead.' };
        return json({ values, errors: exists }, { status: 409 });
      }
      if (error instanceof LocalAuthError && error.status === 400) {
        return json({ values, errors: providerFieldErrors(error) }, { status: 400 });
      }
      throw error;
    }
    return startLocalSession(args.request, values.email, redirectUrl, 'auth.signed_up');
  });

function LocalSignUp({ redirectUrl }: { redirectUrl: string }) {
  const actionData = useActionData<typeof action>();
  const errors: FormErrors = actionData?.errors ?? {};
  return (
    <LocalAuthPage
      title="Create your account"
      intro="Local identity mode: the account lives on this machine only."
      other={{ question: 'Already have an account?', label: 'Sign in', page: '/sign-in' }}
      redirectUrl={redirectUrl}
    >
      <LocalAuthForm
        className="mt-6"
        redirectUrl={redirectUrl}
        email={actionData?.values.email ?? ''}
        errors={errors}
        submitLabel="Sign up"
        busyLabel="Creating your account…"
      >
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            name="firstName"
            label="First name"
            autoComplete="given-name"
            required
            maxLength={IDENTITY_LIMITS.nameLength}
            defaultValue={actionData?.values.firstName ?? ''}
            error={errors.firstName}
          />
          <TextField
            name="lastName"
            label="Last name"
            autoComplete="family-name"
            required
            maxLength={IDENTITY_LIMITS.nameLength}
            defaultValue={actionData?.values.lastName ?? ''}
            error={errors.lastName}
          />
        </div>
      </LocalAuthForm>
    </LocalAuthPage>
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
