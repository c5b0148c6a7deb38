// "Add a listing": one of the viewer's own listings (with an optional note) into the collection.
import { COLLECTION_LIMITS } from '@deal-brain/shared/field-limits';
import { Form, Link } from '@remix-run/react';
import { FormErrors, SelectField, TextAreaField, buttonClass } from '~/components/fields';
import { useMoney } from '~/lib/appearance';
import { Disclosure, type ActionErrors, type FormValues } from './collection-ui';

export function AddListing({
  addable,
  ownListingCount,
  errors,
  values,
  busy,
}: {
  addable: { id: string; title: string; price: string }[];
  ownListingCount: number;
  errors: ActionErrors;
  values: FormValues;
  busy: boolean;
}) {
  const hasErrors = Object.keys(errors).length > 0;
  const money = useMoney();
  return (
    <Disclosure title="Add a listing" testId="add-listing" open={hasErrors}>
      <div className="border-t border-slate-200 p-4 sm:p-6">
        <p
          className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900"
          data-testid="add-warning"
        >
          Everyone who can see this collection will be able to see this listing.
        </p>
        {addable.length === 0 ? (
          <p className="mt-4 text-sm text-slate-700" data-testid="nothing-to-add">
            {ownListingCount === 0
              ? 'You have no listings yet. '
              : 'All your listings are already in this collection. '}
            <Link to="/app/listings/new" className="font-medium text-indigo-700 underline">
              Add a listing to your list
            </Link>
            {' first.'}
          </p>
        ) : (
          <Form method="post" noValidate className="mt-4 space-y-4">
            <FormErrors message={errors.form ?? null} />
            <SelectField
              name="listingId"
              label="Listing"
              required
              defaultValue={values.listingId ?? ''}
              error={errors.listingId}
            >
              <option value="">Choose one of your listings</option>
              {addable.map((listing) => (
                <option key={listing.id} value={listing.id}>
                  {`${listing.title} (${money(listing.price)})`}
                </option>
              ))}
            </SelectField>
            <TextAreaField
              name="note"
              label="Note (optional)"
              rows={2}
              maxLength={COLLECTION_LIMITS.noteLength}
              defaultValue={values.note ?? ''}
              error={errors.note}
            />
            <button type="submit" name="intent" value="add-item" className={buttonClass} disabled={busy}>
              Add to collection
            </button>
          </Form>
        )}
      </div>
    </Disclosure>
  );
}
