// Adding, removing, moving and annotating items: the owner and EDIT grantees. A VIEW grantee (or an
// admin, who reads everything) gets FORBIDDEN; someone who cannot read the collection NOT_FOUND.
// Changes to one collection's items run one at a time (lockCollection), so positions stay 0..n-1.
import { COLLECTION_LIMITS } from '@deal-brain/shared/field-limits';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '#src/graphql/builder.js';
import { signedIn } from '#src/graphql/context.js';
import { badUserInput, forbidden, notFound } from '#src/graphql/errors.js';
import type { Tx } from '#src/db/rls.js';
import {
  isUniqueViolation,
  lockCollection,
  orderedItems,
  readAccess,
  readItem,
  requirePermission,
  writeOrder,
  type CollectionAccess,
} from './collection-access.js';
import {
  AddCollectionItemInput,
  MoveCollectionItemInput,
  RemoveCollectionItemInput,
  UpdateCollectionItemInput,
  addCollectionItemSchema,
  moveCollectionItemSchema,
  removeCollectionItemSchema,
  updateCollectionItemSchema,
} from './collection-input.js';
import { changedCollection, itemPayload } from './collection-payloads.js';
import { mayAddListing, mayEditItems, moveInOrder } from './collection-rules.js';

const AddCollectionItemPayload = itemPayload('AddCollectionItemPayload');
const UpdateCollectionItemPayload = itemPayload('UpdateCollectionItemPayload');
const MoveCollectionItemPayload = itemPayload('MoveCollectionItemPayload');
const RemoveCollectionItemPayload = builder
  .objectRef<{ collectionId: string; removedItemId: string }>('RemoveCollectionItemPayload')
  .implement({
    fields: (t) => ({
      collection: t.prismaField({
        type: 'Collection',
        resolve: (query, parent, _args, ctx) => changedCollection(query, parent, ctx),
      }),
      removedCollectionItemId: t.id({
        description: 'Global id of the removed item.',
        resolve: (parent) => encodeGlobalID('CollectionItem', parent.removedItemId),
      }),
    }),
  });

const alreadyInCollection = () =>
  badUserInput('This listing is already in the collection', [
    { path: 'input.listingId', message: 'Already in the collection' },
  ]);

/** The listing, if the viewer may put it into this collection: readable, and theirs or the owner's. */
async function addableListing(tx: Tx, access: CollectionAccess, viewerId: string, listingId: string) {
  const listing = await tx.listing.findFirst({ where: { id: listingId }, select: { id: true, ownerId: true } });
  if (!listing) throw notFound('Listing');
  if (!mayAddListing(listing.ownerId, access.ownerId, viewerId)) {
    throw forbidden("Only your own listings, or the collection owner's, can be added");
  }
  return listing;
}

/** The item and its collection, if the viewer may change the collection's items. */
async function editableItem(tx: Tx, viewerId: string, itemId: string) {
  const item = await readItem(tx, itemId);
  const access = await readAccess(tx, viewerId, item.collectionId);
  requirePermission(access, mayEditItems, 'change the items of');
  return { item, access };
}

