// An admin's changes to another user: their role, and whether the account is active. Admins only.
//
// One transaction as app_admin: lock the target's row and every active admin's (SELECT … FOR NO KEY
// UPDATE, in id order, so two admins acting on each other at once run one after the other; waiting at most
// LOCK_TIMEOUT_MS), decide on that locked state (admin-rules.ts), write the change, ban or unban the
// identity at Clerk (the local stand-in in local mode) within the time the transaction has left, then the
// audit event, and commit. Clerk answering that it cannot be reached rolls everything back
// (IDENTITY_PROVIDER_UNAVAILABLE). Should the transaction fail once a call to Clerk was sent (the audit
// insert, the commit, or Clerk's own deadline), Clerk is set back as soon as that call's outcome is known
// (unban after a ban, and the other way round), so the two do not stay apart (ADR 0055).
//
// The change reaches the user's next request because nothing caches identity: every request reads role
// and active from the users table (auth/authenticate.ts).
import { ERROR_CODES } from '@deal-brain/shared/error-codes';
import { auditSource } from '#src/audit/audit-source.js';
import { recordAuditEvents, type AuditEventType } from '#src/audit/audit-events.js';
import {
  ClerkRefusedError,
  ClerkUnavailableError,
  DEFAULT_CLERK_TIMEOUT_MS,
  classifyClerkFailure,
} from '#src/clerk/backend-api.js';
import { Prisma, type Role } from '#src/generated/prisma/client.js';
import { builder } from '#src/graphql/builder.js';
import { signedIn, type Context } from '#src/graphql/context.js';
import { apiError, badUserInput, notFound } from '#src/graphql/errors.js';
import {
  DeactivateUserInput,
  ReactivateUserInput,
  SetUserRoleInput,
  deactivateUserSchema,
  reactivateUserSchema,
  setUserRoleSchema,
} from './admin-input.js';
import { GUARD_MESSAGES, decideAdminChange, type AdminChange } from './admin-rules.js';

/** What Clerk did with a ban or unban, as the audit event records it. */
export type ClerkOutcome = 'banned' | 'unbanned' | 'not-configured' | 'not-found';

/** How long an action waits for the rows another admin action holds locked: then a retryable refusal. */
export const LOCK_TIMEOUT_MS = 5_000;
/** What the audit insert and the commit keep for themselves after Clerk's answer. */
const FINISH_MS = 3_000;
/**
 * The whole transaction, counted from before it starts: the wait for the locks, one Clerk call at its
 * deadline, and the finish. Clerk gets only what is left of it (clerkBudget), so Prisma's timeout never
 * fires while a call to Clerk is in flight.
 */
const TRANSACTION_TIMEOUT_MS = LOCK_TIMEOUT_MS + DEFAULT_CLERK_TIMEOUT_MS + FINISH_MS + 2_000;

/** The time Clerk may take: its own deadline, or less when the transaction has less left. */
export function clerkBudget(startedAt: number, now: number): number {
  return Math.min(DEFAULT_CLERK_TIMEOUT_MS, startedAt + TRANSACTION_TIMEOUT_MS - FINISH_MS - now);
}

/** PostgreSQL's lock_not_available (SQLSTATE 55P03): lock_timeout ran out waiting for a row lock. */
function isLockTimeout(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  const cause = (error.meta as { driverAdapterError?: { cause?: { kind?: string; code?: string } } } | undefined)
    ?.driverAdapterError?.cause;
  return cause?.kind === 'postgres' && cause.code === '55P03';
}

function busy() {
  // A time limit ran out (the lock wait), and nothing was committed: TIMEOUT, as for a statement timeout.
  return apiError(
    ERROR_CODES.TIMEOUT,
    'Another admin is changing one of these accounts right now, so nothing was changed; try again in a moment',
    { reason: 'busy', retryAfter: 1 },
  );
}

interface ChangedUser {
  userId: string;
}

interface LockedRow {
  id: string;
  clerk_id: string;
  role: Role;
  active: boolean;
  deleted: boolean;
}

function payload(name: string) {
  return builder.objectRef<ChangedUser>(name).implement({
    fields: (t) => ({
      user: t.prismaField({
        type: 'User',
        resolve: async (query, { userId }, _args, ctx) => {
          const user = await signedIn(ctx).db.user.findFirst({ ...query, where: { id: userId } });
          if (!user) throw notFound('User');
          return user;
        },
      }),
    }),
  });
}

const SetUserRolePayload = payload('SetUserRolePayload');
const DeactivateUserPayload = payload('DeactivateUserPayload');
const ReactivateUserPayload = payload('ReactivateUserPayload');

function identityProviderUnavailable() {
  return apiError(
    ERROR_CODES.IDENTITY_PROVIDER_UNAVAILABLE,
    'The identity provider could not be reached, so nothing was changed; try again in a moment',
  );
}

