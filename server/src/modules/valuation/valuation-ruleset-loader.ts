// The ruleset a valuation uses: one the viewer names, or the viewer's active one. Loaded once per
// request and kept in ctx.readAhead, so valuing a page of listings costs one query, not one per
// listing. Also what the listings connection orders by (valuation-ranking.ts).
import type { ValuationRuleset } from '#src/generated/prisma/client.js';
import type { Context } from '#src/graphql/context.js';
import { signedIn } from '#src/graphql/context.js';
import { readStoredRules, type ValuationRule } from './valuation-rules.js';

export interface LoadedRuleset {
  /** The whole row: it is also what ListingValuation.ruleset resolves to. */
  row: ValuationRuleset;
  rules: ValuationRule[];
}

const KEY_PREFIX = 'valuation.ruleset:';
const cacheKey = (rulesetId: string | undefined) => `${KEY_PREFIX}${rulesetId ?? 'active'}`;

/**
 * The viewer's ruleset `rulesetId` (a raw UUID), or the viewer's active ruleset when none is
 * named; null when there is no such ruleset of the viewer's. Filtered by owner explicitly: an
 * admin, whose policies see every ruleset, values with their own rulesets too.
 */
export function loadRuleset(ctx: Context, rulesetId?: string): Promise<LoadedRuleset | null> {
  const key = cacheKey(rulesetId);
  const cached = ctx.readAhead.get(key) as Promise<LoadedRuleset | null> | undefined;
  if (cached) return cached;
  const { db, viewer } = signedIn(ctx);
  const loading = db.valuationRuleset
    .findFirst({
      where: rulesetId ? { id: rulesetId, ownerId: viewer.userId } : { ownerId: viewer.userId, isActive: true },
    })
    .then((row) => (row ? { row, rules: readStoredRules(row.rules) } : null));
  ctx.readAhead.set(key, loading);
  return loading;
}

/** After a change to the viewer's rulesets, later fields of the same request read afresh. */
export function forgetValuationRulesets(ctx: Context): void {
  for (const key of [...ctx.readAhead.keys()]) if (key.startsWith(KEY_PREFIX)) ctx.readAhead.delete(key);
}