builder.mutationFields((t) => ({
  addCollectionItem: t.field({
    type: AddCollectionItemPayload,
    description:
      'Adds a listing at the end. Everyone who can read the collection can then read the listing, until the ' +
      'item is removed or their share revoked. Adding a listing that is already in it is BAD_USER_INPUT.',
    authScopes: { signedIn: true },
    args: {
      input: t.arg({ type: AddCollectionItemInput, required: true, validate: { schema: addCollectionItemSchema } }),
    },
    resolve: async (_root, args, ctx) => {
      const { viewer } = signedIn(ctx);
      const input = addCollectionItemSchema.parse(args.input);
      const collectionId = input.collectionId.id;
      const itemId = await ctx
        .withRls(async (tx) => {
          const access = await readAccess(tx, viewer.userId, collectionId);
          requirePermission(access, mayEditItems, 'add items to');
          const listing = await addableListing(tx, access, viewer.userId, input.listingId.id);
          await lockCollection(tx, collectionId);
          const count = await tx.collectionItem.count({ where: { collectionId } });
          if (count >= COLLECTION_LIMITS.itemsPerCollection) {
            throw badUserInput(`A collection holds at most ${COLLECTION_LIMITS.itemsPerCollection} items`);
          }
          if (
            await tx.collectionItem.findFirst({ where: { collectionId, listingId: listing.id }, select: { id: true } })
          ) {
            throw alreadyInCollection();
          }
          const item = await tx.collectionItem.create({
            data: {
              collectionId,
              ownerId: access.ownerId,
              listingId: listing.id,
              addedById: viewer.userId,
              note: input.note ?? null,
              position: count,
            },
            select: { id: true },
          });
          return item.id;
        })
        .catch((error: unknown) => {
          // Only if the lock was somehow bypassed: the unique key is the last word.
          throw isUniqueViolation(error) ? alreadyInCollection() : error;
        });
      return { collectionId, itemId };
    },
  }),
  removeCollectionItem: t.field({
    type: RemoveCollectionItemPayload,
    authScopes: { signedIn: true },
    args: {
      input: t.arg({
        type: RemoveCollectionItemInput,
        required: true,
        validate: { schema: removeCollectionItemSchema },
      }),
    },
    resolve: async (_root, args, ctx) => {
      const { viewer } = signedIn(ctx);
      const { itemId } = removeCollectionItemSchema.parse(args.input);
      const collectionId = await ctx.withRls(async (tx) => {
        const { item } = await editableItem(tx, viewer.userId, itemId.id);
        await lockCollection(tx, item.collectionId);
        const { count } = await tx.collectionItem.deleteMany({ where: { id: item.id } });
        if (count === 0) throw notFound('Collection item'); // removed meanwhile
        const rest = await orderedItems(tx, item.collectionId);
        await writeOrder(
          tx,
          item.collectionId,
          rest,
          rest.map((row) => row.id),
        );
        return item.collectionId;
      });
      return { collectionId, removedItemId: itemId.id };
    },
  }),
  updateCollectionItem: t.field({
    type: UpdateCollectionItemPayload,
    authScopes: { signedIn: true },
    args: {
      input: t.arg({
        type: UpdateCollectionItemInput,
        required: true,
        validate: { schema: updateCollectionItemSchema },
      }),
    },
    resolve: async (_root, args, ctx) => {
      const { viewer } = signedIn(ctx);
      const { itemId, note } = updateCollectionItemSchema.parse(args.input);
      const collectionId = await ctx.withRls(async (tx) => {
        const { item } = await editableItem(tx, viewer.userId, itemId.id);
        await tx.collectionItem.update({ where: { id: item.id }, data: { note: note ?? null }, select: { id: true } });
        return item.collectionId;
      });
      return { collectionId, itemId: itemId.id };
    },
  }),
  moveCollectionItem: t.field({
    type: MoveCollectionItemPayload,
    authScopes: { signedIn: true },
    args: {
      input: t.arg({ type: MoveCollectionItemInput, required: true, validate: { schema: moveCollectionItemSchema } }),
    },
    resolve: async (_root, args, ctx) => {
      const { viewer } = signedIn(ctx);
      const { itemId, position } = moveCollectionItemSchema.parse(args.input);
      const collectionId = await ctx.withRls(async (tx) => {
        const { item } = await editableItem(tx, viewer.userId, itemId.id);
        await lockCollection(tx, item.collectionId);
        const current = await orderedItems(tx, item.collectionId);
        const order = current.map((row) => row.id);
        if (!order.includes(item.id)) throw notFound('Collection item'); // removed meanwhile
        if (position >= order.length) {
          throw badUserInput(`Position must be between 0 and ${order.length - 1}`, [
            { path: 'input.position', message: `Must be between 0 and ${order.length - 1}` },
          ]);
        }
        await writeOrder(tx, item.collectionId, current, moveInOrder(order, item.id, position));
        return item.collectionId;
      });
      return { collectionId, itemId: itemId.id };
    },
  }),
}));
