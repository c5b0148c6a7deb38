// Collection inputs: the GraphQL input types and the zod rules that validate them. Every mutation
// takes one `input`; a rule that fails answers BAD_USER_INPUT with the field's path
// (input.<field>), and nothing is written.
import { COLLECTION_LIMITS } from '@deal-brain/shared/field-limits';
import { z } from 'zod';
import { SharePermission } from '#src/generated/prisma/client.js';
import { builder } from '#src/graphql/builder.js';
import { SharePermissionEnum } from './collection.js';
import { globalIdOf } from '#src/graphql/global-id-input.js';

const name = z
  .string()
  .trim()
  .min(1, 'Name is required')
  .max(COLLECTION_LIMITS.nameLength, `Name must be at most ${COLLECTION_LIMITS.nameLength} characters`);

/** Optional free text: trimmed, and blank is no text at all (null). */
const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label} must be at most ${max} characters`)
    .transform((value) => value || null)
    .nullish();

const description = optionalText('Description', COLLECTION_LIMITS.descriptionLength);
const note = optionalText('Note', COLLECTION_LIMITS.noteLength);

const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(COLLECTION_LIMITS.emailLength, `Email must be at most ${COLLECTION_LIMITS.emailLength} characters`)
  .pipe(z.email('Enter a valid email address'));

export const createCollectionSchema = z.object({ name, description });
export const updateCollectionSchema = z
  .object({ id: globalIdOf('Collection'), name: name.optional(), description })
  .refine((input) => input.name !== undefined || input.description !== undefined, 'Nothing to update');
export const deleteCollectionSchema = z.object({ id: globalIdOf('Collection') });
export const addCollectionItemSchema = z.object({
  collectionId: globalIdOf('Collection'),
  listingId: globalIdOf('Listing'),
  note,
});
export const removeCollectionItemSchema = z.object({ itemId: globalIdOf('CollectionItem') });
export const updateCollectionItemSchema = z.object({ itemId: globalIdOf('CollectionItem'), note });
export const moveCollectionItemSchema = z.object({
  itemId: globalIdOf('CollectionItem'),
  position: z.number().int().min(0, 'Position cannot be negative'),
});
export const shareCollectionSchema = z.object({
  collectionId: globalIdOf('Collection'),
  email,
  permission: z.enum(SharePermission),
});
export const revokeCollectionShareSchema = z.object({ collectionId: globalIdOf('Collection'), email });

export const CreateCollectionInput = builder.inputType('CreateCollectionInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: `1 to ${COLLECTION_LIMITS.nameLength} characters, trimmed.` }),
    description: t.string({ description: `At most ${COLLECTION_LIMITS.descriptionLength} characters.` }),
  }),
});

export const UpdateCollectionInput = builder.inputType('UpdateCollectionInput', {
  description: 'Fields to change; an omitted field keeps its value, a null or blank description clears it.',
  fields: (t) => ({
    id: t.globalID({ required: true }),
    name: t.string(),
    description: t.string(),
  }),
});

export const DeleteCollectionInput = builder.inputType('DeleteCollectionInput', {
  fields: (t) => ({ id: t.globalID({ required: true }) }),
});

export const AddCollectionItemInput = builder.inputType('AddCollectionItemInput', {
  fields: (t) => ({
    collectionId: t.globalID({ required: true }),
    listingId: t.globalID({
      required: true,
      description: "One of your own listings, or one of the collection owner's.",
    }),
    note: t.string({ description: `At most ${COLLECTION_LIMITS.noteLength} characters.` }),
  }),
});

export const RemoveCollectionItemInput = builder.inputType('RemoveCollectionItemInput', {
  fields: (t) => ({ itemId: t.globalID({ required: true }) }),
});

export const UpdateCollectionItemInput = builder.inputType('UpdateCollectionItemInput', {
  fields: (t) => ({
    itemId: t.globalID({ required: true }),
    note: t.string({ description: 'The new note; null or blank clears it.' }),
  }),
});

export const MoveCollectionItemInput = builder.inputType('MoveCollectionItemInput', {
  fields: (t) => ({
    itemId: t.globalID({ required: true }),
    position: t.int({ required: true, description: 'The 0-based index the item moves to; the others close up.' }),
  }),
});

export const ShareCollectionInput = builder.inputType('ShareCollectionInput', {
  description:
    'Sharing again with the same address changes the permission. The answer is the same whether or not ' +
    'someone has an account with that address: the share applies once a user with it, verified, exists.',
  fields: (t) => ({
    collectionId: t.globalID({ required: true }),
    email: t.string({ required: true }),
    permission: t.field({ type: SharePermissionEnum, required: true }),
  }),
});

export const RevokeCollectionShareInput = builder.inputType('RevokeCollectionShareInput', {
  fields: (t) => ({
    collectionId: t.globalID({ required: true }),
    email: t.string({ required: true }),
  }),
});
