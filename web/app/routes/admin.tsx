import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { requireUser } from '~/auth/auth.server';
import { createApi } from '~/graphql/client.server';
import { UsersQuery } from '~/graphql/documents.server';
import { guarded } from '~/lib/guard.server';
import { pageSize } from '~/lib/listing-form.server';

export const meta: MetaFunction = () => [{ title: 'Admin · Deal Brain' }];

/** Admins only: the API answers FORBIDDEN to anyone else, which shows the "Not allowed" page. */
export const loader = (args: LoaderFunctionArgs) =>
  guarded(args.request, async () => {
    const session = await requireUser(args);
    const url = new URL(args.request.url);
    const after = url.searchParams.get('after');
    const { users } = await createApi(session, args.request).query(UsersQuery, {
      first: pageSize(url.searchParams.get('size')),
      after,
    });
    return json({ users, paged: Boolean(after) }, { headers: session.headers });
  });

export default function Admin() {
  const { users, paged } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1 className="text-2xl font-bold">Users</h1>
      <p className="mt-1 text-sm text-slate-600">{users.totalCount} users</p>
      <div className="relative mt-6 overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-[44rem] w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">Every user, newest first</caption>
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-3">
                Name
              </th>
              <th scope="col" className="px-4 py-3">
                Email
              </th>
              <th scope="col" className="px-4 py-3">
                Role
              </th>
              <th scope="col" className="px-4 py-3">
                Joined
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {users.edges.map(({ node }) => (
              <tr key={node.id}>
                <th scope="row" className="px-4 py-3 text-left font-medium">
                  {[node.firstName, node.lastName].filter(Boolean).join(' ') || '—'}
                </th>
                <td className="px-4 py-3">{node.email ?? '—'}</td>
                <td className="px-4 py-3">{node.role === 'ADMIN' ? 'Admin' : 'User'}</td>
                <td className="px-4 py-3">{node.createdAt.slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav aria-label="Pagination" className="mt-4 flex justify-between text-sm">
        {paged ? (
          <Link to="/admin" className="font-medium text-indigo-700 underline">
            ← First page
          </Link>
        ) : (
          <span />
        )}
        {users.pageInfo.hasNextPage && users.pageInfo.endCursor ? (
          <Link
            to={`/admin?after=${encodeURIComponent(users.pageInfo.endCursor)}`}
            className="font-medium text-indigo-700 underline"
          >
            Next →
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
