import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react';
import { requireUser } from '~/auth/auth.server';
import { secondaryButtonClass } from '~/components/fields';
import { createApi } from '~/graphql/client.server';
import { DeleteListingMutation, ListingQuery } from '~/graphql/listings.server';
import { useMoney } from '~/lib/appearance';
import { guarded } from '~/lib/guard.server';
import { notFound } from '~/lib/not-found.server';

export const meta: MetaFunction = () => [{ title: 'Delete listing · Deal Brain' }];

export const loader = (args: LoaderFunctionArgs) =>
  guarded(args.request, async () => {
    const session = await requireUser(args);
    const { listing } = await createApi(session, args.request).query(ListingQuery, { id: args.params.id ?? '' });
    if (!listing) throw notFound(args.request, session.headers);
    return json(
      { listing: { id: listing.id, title: listing.title, price: listing.price } },
      { headers: session.headers },
    );
  });

export const action = (args: ActionFunctionArgs) =>
  guarded(args.request, async () => {
    const session = await requireUser(args);
    const result = await createApi(session, args.request).mutate(DeleteListingMutation, { id: args.params.id ?? '' });
    if (!result.ok) throw notFound(args.request, session.headers);
    return redirect('/app?notice=deleted', { headers: session.headers });
  });

/** A confirmation page, so deleting works (and is deliberate) without JavaScript. */
export default function DeleteListing() {
  const { listing } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === 'submitting';
  const money = useMoney();
  return (
    <div className="mx-auto max-w-xl">
      <h1 className="text-2xl font-bold">Delete this listing?</h1>
      <p className="mt-3 text-slate-700">
        <strong>{listing.title}</strong> ({money(listing.price)}) will be removed from your listings and from every
        collection it is in. This cannot be undone.
      </p>
      <Form method="post" className="mt-6 flex flex-wrap gap-3">
        <button
          type="submit"
          disabled={busy}
          className="inline-flex items-center rounded-md bg-red-700 px-4 py-2 text-sm font-semibold text-white hover:bg-red-600"
        >
          {busy ? 'Deleting…' : 'Delete listing'}
        </button>
        <Link to="/app" className={secondaryButtonClass}>
          Keep it
        </Link>
      </Form>
    </div>
  );
}
