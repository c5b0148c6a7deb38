import { LISTING_LIMITS } from '@deal-brain/shared/field-limits';
import { Form, Link, useNavigation } from '@remix-run/react';
import { currencyLabel, useAppearance } from '~/lib/appearance';
import { FormErrors, SelectField, TextAreaField, TextField, buttonClass, secondaryButtonClass } from './fields';

type Values = Partial<Record<string, string>>;
type Errors = Partial<Record<string, string>>;

export interface ListingFormProps {
  values: Values;
  errors: Errors;
  conditions: { value: string; label: string }[];
  submitLabel: string;
}

/** Create and edit share this form; it posts to its route's action and works without JavaScript. */
export function ListingForm({ values, errors, conditions, submitLabel }: ListingFormProps) {
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting';
  const hasErrors = Object.keys(errors).length > 0;
  const { currency } = useAppearance();
  return (
    <Form method="post" noValidate className="space-y-5 rounded-lg border border-slate-200 bg-white p-4 sm:p-6">
      <FormErrors message={errors.form ?? (hasErrors ? 'Please correct the fields marked below.' : null)} />
      <TextField
        name="title"
        label="Title"
        required
        maxLength={LISTING_LIMITS.titleLength}
        defaultValue={values.title ?? ''}
        error={errors.title}
      />
      <div className="grid gap-5 sm:grid-cols-2">
        <TextField
          name="price"
          label="Price"
          inputMode="decimal"
          required
          hint={`In ${currencyLabel(currency)}, e.g. 249.99`}
          defaultValue={values.price ?? ''}
          error={errors.price}
        />
        <SelectField name="condition" label="Condition" defaultValue={values.condition ?? ''} error={errors.condition}>
          <option value="">Not specified</option>
          {conditions.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </SelectField>
      </div>
      <TextField
        name="url"
        label="Listing URL"
        type="url"
        inputMode="url"
        placeholder="https://"
        defaultValue={values.url ?? ''}
        error={errors.url}
      />
      <div className="grid gap-5 sm:grid-cols-2">
        <TextField name="cpu" label="CPU" defaultValue={values.cpu ?? ''} error={errors.cpu} />
        <TextField name="gpu" label="GPU" defaultValue={values.gpu ?? ''} error={errors.gpu} />
        <TextField
          name="ramGb"
          label="RAM (GB)"
          inputMode="numeric"
          defaultValue={values.ramGb ?? ''}
          error={errors.ramGb}
        />
        <TextField
          name="storageGb"
          label="Storage (GB)"
          inputMode="numeric"
          defaultValue={values.storageGb ?? ''}
          error={errors.storageGb}
        />
      </div>
      <TextAreaField name="notes" label="Notes" defaultValue={values.notes ?? ''} error={errors.notes} />
      <div className="flex flex-wrap gap-3">
        <button type="submit" className={buttonClass} disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
        <Link to="/app" className={secondaryButtonClass}>
          Cancel
        </Link>
      </div>
    </Form>
  );
}
