import { SignIn } from '@clerk/remix';
import { DEMO_IDENTITIES } from '@deal-brain/shared/demo-identities';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { localAuthPost, signedOutVisit, startLocalSession } from '~/auth/auth-pages.server';
import { authMode } from '~/auth/auth.server';
import { parseSignIn, type FormErrors } from '~/auth/forms.server';
import { LocalAuthError } from '~/auth/local-provider.server';
import { LocalAuthForm, LocalAuthPage } from '~/components/local-auth';
import { guarded } from '~/lib/guard.server';

export const meta: MetaFunction = () => [{ title: 'Sign in · Deal Brain' }];

/** The seeded identities of local mode, offered as one-click choices. */
function demoChoices(): { email: string; name: string }[] {
  return DEMO_IDENTITIES.map(({ email, firstName, lastName, role }) => ({
    email,
    name: `${firstName} ${lastName}${role === 'ADMIN' ? ' (admin)' : ''}`,
  }));
}

export const loader = (args: LoaderFunctionArgs) =>
  guarded(args.request, async () => {
    const { redirectUrl, headers } = await signedOutVisit(args);
    const mode = authMode();
    return json({ mode, redirectUrl, demoIdentities: mode === 'local' ? demoChoices() : [] }, { headers });
  });

export const action = (args: ActionFunctionArgs) =>
  guarded(args.request, async () => {
    const { form, redirectUrl } = await localAuthPost(args);
    const { email, errors } = parseSignIn(form);
    if (Object.keys(errors).length > 0) return json({ email, errors }, { status: 400 });
    try {
      return await startLocalSession(args.request, email, redirectUrl, 'auth.signed_in');
    } catch (error) {
      if (error instanceof LocalAuthError && error.code === 'identity_not_found') {
        const notFound: FormErrors = { email: 'No account uses this email. Check it, or sign up first.' };
        return json({ email, errors: notFound }, { status: 400 });
      }
      if (error instanceof LocalAuthError && error.code === 'identity_banned') {
        // Deactivated by an admin: the provider's own message ("This account is disabled. …").
        return json({ email, errors: { form: error.message } as FormErrors }, { status: 403 });
      }
      if (error instanceof LocalAuthError && error.status === 400) {
        return json({ email, errors: { email: 'Enter a valid email address' } as FormErrors }, { status: 400 });
      }
      throw error;
    }
  });

function LocalSignIn({
  redirectUrl,
  demoIdentities,
}: {
  redirectUrl: string;
  demoIdentities: { email: string; name: string }[];
}) {
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  return (
    <LocalAuthPage
      title="Sign in"
      intro="Local identity mode: no password, no Clerk account. Choose an identity or type its email."
      other={{ question: 'No account yet?', label: 'Sign up', page: '/sign-up' }}
      redirectUrl={redirectUrl}
    >
      {demoIdentities.length > 0 ? (
        <Form method="post" className="mt-6" aria-labelledby="demo-identities">
          <h2 id="demo-identities" className="text-sm font-semibold text-slate-800">
            Demo identities
          </h2>
          <input type="hidden" name="redirect_url" value={redirectUrl} />
          <ul className="mt-2 grid gap-2">
            {demoIdentities.map((identity) => (
              <li key={identity.email}>
                <button
                  type="submit"
                  name="email"
                  value={identity.email}
                  disabled={busy}
                  className="w-full rounded-md border border-slate-300 bg-white px-4 py-2 text-left text-sm hover:bg-slate-50"
                >
                  <span className="font-medium">{identity.name}</span>{' '}
                  <span className="text-slate-600">{identity.email}</span>
                </button>
              </li>
            ))}
          </ul>
        </Form>
      ) : null}
      <LocalAuthForm
        className="mt-8"
        redirectUrl={redirectUrl}
        email={actionData?.email ?? ''}
        errors={actionData?.errors ?? {}}
        submitLabel="Sign in"
        busyLabel="Signing in…"
      />
    </LocalAuthPage>
  );
}

export default function SignInPage() {
  const { mode, redirectUrl, demoIdentities } = useLoaderData<typeof loader>();
  if (mode === 'clerk') {
    return (
      <div className="flex justify-center">
        <SignIn routing="path" path="/sign-in" signUpUrl="/sign-up" forceRedirectUrl={redirectUrl} />
      </div>
    );
  }
  return <LocalSignIn redirectUrl={redirectUrl} demoIdentities={demoIdentities} />;
}
