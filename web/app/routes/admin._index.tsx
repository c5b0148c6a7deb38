import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { ADMIN_LIMITS } from '@deal-brain/shared/field-limits';
import { RoleBadge, StatusBadge } from '~/components/admin-ui';
import { DataTable, type Column } from '~/components/data-table';
import { SelectField, TextField, buttonClass } from '~/components/fields';
import { Pagination, type PageLink } from '~/components/pagination';
import { requireUser } from '~/auth/auth.server';
import { UsersQuery } from '~/graphql/admin.server';
import { createApi } from '~/graphql/client.server';
import { adminDate, adminDateTime } from '~/lib/admin-format.server';
import {
  ORDER_OPTIONS,
  ROLE_OPTIONS,
  STATUS_OPTIONS,
  fullName,
  parseUsersSearch,
  userPath,
  usersPath,
  type UsersSearch,
} from '~/lib/admin-users.server';
import { guarded } from '~/lib/guard.server';

export const meta: MetaFunction = () => [{ title: 'Users · Admin · Deal Brain' }];

/** The link back: the page before this one, or the first page when the API cannot tell (paging forward). */
function previousPage(
  search: UsersSearch,
  pageInfo: { hasPreviousPage: boolean; startCursor?: string | null },
): PageLink | null {
  if (!search.paged) return null;
  if (pageInfo.hasPreviousPage && pageInfo.startCursor) {
    return { to: usersPath(search.values, { before: pageInfo.startCursor }), label: '← Previous' };
  }
  return { to: usersPath(search.values), label: '← First page' };
}

/** Admins only: the layout (routes/admin.tsx) shows anyone else the 403 page, and the API refuses them too. */
export const loader = (args: LoaderFunctionArgs) =>
  guarded(args.request, async () => {
    const session = await requireUser(args);
    const search = parseUsersSearch(new URL(args.request.url).searchParams);
    const { users } = await createApi(session, args.request).query(UsersQuery, search.variables);
    const { pageInfo } = users;
    return json(
      {
        values: search.values,
        totalCount: users.totalCount,
        rows: users.edges.map(({ node }) => ({
          id: node.id,
          path: userPath(node.id),
          name: fullName(node),
          email: node.email ?? null,
          role: node.role,
          status: node.status,
          lastSignInAt: adminDateTime(node.lastSignInAt ?? null),
          createdAt: adminDate(node.createdAt),
        })),
        previous: previousPage(search, pageInfo),
        next:
          pageInfo.hasNextPage && pageInfo.endCursor
            ? { to: usersPath(search.values, { after: pageInfo.endCursor }), label: 'Next →' }
            : null,
        filtered: usersPath(search.values) !== '/admin',
        options: {
          roles: ROLE_OPTIONS,
          statuses: STATUS_OPTIONS.map(({ value, label }) => ({ value, label })),
          orders: ORDER_OPTIONS.map(({ value, label }) => ({ value, label })),
        },
      },
      { headers: session.headers },
    );
  });

const COLUMNS: Column[] = [
  { label: 'Name' },
  { label: 'Email' },
  { label: 'Role' },
  { label: 'Status' },
  { label: 'Last sign-in' },
  { label: 'Joined' },
];

export default function AdminUsers() {
  const data = useLoaderData<typeof loader>();
  return (
    <div>
      <h1 className="text-2xl font-bold">Users</h1>
      <p className="mt-1 text-sm text-slate-600" data-testid="users-count">
        {data.totalCount === 1 ? '1 user' : `${data.totalCount} users`}
        {data.filtered ? ' match' : ''}
      </p>

      {/* A GET form: the filters live in the URL, so a filtered page can be bookmarked and works without JavaScript. */}
      <Form
        method="get"
        role="search"
        aria-label="Find users"
        className="mt-4 grid gap-4 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-[2fr_1fr_1fr_1fr_auto] lg:items-end"
      >
        <TextField
          name="q"
          label="Search"
          type="search"
          defaultValue={data.values.q}
          maxLength={ADMIN_LIMITS.searchLength}
          placeholder="Name or email"
        />
        <SelectField name="role" label="Role" defaultValue={data.values.role}>
          {data.options.roles.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </SelectField>
        <SelectField name="status" label="Status" defaultValue={data.values.status}>
          {data.options.statuses.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </SelectField>
        <SelectField name="order" label="Order" defaultValue={data.values.order}>
          {data.options.orders.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </SelectField>
        <div className="flex items-center gap-3">
          <button type="submit" className={buttonClass}>
            Search
          </button>
          {data.filtered ? (
            <Link to="/admin" className="text-sm font-medium text-slate-700 underline">
              Clear
            </Link>
          ) : null}
        </div>
      </Form>

      {data.rows.length === 0 ? (
        <p className="mt-6 text-sm text-slate-600" data-testid="users-empty">
          No users match.
        </p>
      ) : (
        <DataTable caption="Users" columns={COLUMNS} bodyTestId="users">
          {data.rows.map((row) => (
            <tr key={row.id} data-testid="user-row">
              <th scope="row" className="px-4 py-3 text-left font-medium">
                {row.path ? (
                  <Link to={row.path} className="text-indigo-700 underline">
                    {row.name ?? row.email ?? 'Unnamed user'}
                  </Link>
                ) : (
                  (row.name ?? '—')
                )}
              </th>
              <td className="px-4 py-3 break-all">{row.email ?? '—'}</td>
              <td className="px-4 py-3">
                <RoleBadge role={row.role} />
              </td>
              <td className="px-4 py-3">
                <StatusBadge status={row.status} />
              </td>
              <td className="whitespace-nowrap px-4 py-3">{row.lastSignInAt ?? 'Never'}</td>
              <td className="whitespace-nowrap px-4 py-3">{row.createdAt}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pagination previous={data.previous} next={data.next} />
    </div>
  );
}
