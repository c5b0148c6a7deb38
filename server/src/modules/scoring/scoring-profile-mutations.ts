// Changing scoring profiles: create, update, set the default, delete — the owner's alone (RLS and
// an explicit owner filter). Default-changing writes are atomic (scoring-profile-writes.ts).
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Tx } from '#src/db/rls.js';
import { builder } from '#src/graphql/builder.js';
import { signedIn, type Context } from '#src/graphql/context.js';
import { isRecordNotFound, notFound } from '#src/graphql/errors.js';
import {
  CreateScoringProfileInput,
  ScoringProfileIdInput,
  UpdateScoringProfileInput,
  createScoringProfileSchema,
  profileIdOf,
  updateScoringProfileSchema,
} from './scoring-profile-input.js';
import { forgetScoringWeights } from './scoring-profile-loader.js';
import { createProfile, deleteProfile, setDefaultProfile } from './scoring-profile-writes.js';

interface ProfilePayload {
  scoringProfileId: string;
}

function profilePayload(name: string) {
  return builder.objectRef<ProfilePayload>(name).implement({
    fields: (t) => ({
      scoringProfile: t.prismaField({
        type: 'ScoringProfile',
        resolve: (query, parent, _args, ctx) =>
          signedIn(ctx).db.scoringProfile.findFirstOrThrow({ ...query, where: { id: parent.scoringProfileId } }),
      }),
    }),
  });
}

const CreateScoringProfilePayload = profilePayload('CreateScoringProfilePayload');
const UpdateScoringProfilePayload = profilePayload('UpdateScoringProfilePayload');
const SetDefaultScoringProfilePayload = profilePayload('SetDefaultScoringProfilePayload');
const DeleteScoringProfilePayload = builder
  .objectRef<{ deletedScoringProfileId: string }>('DeleteScoringProfilePayload')
  .implement({
    fields: (t) => ({
      deletedScoringProfileId: t.exposeID('deletedScoringProfileId', {
        description: 'Global id of the deleted profile.',
      }),
      defaultScoringProfile: t.prismaField({
        type: 'ScoringProfile',
        nullable: true,
        description: 'Your default profile after the delete (another one was promoted if you deleted the default).',
        resolve: (query, _parent, _args, ctx) => {
          const { db, viewer } = signedIn(ctx);
          return db.scoringProfile.findFirst({ ...query, where: { ownerId: viewer.userId, isDefault: true } });
        },
      }),
    }),
  });

const SetDefaultScoringProfileInput = ScoringProfileIdInput('SetDefaultScoringProfileInput');
const DeleteScoringProfileInput = ScoringProfileIdInput('DeleteScoringProfileInput');

/** Runs a change in one transaction as the viewer; later fields of the request see it. */
async function change<T>(ctx: Context, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const result = await ctx.withRls(fn);
  forgetScoringWeights(ctx);
  return result;
}

builder.mutationFields((t) => ({
  createScoringProfile: t.field({
    type: CreateScoringProfilePayload,
    description: 'A new profile. Your first one is your default; isDefault makes a later one the default.',
    authScopes: { signedIn: true },
    args: {
      input: t.arg({
        type: CreateScoringProfileInput,
        required: true,
        validate: { schema: createScoringProfileSchema },
      }),
    },
    resolve: async (_root, args, ctx) => {
      const { viewer } = signedIn(ctx);
      const input = createScoringProfileSchema.parse(args.input);
      const scoringProfileId = await change(ctx, (tx) => createProfile(tx, viewer.userId, input));
      return { scoringProfileId };
    },
  }),
  updateScoringProfile: t.field({
    type: UpdateScoringProfilePayload,
    description: 'Renames a profile or replaces its weights.',
    authScopes: { signedIn: true },
    args: {
      input: t.arg({
        type: UpdateScoringProfileInput,
        required: true,
        validate: { schema: updateScoringProfileSchema },
      }),
    },
    resolve: async (_root, args, ctx) => {
      const { db, viewer } = signedIn(ctx);
      const id = profileIdOf(args.input.id, 'input.id');
      const { name, weights } = updateScoringProfileSchema.parse(args.input);
      try {
        await db.scoringProfile.update({
          where: { id, ownerId: viewer.userId },
          data: { ...(name != null ? { name } : {}), ...(weights != null ? { weights } : {}) },
          select: { id: true },
        });
      } catch (error) {
        if (isRecordNotFound(error)) throw notFound('Scoring profile');
        throw error;
      }
      forgetScoringWeights(ctx);
      return { scoringProfileId: id };
    },
  }),
  setDefaultScoringProfile: t.field({
    type: SetDefaultScoringProfilePayload,
    description: 'Makes a profile your default; the old default stops being one in the same transaction.',
    authScopes: { signedIn: true },
    args: { input: t.arg({ type: SetDefaultScoringProfileInput, required: true }) },
    resolve: async (_root, args, ctx) => {
      const { viewer } = signedIn(ctx);
      const id = profileIdOf(args.input.id, 'input.id');
      await change(ctx, (tx) => setDefaultProfile(tx, viewer.userId, id));
      return { scoringProfileId: id };
    },
  }),
  deleteScoringProfile: t.field({
    type: DeleteScoringProfilePayload,
    description: 'Deletes a profile. Deleting your default promotes your most recently updated other profile.',
    authScopes: { signedIn: true },
    args: { input: t.arg({ type: DeleteScoringProfileInput, required: true }) },
    resolve: async (_root, args, ctx) => {
      const { viewer } = signedIn(ctx);
      const id = profileIdOf(args.input.id, 'input.id');
      await change(ctx, (tx) => deleteProfile(tx, viewer.userId, id));
      return { deletedScoringProfileId: encodeGlobalID('ScoringProfile', id) };
    },
  }),
}));
