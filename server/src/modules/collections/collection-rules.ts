// The rules of collections, without GraphQL or a database: who may do what, the order of items,
// and how an owner is named. The limits are in @deal-brain/shared/field-limits (the web app states them).

/** What the viewer may do with a collection: its owner everything; grantees what their share says. */
export type CollectionPermission = 'OWNER' | 'EDIT' | 'VIEW';
export type SharePermission = 'VIEW' | 'EDIT';

/**
 * The viewer's permission on a collection they can read. Someone who reads it without owning it
 * or holding a share (an admin, through their own policies) may only look.
 */
export function viewerPermissionOf(
  viewerId: string,
  ownerId: string,
  share: SharePermission | null | undefined,
): CollectionPermission {
  if (viewerId === ownerId) return 'OWNER';
  return share ?? 'VIEW';
}

/** Adding, removing, moving items and editing their notes. */
export function mayEditItems(permission: CollectionPermission): boolean {
  return permission === 'OWNER' || permission === 'EDIT';
}

/** Renaming, deleting, sharing and revoking: the owner's alone. */
export function mayManage(permission: CollectionPermission): boolean {
  return permission === 'OWNER';
}

/**
 * A listing enters a collection only by its owner's hand: it must belong to the collection's owner
 * or to whoever adds it (the database trigger collection_items_listing_visible says why).
 */
export function mayAddListing(listingOwnerId: string, collectionOwnerId: string, viewerId: string): boolean {
  return listingOwnerId === collectionOwnerId || listingOwnerId === viewerId;
}

/** `order` (item ids, first to last) with `itemId` moved to the 0-based index `target`. */
export function moveInOrder(order: readonly string[], itemId: string, target: number): string[] {
  const from = order.indexOf(itemId);
  if (from === -1) throw new RangeError(`item ${itemId} is not in the order`);
  if (!Number.isInteger(target) || target < 0 || target >= order.length) {
    throw new RangeError(`position ${target} is outside 0..${order.length - 1}`);
  }
  const rest = order.filter((id) => id !== itemId);
  return [...rest.slice(0, target), itemId, ...rest.slice(target)];
}

export interface Positioned {
  id: string;
  position: number;
}

/**
 * The writes that give the items of `current` the positions 0, 1, 2… in the order of `order`:
 * only the items whose position changes. `order` must hold exactly the ids of `current`.
 */
export function positionChanges(current: readonly Positioned[], order: readonly string[]): Positioned[] {
  const positions = new Map(current.map((item) => [item.id, item.position]));
  if (order.length !== positions.size || order.some((id) => !positions.has(id))) {
    throw new RangeError('the order must hold exactly the current items');
  }
  return order.flatMap((id, position) => (positions.get(id) === position ? [] : [{ id, position }]));
}

export interface PersonName {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
}

/** "First Last", either alone, or else the email address; null when there is nothing to show. */
export function displayName({ firstName, lastName, email }: PersonName): string | null {
  const name = [firstName, lastName]
    .map((part) => part?.trim())
    .filter(Boolean)
    .join(' ');
  return name || email || null;
}
