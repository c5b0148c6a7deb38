// API key inputs: the GraphQL input types and the zod rules that validate them. A rule that fails
// answers BAD_USER_INPUT with the field's path (input.<field>), and nothing is written.
import { API_KEY_LIMITS } from '@deal-brain/shared/field-limits';
import { z } from 'zod';
import { builder } from '#src/graphql/builder.js';
import { ApiKeyScopeEnum } from './api-key.js';
import { expiryProblem, normalizeScopes } from './api-key-rules.js';
import { globalIdOf } from '#src/graphql/global-id-input.js';

const name = z
  .string()
  .trim()
  .min(1, 'Name is required')
  .max(API_KEY_LIMITS.nameLength, `Name must be at most ${API_KEY_LIMITS.nameLength} characters`);

const scopes = z
  .array(z.enum(['READ', 'WRITE']))
  .min(1, 'Choose at least one scope')
  .transform((value) => normalizeScopes(value));

const expiresAt = z
  .date()
  .nullish()
  .transform((value) => value ?? null);

/** The expiry checked against the clock: only where input is validated, once per request. */
const expiresAtFromNow = z
  .date()
  .nullish()
  .superRefine((value, context) => {
    const problem = value ? expiryProblem(value, new Date()) : null;
    if (problem) context.addIssue({ code: 'custom', message: problem });
  })
  .transform((value) => value ?? null);

/** Validates the input (BAD_USER_INPUT with paths). */
export const createApiKeySchema = z.object({ name, scopes, expiresAt: expiresAtFromNow });

/**
 * The validated input's values for the resolver: the same transforms without the clock, so reading them
 * again a moment later cannot disagree with the validation (an expiry at the edge of the allowed range).
 */
export const createApiKeyValues = z.object({ name, scopes, expiresAt });

export const revokeApiKeySchema = z.object({
  id: globalIdOf('ApiKey'),
});

export const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: `1 to ${API_KEY_LIMITS.nameLength} characters, trimmed.` }),
    scopes: t.field({
      type: [ApiKeyScopeEnum],
      required: true,
      description: 'At least one. READ runs queries; WRITE also runs mutations.',
    }),
    expiresAt: t.field({
      type: 'DateTime',
      description: `When the key stops working: in the future, at most ${API_KEY_LIMITS.maxLifetimeDays} days ahead. Omitted or null: until revoked.`,
    }),
  }),
});

export const RevokeApiKeyInput = builder.inputType('RevokeApiKeyInput', {
  fields: (t) => ({ id: t.globalID({ required: true }) }),
});
