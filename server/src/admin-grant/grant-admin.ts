// The first admin: `npm run admin:grant -- <email>` makes the user with that address an admin, through
// the owner connection (DATABASE_OWNER_URL, or the embedded database's owner), for Clerk mode and hosted
// databases where no admin exists yet to do it through the API. The person must have signed in once (their
// row exists). The owner is subject to FORCE ROW LEVEL SECURITY like every role: it reads users through
// users_definer_select and changes a user and appends the audit event through the policies the tenant
// settings migration created for it (ADR 0057). The change and its user.role_changed event commit together.
import type pg from 'pg';

export type GrantOutcome =
  | { kind: 'granted'; userId: string; clerkId: string; deactivated: boolean }
  | { kind: 'already-admin'; userId: string; clerkId: string; deactivated: boolean }
  | { kind: 'no-user' }
  | { kind: 'ambiguous'; clerkIds: string[] };

interface Candidate {
  id: string;
  clerk_id: string;
  role: 'USER' | 'ADMIN';
  active: boolean;
}

/** Grants ADMIN to the one non-deleted user whose email is `email` (any case), in one transaction. */
export async function grantAdmin(client: pg.ClientBase, email: string): Promise<GrantOutcome> {
  await client.query('BEGIN');
  try {
    const { rows } = await client.query<Candidate>(
      `SELECT id::text, clerk_id, role::text AS role, active FROM users
       WHERE lower(email) = lower($1) AND deleted_at IS NULL ORDER BY created_at, id FOR UPDATE`,
      [email],
    );
    const [user] = rows;
    let outcome: GrantOutcome;
    if (!user) outcome = { kind: 'no-user' };
    else if (rows.length > 1) outcome = { kind: 'ambiguous', clerkIds: rows.map((row) => row.clerk_id) };
    else if (user.role === 'ADMIN') {
      outcome = { kind: 'already-admin', userId: user.id, clerkId: user.clerk_id, deactivated: !user.active };
    } else {
      await client.query(`UPDATE users SET role = 'ADMIN', updated_at = now() WHERE id = $1`, [user.id]);
      await client.query(
        `INSERT INTO audit_events (type, actor_id, subject_user_id, metadata) VALUES ('user.role_changed', NULL, $1, $2)`,
        [user.id, { source: 'admin:grant', before: { role: user.role }, after: { role: 'ADMIN' } }],
      );
      outcome = { kind: 'granted', userId: user.id, clerkId: user.clerk_id, deactivated: !user.active };
    }
    await client.query('COMMIT');
    return outcome;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
}

/** The command: the exit code, and what it says. */
export async function runAdminGrant(
  client: pg.ClientBase,
  args: readonly string[],
  io: CommandOutput,
): Promise<number> {
  const email = args.length === 1 ? args[0]!.trim() : '';
  if (!email) {
    io.err('Usage: npm run admin:grant -- <email>');
    return 1;
  }
  const outcome = await grantAdmin(client, email);
  const deactivatedWarning = (clerkId: string) =>
    io.err(
      `Warning: the account of ${email} (${clerkId}) is deactivated: it cannot sign in until an admin reactivates it.`,
    );
  switch (outcome.kind) {
    case 'no-user':
      io.err(`No user with email ${email} has signed in yet: sign in once, then run this again.`);
      return 1;
    case 'ambiguous':
      io.err(
        `Several users have the email ${email} (Clerk ids: ${outcome.clerkIds.join(', ')}); nothing changed. ` +
          'Make the address unique at Clerk, then run this again.',
      );
      return 1;
    case 'already-admin':
      io.out(`${email} (${outcome.clerkId}) is already an admin; nothing changed.`);
      if (outcome.deactivated) deactivatedWarning(outcome.clerkId);
      return 0;
    case 'granted':
      io.out(`${email} (${outcome.clerkId}) is now an admin, from their next request.`);
      if (outcome.deactivated) deactivatedWarning(outcome.clerkId);
      return 0;
  }
}
