// Sharing a collection by email, and revoking a share: the owner's alone.
//
// No account enumeration: sharing with an address that has no account, or no verified one, answers
// exactly as sharing with a user's verified address does. The same statements run in both cases
// (the lookup always runs, inside the one statement that writes the share); only the grantee_id
// written differs, and nothing in the answer shows it. A share waiting for its user is bound when a
// user with that verified address appears (app_claim_collection_shares, from the webhook sync).
// Revoking a share also removes the items its grantee contributed from their own listings.
// While the tenant setting collectionSharingEnabled is off, sharing is refused (FORBIDDEN, reason
// sharing-disabled); existing shares keep working and can still be revoked.
import { COLLECTION_LIMITS } from '@deal-brain/shared/field-limits';
import { recordAuditEvents } from '#src/audit/audit-events.js';
import { auditSource } from '#src/audit/audit-source.js';
import type { Tx } from '#src/db/rls.js';
import { builder } from '#src/graphql/builder.js';
import { signedIn } from '#src/graphql/context.js';
import { apiError, badUserInput, notFound } from '#src/graphql/errors.js';
import { readTenantSettings } from '#src/modules/tenant-settings/tenant-settings.js';
import { lockCollection, orderedItems, readAccess, requirePermission, writeOrder } from './collection-access.js';
import {
  RevokeCollectionShareInput,
  ShareCollectionInput,
  revokeCollectionShareSchema,
  shareCollectionSchema,
} from './collection-input.js';
import { collectionPayload } from './collection-payloads.js';
import { mayManage, type SharePermission } from './collection-rules.js';

const ShareCollectionPayload = collectionPayload('ShareCollectionPayload');
const RevokeCollectionSharePayload = collectionPayload('RevokeCollectionSharePayload');

/** FORBIDDEN while an admin has turned sharing off (read in the share's own transaction). */
async function requireSharingEnabled(tx: Tx): Promise<void> {
  const { collectionSharingEnabled } = await readTenantSettings(tx);
  if (!collectionSharingEnabled) {
    throw apiError('FORBIDDEN', 'Sharing collections is turned off by an administrator', {
      reason: 'sharing-disabled',
    });
  }
}

async function refuseSelfShare(tx: Tx, viewerId: string, email: string): Promise<void> {
  const self = await tx.user.findFirst({ where: { id: viewerId }, select: { email: true } });
  if (self?.email?.toLowerCase() === email) {
    throw badUserInput('You cannot share a collection with yourself', [
      { path: 'input.email', message: 'This is your own address' },
    ]);
  }
}

/** BAD_USER_INPUT when a new address would take the collection past its share limit. */
async function checkShareLimit(tx: Tx, collectionId: string, email: string): Promise<void> {
  const shares = await tx.collectionShare.count({ where: { collectionId } });
  if (shares < COLLECTION_LIMITS.sharesPerCollection) return;
  const existing = await tx.collectionShare.count({ where: { collectionId, granteeEmail: email } });
  if (existing === 0) {
    throw badUserInput(`A collection can be shared with at most ${COLLECTION_LIMITS.sharesPerCollection} addresses`);
  }
}

/**
 * Writes the share in one statement: the grantee is the user holding `email` verified, if any,
 * unless that user already has a share of this collection under another address (their address
 * changed since); then this one waits unbound. Sharing an address again changes the permission.
 */
async function upsertShare(tx: Tx, collectionId: string, ownerId: string, email: string, permission: SharePermission) {
  await tx.$executeRaw`
    INSERT INTO collection_shares (collection_id, owner_id, grantee_email, grantee_id, permission)
    SELECT ${collectionId}::uuid, ${ownerId}::uuid, ${email}, CASE WHEN NOT EXISTS (
             SELECT 1 FROM collection_shares bound
             WHERE bound.collection_id = ${collectionId}::uuid AND bound.grantee_id = verified.user_id
           ) THEN verified.user_id END,
           ${permission}::"SharePermission"
    FROM (SELECT app_user_id_for_verified_email(${email}) AS user_id) verified
    ON CONFLICT (collection_id, grantee_email) DO UPDATE SET permission = EXCLUDED.permission`;
}