/** A ban or unban sent to Clerk: the SDK's own request, which a deadline only stops waiting for. */
interface ClerkRequest {
  /** Settles with Clerk's answer (or a network failure), whenever that comes. */
  answer: Promise<unknown>;
  /** Whether `answer` has settled yet. */
  settled: () => boolean;
}

/** Whether Clerk may have done what was asked: anything but a definite refusal (a 4xx, our key refused). */
function mayHaveChanged(error: unknown): boolean {
  const failure = classifyClerkFailure(error);
  if (failure instanceof ClerkRefusedError) return false;
  return failure.reason !== 'rejected-credentials' && failure.reason !== 'not-configured';
}

function rejectAfter(ms: number): { deadline: Promise<never>; clear: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new ClerkUnavailableError('timeout')), Math.max(0, ms));
    timer.unref();
  });
  return { deadline, clear: () => clearTimeout(timer) };
}

/**
 * Bans (or unbans) the identity at Clerk, waiting at most `budgetMs`. `sent` learns of the request as soon
 * as it goes out, before its answer. Clerk unreachable, failing or too slow: IDENTITY_PROVIDER_UNAVAILABLE.
 */
async function setBannedAtClerk(
  ctx: Context,
  clerkId: string,
  banned: boolean,
  budgetMs: number = DEFAULT_CLERK_TIMEOUT_MS,
  sent: (request: ClerkRequest) => void = () => undefined,
): Promise<ClerkOutcome> {
  const operation = banned ? 'users.banUser' : 'users.unbanUser';
  const { deadline, clear } = rejectAfter(budgetMs);
  try {
    if (budgetMs <= 0) throw new ClerkUnavailableError('timeout');
    const call = ctx.clerk.call(operation, (clerk) => {
      const answer = banned ? clerk.users.banUser(clerkId) : clerk.users.unbanUser(clerkId);
      let done = false;
      const settle = () => {
        done = true;
      };
      answer.then(settle, settle);
      sent({ answer, settled: () => done });
      return answer;
    });
    await Promise.race([call, deadline]);
    return banned ? 'banned' : 'unbanned';
  } catch (error) {
    // Clerk mode verifying networklessly with no secret key: there is no Backend API to tell.
    if (error instanceof ClerkUnavailableError && error.reason === 'not-configured') return 'not-configured';
    // No such identity at Clerk (deleted there, say): nothing to ban; our row still decides.
    if (error instanceof ClerkRefusedError && error.status === 404) return 'not-found';
    const reason = error instanceof ClerkUnavailableError ? error.reason : 'refused';
    const status =
      error instanceof ClerkUnavailableError || error instanceof ClerkRefusedError ? error.status : undefined;
    ctx.log.warn(
      { event: 'admin.clerk_unavailable', operation, reason, status },
      'admin change not made: Clerk unavailable',
    );
    throw identityProviderUnavailable();
  } finally {
    clear();
  }
}

/**
 * The transaction failed after a ban (or unban) was sent: once Clerk's answer is in, and unless it was a
 * definite refusal, ask for the opposite so Clerk agrees with our row again (`banned` is what our row, as
 * rolled back, says). Awaited when the answer is already in; otherwise (our deadline gave up on Clerk, whose
 * answer may still change something) it runs when the answer comes, after this request has been answered.
 * Node's fetch gives up on its own after 300 s, so the answer always comes.
 */
async function undoAtClerk(
  ctx: Context,
  request: ClerkRequest,
  clerkId: string,
  banned: boolean,
  subjectUserId: string,
) {
  const undo = request.answer
    .then(
      () => true,
      (error: unknown) => mayHaveChanged(error),
    )
    .then(async (changed) => {
      if (!changed) return;
      try {
        await setBannedAtClerk(ctx, clerkId, banned);
        ctx.log.warn({ event: 'admin.clerk_undone', subjectUserId }, 'admin change rolled back; Clerk undone');
      } catch (undoError) {
        ctx.log.error(
          { event: 'admin.clerk_undo_failed', subjectUserId, err: undoError },
          'admin change rolled back but Clerk could not be undone',
        );
      }
    });
  if (request.settled()) await undo;
  else void undo;
}

const AUDIT_TYPE: Record<'role' | 'deactivate' | 'reactivate', AuditEventType> = {
  role: 'user.role_changed',
  deactivate: 'user.deactivated',
  reactivate: 'user.reactivated',
};

