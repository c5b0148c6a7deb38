// Profile changes go to Clerk first, Clerk being the system of record for a person's name and avatar; then
// Clerk's answer is stored at once, through the webhook's own guarded write (users/sync-from-clerk.ts), so
// the mutation reads its own write. The user.updated webhook that follows carries the same Clerk
// `updated_at` and is skipped as stale (or, had it come first, the store here is skipped): either way the
// row ends at Clerk's latest state, once, and never goes back. A refusal or failure at Clerk changes
// nothing here.
import type { User as ClerkApiUser } from '@clerk/backend';
import { recordAuditEvents } from '#src/audit/audit-events.js';
import type { AuditSource } from '#src/audit/audit-source.js';
import type { BasePrisma } from '#src/db/client.js';
import { withSync } from '#src/db/rls.js';
import { storeClerkUser } from '#src/users/sync-from-clerk.js';
import type { ClerkUser } from '#src/webhooks/clerk-events.js';
import { ClerkUnavailableError, type ClerkBackend } from './backend-api.js';
import type { ProfileImageType } from './profile-image.js';

export type ProfileChange =
  | { kind: 'names'; firstName: string; lastName: string }
  | { kind: 'image'; contentType: ProfileImageType; bytes: Uint8Array }
  | { kind: 'image-removed' };

export interface ProfileOwner {
  userId: string;
  clerkId: string;
}

export interface ProfileWriteResult {
  /** False when a webhook had already stored this state (or a newer one): the row holds it either way. */
  stored: boolean;
}

export interface ProfileWriter {
  /** `source`: the request's client, recorded in the audit event. */
  write(owner: ProfileOwner, change: ProfileChange, source: AuditSource): Promise<ProfileWriteResult>;
}

function sendToClerk(clerk: ClerkBackend, clerkId: string, change: ProfileChange): Promise<ClerkApiUser> {
  switch (change.kind) {
    case 'names':
      // An empty string clears a name at Clerk.
      return clerk.call('users.updateUser', (api) =>
        api.users.updateUser(clerkId, { firstName: change.firstName, lastName: change.lastName }),
      );
    case 'image': {
      // A copy on its own ArrayBuffer: what Blob takes.
      const file = new Blob([new Uint8Array(change.bytes)], { type: change.contentType });
      return clerk.call('users.updateUserProfileImage', (api) => api.users.updateUserProfileImage(clerkId, { file }));
    }
    case 'image-removed':
      return clerk.call('users.deleteUserProfileImage', (api) => api.users.deleteUserProfileImage(clerkId));
  }
}

/** Clerk's answer in the shape the webhook sync stores (the fields it reads, from the raw JSON). */
function clerkUserOf(user: ClerkApiUser, clerkId: string): ClerkUser {
  const raw = user.raw;
  // An answer about someone else, or without its JSON, is not one we can store: treat Clerk as failing.
  if (!raw || raw.id !== clerkId || typeof raw.updated_at !== 'number') {
    throw new ClerkUnavailableError('server-error');
  }
  return {
    id: raw.id,
    email_addresses: raw.email_addresses.map((address) => ({
      id: address.id,
      email_address: address.email_address,
      verification: address.verification ? { status: address.verification.status } : null,
    })),
    primary_email_address_id: raw.primary_email_address_id,
    first_name: raw.first_name,
    last_name: raw.last_name,
    image_url: raw.image_url,
    updated_at: raw.updated_at,
  };
}

export function createProfileWriter(deps: { base: BasePrisma; clerk: ClerkBackend }): ProfileWriter {
  return {
    async write(owner, change, source) {
      const answer = clerkUserOf(await sendToClerk(deps.clerk, owner.clerkId, change), owner.clerkId);
      return withSync(deps.base, async (tx) => {
        const stored = await storeClerkUser(tx, answer);
        await recordAuditEvents(tx, [
          {
            type: 'user.profile_updated',
            actorId: owner.userId,
            subjectUserId: owner.userId,
            ...source,
            metadata: {
              change: change.kind,
              clerkUpdatedAt: new Date(answer.updated_at).toISOString(),
              // SKIPPED: the webhook of this change (or a later one) was stored first.
              stored: stored.status === 'WRITTEN',
            },
          },
        ]);
        return { stored: stored.status === 'WRITTEN' };
      });
    },
  };
}
