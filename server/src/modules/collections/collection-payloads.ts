// Mutation payloads: each returns the changed object, read after the change commits, as the viewer.
import { builder } from '#src/graphql/builder.js';
import type { Prisma } from '#src/generated/prisma/client.js';
import { signedIn, type Context } from '#src/graphql/context.js';
import { notFound } from '#src/graphql/errors.js';

export interface CollectionChange {
  collectionId: string;
}

export interface ItemChange extends CollectionChange {
  itemId: string;
}

/** The collection a change touched, with what the payload selects; NOT_FOUND if it is gone. */
export async function changedCollection(
  query: { include?: Prisma.CollectionInclude; select?: Prisma.CollectionSelect },
  { collectionId }: CollectionChange,
  ctx: Context,
) {
  // findFirst, not findUnique: its RLS context rides in the query's own round trip (rls.ts).
  const collection = await signedIn(ctx).db.collection.findFirst({ ...query, where: { id: collectionId } });
  if (!collection) throw notFound('Collection');
  return collection;
}

/** A payload holding the changed collection. */
export function collectionPayload(name: string) {
  return builder.objectRef<CollectionChange>(name).implement({
    fields: (t) => ({
      collection: t.prismaField({
        type: 'Collection',
        resolve: (query, parent, _args, ctx) => changedCollection(query, parent, ctx),
      }),
    }),
  });
}

/** A payload holding the changed item and its collection. */
export function itemPayload(name: string) {
  return builder.objectRef<ItemChange>(name).implement({
    fields: (t) => ({
      collectionItem: t.prismaField({
        type: 'CollectionItem',
        resolve: async (query, parent, _args, ctx) => {
          const item = await signedIn(ctx).db.collectionItem.findFirst({ ...query, where: { id: parent.itemId } });
          if (!item) throw notFound('Collection item');
          return item;
        },
      }),
      collection: t.prismaField({
        type: 'Collection',
        resolve: (query, parent, _args, ctx) => changedCollection(query, parent, ctx),
      }),
    }),
  });
}
