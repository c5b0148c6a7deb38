// Changing listings: create, update, delete — the owner's alone (RLS and an explicit owner filter).
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '#src/graphql/builder.js';
import { signedIn } from '#src/graphql/context.js';
import { isRecordNotFound, notFound } from '#src/graphql/errors.js';
import { ListingNode } from './listing.js';
import {
  CreateListingInput,
  UpdateListingInput,
  createListingSchema,
  listingData,
  updateListingSchema,
} from './listing-input.js';

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
