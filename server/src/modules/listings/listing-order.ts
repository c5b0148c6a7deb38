// Ordering the listings connection by a computed key: a score under a scoring profile, or the
// valuation delta under a ruleset. The keys are computed in SQL at read time (docs/scoring.md says
// why they are not materialised) by functions the scoring and valuation migrations define, and the
// page is cut with keyset pagination on (key, id), so cursors stay the listing's id like the
// default order's, and pages neither skip nor repeat rows.
import { Prisma } from '#src/generated/prisma/client.js';
import { builder } from '#src/graphql/builder.js';
import type { SignedInContext } from '#src/graphql/context.js';
import { badUserInput, notFound } from '#src/graphql/errors.js';
import { scoreRanking } from '#src/modules/scoring/score-ranking.js';
import { resolveScoringWeights } from '#src/modules/scoring/scoring-profile-loader.js';
import { valuationDeltaRanking } from '#src/modules/valuation/valuation-ranking.js';
import { loadRuleset } from '#src/modules/valuation/valuation-ruleset-loader.js';

export const ListingOrderField = builder.enumType('ListingOrderField', {
  values: {
    CREATED_AT: { description: 'Newest first (the default).' },
    SCORE: { description: 'Highest score first, under `scoringProfileId` or the default scoring profile.' },
    VALUATION_DELTA: {
      description:
        'Best deal first: the largest adjusted value minus asking price, under `valuationRulesetId` or the active ruleset.',
    },
  } as const,
});

export const ListingOrderInput = builder.inputType('ListingOrder', {
  fields: (t) => ({
    field: t.field({ type: ListingOrderField, required: true }),
    scoringProfileId: t.globalID({ description: 'For SCORE: the profile to score under (default: your default).' }),
    valuationRulesetId: t.globalID({
      description: 'For VALUATION_DELTA: the ruleset to value with (default: your active one).',
    }),
  }),
});

interface ListingOrderArg {
  field: 'CREATED_AT' | 'SCORE' | 'VALUATION_DELTA';
  scoringProfileId?: { typename: string; id: string } | null;
  valuationRulesetId?: { typename: string; id: string } | null;
}

/**
 * What the page is ordered by: the indexed creation order, or a key computed in SQL — a statement
 * that selects the owner's listings as (id, k).
 */
export type ListingOrder = { kind: 'createdAt' } | { kind: 'computed'; ranking: (ownerId: string) => Prisma.Sql };

/** The id of a global id of `typename`, or BAD_USER_INPUT naming the argument. */
function idOf(global: { typename: string; id: string } | null | undefined, typename: string, path: string) {
  if (!global) return undefined;
  if (global.typename !== typename) {
    throw badUserInput(`${path} must be a ${typename} id`, [{ path, message: `Expected a ${typename} id` }]);
  }
  return global.id;
}

export async function resolveListingOrder(ctx: SignedInContext, order: ListingOrderArg | null | undefined) {
  if (!order || order.field === 'CREATED_AT') return { kind: 'createdAt' } satisfies ListingOrder;
  if (order.field === 'SCORE') {
    const id = idOf(order.scoringProfileId, 'ScoringProfile', 'orderBy.scoringProfileId');
    const profile = await resolveScoringWeights(ctx, id);
    if (!profile) {
      if (id) throw notFound('Scoring profile');
      throw badUserInput('You have no default scoring profile to order by', [
        { path: 'orderBy.scoringProfileId', message: 'Create a scoring profile or name one' },
      ]);
    }
    return { kind: 'computed', ranking: (ownerId) => scoreRanking(ownerId, profile.weights) } satisfies ListingOrder;
  }
  const id = idOf(order.valuationRulesetId, 'ValuationRuleset', 'orderBy.valuationRulesetId');
  const ruleset = await loadRuleset(ctx, id);
  if (!ruleset) {
    if (id) throw notFound('Valuation ruleset');
    throw badUserInput('You have no active valuation ruleset to order by', [
      { path: 'orderBy.valuationRulesetId', message: 'Create a valuation ruleset or name one' },
    ]);
  }
  return {
    kind: 'computed',
    ranking: (ownerId) => valuationDeltaRanking(ownerId, ruleset.rules),
  } satisfies ListingOrder;
}

/** The slice of the connection Pothos asks for: Prisma's cursor semantics (take < 0 pages backwards). */
interface PageQuery {
  take: number;
  skip: number;
  cursor?: { id?: string } | undefined;
}

/**
 * The owner's listing ids on one page, highest key first. Prisma's cursor semantics are kept (the
 * cursor row itself is skipped; a negative take pages backwards and returns rows in page order),
 * so Pothos cuts edges and page info exactly as for the default order. A cursor row the viewer
 * cannot see yields an empty page, as Prisma's own cursor does.
 */
export async function pageIdsByKey(
  db: SignedInContext['db'],
  ranking: Prisma.Sql,
  { take, cursor }: PageQuery,
): Promise<string[]> {
  const backward = take < 0;
  const direction = Prisma.raw(backward ? 'ASC' : 'DESC');
  const beyond = Prisma.raw(backward ? '>' : '<');
  const cursorId = cursor?.id ?? null;
  // One statement: every key of the owner's listings (the owner index bounds it), the cursor's
  // key from the same set, and the next rows after it in (key, id) order.
  const rows = await db.$queryRaw<{ id: string }[]>`
    WITH ranked AS MATERIALIZED (${ranking})
    SELECT id::text AS id FROM ranked
    WHERE ${cursorId}::uuid IS NULL OR (k, id) ${beyond} (SELECT k, id FROM ranked WHERE id = ${cursorId}::uuid)
    ORDER BY k ${direction}, id ${direction}
    LIMIT ${Math.abs(take)}`;
  const ids = rows.map((row) => row.id);
  return backward ? ids.reverse() : ids;
}

/** Rows in the order of `ids` (findMany with `in` returns them in any order). */
export function inOrderOf<Row extends { id: string }>(ids: string[], rows: Row[]): Row[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
