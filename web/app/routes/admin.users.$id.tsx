import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { requireUser } from '~/auth/auth.server';
import { AuditTable, RoleBadge, StatusBadge } from '~/components/admin-ui';
import {
  ConfirmUserAction,
  USER_ACTIONS,
  UserActions,
  actionView,
  isUserActionIntent,
  type UserActionIntent,
} from '~/components/admin-user-actions';
import { Notice } from '~/components/collection-ui';
import {
  AdminUserQuery,
  DeactivateUserMutation,
  ReactivateUserMutation,
  SetUserRoleMutation,
} from '~/graphql/admin.server';
import { createApi, type Api, type MutationResult } from '~/graphql/client.server';
import { auditPath, auditRow } from '~/lib/admin-audit.server';
import { adminDate, adminDateTime } from '~/lib/admin-format.server';
import { fullName, parseUserAction, userGlobalId } from '~/lib/admin-users.server';
import { guarded } from '~/lib/guard.server';
import { notFound } from '~/lib/not-found.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.user.name ?? data.user.email ?? 'User'} · Admin · Deal Brain` : 'User · Admin · Deal Brain' },
];

/** The actions that can apply to this user, for this admin: never a self-demotion or a self-deactivation. */
function availableActions(
  user: { role: string; active: boolean; deleted: boolean },
  self: boolean,
): UserActionIntent[] {
  if (user.deleted) return [];
  const actions: UserActionIntent[] = [];
  if (user.role === 'ADMIN') {
    if (!self) actions.push('remove-admin');
  } else {
    actions.push('make-admin');
  }
  if (user.active) {
    if (!self) actions.push('deactivate');
  } else {
    actions.push('reactivate');
  }
  return actions;
}

export const loader = (args: LoaderFunctionArgs) =>
  guarded(args.request, async () => {
    const session = await requireUser(args);
    const id = userGlobalId(args.params.id);
    if (!id) throw notFound(args.request, session.headers);
    const { viewer, user } = await createApi(session, args.request).query(AdminUserQuery, { id });
    if (!user) throw notFound(args.request, session.headers);

    const uuid = args.params.id!.toLowerCase();
    const params = new URL(args.request.url).searchParams;
    const self = user.id === viewer.id;
    const deleted = user.status === 'DELETED';
    const actions = availableActions({ role: user.role, active: user.active, deleted }, self).map(actionView);
    const confirm = params.get('confirm');
    const notice = params.get('notice');
    return json(
      {
        basePath: `/admin/users/${uuid}`,
        self,
        user: {
          name: fullName(user),
          email: user.email ?? null,
          role: user.role,
          status: user.status,
          lastSignInAt: adminDateTime(user.lastSignInAt ?? null),
          createdAt: adminDate(user.createdAt),
          updatedAt: adminDateTime(user.updatedAt),
          deletedAt: adminDateTime(user.deletedAt ?? null),
          listingCount: user.listingCount,
          collectionCount: user.collectionCount,
          apiKeyCount: user.apiKeyCount,
        },
        deleted,
        actions,
        confirm: actions.find((action) => action.intent === confirm) ?? null,
        notice: isUserActionIntent(notice) ? USER_ACTIONS[notice].notice : null,
        events: user.auditEvents.edges.map(({ node }) => auditRow(node)),
        links: {
          subjectEvents: auditPath({ subject: uuid }),
          actorEvents: auditPath({ actor: uuid }),
        },
      },
      { headers: session.headers },
    );
  });

type ActionData = {
  intent: UserActionIntent | null;
  reason: string;
  errors: { reason?: string | undefined; form?: string | undefined };
};

/** The mutation of each action; the API's rules (guards, a deleted account) come back as form errors. */
function runAction(api: Api, intent: UserActionIntent, userId: string, reason: string) {
  const options = { rulesAsFormErrors: true };
  switch (intent) {
    case 'make-admin':
    case 'remove-admin':
      return api.mutate(
        SetUserRoleMutation,
        { input: { userId, role: intent === 'make-admin' ? 'ADMIN' : 'USER', reason } },
        options,
      );
    case 'deactivate':
      return api.mutate(DeactivateUserMutation, { input: { userId, reason } }, options);
    case 'reactivate':
      return api.mutate(ReactivateUserMutation, { input: { userId, reason } }, options);
  }
}

/** An API that cannot answer at all is a short message in the form, not an error page. */
async function shownInForm(run: () => Promise<MutationResult<unknown>>): Promise<MutationResult<unknown>> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof Response && (error.status === 502 || error.status === 503)) {
      return {
        ok: false,
        fieldErrors: {},
        pathErrors: {},
        formError: 'The change could not be made right now. Nothing changed; please try again in a moment.',
      };
    }
    throw error;
  }
}

