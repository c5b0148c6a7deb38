// Listing.score, added from here so the listings module stays unaware of scoring. The profile is
// loaded once per request (scoring-profile-loader.ts), so a page of listings costs one query more,
// not one per listing; the score itself is computed in TypeScript from the listing's own columns.
import { builder } from '#src/graphql/builder.js';
import { profileIdOf } from './scoring-profile-input.js';
import { resolveScoringWeights } from './scoring-profile-loader.js';
import { roundScore, scoreListing } from './score.js';

builder.prismaObjectField('Listing', 'score', (t) =>
  t.float({
    nullable: true,
    description:
      '0 to 100, one decimal, under `profileId` (one of yours) or your default profile; null when that profile is not yours or you have none. See docs/scoring.md.',
    args: { profileId: t.arg.globalID({ description: 'A ScoringProfile id; default: your default profile.' }) },
    select: { price: true, condition: true, cpu: true, gpu: true, ramGb: true, storageGb: true },
    resolve: async (listing, args, ctx) => {
      const profileId = args.profileId ? profileIdOf(args.profileId, 'profileId') : undefined;
      const profile = await resolveScoringWeights(ctx, profileId);
      return profile ? roundScore(scoreListing(listing, profile.weights)) : null;
    },
  }),
);
