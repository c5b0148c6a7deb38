// Listing.valuation: what a listing is worth to the viewer under one of their rulesets.
import { builder } from '#src/graphql/builder.js';
import type { ValuationRuleset } from '#src/generated/prisma/client.js';
import { formatCents, centsOf, describeRule, valueListing, type ValuationRule } from './valuation-rules.js';
import { flatRule, ValuationRuleRef, ValuationRulesetNode } from './valuation-ruleset.js';
import { loadRuleset } from './valuation-ruleset-loader.js';

interface ListingValuation {
  valueCents: number;
  deltaCents: number;
  applied: number[];
  rules: ValuationRule[];
  ruleset: ValuationRuleset;
}

const AppliedValuationRuleRef = builder
  .objectRef<{ index: number; rule: ValuationRule }>('AppliedValuationRule')
  .implement({
    description: 'A rule whose condition matched the listing.',
    fields: (t) => ({
      index: t.exposeInt('index', { description: "0-based position in the ruleset's rules." }),
      description: t.string({ resolve: ({ rule }) => describeRule(rule) }),
      rule: t.field({ type: ValuationRuleRef, resolve: ({ rule }) => flatRule(rule) }),
    }),
  });

const ListingValuationRef = builder.objectRef<ListingValuation>('ListingValuation').implement({
  description: "A listing's value under a valuation ruleset.",
  fields: (t) => ({
    value: t.field({
      type: 'Decimal',
      description: 'The asking price adjusted by every matching rule, in order.',
      resolve: (valuation) => formatCents(valuation.valueCents),
    }),
    delta: t.field({
      type: 'Decimal',
      description: 'value − price: positive means worth more than asked (a good deal).',
      resolve: (valuation) => formatCents(valuation.deltaCents),
    }),
    appliedRules: t.field({
      type: [AppliedValuationRuleRef],
      description: 'The rules that matched, in the order they were applied.',
      resolve: (valuation) => valuation.applied.map((index) => ({ index, rule: valuation.rules[index]! })),
    }),
    ruleset: t.field({ type: ValuationRulesetNode, resolve: (valuation) => valuation.ruleset }),
  }),
});

builder.prismaObjectField('Listing', 'valuation', (t) =>
  t.field({
    type: ListingValuationRef,
    nullable: true,
    description:
      "What this listing is worth to the viewer under `rulesetId` (one of the viewer's rulesets) or the " +
      "viewer's active ruleset; null when there is no such ruleset.",
    args: { rulesetId: t.arg.globalID({ for: ValuationRulesetNode }) },
    select: { price: true, condition: true, cpu: true, gpu: true, ramGb: true, storageGb: true },
    resolve: async (listing, args, ctx) => {
      const loaded = await loadRuleset(ctx, args.rulesetId?.id);
      if (!loaded) return null;
      const priceCents = centsOf(listing.price.toFixed(2));
      const valuation = valueListing({ ...listing, priceCents }, loaded.rules);
      return { ...valuation, rules: loaded.rules, ruleset: loaded.row };
    },
  }),
);
