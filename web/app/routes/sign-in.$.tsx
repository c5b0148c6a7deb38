import { SignIn } from '@clerk/remix';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { authenticate, authMode, localProvider, sessionHeaders } from '~/auth/auth.server';
import { parseSignIn, type FormErrors } from '~/auth/forms.server';
import { LocalAuthError } from '~/auth/local-provider.server';
import { FormErrors as FormErrorSummary, TextField, buttonClass } from '~/components/fields';
import { guarded } from '~/lib/guard.server';
import { logger } from '~/lib/log.server';
import { safeRedirect } from '~/lib/redirects';
import { requestIdOf } from '~/lib/request-id.server';

export const meta: MetaFunction = () => [{ title: 'Sign in · Deal Brain' }];

/** The seeded identities of local mode, offered as one-click choices. */
const DEMO_IDENTITIES = [
  { email: 'alice@example.com', name: 'Alice Anders' },
  { email: 'bob@example.com', name: 'Bob Baker' },
  { email: 'admin@example.com', name: 'Ada Admin (admin)' },
];

export const loader = (args: LoaderFunctionArgs) =>
  guarded(args.request, async () => {
    const url = new URL(args.request.url);
    const redirectUrl = safeRedirect(url.searchParams.get('redirect_url'));
    const { auth, headers } = await authenticate(args);
    if (auth.userId) throw redirect(redirectUrl, { headers });
    const mode = authMode();
    return json({ mode, redirectUrl, demoIdentities: mode === 'local' ? DEMO_IDENTITIES : [] }, { headers });
  });

export const action = (args: ActionFunctionArgs) =>
  guarded(args.request, async () => {
    if (authMode() !== 'local') throw new Response('Not found', { status: 404 });
    const form = await args.request.formData();
    const redirectUrl = safeRedirect(form.get('redirect_url'));
    const { email, errors } = parseSignIn(form);
    if (Object.keys(errors).length > 0) return json({ email, errors }, { status: 400 });
    try {
      const session = await localProvider().createSession(email);
      logger.info('auth.signed_in', { requestId: requestIdOf(args.request), userId: session.userId });
      return redirect(redirectUrl, { headers: sessionHeaders(args.request, session.token) });
    } catch (error) {
      if (error instanceof LocalAuthError && error.code === 'identity_not_found') {
        const notFound: FormErrors = { email: 'No account uses this email. Check it, or sign up first.' };
        return json({ email, errors: notFound }, { status: 400 });
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
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting';
  const signUpHref = redirectUrl === '/app' ? '/sign-up' : `/sign-up?redirect_url=${encodeURIComponent(redirectUrl)}`;
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-bold">Sign in</h1>
      <p className="mt-2 text-sm text-slate-600">
        Local identity mode: no password, no Clerk account. Choose an identity or type its email.
      </p>
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
      <Form method="post" className="mt-8 space-y-4 rounded-lg border border-slate-200 bg-white p-6" noValidate>
        <FormErrorSummary message={actionData?.errors.form} />
        <input type="hidden" name="redirect_url" value={redirectUrl} />
        <TextField
          name="email"
          label="Email"
          type="email"
          autoComplete="email"
          required
          defaultValue={actionData?.email ?? ''}
          error={actionData?.errors.email}
        />
        <button type="submit" className={`${buttonClass} w-full`} disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </Form>
      <p className="mt-6 text-sm text-slate-600">
        No account yet?{' '}
        <Link to={signUpHref} className="font-medium text-indigo-700 underline">
          Sign up
        </Link>
      </p>
    </div>
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
