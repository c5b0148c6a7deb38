// The ScoringProfile type: a named set of weights that ranks deals by what matters to its owner.
import { builder } from '#src/graphql/builder.js';
import { weightsFromJson, type ScoringWeights } from './score.js';

export const ScoringWeightsType = builder.objectRef<ScoringWeights>('ScoringWeights').implement({
  description:
    'How much each attribute counts, 0 to 100; only their ratios matter. A score is 100 × Σ(weight × sub-score) / Σ weight (docs/scoring.md).',
  fields: (t) => ({
    price: t.exposeFloat('price', { description: 'Weight of the price sub-score, 500 / (500 + price).' }),
    cpu: t.exposeFloat('cpu', { description: 'Weight of the CPU tier.' }),
    gpu: t.exposeFloat('gpu', { description: 'Weight of the GPU tier.' }),
    ram: t.exposeFloat('ram', { description: 'Weight of RAM, up to 64 GB.' }),
    storage: t.exposeFloat('storage', { description: 'Weight of storage, up to 2000 GB.' }),
    condition: t.exposeFloat('condition', { description: 'Weight of the condition.' }),
  }),
});

export const ScoringProfileNode = builder.prismaNode('ScoringProfile', {
  id: { field: 'id' },
  // A row hidden by RLS or missing is null, like any unknown id.
  nullable: true,
  fields: (t) => ({
    name: t.exposeString('name'),
    weights: t.field({
      type: ScoringWeightsType,
      select: { weights: true },
      // What the weights count as: stored JSON read the way the score reads it.
      resolve: (profile) => weightsFromJson(profile.weights),
    }),
    isDefault: t.exposeBoolean('isDefault', {
      description: "Whether listings are scored under this profile when none is named. Exactly one of a user's is.",
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});