export const action = (args: ActionFunctionArgs) =>
  guarded(args.request, async () => {
    const session = await requireUser(args);
    const answer = (data: ActionData, status: number) => json<ActionData>(data, { status, headers: session.headers });
    const userId = userGlobalId(args.params.id);
    if (!userId) throw notFound(args.request, session.headers);
    const parsed = parseUserAction(await args.request.formData());
    if (!parsed.ok) return answer({ intent: parsed.intent, reason: parsed.reason, errors: parsed.errors }, 400);

    const api = createApi(session, args.request);
    const result = await shownInForm(() => runAction(api, parsed.intent, userId, parsed.reason));
    if (result.ok) {
      return redirect(`/admin/users/${args.params.id!.toLowerCase()}?notice=${parsed.intent}`, {
        headers: session.headers,
      });
    }
    const { reason: reasonError, ...others } = result.fieldErrors;
    const form = result.formError ?? Object.values(others)[0] ?? (reasonError ? undefined : 'That did not work.');
    return answer({ intent: parsed.intent, reason: parsed.reason, errors: { reason: reasonError, form } }, 400);
  });

function Stat({ label, value, testId }: { label: string; value: string | number; testId?: string }) {
  return (
    <div>
      <dt className="text-xs font-semibold uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-1" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

export default function AdminUser() {
  const data = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const settled = useActionData<typeof action>();
  const actionData = navigation.state === 'idle' ? settled : undefined;
  const busy = navigation.state === 'submitting';
  const { user } = data;

  // A failed post keeps its confirmation open, with the reason as typed and the API's message; it is
  // shown even for an action the page does not offer (a crafted post), so a refusal never looks like a crash.
  const failed = actionData?.intent ? actionData : null;
  const confirming = failed ? actionView(failed.intent!) : data.confirm;

  return (
    <div className="max-w-5xl">
      <p className="text-sm">
        <Link to="/admin" className="font-medium text-indigo-700 underline">
          ← Users
        </Link>
      </p>
      <h1 className="mt-2 text-2xl font-bold">
        <span data-testid="user-name">{user.name ?? user.email ?? 'Unnamed user'}</span>
        {data.self ? <span className="ml-2 text-base font-normal text-slate-500">(you)</span> : null}
      </h1>
      {user.email ? <p className="mt-1 break-all text-slate-600">{user.email}</p> : null}
      {data.notice && !actionData ? <Notice>{data.notice}</Notice> : null}
      {actionData && !actionData.intent && actionData.errors.form ? (
        <p role="alert" className="mt-4 text-sm text-red-700" data-testid="user-action-error">
          {actionData.errors.form}
        </p>
      ) : null}

      <section aria-labelledby="account" className="mt-6 rounded-lg border border-slate-200 bg-white p-4 sm:p-6">
        <h2 id="account" className="text-lg font-semibold">
          Account
        </h2>
        <dl className="mt-4 grid grid-cols-2 gap-4 text-sm sm:grid-cols-3 lg:grid-cols-4">
          <div>
            <dt className="text-xs font-semibold uppercase tracking-wide text-slate-500">Role</dt>
            <dd className="mt-1" data-testid="user-role">
              <RoleBadge role={user.role} />
            </dd>
          </div>
          <div>
            <dt className="text-xs font-semibold uppercase tracking-wide text-slate-500">Status</dt>
            <dd className="mt-1" data-testid="user-status">
              <StatusBadge status={user.status} />
            </dd>
          </div>
          <Stat label="Last sign-in" value={user.lastSignInAt ?? 'Never'} />
          <Stat label="Joined" value={user.createdAt} />
          <Stat label="Listings" value={user.listingCount} testId="user-listing-count" />
          <Stat label="Collections" value={user.collectionCount} testId="user-collection-count" />
          <Stat label="API keys" value={user.apiKeyCount} testId="user-api-key-count" />
          <Stat label="Updated" value={user.updatedAt} />
          {user.deletedAt ? <Stat label="Deleted" value={user.deletedAt} /> : null}
        </dl>
        <UserActions actions={data.actions} basePath={data.basePath} deleted={data.deleted} />
        {confirming ? (
          <ConfirmUserAction
            key={confirming.intent}
            action={confirming}
            basePath={data.basePath}
            reason={failed?.reason ?? ''}
            errors={failed?.errors ?? {}}
            busy={busy}
          />
        ) : null}
      </section>

      <section aria-labelledby="activity" className="mt-6 rounded-lg border border-slate-200 bg-white p-4 sm:p-6">
        <h2 id="activity" className="text-lg font-semibold">
          Recent activity
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          The latest events about this user.{' '}
          <Link to={data.links.subjectEvents} className="font-medium text-indigo-700 underline">
            All events about this user
          </Link>{' '}
          ·{' '}
          <Link to={data.links.actorEvents} className="font-medium text-indigo-700 underline">
            Actions by this user
          </Link>
        </p>
        <AuditTable rows={data.events} caption="Recent events about this user, newest first" showSubject={false} />
      </section>
    </div>
  );
}
