import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { requireUser } from '~/auth/auth.server';
import { ListingForm } from '~/components/listing-form';
import { createApi } from '~/graphql/client.server';
import { CreateListingMutation } from '~/graphql/listings.server';
import { guarded } from '~/lib/guard.server';
import { CONDITIONS, parseListingForm } from '~/lib/listing-form.server';

export const meta: MetaFunction = () => [{ title: 'Add a listing · Deal Brain' }];

export const loader = (args: LoaderFunctionArgs) =>
  guarded(args.request, async () => {
    const { headers } = await requireUser(args);
    return json({ conditions: CONDITIONS }, { headers });
  });

export const action = (args: ActionFunctionArgs) =>
  guarded(args.request, async () => {
    const session = await requireUser(args);
    const { values, input, errors } = parseListingForm(await args.request.formData());
    if (!input) return json({ values, errors }, { status: 400, headers: session.headers });
    const result = await createApi(session, args.request).mutate(CreateListingMutation, { input });
    if (!result.ok) {
      const apiErrors = { ...result.fieldErrors, ...(result.formError ? { form: result.formError } : {}) };
      return json({ values, errors: apiErrors }, { status: 400, headers: session.headers });
    }
    return redirect('/app?notice=created', { headers: session.headers });
  });

export default function NewListing() {
  const { conditions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="mx-auto max-w-2xl">
      <h1 className="mb-6 text-2xl font-bold">Add a listing</h1>
      <ListingForm
        values={actionData?.values ?? {}}
        errors={actionData?.errors ?? {}}
        conditions={conditions}
        submitLabel="Add listing"
      />
    </div>
  );
}
