// The owner's sections of the collection page: rename or describe it, and delete it.
import { COLLECTION_LIMITS } from '@deal-brain/shared/field-limits';
import { Form } from '@remix-run/react';
import { FormErrors, TextAreaField, TextField, buttonClass } from '~/components/fields';
import { Disclosure, type ActionErrors, type FormValues } from './collection-ui';

export function SettingsSection({
  name,
  description,
  errors,
  values,
  busy,
}: {
  name: string;
  description: string | null;
  errors: ActionErrors;
  values: FormValues;
  busy: boolean;
}) {
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <Disclosure title="Rename or describe" testId="rename-section" open={hasErrors}>
      <Form method="post" noValidate className="space-y-4 border-t border-slate-200 p-4 sm:p-6">
        <FormErrors message={errors.form ?? null} />
        <TextField
          name="name"
          label="Name"
          required
          maxLength={COLLECTION_LIMITS.nameLength}
          defaultValue={hasErrors ? (values.name ?? '') : name}
          error={errors.name}
        />
        <TextAreaField
          name="description"
          label="Description (optional)"
          rows={2}
          maxLength={COLLECTION_LIMITS.descriptionLength}
          defaultValue={hasErrors ? (values.description ?? '') : (description ?? '')}
          error={errors.description}
        />
        <button type="submit" name="intent" value="update" className={buttonClass} disabled={busy}>
          Save
        </button>
      </Form>
    </Disclosure>
  );
}

/** Deleting takes a second, deliberate click inside the disclosure; no JavaScript needed. */
export function DeleteSection({ name, errors, busy }: { name: string; errors: ActionErrors; busy: boolean }) {
  return (
    <Disclosure title="Delete this collection" testId="delete-section" danger>
      <div className="border-t border-red-200 p-4 sm:p-6">
        <p className="text-sm text-slate-700">
          <strong>{name}</strong> will be deleted with its notes and shares. The listings themselves stay in their
          owners&apos; lists. This cannot be undone.
        </p>
        <FormErrors message={errors.form ?? null} />
        <Form method="post" className="mt-4 flex flex-wrap gap-3">
          <button
            type="submit"
            name="intent"
            value="delete"
            disabled={busy}
            className="inline-flex items-center rounded-md bg-red-700 px-4 py-2 text-sm font-semibold text-white hover:bg-red-600"
          >
            Delete collection
          </button>
        </Form>
      </div>
    </Disclosure>
  );
}
