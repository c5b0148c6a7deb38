import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { requireUser } from '~/auth/auth.server';
import { ListingForm } from '~/components/listing-form';
import { createApi } from '~/graphql/client.server';
import { ListingQuery, UpdateListingMutation } from '~/graphql/listings.server';
import { guarded } from '~/lib/guard.server';
import { notFound } from '~/lib/not-found.server';
import { CONDITIONS, parseListingForm } from '~/lib/listing-form.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Edit ${data.listing.title} · Deal Brain` : 'Edit listing · Deal Brain' },
];

export const loader = (args: LoaderFunctionArgs) =>
  guarded(args.request, async () => {
    const session = await requireUser(args);
    const id = args.params.id ?? '';
    const { listing } = await createApi(session, args.request).query(ListingQuery, { id });
    if (!listing) throw notFound(args.request, session.headers);
    return json({ listing, conditions: CONDITIONS }, { headers: session.headers });
  });

export const action = (args: ActionFunctionArgs) =>
  guarded(args.request, async () => {
    const session = await requireUser(args);
    const { values, input, errors } = parseListingForm(await args.request.formData());
    if (!input) return json({ values, errors }, { status: 400, headers: session.headers });
    const id = args.params.id ?? '';
    const result = await createApi(session, args.request).mutate(UpdateListingMutation, { id, input });
    if (!result.ok) {
      const apiErrors = { ...result.fieldErrors, ...(result.formError ? { form: result.formError } : {}) };
      return json({ values, errors: apiErrors }, { status: 400, headers: session.headers });
    }
    return redirect('/app?notice=updated', { headers: session.headers });
  });

function asText(value: string | number | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

export default function EditListing() {
  const { listing, conditions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const values = actionData?.values ?? {
    title: listing.title,
    price: listing.price,
    condition: listing.condition,
    url: asText(listing.url),
    cpu: asText(listing.cpu),
    gpu: asText(listing.gpu),
    ramGb: asText(listing.ramGb),
    storageGb: asText(listing.storageGb),
    notes: asText(listing.notes),
  };
  return (
    <div className="mx-auto max-w-2xl">
      <h1 className="mb-6 text-2xl font-bold">Edit listing</h1>
      <ListingForm
        values={values}
        errors={actionData?.errors ?? {}}
        conditions={conditions}
        submitLabel="Save changes"
      />
    </div>
  );
}
