// User sync from Clerk's webhooks, as app_sync inside the delivery's transaction. Clerk is the
// system of record and its deliveries may repeat, arrive late or out of order, so every write is
// guarded: the latest Clerk `updated_at` wins, and a deletion is a tombstone nothing undoes.
import { Prisma } from '#src/generated/prisma/client.js';
import type { Tx } from '#src/db/rls.js';
import { recordAuditEvents } from '#src/audit/audit-events.js';
import { signupRefused } from '#src/modules/tenant-settings/signups.js';
import { primaryEmailAddressOf, type ClerkSession, type ClerkUser } from '#src/webhooks/clerk-events.js';

/** What applying an event did: PROCESSED, or SKIPPED with the reason (stale or deleted). */
export type SyncResult = { status: 'PROCESSED' } | { status: 'SKIPPED'; reason: string };

export interface SyncSource {
  svixId: string;
  eventType: string;
}

interface WrittenUser {
  id: string;
  inserted: boolean;
}

/** Why an upsert changed nothing: a tombstone, or data at least as new as this event's. */
async function skipReason(tx: Tx, clerkId: string, updatedAt: Date): Promise<string> {
  const [row] = await tx.$queryRaw<{ deleted: boolean }[]>`
    SELECT deleted_at IS NOT NULL AS deleted FROM users WHERE clerk_id = ${clerkId}`;
  if (row?.deleted) return 'user is deleted';
  return `stale: the stored data is at least as new as updated_at ${updatedAt.toISOString()}`;
}

/**
 * Binds the collection shares waiting for this user's verified address to them (the database
 * function reads the address itself and checks it is verified). A share already bound stays bound
 * when the address changes or loses its verification: see the collections migration.
 */
async function claimCollectionShares(tx: Tx, userId: string): Promise<void> {
  await tx.$queryRaw`SELECT app_claim_collection_shares(${userId}::uuid)`;
}

/** What storing Clerk's state of a user did: wrote the row (inserted or updated it), or skipped it and why. */
export type StoredClerkUser =
  { status: 'WRITTEN'; userId: string; inserted: boolean } | { status: 'SKIPPED'; reason: string };

/**
 * Stores Clerk's state of a user, as app_sync, guarded: the latest Clerk `updated_at` wins (an older or
 * equally old state changes nothing), and a deleted row is never touched. A row that just-in-time
 * provisioning created (no Clerk updated_at yet) is filled in. The one guarded write of Clerk's user data:
 * webhooks and the profile mutations (which store Clerk's answer at once, to read their own writes) both
 * come through here, so whichever of the two arrives second for the same state is skipped as stale.
 */
export async function storeClerkUser(tx: Tx, user: ClerkUser): Promise<StoredClerkUser> {
  const updatedAt = new Date(user.updated_at);
  const primary = primaryEmailAddressOf(user);
  const [written] = await tx.$queryRaw<WrittenUser[]>`
    INSERT INTO users (clerk_id, email, email_verified, first_name, last_name, avatar_url, clerk_updated_at)
    VALUES (${user.id}, ${primary?.email ?? null}, ${primary?.verified ?? false}, ${user.first_name ?? null},
            ${user.last_name ?? null}, ${user.image_url || null}, ${updatedAt})
    ON CONFLICT (clerk_id) DO UPDATE SET
      email = EXCLUDED.email,
      email_verified = EXCLUDED.email_verified,
      first_name = EXCLUDED.first_name,
      last_name = EXCLUDED.last_name,
      avatar_url = EXCLUDED.avatar_url,
      clerk_updated_at = EXCLUDED.clerk_updated_at,
      updated_at = now()
    WHERE users.deleted_at IS NULL
      AND (users.clerk_updated_at IS NULL OR users.clerk_updated_at < EXCLUDED.clerk_updated_at)
    RETURNING id::text, (xmax = 0) AS inserted`;
  if (!written) return { status: 'SKIPPED', reason: await skipReason(tx, user.id, updatedAt) };
  await claimCollectionShares(tx, written.id);
  return { status: 'WRITTEN', userId: written.id, inserted: written.inserted };
}

/** Why an event of an identity we have no row for creates none: sign-ups are off (and it was audited). */
const SIGNUPS_DISABLED = 'sign-ups are disabled: no row for a new identity';

/**
 * True when `clerkId` has no row and sign-ups are off: the event must not create one. Existing users,
 * tombstones included, are unaffected. The refusal is audited (throttled) in the delivery's transaction.
 */
async function newIdentityRefused(tx: Tx, clerkId: string): Promise<boolean> {
  if ((await userIdByClerkId(tx, clerkId)) !== null) return false;
  return signupRefused(tx, clerkId, 'clerk-webhook');
}

