// Scoring profile input: the GraphQL input types and the zod rules that validate them.
import { SCORING_LIMITS } from '@deal-brain/shared/field-limits';
import { z } from 'zod';
import { builder } from '#src/graphql/builder.js';
import { badUserInput } from '#src/graphql/errors.js';
import { scoringWeightsSchema } from './score.js';

export interface GlobalId {
  typename: string;
  id: string;
}

const name = z
  .string()
  .trim()
  .min(1, 'Name is required')
  .max(SCORING_LIMITS.nameLength, `Name must be at most ${SCORING_LIMITS.nameLength} characters`);

export const createScoringProfileSchema = z.object({
  name,
  weights: scoringWeightsSchema,
  isDefault: z.boolean().nullish(),
});

// The id passes through untouched (the validated input replaces the resolver's): it is checked
// where it is decoded (profileIdOf).
export const updateScoringProfileSchema = z
  .object({ id: z.custom<GlobalId>(), name: name.nullish(), weights: scoringWeightsSchema.nullish() })
  .refine((input) => input.name != null || input.weights != null, 'Give a name or weights to change');

export const ScoringWeightsInput = builder.inputType('ScoringWeightsInput', {
  description: 'Each weight 0 to 100, at least one above 0.',
  fields: (t) => ({
    price: t.float({ required: true }),
    cpu: t.float({ required: true }),
    gpu: t.float({ required: true }),
    ram: t.float({ required: true }),
    storage: t.float({ required: true }),
    condition: t.float({ required: true }),
  }),
});

export const CreateScoringProfileInput = builder.inputType('CreateScoringProfileInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: '1 to 100 characters, trimmed.' }),
    weights: t.field({ type: ScoringWeightsInput, required: true }),
    isDefault: t.boolean({
      description: 'Make it the default (unsetting the old one). Your first profile is the default regardless.',
    }),
  }),
});

export const UpdateScoringProfileInput = builder.inputType('UpdateScoringProfileInput', {
  description: 'Fields to change; omitted or null fields keep their value. Weights are replaced as a whole.',
  fields: (t) => ({
    id: t.globalID({ required: true }),
    name: t.string(),
    weights: t.field({ type: ScoringWeightsInput }),
  }),
});

export const ScoringProfileIdInput = (name: string) =>
  builder.inputType(name, { fields: (t) => ({ id: t.globalID({ required: true }) }) });

/**
 * The row id of a ScoringProfile global id. Another type's id is the client's mistake
 * (BAD_USER_INPUT, with the argument's path), never a server error.
 */
export function profileIdOf(global: GlobalId, path: string): string {
  if (global.typename !== 'ScoringProfile') {
    throw badUserInput(`${path} must be a ScoringProfile id`, [{ path, message: 'Expected a ScoringProfile id' }]);
  }
  return global.id;
}
