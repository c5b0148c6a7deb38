// The Listing type: a hardware deal someone tracks. Other modules add fields to it (a score, a
// valuation) with builder.prismaObjectField, so this file stays about what a listing is.
import { ListingCondition } from '#src/generated/prisma/client.js';
import { builder } from '#src/graphql/builder.js';

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
