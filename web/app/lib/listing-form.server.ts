// Listing form → GraphQL input. Only shapes are checked here (a number where a number belongs); the
// rules (title required, price range, http(s) URLs…) are the API's, and its messages are shown as they are.
import type { CreateListingInput, ListingCondition } from '~/gql/graphql';
import { formText } from './form-text';

export const CONDITIONS: { value: ListingCondition; label: string }[] = [
  { value: 'NEW', label: 'New' },
  { value: 'LIKE_NEW', label: 'Like new' },
  { value: 'REFURBISHED', label: 'Refurbished' },
  { value: 'USED', label: 'Used' },
  { value: 'FOR_PARTS', label: 'For parts' },
];

export const LISTING_FIELDS = [
  'title',
  'price',
  'condition',
  'url',
  'cpu',
  'gpu',
  'ramGb',
  'storageGb',
  'notes',
] as const;
export type ListingField = (typeof LISTING_FIELDS)[number];
export type ListingFormValues = Record<ListingField, string>;
export type ListingFormErrors = Partial<Record<ListingField | 'form', string>>;

const DECIMAL = /^-?\d+(\.\d+)?$/;
const INTEGER = /^-?\d+$/;

function optional(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

export function parseListingForm(form: FormData): {
  values: ListingFormValues;
  input: CreateListingInput | null;
  errors: ListingFormErrors;
} {
  const values = Object.fromEntries(LISTING_FIELDS.map((field) => [field, formText(form, field)])) as ListingFormValues;
  const errors: ListingFormErrors = {};

  const price = values.price.trim().replace(/,/g, '');
  if (price === '') errors.price = 'Price is required';
  else if (!DECIMAL.test(price)) errors.price = 'Price must be a number, like 199.99';

  const integer = (field: 'ramGb' | 'storageGb', label: string): number | null => {
    const value = optional(values[field]);
    if (value === null) return null;
    if (!INTEGER.test(value)) {
      errors[field] = `${label} must be a whole number of GB`;
      return null;
    }
    return Number(value);
  };
  const ramGb = integer('ramGb', 'RAM');
  const storageGb = integer('storageGb', 'Storage');

  const condition = optional(values.condition);
  if (condition !== null && !CONDITIONS.some((option) => option.value === condition)) {
    errors.condition = 'Choose a condition from the list';
  }

  if (Object.keys(errors).length > 0) return { values, input: null, errors };
  return {
    values,
    errors,
    input: {
      // Sent as typed: an empty or blank title is the API's to refuse, with its own message.
      title: values.title,
      price,
      condition: condition as ListingCondition | null,
      url: optional(values.url),
      cpu: optional(values.cpu),
      gpu: optional(values.gpu),
      ramGb,
      storageGb,
      notes: optional(values.notes),
    },
  };
}

/** The page size of the listings table, from `?size=` (1–100, default 20). */
export function pageSize(param: string | null): number {
  const size = Number(param);
  return Number.isInteger(size) && size >= 1 && size <= 100 ? size : 20;
}
