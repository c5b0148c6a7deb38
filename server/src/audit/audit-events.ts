// Audit events are written in the same transaction as the change they record, so one never
// exists without the other.
import type { Prisma } from '#src/generated/prisma/client.js';
import type { Tx } from '#src/db/rls.js';
import type { AuditEventType as SharedAuditEventType } from '@deal-brain/shared/audit-event-types';

/**
 * Every type, with its label for people, is listed once in packages/shared/src/audit-event-types.ts (the web
 * app labels events and filters by type with it); docs/audit-log.md describes each event's actor, subject and
 * metadata.
 */
export type AuditEventType = SharedAuditEventType;

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
