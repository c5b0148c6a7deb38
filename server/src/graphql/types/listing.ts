import { encodeGlobalID } from '@pothos/plugin-relay';
import { Kind, type GraphQLResolveInfo } from 'graphql';
import { z } from 'zod';
import { ListingCondition, Prisma } from '#src/generated/prisma/client.js';
import { builder } from '../builder.js';
import { signedIn } from '../context.js';
import { notFound } from '../errors.js';

export const ListingConditionEnum = builder.enumType(ListingCondition, { name: 'ListingCondition' });

export const ListingNode = builder.prismaNode('Listing', {
  id: { field: 'id' },
  // A row hidden by RLS or missing is null, like any unknown id.
  nullable: true,
  fields: (t) => ({
    title: t.exposeString('title'),
    url: t.exposeString('url', { nullable: true }),
    price: t.expose('price', { type: 'Decimal' }),
    condition: t.expose('condition', { type: ListingConditionEnum }),
    cpu: t.exposeString('cpu', { nullable: true }),
    gpu: t.exposeString('gpu', { nullable: true }),
    ramGb: t.exposeInt('ramGb', { nullable: true }),
    storageGb: t.exposeInt('storageGb', { nullable: true }),
    notes: t.exposeString('notes', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

// ── validation ───────────────────────────────────────────────────────────────────────────────
const MAX_PRICE = 10_000_000;

const httpUrl = z
  .string()
  .max(2048, 'URL must be at most 2048 characters')
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
    return amount >= 0 && amount <= MAX_PRICE;
  },
  `Price must be between 0 and ${MAX_PRICE.toLocaleString('en-US')}`,
);

const shortText = (label: string, max: number) => z.string().max(max, `${label} must be at most ${max} characters`);
const sizeGb = (label: string) =>
  z.number().int().min(0, `${label} cannot be negative`).max(1_000_000, `${label} is too large`);

const listingFields = {
  title: z.string().trim().min(1, 'Title is required').max(200, 'Title must be at most 200 characters'),
  url: httpUrl.nullish(),
  price,
  condition: z.enum(ListingCondition).nullish(),
  cpu: shortText('CPU', 200).nullish(),
  gpu: shortText('GPU', 200).nullish(),
  ramGb: sizeGb('RAM').nullish(),
  storageGb: sizeGb('Storage').nullish(),
  notes: shortText('Notes', 5000).nullish(),
};

const createListingSchema = z.object(listingFields);
const updateListingSchema = z
  .object({ ...listingFields, title: listingFields.title.optional(), price: price.optional() })
  .refine((input) => Object.keys(input).length > 0, 'Nothing to update');

// ── inputs ───────────────────────────────────────────────────────────────────────────────────
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

const CreateListingInput = listingInputType('CreateListingInput', true);
const UpdateListingInput = listingInputType(
  'UpdateListingInput',
  false,
  'Fields to change; omitted fields keep their value, null clears an optional field.',
);

type ListingInput = z.infer<typeof createListingSchema>;

/** Parsed input (title already trimmed) → Prisma data: condition is not nullable, so null keeps it. */
function listingData<T extends Partial<ListingInput>>({ condition, ...rest }: T) {
  return { ...rest, ...(condition ? { condition } : {}) };
}

function isRecordNotFound(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025';
}

/** Whether the field's selection asks for `name` (fragment spreads are assumed to). */
function selects(info: GraphQLResolveInfo, name: string): boolean {
  return info.fieldNodes.some((node) =>
    (node.selectionSet?.selections ?? []).some(
      (selection) =>
        selection.kind === Kind.FRAGMENT_SPREAD ||
        selection.kind === Kind.INLINE_FRAGMENT ||
        (selection.kind === Kind.FIELD && selection.name.value === name),
    ),
  );
}

/** Read-ahead counts are keyed by their filter: aliases with other filters get their own. */
const countKey = (where: object) => `listings.totalCount:${JSON.stringify(where)}`;

// ── queries ──────────────────────────────────────────────────────────────────────────────────
builder.queryFields((t) => ({
  listings: t.prismaConnection(
    {
      type: 'Listing',
      cursor: 'id',
      description: "The viewer's own listings, newest first.",
      authScopes: { signedIn: true },
      defaultSize: 20,
      maxSize: 100,
      totalCount: (_parent, _args, ctx) => {
        const { db, viewer } = signedIn(ctx);
        const where = { ownerId: viewer.userId };
        const readAhead = ctx.readAhead.get(countKey(where));
        if (typeof readAhead === 'number') return readAhead;
        return db.listing.count({ where });
      },
      resolve: async (query, _root, _args, ctx, info) => {
        const { db, viewer } = signedIn(ctx);
        // RLS is the guarantee; the explicit owner filter is what lets the owner index serve it.
        const where = { ownerId: viewer.userId };
        const page = db.listing.findMany({ ...query, where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
        if (!selects(info, 'totalCount')) return page;
        // The count alongside the page, not after it: two round trips at once instead of in turn.
        const [rows, count] = await Promise.all([page, db.listing.count({ where })]);
        ctx.readAhead.set(countKey(where), count);
        return rows;
      },
    },
    { name: 'ListingConnection' },
    { name: 'ListingEdge' },
  ),
  listing: t.prismaField({
    type: 'Listing',
    nullable: true,
    description: 'A listing the viewer can see, or null.',
    authScopes: { signedIn: true },
    args: { id: t.arg.globalID({ for: ListingNode, required: true }) },
    // findFirst, not findUnique: its RLS context rides in the query's own round trip (rls.ts).
    resolve: (query, _root, args, ctx) => signedIn(ctx).db.listing.findFirst({ ...query, where: { id: args.id.id } }),
  }),
}));

// ── mutations ────────────────────────────────────────────────────────────────────────────────
const CreateListingPayload = builder.objectRef<{ listingId: string }>('CreateListingPayload');
const UpdateListingPayload = builder.objectRef<{ listingId: string }>('UpdateListingPayload');
for (const payload of [CreateListingPayload, UpdateListingPayload]) {
  payload.implement({
    fields: (t) => ({
      listing: t.prismaField({
        type: 'Listing',
        resolve: (query, parent, _args, ctx) =>
          signedIn(ctx).db.listing.findFirstOrThrow({ ...query, where: { id: parent.listingId } }),
      }),
    }),
  });
}
const DeleteListingPayload = builder.objectRef<{ deletedListingId: string }>('DeleteListingPayload').implement({
  fields: (t) => ({
    deletedListingId: t.exposeID('deletedListingId', { description: 'Global id of the deleted listing.' }),
  }),
});

builder.mutationFields((t) => ({
  createListing: t.field({
    type: CreateListingPayload,
    authScopes: { signedIn: true },
    args: { input: t.arg({ type: CreateListingInput, required: true, validate: { schema: createListingSchema } }) },
    resolve: async (_root, args, ctx) => {
      const { db, viewer } = signedIn(ctx);
      const input = createListingSchema.parse(args.input);
      const listing = await db.listing.create({
        data: { ...listingData(input), ownerId: viewer.userId },
        select: { id: true },
      });
      return { listingId: listing.id };
    },
  }),
  updateListing: t.field({
    type: UpdateListingPayload,
    authScopes: { signedIn: true },
    args: {
      id: t.arg.globalID({ for: ListingNode, required: true }),
      input: t.arg({ type: UpdateListingInput, required: true, validate: { schema: updateListingSchema } }),
    },
    resolve: async (_root, args, ctx) => {
      const { db, viewer } = signedIn(ctx);
      const input = updateListingSchema.parse(args.input);
      try {
        await db.listing.update({
          where: { id: args.id.id, ownerId: viewer.userId },
          data: listingData(input),
          select: { id: true },
        });
      } catch (error) {
        if (isRecordNotFound(error)) throw notFound('Listing');
        throw error;
      }
      return { listingId: args.id.id };
    },
  }),
  deleteListing: t.field({
    type: DeleteListingPayload,
    authScopes: { signedIn: true },
    args: { id: t.arg.globalID({ for: ListingNode, required: true }) },
    resolve: async (_root, args, ctx) => {
      const { db, viewer } = signedIn(ctx);
      const { count } = await db.listing.deleteMany({ where: { id: args.id.id, ownerId: viewer.userId } });
      if (count === 0) throw notFound('Listing');
      return { deletedListingId: encodeGlobalID('Listing', args.id.id) };
    },
  }),
}));
