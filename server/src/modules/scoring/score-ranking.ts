// Ordering by score, in SQL: app_listing_score_weighted, the expression app_listing_score (score.ts's
// mirror) computes, over the CPU and GPU tiers each listing row stores (migration
// 20261207000100_scoring) and the profile's weights read once per statement. A row then costs
// arithmetic: no regular expressions to find its tiers, no JSON to find the weights (with the generic
// plans the RLS context asks for, a weight read from a JSON parameter is read again for every row).
import { Prisma } from '#src/generated/prisma/client.js';
import type { ScoringWeights } from './score.js';

/** The owner's listings with their score under `weights` as `k`: highest first is best. */
export function scoreRanking(ownerId: string, weights: ScoringWeights): Prisma.Sql {
  return Prisma.sql`WITH w AS MATERIALIZED (
      SELECT app_scoring_weight(j, 'price') AS price, app_scoring_weight(j, 'cpu') AS cpu,
             app_scoring_weight(j, 'gpu') AS gpu, app_scoring_weight(j, 'ram') AS ram,
             app_scoring_weight(j, 'storage') AS storage, app_scoring_weight(j, 'condition') AS condition
      FROM (SELECT ${JSON.stringify(weights)}::jsonb AS j) AS profile
    )
    SELECT l.id,
      app_listing_score_weighted(l.price, l.condition, l.cpu_tier, l.gpu_tier, l.ram_gb, l.storage_gb,
                                 w.price, w.cpu, w.gpu, w.ram, w.storage, w.condition) AS k
    FROM listings l CROSS JOIN w WHERE l.owner_id = ${ownerId}::uuid`;
}
