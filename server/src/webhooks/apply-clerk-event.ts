// Applies one verified Clerk event exactly once: claim the svix-id, apply the event and record
// the outcome, all in one app_sync transaction that commits before we answer 200.
import type { BasePrisma } from '#src/db/client.js';
import { withSync, type Tx } from '#src/db/rls.js';
import {
  recordSignInFromClerk,
  recordSignOutFromClerk,
  softDeleteUserFromClerk,
  upsertUserFromClerk,
  type SyncResult,
  type SyncSource,
} from '#src/users/sync-from-clerk.js';
import type { ClerkEvent } from './clerk-events.js';
import { claimDelivery, finishDelivery, recordFailedDelivery } from './deliveries.js';

export type AppliedOutcome = 'applied' | 'duplicate' | 'stale' | 'ignored';

export interface DeliveryResult {
  outcome: AppliedOutcome;
  /** Why a stale event was skipped. */
  reason?: string;
  /** This delivery's attempt number (absent for duplicates). */
  attempts?: number;
}

export interface Delivery {
  svixId: string;
  /** The event type as Clerk sent it (also for types we ignore). */
  eventType: string;
  event: ClerkEvent;
}

/** Well inside the 15 s Svix waits for an answer, so a slow apply is answered (and retried), not lost. */
const TRANSACTION_TIMEOUT_MS = 8_000;

function applyEvent(tx: Tx, event: ClerkEvent, source: SyncSource): Promise<SyncResult> | undefined {
  switch (event.type) {
    case 'user.created':
    case 'user.updated':
      return upsertUserFromClerk(tx, event.data, source);
    case 'user.deleted':
      return softDeleteUserFromClerk(tx, event.data.id, source);
    case 'session.created':
      return recordSignInFromClerk(tx, event.data, source);
    case 'session.ended':
    case 'session.removed':
    case 'session.revoked':
      return recordSignOutFromClerk(tx, event.data, source);
    case 'other':
      return undefined;
  }
}

export function applyClerkDelivery(base: BasePrisma, delivery: Delivery): Promise<DeliveryResult> {
  const { svixId, eventType, event } = delivery;
  return withSync(
    base,
    async (tx) => {
      const claimed = await claimDelivery(tx, svixId, eventType);
      if (!claimed) return { outcome: 'duplicate' };
      const result = await applyEvent(tx, event, { svixId, eventType });
      if (!result) {
        await finishDelivery(tx, claimed.id, 'IGNORED');
        return { outcome: 'ignored', attempts: claimed.attempts };
      }
      if (result.status === 'SKIPPED') {
        await finishDelivery(tx, claimed.id, 'SKIPPED', result.reason);
        return { outcome: 'stale', reason: result.reason, attempts: claimed.attempts };
      }
      await finishDelivery(tx, claimed.id, 'PROCESSED');
      return { outcome: 'applied', attempts: claimed.attempts };
    },
    { timeout: TRANSACTION_TIMEOUT_MS },
  );
}

/** Best effort: when the database is down this fails too, and the caller just logs it. */
export function recordDeliveryFailure(
  base: BasePrisma,
  svixId: string,
  eventType: string,
  error: string,
): Promise<void> {
  return withSync(base, (tx) => recordFailedDelivery(tx, svixId, eventType, error));
}
