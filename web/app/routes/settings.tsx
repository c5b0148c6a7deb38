import { UserProfile } from '@clerk/remix';
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { authMode, requireUser } from '~/auth/auth.server';
import { createApi } from '~/graphql/client.server';
import { ViewerQuery } from '~/graphql/users.server';
import { guarded } from '~/lib/guard.server';

export const meta: MetaFunction = () => [{ title: 'Settings · Deal Brain' }];

export const loader = (args: LoaderFunctionArgs) =>
  guarded(args.request, async () => {
    const session = await requireUser(args);
    const { viewer } = await createApi(session, args.request).query(ViewerQuery, {});
    return json({ viewer, mode: authMode() }, { headers: session.headers });
  });

export default function Settings() {
  const { viewer, mode } = useLoaderData<typeof loader>();
  const name = [viewer.firstName, viewer.lastName].filter(Boolean).join(' ') || '—';
  return (
    <div className="mx-auto max-w-3xl">
      <h1 className="text-2xl font-bold">Settings</h1>
      <section aria-labelledby="profile" className="mt-6 rounded-lg border border-slate-200 bg-white p-6">
        <h2 id="profile" className="text-lg font-semibold">
          Profile
        </h2>
        <dl className="mt-4 grid gap-3 text-sm sm:grid-cols-[10rem_1fr]">
          <dt className="font-medium text-slate-600">Name</dt>
          <dd data-testid="settings-name">{name}</dd>
          <dt className="font-medium text-slate-600">Email</dt>
          <dd data-testid="settings-email">{viewer.email ?? '—'}</dd>
          <dt className="font-medium text-slate-600">Role</dt>
          <dd>{viewer.role === 'ADMIN' ? 'Administrator' : 'User'}</dd>
          <dt className="font-medium text-slate-600">Member since</dt>
          <dd>{new Date(viewer.createdAt).toLocaleDateString('en', { dateStyle: 'long', timeZone: 'UTC' })}</dd>
        </dl>
        {mode === 'local' ? (
          <p className="mt-4 text-sm text-slate-600">
            Local identity mode: the profile comes from the local identity provider.
          </p>
        ) : null}
      </section>
      {mode === 'clerk' ? (
        <section aria-label="Account managed by Clerk" className="mt-6">
          <UserProfile routing="hash" />
        </section>
      ) : null}
    </div>
  );
}
