// Audit events are written in the same transaction as the change they record, so one never
// exists without the other.
import type { Prisma } from '#src/generated/prisma/client.js';
import type { Tx } from '#src/db/rls.js';

export type AuditEventType =
  | 'user.provisioned'
  | 'user.created'
  | 'user.updated'
  | 'user.deleted'
  | 'auth.sign_in'
  | 'auth.sign_out'
  // The user is actor and subject. profile_updated: written by app_sync with Clerk's answer, metadata
  // { change, clerkUpdatedAt, stored }; preferences_updated: metadata { changed: ['app.theme', …] }.
  | 'user.profile_updated'
  | 'user.preferences_updated'
  // The user is actor and subject; metadata { sessionId }: written after Clerk confirmed the revocation.
  | 'session.revoked'
  // The collection's owner is actor and subject (app_user records only events about themselves).
  | 'collection.shared'
  | 'collection.share_revoked'
  // The key's owner is actor and subject; metadata { keyId, prefix, name, scopes }.
  | 'api_key.created'
  | 'api_key.revoked'
  // Aggregated by app_sync: one row per (prefix, reason) per window, metadata.count (api-keys/refusal-log.ts).
  | 'api_key.refused'
  // Admin actions: the admin is actor, the user subject; metadata { before, after, reason }.
  | 'user.role_changed'
  | 'user.deactivated'
  | 'user.reactivated'
  // An admin changed tenant settings; no subject; metadata { before, after, reason } of the changed keys.
  | 'tenant_settings.updated'
  // A new identity was refused provisioning while sign-ups are off; no actor or subject; metadata { clerkId, source }.
  | 'user.signup_refused'
  // Failed authentication, aggregated: one row per (reason, client address) per window, metadata.count.
  | 'auth.failed';

export interface AuditEventInput {
  type: AuditEventType;
  actorId?: string | null;
  subjectUserId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  metadata?: Prisma.InputJsonObject;
}

/**
 * Appends audit events. createMany, not create: app_sync may insert audit rows but not read
 * them back, and create would ask for the inserted row (RETURNING), which RLS refuses.
 */
export async function recordAuditEvents(tx: Tx, events: AuditEventInput[]): Promise<void> {
  if (events.length === 0) return;
  await tx.auditEvent.createMany({ data: events.map((event) => ({ ...event, metadata: event.metadata ?? {} })) });
}
