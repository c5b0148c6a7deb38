// Listing input: the GraphQL input types and the zod rules that validate them.
import { LISTING_LIMITS } from '@deal-brain/shared/field-limits';
import { z } from 'zod';
import { ListingCondition } from '#src/generated/prisma/client.js';
import { builder } from '#src/graphql/builder.js';
import { ListingConditionEnum } from './listing.js';

const httpUrl = z
  .string()
  .max(LISTING_LIMITS.urlLength, `URL must be at most ${LISTING_LIMITS.urlLength} characters`)
  .refine((value) => {
    try {
      const { protocol } = new URL(value);
      return protocol === 'http:' || protocol === 'https:';
    } catch {
      return false;
    }
  }, 'URL must be an http or https address');

const price = z.string().refine(
  (value) => {
    const amount = Number(value);
    return amount >= 0 && amount <= LISTING_LIMITS.price;
  },
  `Price must be between 0 and ${LISTING_LIMITS.price.toLocaleString('en-US')}`,
);

const shortText = (label: string, max: number) => z.string().max(max, `${label} must be at most ${max} characters`);
const sizeGb = (label: string) =>
  z.number().int().min(0, `${label} cannot be negative`).max(LISTING_LIMITS.sizeGb, `${label} is too large`);

const listingFields = {
  title: z
    .string()
    .trim()
    .min(1, 'Title is required')
    .max(LISTING_LIMITS.titleLength, `Title must be at most ${LISTING_LIMITS.titleLength} characters`),
  url: httpUrl.nullish(),
  price,
  condition: z.enum(ListingCondition).nullish(),
  cpu: shortText('CPU', LISTING_LIMITS.partLength).nullish(),
  gpu: shortText('GPU', LISTING_LIMITS.partLength).nullish(),
  ramGb: sizeGb('RAM').nullish(),
  storageGb: sizeGb('Storage').nullish(),
  notes: shortText('Notes', LISTING_LIMITS.notesLength).nullish(),
};

export const createListingSchema = z.object(listingFields);
export const updateListingSchema = z
  .object({ ...listingFields, title: listingFields.title.optional(), price: price.optional() })
  .refine((input) => Object.keys(input).length > 0, 'Nothing to update');

/** The same fields for create and update; create requires a title and a price. */
function listingInputType(name: string, required: boolean, description?: string) {
  return builder.inputType(name, {
    ...(description ? { description } : {}),
    fields: (t) => ({
      title: t.string({ required }),
      url: t.string(),
      price: t.field({ type: 'Decimal', required }),
      condition: t.field({ type: ListingConditionEnum }),
      cpu: t.string(),
      gpu: t.string(),
      ramGb: t.int(),
      storageGb: t.int(),
      notes: t.string(),
    }),
  });
}

export const CreateListingInput = listingInputType('CreateListingInput', true);
export const UpdateListingInput = listingInputType(
  'UpdateListingInput',
  false,
  'Fields to change; omitted fields keep their value, null clears an optional field.',
);

type ListingInput = z.infer<typeof createListingSchema>;

/** Parsed input (title already trimmed) → Prisma data: condition is not nullable, so null keeps it. */
export function listingData<T extends Partial<ListingInput>>({ condition, ...rest }: T) {
  return { ...rest, ...(condition ? { condition } : {}) };
}
