// Profile input: the GraphQL input types and the zod rules checked before Clerk is asked. A rule that
// fails answers BAD_USER_INPUT with the field's path (input.<field>), and neither Clerk nor the database
// is touched.
import { PROFILE_LIMITS } from '@deal-brain/shared/field-limits';
import { z } from 'zod';
import { decodeBase64, imageProblems, PROFILE_IMAGE_TYPES } from '#src/clerk/profile-image.js';
import { builder } from '#src/graphql/builder.js';

// Tabs, line breaks, NUL and the other C0/C1 controls have no place in a name (PostgreSQL cannot even
// store NUL).
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

const name = (label: string) =>
  z
    .string()
    .trim()
    .max(PROFILE_LIMITS.nameLength, `${label} must be at most ${PROFILE_LIMITS.nameLength} characters`)
    .refine((value) => !CONTROL_CHARACTERS.test(value), `${label} must not contain control characters`);

/** Trimmed; an empty name clears it. */
export const updateProfileSchema = z.object({ firstName: name('First name'), lastName: name('Last name') });

/** Base64 of the largest image, with room for line breaks. */
const MAX_BASE64_LENGTH = Math.ceil(PROFILE_LIMITS.imageBytes / 3) * 4 + 4096;

/**
 * Checks only (it transforms nothing, so the resolver's input stays what the client sent): `data` is base64
 * of an image of the declared type, by its bytes, within the size limit.
 */
export const updateProfileImageSchema = z
  .object({
    contentType: z.string(),
    data: z.string().max(MAX_BASE64_LENGTH, `The image must be at most ${PROFILE_LIMITS.imageBytes / 1024} KiB`),
  })
  .superRefine((input, ctx) => {
    const bytes = decodeBase64(input.data);
    if (!bytes) {
      ctx.addIssue({ code: 'custom', path: ['data'], message: 'Must be the image in base64' });
      return;
    }
    for (const problem of imageProblems(input.contentType.trim().toLowerCase(), bytes)) {
      ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
    }
  });

export const UpdateProfileInput = builder.inputType('UpdateProfileInput', {
  description: `Both names, each trimmed and at most ${PROFILE_LIMITS.nameLength} characters; an empty string clears one.`,
  fields: (t) => ({
    firstName: t.string({ required: true }),
    lastName: t.string({ required: true }),
  }),
});

export const UpdateProfileImageInput = builder.inputType('UpdateProfileImageInput', {
  description: `An avatar: a ${PROFILE_IMAGE_TYPES.join(', ')} image of at most ${PROFILE_LIMITS.imageBytes / 1024} KiB.`,
  fields: (t) => ({
    contentType: t.string({
      required: true,
      description: `One of ${PROFILE_IMAGE_TYPES.join(', ')}; must match the data.`,
    }),
    data: t.string({ required: true, description: 'The image file, base64-encoded.' }),
  }),
});
