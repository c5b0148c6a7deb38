// Inputs of the admin actions and their zod rules: a reason is trimmed and at most
// ADMIN_LIMITS.reasonLength characters (required to deactivate); anything else is BAD_USER_INPUT with
// the field's path, and nothing is written.
import { ADMIN_LIMITS } from '@deal-brain/shared/field-limits';
import { z } from 'zod';
import { builder } from '#src/graphql/builder.js';
import { RoleEnum } from '#src/modules/users/user.js';

const { reasonLength } = ADMIN_LIMITS;
const tooLong = `Reason must be at most ${reasonLength} characters`;

/** Any global id: one of another type is answered NOT_FOUND by the resolver, like an unknown user. */
const userId = z.object({ typename: z.string(), id: z.string() });

/** Optional: absent or blank is null. */
const optionalReason = z
  .string()
  .trim()
  .max(reasonLength, tooLong)
  .nullish()
  .transform((value) => value || null);

const requiredReason = z.string().trim().min(1, 'Give a reason').max(reasonLength, tooLong);

export const setUserRoleSchema = z.object({ userId, role: z.enum(['USER', 'ADMIN']), reason: optionalReason });
export const deactivateUserSchema = z.object({ userId, reason: requiredReason });
export const reactivateUserSchema = z.object({ userId, reason: optionalReason });

const reasonDescription = `Why (kept in the audit log): trimmed, at most ${reasonLength} characters.`;

export const SetUserRoleInput = builder.inputType('SetUserRoleInput', {
  fields: (t) => ({
    userId: t.globalID({ required: true }),
    role: t.field({ type: RoleEnum, required: true }),
    reason: t.string({ description: reasonDescription }),
  }),
});

export const DeactivateUserInput = builder.inputType('DeactivateUserInput', {
  fields: (t) => ({
    userId: t.globalID({ required: true }),
    reason: t.string({ required: true, description: `${reasonDescription} Required.` }),
  }),
});

export const ReactivateUserInput = builder.inputType('ReactivateUserInput', {
  fields: (t) => ({
    userId: t.globalID({ required: true }),
    reason: t.string({ description: reasonDescription }),
  }),
});
