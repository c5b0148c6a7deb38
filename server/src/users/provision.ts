// Just-in-time provisioning: the first verified request of a Clerk identity creates its user row.
// Runs as app_sync. Concurrent first requests converge on one row through the unique clerk_id
// and INSERT ... ON CONFLICT DO NOTHING; a row that exists already (created by a webhook, say)
// is never overwritten here, because the webhook carries Clerk's fuller, newer data. While sign-ups are
// off (tenant setting signupsEnabled), a new identity gets no row: SignupsDisabledError (HTTP 403).
import type { Role } from '#src/generated/prisma/client.js';
import type { SessionClaims } from '#src/auth/viewer.js';
import { readAsAuth, withSync } from '#src/db/rls.js';
import type { BasePrisma } from '#src/db/client.js';
import { recordAuditEvents } from '#src/audit/audit-events.js';
import { SignupsDisabledError } from '#src/auth/errors.js';
import { signupRefused } from '#src/modules/tenant-settings/signups.js';

export interface UserProfile {
  email: string | undefined;
  firstName: string | undefined;
  lastName: string | undefined;
  imageUrl: string | undefined;
}

/** Looks up a profile when the token carries none (Clerk's Backend API, or the local provider). */
export type FetchProfile = (clerkId: string) => Promise<UserProfile>;

export interface UserAccess {
  id: string;
  clerkId: string;
  role: Role;
  active: boolean;
  deletedAt: Date | null;
}

const accessFields = { id: true, clerkId: true, role: true, active: true, deletedAt: true } as const;

interface UserAccessRow extends Record<string, unknown> {
  id: string;
  clerk_id: string;
  role: Role;
  active: boolean;
  deleted_at: Date | null;
}

/** The hot path of every authenticated request: one round trip as app_auth, which may only read (ADR 0064). */
export async function findUserByClerkId(base: BasePrisma, clerkId: string): Promise<UserAccess | null> {
  const [row] = await readAsAuth<UserAccessRow>(base, {
    text: 'SELECT id, clerk_id, role, active, deleted_at FROM users WHERE clerk_id = $1',
    values: [clerkId],
  });
  return row
    ? { id: row.id, clerkId: row.clerk_id, role: row.role, active: row.active, deletedAt: row.deleted_at }
    : null;
}

function profileFromClaims(claims: SessionClaims): UserProfile | undefined {
  if (!claims.email) return undefined;
  return { email: claims.email, firstName: claims.firstName, lastName: claims.lastName, imageUrl: claims.imageUrl };
}

/**
 * Creates the row of a first-seen identity (or returns the one a concurrent request or webhook created).
 * Refused with SignupsDisabledError while sign-ups are off and no row exists: the setting is read in the
 * same transaction as the insert, and the refusal's audit event commits before the error is thrown.
 */
export async function provisionUser(base: BasePrisma, clerkId: string, profile: UserProfile): Promise<UserAccess> {
  const user = await withSync(base, async (tx) => {
    const existing = await tx.user.findFirst({ where: { clerkId }, select: accessFields });
    if (existing) return existing;
    if (await signupRefused(tx, clerkId, 'session-token')) return null;
    // email_verified stays false: a session token does not say whether the address is verified,
    // so the row claims no collection shares until Clerk's user.created or user.updated says so.
    const inserted = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO users (clerk_id, email, first_name, last_name, avatar_url)
      VALUES (${clerkId}, ${profile.email ?? null}, ${profile.firstName ?? null}, ${profile.lastName ?? null}, ${profile.imageUrl ?? null})
      ON CONFLICT (clerk_id) DO NOTHING
      RETURNING id::text`;
    if (inserted[0]) {
      await recordAuditEvents(tx, [
        {
          type: 'user.provisioned',
          actorId: inserted[0].id,
          subjectUserId: inserted[0].id,
          metadata: { source: 'session-token' },
        },
      ]);
    }
    return tx.user.findFirstOrThrow({ where: { clerkId }, select: accessFields });
  });
  if (!user) throw new SignupsDisabledError(clerkId);
  return user;
}

/** Before asking Clerk for a profile: a new identity while sign-ups are off is refused without that call. */
async function refuseClosedSignup(base: BasePrisma, clerkId: string): Promise<void> {
  const refused = await withSync(base, (tx) => signupRefused(tx, clerkId, 'session-token'));
  if (refused) throw new SignupsDisabledError(clerkId);
}

/** How the user of a Clerk id is found: findUserByClerkId, or the identity cache in front of it. */
export type FindUser = (clerkId: string) => Promise<UserAccess | null>;

/** The user behind verified claims, created on first sight. */
export async function findOrProvisionUser(
  base: BasePrisma,
  claims: SessionClaims,
  fetchProfile: FetchProfile,
  findUser: FindUser = (clerkId) => findUserByClerkId(base, clerkId),
): Promise<UserAccess> {
  const existing = await findUser(claims.sub);
  if (existing) return existing;
  let profile = profileFromClaims(claims);
  if (!profile) {
    await refuseClosedSignup(base, claims.sub);
    profile = await fetchProfile(claims.sub);
  }
  return provisionUser(base, claims.sub, profile);
}
