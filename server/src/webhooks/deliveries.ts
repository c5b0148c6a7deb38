// The webhook-events table is the key of idempotency: one row per svix-id, claimed inside the
// transaction that applies the event, so a delivery is applied exactly once however many copies
// arrive and however concurrently.
import type { Tx } from '#src/db/rls.js';

export type DeliveryStatus = 'PROCESSED' | 'IGNORED' | 'SKIPPED';

export interface ClaimedDelivery {
  id: string;
  attempts: number;
}

/** Errors stored with a failed delivery stay short: they are for operators, not a payload dump. */
const MAX_ERROR_LENGTH = 500;

/**
 * Claims the delivery for this transaction, or returns undefined when it was already handled.
 * A concurrent claim of the same svix-id waits on the unique index until this transaction ends,
 * then sees the finished row and backs off. A delivery that failed before is claimed again.
 */
export async function claimDelivery(tx: Tx, svixId: string, type: string): Promise<ClaimedDelivery | undefined> {
  const [row] = await tx.$queryRaw<ClaimedDelivery[]>`
    INSERT INTO webhook_events (svix_id, type) VALUES (${svixId}, ${type})
    ON CONFLICT (svix_id) DO UPDATE
      SET attempts = webhook_events.attempts + 1, status = 'RECEIVED', error = NULL
      WHERE webhook_events.status IN ('RECEIVED', 'FAILED')
    RETURNING id::text, attempts`;
  return row;
}

export async function finishDelivery(
  tx: Tx,
  id: string,
  status: DeliveryStatus,
  note: string | null = null,
): Promise<void> {
  await tx.$executeRaw`
    UPDATE webhook_events
    SET status = ${status}::"WebhookEventStatus", error = ${note}, processed_at = now()
    WHERE id = ${id}::uuid`;
}

/**
 * Remembers a failed attempt (outside the rolled-back transaction) so operators can see it; the
 * delivery stays claimable, so Svix's retry applies it. Never downgrades a finished delivery.
 */
export async function recordFailedDelivery(tx: Tx, svixId: string, type: string, error: string): Promise<void> {
  const message = error.slice(0, MAX_ERROR_LENGTH);
  await tx.$executeRaw`
    INSERT INTO webhook_events (svix_id, type, status, error) VALUES (${svixId}, ${type}, 'FAILED', ${message})
    ON CONFLICT (svix_id) DO UPDATE
      SET status = 'FAILED', error = EXCLUDED.error, attempts = webhook_events.attempts + 1
      WHERE webhook_events.status IN ('RECEIVED', 'FAILED')`;
}