/**
 * user.created and user.updated: the guarded store, and its audit event when it wrote. While sign-ups are
 * off, an identity we have no row for gets none (SKIPPED: the delivery is acknowledged and recorded).
 */
export async function upsertUserFromClerk(tx: Tx, user: ClerkUser, source: SyncSource): Promise<SyncResult> {
  if (await newIdentityRefused(tx, user.id)) return { status: 'SKIPPED', reason: SIGNUPS_DISABLED };
  const stored = await storeClerkUser(tx, user);
  if (stored.status === 'SKIPPED') return stored;
  await recordAuditEvents(tx, [
    {
      type: source.eventType === 'user.created' ? 'user.created' : 'user.updated',
      subjectUserId: stored.userId,
      metadata: { source: 'clerk-webhook', svixId: source.svixId, rowCreated: stored.inserted },
    },
  ]);
  return { status: 'PROCESSED' };
}

/**
 * user.deleted: a soft delete. The row stays as a tombstone, inactive, so a late user.created or
 * user.updated cannot bring it back (storeClerkUser skips a deleted row); a deletion of a user we never
 * saw creates the tombstone directly. The tombstone keeps no personal data: the database clears email,
 * email_verified, names, avatar and preferences on every write of a deleted row (trigger
 * users_clear_tombstone, migration 20261207003200_user_privacy; docs/privacy.md), so this write clears
 * them at once. The audit event names the user by id only. What the user owned stays until
 * `npm run users:purge` (server/src/users/purge.ts).
 */
export async function softDeleteUserFromClerk(tx: Tx, clerkId: string, source: SyncSource): Promise<SyncResult> {
  const [written] = await tx.$queryRaw<WrittenUser[]>`
    INSERT INTO users (clerk_id, active, deleted_at)
    VALUES (${clerkId}, false, now())
    ON CONFLICT (clerk_id) DO UPDATE SET active = false, deleted_at = now(), updated_at = now()
    WHERE users.deleted_at IS NULL
    RETURNING id::text, (xmax = 0) AS inserted`;
  if (!written) return { status: 'SKIPPED', reason: 'user is already deleted' };
  await recordAuditEvents(tx, [
    {
      type: 'user.deleted',
      subjectUserId: written.id,
      metadata: { source: 'clerk-webhook', svixId: source.svixId, tombstoneOnly: written.inserted },
    },
  ]);
  return { status: 'PROCESSED' };
}

async function userIdByClerkId(tx: Tx, clerkId: string): Promise<string | null> {
  const [row] = await tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM users WHERE clerk_id = ${clerkId}`;
  return row?.id ?? null;
}

function sessionMetadata(session: ClerkSession, source: SyncSource): Prisma.InputJsonObject {
  // The Clerk user id stays in the metadata so an event for a user we have not seen yet still says whose it was.
  return { source: 'clerk-webhook', svixId: source.svixId, sessionId: session.id, clerkUserId: session.user_id };
}

/**
 * session.created: audit auth.sign_in and move last_sign_in_at forward (never back: deliveries
 * reorder). At sign-up Clerk sends user.created and session.created together, in either order, so a
 * session of a user not seen yet creates the bare row (no Clerk updated_at: user.created still fills
 * it in). A deleted user's row is left alone. While sign-ups are off, a session of an identity we have no
 * row for creates none and records no sign-in (SKIPPED).
 */
export async function recordSignInFromClerk(tx: Tx, session: ClerkSession, source: SyncSource): Promise<SyncResult> {
  if (await newIdentityRefused(tx, session.user_id)) return { status: 'SKIPPED', reason: SIGNUPS_DISABLED };
  const signedInAt = new Date(session.created_at);
  const [written] = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO users (clerk_id, last_sign_in_at) VALUES (${session.user_id}, ${signedInAt})
    ON CONFLICT (clerk_id) DO UPDATE
      SET last_sign_in_at = GREATEST(users.last_sign_in_at, EXCLUDED.last_sign_in_at)
      WHERE users.deleted_at IS NULL
    RETURNING id::text`;
  const userId = written?.id ?? (await userIdByClerkId(tx, session.user_id));
  await recordAuditEvents(tx, [
    { type: 'auth.sign_in', actorId: userId, subjectUserId: userId, metadata: sessionMetadata(session, source) },
  ]);
  return { status: 'PROCESSED' };
}

/** session.ended, session.removed, session.revoked: audit auth.sign_out with Clerk's reason. */
export async function recordSignOutFromClerk(tx: Tx, session: ClerkSession, source: SyncSource): Promise<SyncResult> {
  const userId = await userIdByClerkId(tx, session.user_id);
  await recordAuditEvents(tx, [
    {
      type: 'auth.sign_out',
      actorId: userId,
      subjectUserId: userId,
      metadata: { ...sessionMetadata(session, source), reason: source.eventType },
    },
  ]);
  return { status: 'PROCESSED' };
}
