// Profile mutations: names and avatar. Clerk is the system of record, so each change is written to Clerk
// first (through the one Backend API client; the local stand-in in local mode), then Clerk's answer is
// stored with the webhook's guard and returned (clerk/profile-writer.ts). A key request may not change the
// profile (sessionCredential). Clerk refusing is the client's mistake (BAD_USER_INPUT, with the field when
// Clerk names one); Clerk unreachable is IDENTITY_PROVIDER_UNAVAILABLE. Either way nothing changes here.
import { ERROR_CODES } from '@deal-brain/shared/error-codes';
import { auditSource } from '#src/audit/audit-source.js';
import { ClerkRefusedError, ClerkUnavailableError } from '#src/clerk/backend-api.js';
import { decodeBase64, isProfileImageType } from '#src/clerk/profile-image.js';
import type { ProfileChange } from '#src/clerk/profile-writer.js';
import { builder } from '#src/graphql/builder.js';
import { signedIn, type Context } from '#src/graphql/context.js';
import { apiError, badUserInput } from '#src/graphql/errors.js';
import {
  UpdateProfileImageInput,
  UpdateProfileInput,
  updateProfileImageSchema,
  updateProfileSchema,
} from './profile-input.js';

const UpdateProfilePayload = builder.objectRef<{ userId: string }>('UpdateProfilePayload').implement({
  fields: (t) => ({
    user: t.prismaField({
      type: 'User',
      description: 'You, as stored now: Clerk’s answer to the change.',
      resolve: (query, parent, _args, ctx) =>
        signedIn(ctx).db.user.findFirstOrThrow({ ...query, where: { id: parent.userId } }),
    }),
  }),
});

/** Clerk's parameter names (snake_case) → the input field at fault. */
const FIELD_OF_CLERK_PARAM: Record<string, string> = {
  first_name: 'input.firstName',
  last_name: 'input.lastName',
  file: 'input.data',
};

/** What a failure at Clerk means to the client. */
function identityProviderFailure(ctx: Context, error: unknown): unknown {
  if (error instanceof ClerkRefusedError) {
    if (error.status === 429) {
      return apiError(ERROR_CODES.RATE_LIMITED, 'Too many profile changes at once; try again in a moment', {
        ...(error.retryAfter === undefined ? {} : { retryAfter: error.retryAfter }),
      });
    }
    const issues = error.reasons.flatMap((reason) => {
      const path = reason.paramName === undefined ? undefined : FIELD_OF_CLERK_PARAM[reason.paramName];
      return path ? [{ path, message: reason.longMessage ?? reason.message }] : [];
    });
    const first = error.reasons[0];
    const message = first ? (first.longMessage ?? first.message) : 'The identity provider refused the change';
    return badUserInput(message, issues);
  }
  if (error instanceof ClerkUnavailableError) {
    ctx.log.warn(
      { event: 'clerk.unavailable', reason: error.reason, status: error.status, err: error },
      'profile change not made: Clerk unavailable',
    );
    return apiError(
      ERROR_CODES.IDENTITY_PROVIDER_UNAVAILABLE,
      'The identity provider could not be reached, so nothing was changed; try again in a moment',
    );
  }
  return error;
}

async function changeProfile(ctx: Context, change: ProfileChange): Promise<{ userId: string }> {
  const { viewer } = signedIn(ctx);
  try {
    await ctx.profiles.write({ userId: viewer.userId, clerkId: viewer.clerkId }, change, auditSource(ctx));
  } catch (error) {
    throw identityProviderFailure(ctx, error);
  }
  return { userId: viewer.userId };
}

builder.mutationFields((t) => ({
  updateProfile: t.field({
    type: UpdateProfilePayload,
    description:
      'Changes your first and last name: written to Clerk first, then Clerk’s answer is stored and returned.',
    authScopes: { sessionCredential: true },
    args: { input: t.arg({ type: UpdateProfileInput, required: true, validate: { schema: updateProfileSchema } }) },
    resolve: (_root, args, ctx) => {
      const { firstName, lastName } = updateProfileSchema.parse(args.input);
      return changeProfile(ctx, { kind: 'names', firstName, lastName });
    },
  }),
  updateProfileImage: t.field({
    type: UpdateProfilePayload,
    description: 'Sets your avatar through Clerk’s profile image call.',
    authScopes: { sessionCredential: true },
    args: {
      input: t.arg({ type: UpdateProfileImageInput, required: true, validate: { schema: updateProfileImageSchema } }),
    },
    resolve: (_root, args, ctx) => {
      // Validated already (the arg's `validate`): the data is base64 of an image of this type.
      const contentType = args.input.contentType.trim().toLowerCase();
      const bytes = decodeBase64(args.input.data);
      if (!bytes || !isProfileImageType(contentType)) throw badUserInput('Invalid image');
      return changeProfile(ctx, { kind: 'image', contentType, bytes });
    },
  }),
  removeProfileImage: t.field({
    type: UpdateProfilePayload,
    description: 'Removes your avatar at Clerk (Clerk shows its default image instead).',
    authScopes: { sessionCredential: true },
    resolve: (_root, _args, ctx) => changeProfile(ctx, { kind: 'image-removed' }),
  }),
}));
