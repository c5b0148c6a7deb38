import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { requireUser } from '~/auth/auth.server';
import { DataTable, type Column } from '~/components/data-table';
import { Pagination } from '~/components/pagination';
import { createApi } from '~/graphql/client.server';
import { UsersQuery } from '~/graphql/users.server';
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

const USER_COLUMNS: Column[] = [{ label: 'Name' }, { label: 'Email' }, { label: 'Role' }, { label: 'Joined' }];

export default function Admin() {
  const { users, paged } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1 className="text-2xl font-bold">Users</h1>
      <p className="mt-1 text-sm text-slate-600">{users.totalCount} users</p>
      <DataTable caption="Every user, newest first" columns={USER_COLUMNS}>
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
      </DataTable>
      <Pagination
        previous={paged ? { to: '/admin', label: '← First page' } : null}
        next={
          users.pageInfo.hasNextPage && users.pageInfo.endCursor
            ? { to: `/admin?after=${encodeURIComponent(users.pageInfo.endCursor)}`, label: 'Next →' }
            : null
        }
      />
    </div>
  );
}
