// Reading listings: the viewer's own, page by page, and one by id.
import type { Prisma } from '#src/generated/prisma/client.js';
import { builder } from '#src/graphql/builder.js';
import { signedIn } from '#src/graphql/context.js';
import { selects } from '#src/graphql/selection.js';
import { ListingNode } from './listing.js';
import { ListingOrderInput, inOrderOf, pageIdsByKey, resolveListingOrder } from './listing-order.js';

/** Read-ahead counts are keyed by their filter: aliases with other filters get their own. */
const countKey = (where: object) => `listings.totalCount:${JSON.stringify(where)}`;

builder.queryFields((t) => ({
  listings: t.prismaConnection(
    {
      type: 'Listing',
      cursor: 'id',
      description: "The viewer's own listings: newest first, or ordered by score or valuation delta.",
      authScopes: { signedIn: true },
      args: { orderBy: t.arg({ type: ListingOrderInput }) },
      defaultSize: 20,
      maxSize: 100,
      totalCount: (_parent, _args, ctx) => {
        const { db, viewer } = signedIn(ctx);
        const where = { ownerId: viewer.userId };
        const readAhead = ctx.readAhead.get(countKey(where));
        if (typeof readAhead === 'number') return readAhead;
        return db.listing.count({ where });
      },
      resolve: async (query, _root, args, ctx, info) => {
        const { db, viewer } = signedIn(ctx);
        // RLS is the guarantee; the explicit owner filter is what lets the owner index serve it.
        const where = { ownerId: viewer.userId };
        const order = await resolveListingOrder(signedIn(ctx), args.orderBy);
        const page =
          order.kind === 'createdAt'
            ? db.listing.findMany({ ...query, where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] })
            : pageByKey(query, order.ranking(viewer.userId));
        if (!selects(info, 'totalCount')) return page;
        // The count alongside the page, not after it: two round trips at once instead of in turn.
        const [rows, count] = await Promise.all([page, db.listing.count({ where })]);
        ctx.readAhead.set(countKey(where), count);
        return rows;

        // The page's ids in key order, then the rows with everything the query selects.
        async function pageByKey({ take, skip, cursor, ...selection }: typeof query, ranking: Prisma.Sql) {
          const ids = await pageIdsByKey(db, ranking, { take, skip, cursor });
          if (ids.length === 0) return [];
          return inOrderOf(ids, await db.listing.findMany({ ...selection, where: { ...where, id: { in: ids } } }));
        }
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
