// Reading valuation rulesets: the viewer's own, the active one first.
import { builder } from '#src/graphql/builder.js';
import { signedIn } from '#src/graphql/context.js';

builder.queryFields((t) => ({
  valuationRulesets: t.prismaConnection(
    {
      type: 'ValuationRuleset',
      cursor: 'id',
      description: "The viewer's own valuation rulesets: the active one first, then by name.",
      authScopes: { signedIn: true },
      defaultSize: 20,
      maxSize: 100,
      totalCount: (_parent, _args, ctx) => {
        const { db, viewer } = signedIn(ctx);
        return db.valuationRuleset.count({ where: { ownerId: viewer.userId } });
      },
      // RLS is the guarantee; the explicit owner filter keeps an admin's list their own.
      resolve: (query, _root, _args, ctx) => {
        const { db, viewer } = signedIn(ctx);
        return db.valuationRuleset.findMany({
          ...query,
          where: { ownerId: viewer.userId },
          orderBy: [{ isActive: 'desc' }, { name: 'asc' }, { id: 'asc' }],
        });
      },
    },
    { name: 'ValuationRulesetConnection' },
    { name: 'ValuationRulesetEdge' },
  ),
  activeValuationRuleset: t.prismaField({
    type: 'ValuationRuleset',
    nullable: true,
    description: "The viewer's active valuation ruleset, or null when they have none.",
    authScopes: { signedIn: true },
    resolve: (query, _root, _args, ctx) => {
      const { db, viewer } = signedIn(ctx);
      return db.valuationRuleset.findFirst({ ...query, where: { ownerId: viewer.userId, isActive: true } });
    },
  }),
}));
