// Collections as the API shows them: a named, ordered list of listings with notes, shared by email.
// Who reads what is decided by the database (RLS): the owner, grantees with a bound share, admins.
// Nested reads (items, their listings, shares) are relations, so they ride on the parent's query.
import { SharePermission } from '#src/generated/prisma/client.js';
import { builder } from '#src/graphql/builder.js';
import { signedIn, type Context } from '#src/graphql/context.js';
import { loadOwnerName } from './collection-owner-names.js';
import { viewerPermissionOf } from './collection-rules.js';

export const SharePermissionEnum = builder.enumType(SharePermission, {
  name: 'SharePermission',
  description: 'What a share lets its grantee do: VIEW reads; EDIT also adds, removes and moves items.',
});

export const CollectionPermissionEnum = builder.enumType('CollectionPermission', {
  description: 'What the viewer may do with a collection.',
  values: {
    OWNER: { description: 'Everything: rename, delete, share, and edit items.' },
    EDIT: { description: 'Read, and add, remove, move and annotate items.' },
    VIEW: { description: 'Read only.' },
  } as const,
});

const viewerIdOf = (ctx: Context) => signedIn(ctx).viewer.userId;

export const CollectionNode = builder.prismaNode('Collection', {
  id: { field: 'id' },
  // A collection hidden by RLS or missing is null, like any unknown id.
  nullable: true,
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    ownerName: t.string({
      nullable: true,
      description: "The owner's first and last name, or their email address when they have no name.",
      resolve: (collection, _args, ctx) => loadOwnerName(ctx, collection.id),
    }),
    viewerPermission: t.field({
      type: CollectionPermissionEnum,
      // The viewer's own share, if any: RLS shows a grantee their own shares only, and the filter
      // keeps it to that for the owner and admins too.
      select: (_args, ctx) => ({
        ownerId: true,
        shares: { where: { granteeId: viewerIdOf(ctx) }, select: { permission: true } },
      }),
      resolve: (collection, _args, ctx) =>
        viewerPermissionOf(viewerIdOf(ctx), collection.ownerId, collection.shares[0]?.permission),
    }),
    itemCount: t.relationCount('items'),
    items: t.relatedConnection(
      'items',
      {
        cursor: 'id',
        description: 'The items in their order (position 0 first).',
        defaultSize: 20,
        maxSize: 100,
        totalCount: true,
        query: { orderBy: [{ position: 'asc' }, { id: 'asc' }] },
      },
      { name: 'CollectionItemConnection' },
      { name: 'CollectionItemEdge' },
    ),
    shares: t.relatedConnection(
      'shares',
      {
        cursor: 'id',
        description:
          "Who the collection is shared with, oldest first. The owner's alone: empty for everyone else " +
          '(a grantee never learns who else it is shared with).',
        defaultSize: 20,
        maxSize: 100,
        totalCount: true,
        query: (_args, ctx) => ({
          where: { ownerId: viewerIdOf(ctx) },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        }),
      },
      { name: 'CollectionShareConnection' },
      { name: 'CollectionShareEdge' },
    ),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

export const CollectionItemNode = builder.prismaNode('CollectionItem', {
  id: { field: 'id' },
  nullable: true,
  fields: (t) => ({
    note: t.exposeString('note', { nullable: true }),
    position: t.exposeInt('position', { description: "0-based place in the collection's order." }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    // Readable whenever the item is: to grantees through listings_shared_select, to the collection's
    // owner through listings_collection_owner_select.
    listing: t.relation('listing'),
    collection: t.relation('collection'),
    addedByViewer: t.field({
      type: 'Boolean',
      description: 'Whether the viewer added this item.',
      select: { addedById: true },
      resolve: (item, _args, ctx) => item.addedById === viewerIdOf(ctx),
    }),
  }),
});

// Deliberately no status ("pending" / "active"): whether a share has found its user would tell the
// owner whether an account with that address exists, the enumeration oracle the API must not be.
export const CollectionShareNode = builder.prismaNode('CollectionShare', {
  id: { field: 'id' },
  nullable: true,
  description: 'A collection shared with an email address.',
  fields: (t) => ({
    email: t.exposeString('granteeEmail', { description: 'The address it is shared with, lower-case.' }),
    permission: t.expose('permission', { type: SharePermissionEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