async function changeUser(
  ctx: Context,
  input: { userId: { typename: string; id: string }; reason: string | null },
  change: AdminChange,
): Promise<ChangedUser> {
  const { viewer } = signedIn(ctx);
  // Another type's id names no user: the same answer as an unknown one.
  if (input.userId.typename !== 'User') throw notFound('User');
  const targetId = input.userId.id;
  const startedAt = Date.now();
  /** The ban or unban sent to Clerk, and the state our row had before it. */
  let atClerk: { request: ClerkRequest; clerkId: string; bannedBefore: boolean } | undefined;
  try {
    await ctx.withRls(
      async (tx) => {
        // Another admin's change holding these rows: a retryable refusal rather than a wait that eats the
        // time Clerk's call needs.
        await tx.$queryRaw`SELECT set_config('lock_timeout', ${`${LOCK_TIMEOUT_MS}ms`}, true)`;
        // NO KEY UPDATE, not UPDATE: it still serialises admin actions, but leaves the KEY SHARE lock that
        // foreign-key checks take (an audit event naming an admin) free while a Clerk call is in flight.
        const rows = await tx.$queryRaw<LockedRow[]>`
          SELECT id::text AS id, clerk_id, role::text AS role, active, deleted_at IS NOT NULL AS deleted
          FROM users
          WHERE id = ${targetId}::uuid OR (role = 'ADMIN' AND active AND deleted_at IS NULL)
          ORDER BY id
          FOR NO KEY UPDATE`;
        const target = rows.find((row) => row.id === targetId);
        if (!target) throw notFound('User');
        const activeAdminIds = rows
          .filter((row) => row.role === 'ADMIN' && row.active && !row.deleted)
          .map((row) => row.id);
        const decision = decideAdminChange({ actorId: viewer.userId, target, change, activeAdminIds });
        if (decision.outcome === 'deleted') {
          throw badUserInput('This account was deleted', [
            { path: 'input.userId', message: 'This account was deleted' },
          ]);
        }
        if (decision.outcome === 'refused') {
          throw apiError(ERROR_CODES.FORBIDDEN, GUARD_MESSAGES[decision.reason], { reason: decision.reason });
        }
        if (decision.outcome === 'no-op') return;

        await tx.user.update({
          where: { id: targetId },
          data: change.kind === 'role' ? { role: change.role } : { active: change.active },
          select: { id: true },
        });
        let clerk: ClerkOutcome | undefined;
        if (change.kind === 'active') {
          clerk = await setBannedAtClerk(
            ctx,
            target.clerk_id,
            !change.active,
            clerkBudget(startedAt, Date.now()),
            (request) => {
              atClerk = { request, clerkId: target.clerk_id, bannedBefore: !target.active };
            },
          );
        }
        const kind = change.kind === 'role' ? 'role' : change.active ? 'reactivate' : 'deactivate';
        await recordAuditEvents(tx, [
          {
            type: AUDIT_TYPE[kind],
            actorId: viewer.userId,
            subjectUserId: targetId,
            ...auditSource(ctx),
            metadata:
              change.kind === 'role'
                ? { before: { role: target.role }, after: { role: change.role }, reason: input.reason }
                : {
                    before: { active: target.active },
                    after: { active: change.active },
                    reason: input.reason,
                    clerk: clerk ?? null,
                  },
          },
        ]);
      },
      { timeout: TRANSACTION_TIMEOUT_MS },
    );
  } catch (error) {
    // The database change did not commit: Clerk must not keep the ban (or unban) either.
    if (atClerk) await undoAtClerk(ctx, atClerk.request, atClerk.clerkId, atClerk.bannedBefore, targetId);
    if (isLockTimeout(error)) throw busy();
    throw error;
  }
  return { userId: targetId };
}

builder.mutationFields((t) => ({
  setUserRole: t.field({
    type: SetUserRolePayload,
    description:
      "Admins only. Changes a user's role from their next request on. FORBIDDEN with extensions.reason " +
      "'self-demotion' (your own admin role) or 'last-admin' (no active admin would remain). The same role: nothing changes.",
    authScopes: { admin: true },
    args: { input: t.arg({ type: SetUserRoleInput, required: true, validate: { schema: setUserRoleSchema } }) },
    resolve: (_root, args, ctx) => {
      const input = setUserRoleSchema.parse(args.input);
      return changeUser(ctx, input, { kind: 'role', role: input.role });
    },
  }),
  deactivateUser: t.field({
    type: DeactivateUserPayload,
    description:
      'Admins only. Deactivates an account: its next request is refused (403 ACCOUNT_DISABLED), API keys included, ' +
      'and the identity is banned at Clerk (the local stand-in in local mode), which ends its sessions. FORBIDDEN with ' +
      "extensions.reason 'self-deactivation' or 'last-admin'. Already deactivated: nothing changes.",
    authScopes: { admin: true },
    args: {
      input: t.arg({ type: DeactivateUserInput, required: true, validate: { schema: deactivateUserSchema } }),
    },
    resolve: (_root, args, ctx) => {
      const input = deactivateUserSchema.parse(args.input);
      return changeUser(ctx, input, { kind: 'active', active: false });
    },
  }),
  reactivateUser: t.field({
    type: ReactivateUserPayload,
    description:
      'Admins only. Reactivates a deactivated account and unbans it at Clerk; it can sign in again. Already active: nothing changes.',
    authScopes: { admin: true },
    args: {
      input: t.arg({ type: ReactivateUserInput, required: true, validate: { schema: reactivateUserSchema } }),
    },
    resolve: (_root, args, ctx) => {
      const input = reactivateUserSchema.parse(args.input);
      return changeUser(ctx, input, { kind: 'active', active: true });
    },
  }),
}));