/**
 * Deletes the share and the items whose listings its grantee contributed: a listing the grantee
 * added was readable to everyone who reads the collection, owner included, and revoking ends that
 * (the grantee keeps the listing itself). One statement; how many shares and items it deleted.
 */
async function deleteShare(tx: Tx, collectionId: string, email: string) {
  const [counts] = await tx.$queryRaw<{ revoked: number; contributed: number }[]>`
    WITH revoked AS (
      DELETE FROM collection_shares WHERE collection_id = ${collectionId}::uuid AND grantee_email = ${email}
      RETURNING grantee_id
    ), contributed AS (
      DELETE FROM collection_items ci USING listings l, revoked r
      WHERE ci.collection_id = ${collectionId}::uuid AND l.id = ci.listing_id AND l.owner_id = r.grantee_id
      RETURNING ci.id
    )
    SELECT (SELECT count(*) FROM revoked)::int AS revoked, (SELECT count(*) FROM contributed)::int AS contributed`;
  return counts ?? { revoked: 0, contributed: 0 };
}

/** Positions 0..n-1 again after items left the collection. */
async function renumberItems(tx: Tx, collectionId: string): Promise<void> {
  const rest = await orderedItems(tx, collectionId);
  await writeOrder(
    tx,
    collectionId,
    rest,
    rest.map((row) => row.id),
  );
}

builder.mutationFields((t) => ({
  shareCollection: t.field({
    type: ShareCollectionPayload,
    authScopes: { signedIn: true },
    args: {
      input: t.arg({ type: ShareCollectionInput, required: true, validate: { schema: shareCollectionSchema } }),
    },
    resolve: async (_root, args, ctx) => {
      const { viewer } = signedIn(ctx);
      const { collectionId, email, permission } = shareCollectionSchema.parse(args.input);
      await ctx.withRls(async (tx) => {
        requirePermission(await readAccess(tx, viewer.userId, collectionId.id), mayManage, 'share');
        await requireSharingEnabled(tx);
        await refuseSelfShare(tx, viewer.userId, email);
        await lockCollection(tx, collectionId.id);
        await checkShareLimit(tx, collectionId.id, email);
        await upsertShare(tx, collectionId.id, viewer.userId, email, permission);
        await recordAuditEvents(tx, [
          {
            type: 'collection.shared',
            actorId: viewer.userId,
            subjectUserId: viewer.userId,
            ...auditSource(ctx),
            metadata: { collectionId: collectionId.id, email, permission },
          },
        ]);
      });
      return { collectionId: collectionId.id };
    },
  }),
  revokeCollectionShare: t.field({
    type: RevokeCollectionSharePayload,
    description: "Ends a share; the grantee's next request no longer sees the collection.",
    authScopes: { signedIn: true },
    args: {
      input: t.arg({
        type: RevokeCollectionShareInput,
        required: true,
        validate: { schema: revokeCollectionShareSchema },
      }),
    },
    resolve: async (_root, args, ctx) => {
      const { viewer } = signedIn(ctx);
      const { collectionId, email } = revokeCollectionShareSchema.parse(args.input);
      await ctx.withRls(async (tx) => {
        requirePermission(await readAccess(tx, viewer.userId, collectionId.id), mayManage, 'revoke shares of');
        await lockCollection(tx, collectionId.id);
        const { revoked, contributed } = await deleteShare(tx, collectionId.id, email);
        if (revoked === 0) throw notFound('Share');
        if (contributed > 0) await renumberItems(tx, collectionId.id);
        await recordAuditEvents(tx, [
          {
            type: 'collection.share_revoked',
            actorId: viewer.userId,
            subjectUserId: viewer.userId,
            ...auditSource(ctx),
            metadata: { collectionId: collectionId.id, email },
          },
        ]);
      });
      return { collectionId: collectionId.id };
    },
  }),
}));
