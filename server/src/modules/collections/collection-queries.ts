// Reading collections: the viewer's own, and those shared with them, page by page, newest first.
// One collection by id is node(id:), which answers null for anyone who may not read it.
import type { Prisma } from '#src/generated/prisma/client.js';
import { builder } from '#src/graphql/builder.js';
import { signedIn, type Context } from '#src/graphql/context.js';

type CollectionWhere = Prisma.CollectionWhereInput;

/** RLS is the guarantee; the explicit filters say which of the readable collections each list is. */
const own = (ctx: Context): CollectionWhere => ({ ownerId: signedIn(ctx).viewer.userId });
// A bound share only: the viewer's own shares are the only ones RLS shows them, and a share waiting
// for its user has no grantee.
const sharedWithViewer = (ctx: Context): CollectionWhere => ({
  shares: { some: { granteeId: signedIn(ctx).viewer.userId } },
});

function collectionList(description: string, where: (ctx: Context) => CollectionWhere) {
  return {
    type: 'Collection' as const,
    cursor: 'id' as const,
    description,
    authScopes: { signedIn: true },
    defaultSize: 20,
    maxSize: 100,
    totalCount: (_parent: unknown, _args: unknown, ctx: Context) =>
      signedIn(ctx).db.collection.count({ where: where(ctx) }),
    resolve: (query: object, _root: unknown, _args: unknown, ctx: Context) =>
      signedIn(ctx).db.collection.findMany({
        ...query,
        where: where(ctx),
        orderBy: [{ createdAt: 'desc' as const }, { id: 'desc' as const }],
      }),
  };
}

builder.queryFields((t) => ({
  collections: t.prismaConnection(
    collectionList("The viewer's own collections, newest first.", own),
    { name: 'CollectionConnection' },
    { name: 'CollectionEdge' },
  ),
  sharedCollections: t.prismaConnection(
    collectionList('Collections other people share with the viewer, newest first.', sharedWithViewer),
    { name: 'SharedCollectionConnection' },
    { name: 'SharedCollectionEdge' },
  ),
}));
