// The admin console's users: every user, searched, filtered, ordered and paged, and one by id. Admins
// only (a session credential: an admin's API key acts as a plain user and gets FORBIDDEN).
import { ADMIN_LIMITS } from '@deal-brain/shared/field-limits';
import { builder } from '#src/graphql/builder.js';
import { signedIn, type Context } from '#src/graphql/context.js';
import { badUserInput } from '#src/graphql/errors.js';
import { RoleEnum } from '#src/modules/users/user.js';
import {
  DEFAULT_USER_ORDER,
  inOrderOf,
  userCountSql,
  userListArgsSchema,
  userPageSql,
  type UserListFilter,
  type UserListOrder,
} from './user-list.js';

export const UserOrderFieldEnum = builder.enumType('UserOrderField', {
  values: {
    CREATED_AT: { description: 'When the account was created.' },
    LAST_SIGN_IN_AT: { description: 'The latest sign-in; users who never signed in come last in both directions.' },
  } as const,
});

export const OrderDirectionEnum = builder.enumType('OrderDirection', {
  values: ['ASC', 'DESC'] as const,
});

export const UserFilterInput = builder.inputType('UserFilter', {
  description: 'Each field unset: no filtering on it.',
  fields: (t) => ({
    role: t.field({ type: RoleEnum }),
    active: t.boolean({ description: 'Active (true) or deactivated (false); deleted users are inactive.' }),
    deleted: t.boolean({ description: 'Deleted at the identity provider (true) or not (false).' }),
  }),
});

export const UserOrderInput = builder.inputType('UserOrder', {
  fields: (t) => ({
    field: t.field({ type: UserOrderFieldEnum, required: true, defaultValue: 'CREATED_AT' }),
    direction: t.field({ type: OrderDirectionEnum, required: true, defaultValue: 'DESC' }),
  }),
});

interface ListArgs {
  search?: string | null | undefined;
  filter?: { role?: 'USER' | 'ADMIN' | null; active?: boolean | null; deleted?: boolean | null } | null | undefined;
  orderBy?: UserListOrder | null | undefined;
}

/** The arguments as the SQL builders take them; a search too long is BAD_USER_INPUT on `search`. */
function listFilter(args: ListArgs): UserListFilter {
  const search = args.search?.trim() ?? '';
  if (search.length > ADMIN_LIMITS.searchLength) {
    const message = `Search must be at most ${ADMIN_LIMITS.searchLength} characters`;
    throw badUserInput(message, [{ path: 'search', message }]);
  }
  return { search, role: args.filter?.role, active: args.filter?.active, deleted: args.filter?.deleted };
}

async function countUsers(ctx: Context, args: ListArgs): Promise<number> {
  const [row] = await signedIn(ctx).db.$queryRaw<{ count: number }[]>(userCountSql(listFilter(args)));
  return row?.count ?? 0;
}

builder.queryFields((t) => ({
  users: t.prismaConnection(
    {
      type: 'User',
      cursor: 'id',
      description:
        'Every user (admins only), newest first by default. `search`: case-insensitive, matches any part of the ' +
        `email, first name, last name or "first last"; at most ${ADMIN_LIMITS.searchLength} characters; blank: no search.`,
      authScopes: { admin: true },
      args: {
        search: t.arg.string(),
        filter: t.arg({ type: UserFilterInput }),
        orderBy: t.arg({ type: UserOrderInput }),
      },
      defaultSize: 20,
      maxSize: 100,
      validate: { schema: userListArgsSchema },
      totalCount: (_parent, args, ctx) => countUsers(ctx, args),
      resolve: async ({ take, skip, cursor, ...selection }, _root, args, ctx) => {
        const { db } = signedIn(ctx);
        const filter = listFilter(args);
        const order = args.orderBy ?? DEFAULT_USER_ORDER;
        const rows = await db.$queryRaw<{ id: string }[]>(userPageSql(filter, order, { take, skip, cursor }));
        // Backwards, the statement reads from the cursor away; the page is in the order's own direction.
        const ids = rows.map((row) => row.id);
        if (take < 0) ids.reverse();
        if (ids.length === 0) return [];
        return inOrderOf(ids, await db.user.findMany({ ...selection, where: { id: { in: ids } } }));
      },
    },
    { name: 'UserConnection' },
    { name: 'UserEdge' },
  ),
  user: t.prismaField({
    type: 'User',
    nullable: true,
    description: 'One user by id, deleted ones included (admins only); null when there is no such user.',
    authScopes: { admin: true },
    args: { id: t.arg.globalID({ required: true }) },
    resolve: (query, _root, args, ctx) => {
      // Another type's id names no user.
      if (args.id.typename !== 'User') return null;
      // findFirst, not findUnique: its RLS context rides in the query's own round trip (rls.ts).
      return signedIn(ctx).db.user.findFirst({ ...query, where: { id: args.id.id } });
    },
  }),
}));
