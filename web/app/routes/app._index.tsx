import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData, useSearchParams } from '@remix-run/react';
import { requireUser } from '~/auth/auth.server';
import { DataTable, type Column } from '~/components/data-table';
import { Pagination } from '~/components/pagination';
import { createApi } from '~/graphql/client.server';
import { ListingOrderOptionsQuery, ListingsQuery } from '~/graphql/listings.server';
import { useMoney } from '~/lib/appearance';
import { guarded } from '~/lib/guard.server';
import { CONDITIONS, pageSize } from '~/lib/listing-form.server';
import {
  ORDER_FIELDS,
  ORDER_LABELS,
  formatDelta,
  formatScore,
  listingsHref,
  orderParam,
  usableOrder,
  type OrderParam,
} from '~/lib/listing-order';

export const meta: MetaFunction = () => [{ title: 'Your listings · Deal Brain' }];

export const loader = (args: LoaderFunctionArgs) =>
  guarded(args.request, async () => {
    const session = await requireUser(args);
    const url = new URL(args.request.url);
    const size = pageSize(url.searchParams.get('size'));
    const api = createApi(session, args.request);
    // Ordering by score or by deal needs a default profile or an active ruleset (the API refuses the
    // order without one): ask first, and fall back to newest first, without the other order's cursors.
    const requested = orderParam(url.searchParams.get('order'));
    let order: OrderParam = 'created';
    if (requested !== 'created') {
      const options = await api.query(ListingOrderOptionsQuery, {});
      order = usableOrder(requested, {
        score: Boolean(options.defaultScoringProfile),
        delta: Boolean(options.activeValuationRuleset),
      });
    }
    const after = order === requested ? url.searchParams.get('after') : null;
    const before = order === requested ? url.searchParams.get('before') : null;
    const page = before ? { last: size, before } : { first: size, after };
    const variables = order === 'created' ? page : { ...page, orderBy: { field: ORDER_FIELDS[order] } };
    const data = await api.query(ListingsQuery, variables);
    const conditionLabels = Object.fromEntries(CONDITIONS.map((option) => [option.value, option.label]));
    return json(
      {
        isAdmin: data.viewer.role === 'ADMIN',
        order,
        orderUnavailable: order !== requested,
        scoringProfile: data.defaultScoringProfile,
        valuationRuleset: data.activeValuationRuleset,
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
  { label: 'Score', numeric: true },
  { label: 'Value', numeric: true },
  { label: 'Actions', visuallyHidden: true },
];

const CAPTIONS: Record<OrderParam, string> = {
  created: 'Your listings, newest first',
  score: 'Your listings, highest score first',
  delta: 'Your listings, best deal first (value above asking price)',
};

const DELTA_CLASSES = {
  positive: 'text-green-700',
  negative: 'text-red-700',
  zero: 'text-slate-500',
} as const;

/** Newest / Score / Best deal: links (a GET each, no JavaScript needed), the current one marked. */
function OrderControl({
  order,
  available,
  size,
}: {
  order: OrderParam;
  available: Record<OrderParam, boolean>;
  size: number;
}) {
  const orders = (['created', 'score', 'delta'] as const).filter((option) => available[option]);
  if (orders.length < 2) return null;
  return (
    <nav aria-label="Order listings" className="flex flex-wrap items-center gap-2 text-sm">
      <span className="text-slate-600">Order by</span>
      {orders.map((option) => (
        <Link
          key={option}
          to={listingsHref(option, { size })}
          aria-current={option === order ? 'true' : undefined}
          className={
            option === order
              ? 'rounded-full bg-indigo-600 px-3 py-1 font-semibold text-white'
              : 'rounded-full border border-slate-300 bg-white px-3 py-1 font-medium text-slate-700 hover:bg-slate-50'
          }
        >
          {ORDER_LABELS[option]}
        </Link>
      ))}
    </nav>
  );
}

export default function Listings() {
  const {
    listings,
    totalCount,
    pageInfo,
    paged,
    size,
    isAdmin,
    order,
    orderUnavailable,
    scoringProfile,
    valuationRuleset,
  } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const money = useMoney();
  const notice = NOTICES[params.get('notice') ?? ''];
  const byCreation = order === 'created';
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

      {orderUnavailable ? (
        <p role="status" className="mt-4 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
          {params.get('order') === 'score'
            ? 'You have no default scoring profile to order by, so listings are shown newest first.'
            : 'You have no active valuation ruleset to order by, so listings are shown newest first.'}
        </p>
      ) : null}

      {listings.length > 0 || paged ? (
        <div className="mt-6 flex flex-wrap items-center justify-between gap-3">
          <OrderControl
            order={order}
            available={{ created: true, score: Boolean(scoringProfile), delta: Boolean(valuationRuleset) }}
            size={size}
          />
          <p className="text-sm text-slate-600" data-testid="valuation-context">
            {scoringProfile ? (
              <>
                Scores under{' '}
                <Link
                  to={`/app/scoring/${encodeURIComponent(scoringProfile.id)}`}
                  className="font-medium text-indigo-700 underline"
                >
                  {scoringProfile.name}
                </Link>
              </>
            ) : (
              <Link to="/app/scoring" className="font-medium text-indigo-700 underline">
                Create a scoring profile to score listings
              </Link>
            )}
            <span aria-hidden="true"> · </span>
            {valuationRuleset ? (
              <>
                Values under{' '}
                <Link
                  to={`/app/valuation/${encodeURIComponent(valuationRuleset.id)}`}
                  className="font-medium text-indigo-700 underline"
                >
                  {valuationRuleset.name}
                </Link>
              </>
            ) : (
              <Link to="/app/valuation" className="font-medium text-indigo-700 underline">
                Create a valuation ruleset to value listings
              </Link>
            )}
          </p>
        </div>
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
        <DataTable caption={CAPTIONS[order]} columns={LISTING_COLUMNS} bodyTestId="listings">
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
              <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums" data-testid="listing-price">
                {money(listing.price)}
              </td>
              <td className="px-4 py-3">{listing.conditionLabel}</td>
              <td className="px-4 py-3">{listing.cpu ?? '—'}</td>
              <td className="px-4 py-3 text-right tabular-nums">{gb(listing.ramGb)}</td>
              <td className="px-4 py-3 text-right tabular-nums">{gb(listing.storageGb)}</td>
              <td className="px-4 py-3 text-right tabular-nums" data-testid="listing-score">
                {formatScore(listing.score)}
              </td>
              <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums" data-testid="listing-value">
                {listing.valuation ? (
                  <>
                    {money(listing.valuation.value)}
                    <span
                      className={`block text-xs font-semibold ${DELTA_CLASSES[formatDelta(listing.valuation.delta).tone]}`}
                      data-testid="listing-delta"
                    >
                      {formatDelta(listing.valuation.delta).text}
                      <span className="sr-only"> against the asking price</span>
                    </span>
                  </>
                ) : (
                  '—'
                )}
              </td>
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
            ? {
                to: listingsHref(order, { size, before: pageInfo.startCursor }),
                label: byCreation ? '← Newer' : '← Previous',
              }
            : null
        }
        next={
          (pageInfo.hasNextPage || (paged && params.has('before'))) && pageInfo.endCursor
            ? { to: listingsHref(order, { size, after: pageInfo.endCursor }), label: byCreation ? 'Older →' : 'Next →' }
            : null
        }
      />
    </div>
  );
}
