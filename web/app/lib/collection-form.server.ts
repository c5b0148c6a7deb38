// Collection forms → GraphQL inputs, and collection ids in URLs. Only shapes are checked here (an
// intent we know, a permission from the list, a whole-number position); the rules (name length, a
// valid email, who may do what) are the API's, and its messages are shown as they are.
import { COLLECTION_LIMITS } from '@deal-brain/shared/field-limits';
import type {
  AddCollectionItemInput,
  CreateCollectionInput,
  MoveCollectionItemInput,
  SharePermission,
  UpdateCollectionItemInput,
} from '~/gql/graphql';
import { formText } from './form-text';

export const SHARE_PERMISSIONS: { value: SharePermission; label: string }[] = [
  { value: 'VIEW', label: 'View' },
  { value: 'EDIT', label: 'Edit' },
];

/** How a permission reads on the page (OWNER included, for the viewer's own). */
export const PERMISSION_LABELS: Record<string, string> = { OWNER: 'Owner', EDIT: 'Edit', VIEW: 'View' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INTEGER = /^\d+$/;
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+$/;

/**
 * The URLs carry a collection's raw UUID (`/app/collections/0b6c…`); the API wants its global id,
 * base64("Collection:<uuid>"). Null for anything that is not a UUID (the page answers 404).
 */
export function collectionGlobalId(uuid: string | undefined): string | null {
  if (!uuid || !UUID.test(uuid)) return null;
  return Buffer.from(`Collection:${uuid.toLowerCase()}`, 'utf8').toString('base64');
}

/** The UUID a Collection global id stands for (for links), or null if it is not one. */
export function collectionUuid(globalId: string): string | null {
  const decoded = Buffer.from(globalId, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator === -1 || decoded.slice(0, separator) !== 'Collection') return null;
  const uuid = decoded.slice(separator + 1);
  return UUID.test(uuid) ? uuid.toLowerCase() : null;
}

/** The path of a collection's page, from its global id. */
export function collectionPath(globalId: string): string {
  return `/app/collections/${collectionUuid(globalId) ?? encodeURIComponent(globalId)}`;
}

function optional(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

export type FormErrors = Partial<Record<string, string>>;

export interface CollectionFormValues {
  name: string;
  description: string;
}

/** The create and rename form: the name as typed (the API trims and checks it), a blank description as null. */
export function parseCollectionForm(form: FormData): {
  values: CollectionFormValues;
  input: CreateCollectionInput;
} {
  const values = { name: formText(form, 'name'), description: formText(form, 'description') };
  return { values, input: { name: values.name, description: optional(values.description) } };
}

function isPermission(value: string): value is SharePermission {
  return SHARE_PERMISSIONS.some((option) => option.value === value);
}

/** What a post to a collection's page asks for, by its `intent` button. */
export type CollectionAction =
  | { intent: 'update'; values: CollectionFormValues; input: CreateCollectionInput }
  | { intent: 'delete' }
  | { intent: 'share'; email: string; permission: SharePermission }
  | { intent: 'change-permission'; email: string; permission: SharePermission }
  | { intent: 'revoke'; email: string }
  | { intent: 'add-item'; input: Omit<AddCollectionItemInput, 'collectionId'> }
  | { intent: 'remove-item'; itemId: string }
  | { intent: 'update-note'; input: UpdateCollectionItemInput }
  | { intent: 'move-item'; input: MoveCollectionItemInput };

export type ParsedCollectionAction =
  | { ok: true; action: CollectionAction }
  | { ok: false; intent: string; itemId: string | null; values: Record<string, string>; errors: FormErrors };

const INTENTS = [
  'update',
  'delete',
  'share',
  'change-permission',
  'revoke',
  'add-item',
  'remove-item',
  'update-note',
  'move-up',
  'move-down',
] as const;

/**
 * The detail page's forms, each a small `<Form method="post">` with an `intent` button. Errors come
 * back keyed by field (`email`, `listingId`, `note`…) or `form`, for the form named by `intent`
 * (and `itemId`, when the form belongs to one item).
 */
export function parseCollectionAction(form: FormData): ParsedCollectionAction {
  const intent = formText(form, 'intent');
  const itemId = formText(form, 'itemId');
  const values: Record<string, string> = {};
  for (const name of ['name', 'description', 'email', 'permission', 'listingId', 'note']) {
    if (form.has(name)) values[name] = formText(form, name);
  }
  const fail = (errors: FormErrors): ParsedCollectionAction => ({
    ok: false,
    intent,
    itemId: itemId || null,
    values,
    errors,
  });

  if (!(INTENTS as readonly string[]).includes(intent)) return fail({ form: 'Unknown action. Please try again.' });

  switch (intent as (typeof INTENTS)[number]) {
    case 'update': {
      const { values: formValues, input } = parseCollectionForm(form);
      return { ok: true, action: { intent: 'update', values: formValues, input } };
    }
    case 'delete':
      return { ok: true, action: { intent: 'delete' } };
    case 'share':
    case 'change-permission': {
      const email = formText(form, 'email').trim();
      const permission = formText(form, 'permission');
      const errors: FormErrors = {};
      if (email === '') errors.email = 'Email is required';
      if (!isPermission(permission)) errors.permission = 'Choose View or Edit';
      if (Object.keys(errors).length > 0 || !isPermission(permission)) return fail(errors);
      return { ok: true, action: { intent: intent as 'share' | 'change-permission', email, permission } };
    }
    case 'revoke': {
      const email = formText(form, 'email').trim();
      if (email === '') return fail({ form: 'Choose the address to stop sharing with' });
      return { ok: true, action: { intent: 'revoke', email } };
    }
    case 'add-item': {
      const listingId = formText(form, 'listingId');
      if (listingId === '') return fail({ listingId: 'Choose a listing' });
      return { ok: true, action: { intent: 'add-item', input: { listingId, note: optional(formText(form, 'note')) } } };
    }
    case 'remove-item':
    case 'update-note':
    case 'move-up':
    case 'move-down': {
      if (itemId === '') return fail({ form: 'Unknown item. Please reload the page.' });
      if (intent === 'remove-item') return { ok: true, action: { intent: 'remove-item', itemId } };
      if (intent === 'update-note') {
        return {
          ok: true,
          action: { intent: 'update-note', input: { itemId, note: optional(formText(form, 'note')) } },
        };
      }
      const position = formText(form, 'position');
      if (!INTEGER.test(position)) return fail({ form: 'Unknown position. Please reload the page.' });
      const target = Number(position) + (intent === 'move-up' ? -1 : 1);
      if (target < 0) return fail({ form: 'This item is already first.' });
      return { ok: true, action: { intent: 'move-item', input: { itemId, position: target } } };
    }
  }
}

/** The notices a redirect back to the page shows (`?notice=`), by key; `email` fills in the address. */
export function collectionNotice(notice: string | null, email: string | null): string | null {
  // Only something shaped like an address is echoed: a crafted link cannot put other words on the page.
  const address =
    email && email.length <= COLLECTION_LIMITS.emailLength && EMAIL_SHAPE.test(email) ? email : 'that address';
  switch (notice) {
    case 'created':
      return 'Collection created.';
    case 'updated':
      return 'Collection saved.';
    case 'deleted':
      return 'Collection deleted.';
    case 'shared':
      // The same words whether or not the address has an account: nothing here tells them apart.
      return `Shared with ${address}. If they don't have an account yet, they'll see it once they sign up with that address.`;
    case 'permission':
      return `Permission changed for ${address}.`;
    case 'revoked':
      return `Stopped sharing with ${address}.`;
    case 'item-added':
      return 'Listing added to the collection.';
    case 'item-removed':
      return 'Listing removed from the collection.';
    case 'note-saved':
      return 'Note saved.';
    case 'moved':
      return 'Order changed.';
    default:
      return null;
  }
}
