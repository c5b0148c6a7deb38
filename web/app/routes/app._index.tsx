import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData, useSearchParams } from '@remix-run/react';
import { requireUser } from '~/auth/auth.server';
import { DataTable, type Column } from '~/components/data-table';
import { Pagination } from '~/components/pagination';
import { createApi } from '~/graphql/client.server';
import { ListingsQuery } from '~/graphql/listings.server';
import { guarded } from '~/lib/guard.server';
import { CONDITIONS, pageSize } from '~/lib/listing-form.server';

export const meta: MetaFunction = () => [{ title: 'Your listings · Deal Brain' }];

export const loader = (args: LoaderFunctionArgs) =>
  guarded(args.request, async () => {
    const session = await requireUser(args);
    const url = new URL(args.request.url);
    const size = pageSize(url.searchParams.get('size'));
    const after = url.searchParams.get('after');
    const before = url.searchParams.get('before');
    const variables = before ? { last: size, before } : { first: size, after };
    const data = await createApi(session, args.request).query(ListingsQuery, variables);
    const conditionLabels = Object.fromEntries(CONDITIONS.map((option) => [option.value, option.label]));
    return json(
      {
        isAdmin: data.viewer.role === 'ADMIN',
        totalCount: data.listings.totalCount,
        pageInfo: data.listings.pageInfo,
        paged: Boolean(after || before),
        size,
        listings: data.listings.edges.map(({ node }) => ({
          ...node,
          conditionLabel: conditionLabels[node.condition] ?? node.condition,
        })),
      },
      { headers: session.headers },
    );
  });

const NOTICES: Record<string, string> = {
  created: 'Listing added.',
  updated: 'Listing saved.',
  deleted: 'Listing deleted.',
};

function gb(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return value >= 1000 && value % 1000 === 0 ? `${value / 1000} TB` : `${value} GB`;
}

const LISTING_COLUMNS: Column[] = [
  { label: 'Title' },
  { label: 'Price', numeric: true },
  { label: 'Condition' },
  { label: 'CPU' },
  { label: 'RAM', numeric: true },
  { label: 'Storage', numeric: true },
  { label: 'Actions', visuallyHidden: true },
];

export default function Listings() {
  const { listings, totalCount, pageInfo, paged, size, isAdmin } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const notice = NOTICES[params.get('notice') ?? ''];
  const sizeParam = size === 20 ? '' : `&size=${size}`;
  return (
    <div>
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold">Your listings</h1>
          <p className="mt-1 text-sm text-slate-600" data-testid="listing-count">
            {totalCount === 1 ? '1 listing' : `${totalCount} listings`}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          {isAdmin ? (
            <Link
              to="/admin"
              className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-semibold hover:bg-slate-50"
            >
              Admin
            </Link>
          ) : null}
          <Link
            to="/app/listings/new"
            className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500"
          >
            Add a listing
          </Link>
        </div>
      </div>

      {notice ? (
        <p role="status" className="mt-4 rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-800">
          {notice}
        </p>
      ) : null}

      {listings.length === 0 && !paged ? (
        <div
          className="mt-8 rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center"
          data-testid="empty-state"
        >
          <h2 className="text-lg font-semibold">No listings yet</h2>
          <p className="mt-2 text-sm text-slate-600">Add the first deal you are watching to start comparing.</p>
          <Link
            to="/app/listings/new"
            className="mt-4 inline-block rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white"
          >
            Add a listing
          </Link>
        </div>
      ) : (
        <DataTable caption="Your listings, newest first" columns={LISTING_COLUMNS} bodyTestId="listings">
          {listings.map((listing) => (
            <tr key={listing.id} data-testid="listing-row">
              <th scope="row" className="max-w-xs px-4 py-3 text-left font-medium">
                {listing.url && /^https?:\/\//i.test(listing.url) ? (
                  <a
                    href={listing.url}
                    className="text-indigo-700 underline"
                    rel="noopener noreferrer nofollow"
                    target="_blank"
                  >
                    {listing.title}
                    <span className="sr-only"> (opens the listing in a new tab)</span>
                  </a>
                ) : (
                  listing.title
                )}
              </th>
              <td className="px-4 py-3 text-right tabular-nums">{listing.price}</td>
              <td className="px-4 py-3">{listing.conditionLabel}</td>
              <td className="px-4 py-3">{listing.cpu ?? '—'}</td>
              <td className="px-4 py-3 text-right tabular-nums">{gb(listing.ramGb)}</td>
              <td className="px-4 py-3 text-right tabular-nums">{gb(listing.storageGb)}</td>
              <td className="whitespace-nowrap px-4 py-3 text-right">
                <Link
                  to={`/app/listings/${encodeURIComponent(listing.id)}/edit`}
                  className="font-medium text-indigo-700 underline"
                >
                  Edit<span className="sr-only"> {listing.title}</span>
                </Link>
                <Link
                  to={`/app/listings/${encodeURIComponent(listing.id)}/delete`}
                  className="ml-4 font-medium text-red-700 underline"
                >
                  Delete<span className="sr-only"> {listing.title}</span>
                </Link>
              </td>
            </tr>
          ))}
        </DataTable>
      )}

      <Pagination
        previous={
          paged && (pageInfo.hasPreviousPage || params.has('after')) && pageInfo.startCursor
            ? { to: `/app?before=${encodeURIComponent(pageInfo.startCursor)}${sizeParam}`, label: '← Newer' }
            : null
        }
        next={
          (pageInfo.hasNextPage || params.has('before')) && pageInfo.endCursor
            ? { to: `/app?after=${encodeURIComponent(pageInfo.endCursor)}${sizeParam}`, label: 'Older →' }
            : null
        }
      />
    </div>
  );
}
