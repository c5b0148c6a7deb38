// The sign-ups switch: while signupsEnabled is off, no new identity gets a user row, neither through
// just-in-time provisioning (a first request) nor through Clerk's webhooks (user.created, user.updated or
// session.created of an identity we have not seen). Each refusal is audited as user.signup_refused, at
// most once per Clerk id per minute on this instance: a refused person retrying (every page load is a
// request) leaves one row a minute, and the memory that remembers it is bounded.
//
// Only a refusal whose audit event COMMITTED holds the next ones back. The refusal runs inside its caller's
// transaction (the provisioning or the webhook delivery), which may still roll back after the event was
// written, and nothing here sees that transaction end. So the memory keeps the writing transaction's id,
// and a later refusal within the minute asks PostgreSQL what became of it (pg_xact_status): committed →
// held back (remembered as committed, so later checks cost no query); rolled back → forgotten, this
// refusal is audited; still in progress (a concurrent refusal of the same identity) → held back, that
// one's event is on its way.
import { recordAuditEvents } from '#src/audit/audit-events.js';
import type { Tx } from '#src/db/rls.js';
import { readTenantSettings, type SettingsLog } from './tenant-settings.js';

export type SignupSource = 'session-token' | 'clerk-webhook';

const WINDOW_MS = 60_000;
const MAX_REMEMBERED = 10_000;

/** What became of a transaction, by its id: pg_xact_status (null when too old to know). */
export type TransactionOutcome = 'committed' | 'aborted' | 'in progress' | null;

interface AuditedRefusal {
  at: number;
  /** The transaction writing the event; null until the claimant has told it. */
  xid: string | null;
  committed: boolean;
}

/** The right to audit one refusal: say which transaction writes the event, or that writing it failed. */
export interface RefusalClaim {
  writtenBy(xid: string): void;
  failed(): void;
}

/**
 * Which Clerk ids' refusals were audited lately, when and by which transaction, oldest first (a Map keeps
 * insertion order). Bounded: past MAX_REMEMBERED the oldest entry goes, so a flood of distinct identities
 * costs at most that.
 */
export class RefusalThrottle {
  private readonly audited = new Map<string, AuditedRefusal>();

  constructor(
    private readonly windowMs = WINDOW_MS,
    private readonly maxRemembered = MAX_REMEMBERED,
  ) {}

  /**
   * A claim when a refusal of `clerkId` at `now` should be audited: none was within the window, or the one
   * that was rolled back. Null when one within the window committed or is being written. Claiming is
   * synchronous once decided, so concurrent refusals of one identity audit once.
   */
  async claim(
    clerkId: string,
    now: number,
    outcomeOf: (xid: string) => Promise<TransactionOutcome>,
  ): Promise<RefusalClaim | null> {
    for (;;) {
      const last = this.audited.get(clerkId);
      if (last !== undefined && now - last.at < this.windowMs) {
        if (last.committed || last.xid === null) return null;
        const outcome = await outcomeOf(last.xid);
        if (this.audited.get(clerkId) !== last) continue; // changed while we asked: look again
        if (outcome === 'committed') last.committed = true;
        if (outcome === 'committed' || outcome === 'in progress') return null;
        // Rolled back, or too old to tell: it left no event, so this refusal is audited.
      }
      return this.take(clerkId, now);
    }
  }

  private take(clerkId: string, now: number): RefusalClaim {
    const entry: AuditedRefusal = { at: now, xid: null, committed: false };
    this.audited.delete(clerkId);
    this.audited.set(clerkId, entry);
    while (this.audited.size > this.maxRemembered) {
      const oldest = this.audited.keys().next().value;
      if (oldest === undefined) break;
      this.audited.delete(oldest);
    }
    return {
      writtenBy: (xid) => {
        entry.xid = xid;
      },
      failed: () => {
        if (this.audited.get(clerkId) === entry) this.audited.delete(clerkId);
      },
    };
  }

  get size(): number {
    return this.audited.size;
  }
}

const throttle = new RefusalThrottle();

async function transactionId(tx: Tx): Promise<string> {
  const [row] = await tx.$queryRaw<{ xid: string }[]>`SELECT pg_current_xact_id()::text AS xid`;
  return row!.xid;
}

async function transactionOutcome(tx: Tx, xid: string): Promise<TransactionOutcome> {
  const [row] = await tx.$queryRaw<{ status: TransactionOutcome }[]>`SELECT pg_xact_status(${xid}::xid8) AS status`;
  return row?.status ?? null;
}

/**
 * Inside an app_sync transaction about to create the user row of `clerkId`: true when sign-ups are off
 * (then the refusal is audited, throttled, in the same transaction, and the caller creates nothing).
 */
export async function signupRefused(
  tx: Tx,
  clerkId: string,
  source: SignupSource,
  log?: SettingsLog,
): Promise<boolean> {
  const { signupsEnabled } = await readTenantSettings(tx, log);
  if (signupsEnabled) return false;
  const claim = await throttle.claim(clerkId, Date.now(), (xid) => transactionOutcome(tx, xid));
  if (claim) {
    try {
      claim.writtenBy(await transactionId(tx));
      await recordAuditEvents(tx, [{ type: 'user.signup_refused', metadata: { clerkId, source } }]);
    } catch (error) {
      claim.failed();
      throw error;
    }
  }
  return true;
}
