// The profile a request scores under, read once per request: every Listing.score of a page (and
// the listings order) shares one query through ctx.readAhead, however many listings there are.
import { signedIn, type Context } from '#src/graphql/context.js';
import { weightsFromJson, type ScoringWeights } from './score.js';

export interface ResolvedScoringWeights {
  /** The profile's row id. */
  id: string;
  /** What its stored weights count as (weightsFromJson). */
  weights: ScoringWeights;
}

const KEY_PREFIX = 'scoring.profile:';
const keyOf = (profileId: string | undefined) => `${KEY_PREFIX}${profileId ?? 'default'}`;

async function load(ctx: Context, profileId: string | undefined): Promise<ResolvedScoringWeights | null> {
  const { db, viewer } = signedIn(ctx);
  // The viewer's own, always: an admin's RLS role sees every profile, but scores under their own.
  const where = profileId ? { id: profileId, ownerId: viewer.userId } : { ownerId: viewer.userId, isDefault: true };
  // findFirst, not findUnique: its RLS context rides in the query's own round trip (rls.ts).
  const profile = await db.scoringProfile.findFirst({ where, select: { id: true, weights: true } });
  return profile ? { id: profile.id, weights: weightsFromJson(profile.weights) } : null;
}

/**
 * The viewer's profile `profileId` (a row id), or the viewer's default when no id is given; null
 * when the viewer owns no such profile (another user's id included) or has no default. Loaded
 * once per request and key; concurrent callers share the same promise.
 */
export function resolveScoringWeights(ctx: Context, profileId?: string): Promise<ResolvedScoringWeights | null> {
  const key = keyOf(profileId);
  const cached = ctx.readAhead.get(key) as Promise<ResolvedScoringWeights | null> | undefined;
  if (cached) return cached;
  const loading = load(ctx, profileId);
  ctx.readAhead.set(key, loading);
  return loading;
}

/** After a change to the viewer's profiles, later fields of the same request read afresh. */
export function forgetScoringWeights(ctx: Context): void {
  for (const key of [...ctx.readAhead.keys()]) if (key.startsWith(KEY_PREFIX)) ctx.readAhead.delete(key);
}
