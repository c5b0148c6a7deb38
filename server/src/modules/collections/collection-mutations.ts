// Creating, renaming and deleting collections. Only the owner renames or deletes: anyone else gets
// NOT_FOUND when they cannot read the collection and FORBIDDEN when they can, and nothing changes.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '#src/graphql/builder.js';
import { signedIn } from '#src/graphql/context.js';
import { readAccess, requirePermission } from './collection-access.js';
import {
  CreateCollectionInput,
  DeleteCollectionInput,
  UpdateCollectionInput,
  createCollectionSchema,
  deleteCollectionSchema,
  updateCollectionSchema,
} from './collection-input.js';
import { collectionPayload } from './collection-payloads.js';
import { mayManage } from './collection-rules.js';

const CreateCollectionPayload = collectionPayload('CreateCollectionPayload');
const UpdateCollectionPayload = collectionPayload('UpdateCollectionPayload');
const DeleteCollectionPayload = builder
  .objectRef<{ deletedCollectionId: string }>('DeleteCollectionPayload')
  .implement({
    fields: (t) => ({
      deletedCollectionId: t.exposeID('deletedCollectionId', { description: 'Global id of the deleted collection.' }),
    }),
  });

builder.mutationFields((t) => ({
  createCollection: t.field({
    type: CreateCollectionPayload,
    authScopes: { signedIn: true },
    args: {
      input: t.arg({ type: CreateCollectionInput, required: true, validate: { schema: createCollectionSchema } }),
    },
    resolve: async (_root, args, ctx) => {
      const { db, viewer } = signedIn(ctx);
      const input = createCollectionSchema.parse(args.input);
      const collection = await db.collection.create({
        data: { ownerId: viewer.userId, name: input.name, description: input.description ?? null },
        select: { id: true },
      });
      return { collectionId: collection.id };
    },
  }),
  updateCollection: t.field({
    type: UpdateCollectionPayload,
    authScopes: { signedIn: true },
    args: {
      input: t.arg({ type: UpdateCollectionInput, required: true, validate: { schema: updateCollectionSchema } }),
    },
    resolve: async (_root, args, ctx) => {
      const { viewer } = signedIn(ctx);
      const { id, name, description } = updateCollectionSchema.parse(args.input);
      await ctx.withRls(async (tx) => {
        requirePermission(await readAccess(tx, viewer.userId, id.id), mayManage, 'rename');
        await tx.collection.update({
          where: { id: id.id },
          data: { ...(name === undefined ? {} : { name }), ...(description === undefined ? {} : { description }) },
          select: { id: true },
        });
      });
      return { collectionId: id.id };
    },
  }),
  deleteCollection: t.field({
    type: DeleteCollectionPayload,
    authScopes: { signedIn: true },
    args: {
      input: t.arg({ type: DeleteCollectionInput, required: true, validate: { schema: deleteCollectionSchema } }),
    },
    resolve: async (_root, args, ctx) => {
      const { viewer } = signedIn(ctx);
      const { id } = deleteCollectionSchema.parse(args.input);
      await ctx.withRls(async (tx) => {
        requirePermission(await readAccess(tx, viewer.userId, id.id), mayManage, 'delete');
        // Its items and shares go with it (foreign keys ON DELETE CASCADE).
        await tx.collection.delete({ where: { id: id.id }, select: { id: true } });
      });
      return { deletedCollectionId: encodeGlobalID('Collection', id.id) };
    },
  }),
}));
