// What a mutation checks before it changes a collection, inside its own transaction as the viewer.
// A collection (or item) the viewer cannot read is NOT_FOUND, exactly like one that does not
// exist; one they can read but may not change is FORBIDDEN (they know it exists already).
import { Prisma } from '#src/generated/prisma/client.js';
import type { Tx } from '#src/db/rls.js';
import { forbidden, notFound } from '#src/graphql/errors.js';
import { positionChanges, viewerPermissionOf, type CollectionPermission } from './collection-rules.js';

export interface CollectionAccess {
  id: string;
  ownerId: string;
  permission: CollectionPermission;
}

/** The collection as the viewer sees it, with their permission; NOT_FOUND when RLS hides it. */
export async function readAccess(tx: Tx, viewerId: string, collectionId: string): Promise<CollectionAccess> {
  const row = await tx.collection.findFirst({
    where: { id: collectionId },
    select: { id: true, ownerId: true, shares: { where: { granteeId: viewerId }, select: { permission: true } } },
  });
  if (!row) throw notFound('Collection');
  return {
    id: row.id,
    ownerId: row.ownerId,
    permission: viewerPermissionOf(viewerId, row.ownerId, row.shares[0]?.permission),
  };
}

/** FORBIDDEN unless `allowed(permission)`. */
export function requirePermission(
  access: CollectionAccess,
  allowed: (permission: CollectionPermission) => boolean,
  what: string,
) {
  if (!allowed(access.permission)) throw forbidden(`You may not ${what} this collection`);
}

export interface ItemRef {
  id: string;
  collectionId: string;
}

/** An item the viewer can read, or NOT_FOUND. */
export async function readItem(tx: Tx, itemId: string): Promise<ItemRef> {
  const item = await tx.collectionItem.findFirst({ where: { id: itemId }, select: { id: true, collectionId: true } });
  if (!item) throw notFound('Collection item');
  return item;
}

/** Any fixed number: it keeps these advisory locks apart from anyone else's. */
const LOCK_SPACE = 0x636f6c6c; // "coll"

/**
 * Serialises the changes to one collection's items and shares until the transaction ends, so
 * positions stay contiguous and the limits hold under concurrent requests. An advisory lock, not a
 * row lock: a grantee may not lock the collection row (that needs its UPDATE policy).
 */
export async function lockCollection(tx: Tx, collectionId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK_SPACE}::int, hashtext(${collectionId}))`;
}

/** The items in their order: [{ id, position }], position 0 first (ties by id). */
export function orderedItems(tx: Tx, collectionId: string) {
  return tx.collectionItem.findMany({
    where: { collectionId },
    select: { id: true, position: true },
    orderBy: [{ position: 'asc' }, { id: 'asc' }],
  });
}

/** Gives the items positions 0, 1, 2… in the order of `order` (item ids), in one statement. */
export async function writeOrder(
  tx: Tx,
  collectionId: string,
  current: { id: string; position: number }[],
  order: string[],
): Promise<void> {
  const changes = positionChanges(current, order);
  if (changes.length === 0) return;
  const ids = changes.map((change) => change.id);
  const positions = changes.map((change) => change.position);
  await tx.$executeRaw`
    UPDATE collection_items ci SET position = changed.position
    FROM unnest(${ids}::uuid[], ${positions}::int[]) AS changed(id, position)
    WHERE ci.id = changed.id AND ci.collection_id = ${collectionId}::uuid`;
}

/** Prisma's unique-constraint violation. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
