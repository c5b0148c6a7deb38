// Reading scoring profiles: the viewer's own, default first, and the default alone.
import { builder } from '#src/graphql/builder.js';
import { signedIn } from '#src/graphql/context.js';

builder.queryFields((t) => ({
  scoringProfiles: t.prismaConnection(
    {
      type: 'ScoringProfile',
      cursor: 'id',
      description: "The viewer's own scoring profiles: the default first, then by name.",
      authScopes: { signedIn: true },
      defaultSize: 20,
      maxSize: 100,
      totalCount: (_parent, _args, ctx) => {
        const { db, viewer } = signedIn(ctx);
        return db.scoringProfile.count({ where: { ownerId: viewer.userId } });
      },
      // RLS is the guarantee; the explicit owner filter keeps an admin's list their own and lets
      // the owner index serve it.
      resolve: (query, _root, _args, ctx) => {
        const { db, viewer } = signedIn(ctx);
        return db.scoringProfile.findMany({
          ...query,
          where: { ownerId: viewer.userId },
          orderBy: [{ isDefault: 'desc' }, { name: 'asc' }, { id: 'asc' }],
        });
      },
    },
    { name: 'ScoringProfileConnection' },
    { name: 'ScoringProfileEdge' },
  ),
  defaultScoringProfile: t.prismaField({
    type: 'ScoringProfile',
    nullable: true,
    description: "The viewer's default scoring profile; null when the viewer has none.",
    authScopes: { signedIn: true },
    resolve: (query, _root, _args, ctx) => {
      const { db, viewer } = signedIn(ctx);
      return db.scoringProfile.findFirst({ ...query, where: { ownerId: viewer.userId, isDefault: true } });
    },
  }),
}));
