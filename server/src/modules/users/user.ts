import { Role } from '#src/generated/prisma/client.js';
import { builder } from '#src/graphql/builder.js';
import { signedIn } from '#src/graphql/context.js';
import { PreferencesRef, readPreferences } from './preferences.js';

export const RoleEnum = builder.enumType(Role, { name: 'Role' });

builder.prismaNode('User', {
  id: { field: 'id' },
  // A row hidden by RLS or missing is null, like any unknown id.
  nullable: true,
  fields: (t) => ({
    email: t.exposeString('email', { nullable: true }),
    firstName: t.exposeString('firstName', { nullable: true }),
    lastName: t.exposeString('lastName', { nullable: true }),
    avatarUrl: t.exposeString('avatarUrl', { nullable: true }),
    role: t.expose('role', { type: RoleEnum }),
    preferences: t.field({
      type: PreferencesRef,
      description: 'Notification and app preferences; every one not set reads as its default.',
      select: { id: true, preferences: true },
      resolve: (user, _args, ctx) => {
        const { preferences, problems } = readPreferences(user.preferences);
        // A stored value that fits no schema reads as its default; worth knowing, never worth failing for.
        if (problems.length > 0) {
          ctx.log.warn({ event: 'preferences.unreadable', subjectUserId: user.id, keys: problems }, 'preferences');
        }
        return { userId: user.id, preferences };
      },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryField('viewer', (t) =>
  t.prismaField({
    type: 'User',
    description: 'The signed-in user.',
    authScopes: { signedIn: true },
    resolve: (query, _root, _args, ctx) => {
      const { db, viewer } = signedIn(ctx);
      // findFirst, not findUnique: its RLS context rides in the query's own round trip (rls.ts).
      return db.user.findFirstOrThrow({ ...query, where: { id: viewer.userId } });
    },
  }),
);

// The admin-only `users` connection and `user(id:)` live in modules/admin (admin-users.ts).
