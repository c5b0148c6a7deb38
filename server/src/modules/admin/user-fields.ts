// What the admin console shows of a user, added to the User type (modules/users/user.ts). Readable by
// whoever may read the row: RLS decides (a user their own row, an admin every row); the counts run under
// the same RLS, so a user counts their own rows and an admin's app_admin role counts everyone's.
import { builder } from '#src/graphql/builder.js';

export type UserStatus = 'ACTIVE' | 'DEACTIVATED' | 'DELETED';

export const UserStatusEnum = builder.enumType('UserStatus', {
  values: {
    ACTIVE: { description: 'Can sign in and use the API.' },
    DEACTIVATED: { description: 'Deactivated by an admin: every request is refused (403 ACCOUNT_DISABLED).' },
    DELETED: { description: 'Deleted at the identity provider; its row stays as a tombstone.' },
  } as const,
});

/** Deleted wins over deactivated. */
export function statusOf(user: { active: boolean; deletedAt: Date | null }): UserStatus {
  if (user.deletedAt !== null) return 'DELETED';
  return user.active ? 'ACTIVE' : 'DEACTIVATED';
}

builder.prismaObjectFields('User', (t) => ({
  active: t.exposeBoolean('active', {
    description: 'False once an admin deactivated the account (or it was deleted).',
  }),
  deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true }),
  lastSignInAt: t.expose('lastSignInAt', {
    type: 'DateTime',
    nullable: true,
    description: 'The latest sign-in the identity provider reported; null when never.',
  }),
  updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  status: t.field({
    type: UserStatusEnum,
    select: { active: true, deletedAt: true },
    resolve: (user) => statusOf(user),
  }),
  listingCount: t.relationCount('listings', { description: 'Listings the user owns.' }),
  collectionCount: t.relationCount('collections', { description: 'Collections the user owns.' }),
  apiKeyCount: t.relationCount('apiKeys', {
    where: { revokedAt: null },
    description: 'API keys not revoked (expired ones included).',
  }),
}));
