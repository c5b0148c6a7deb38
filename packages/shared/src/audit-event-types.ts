// Every audit event type, with a short label for people. The server's AuditEventType derives from this
// list (server/src/audit/audit-events.ts), the web app labels events and offers the type filter with it.
// docs/audit-log.md describes each event's actor, subject and metadata.

export const AUDIT_EVENT_TYPES = Object.freeze({
  'user.provisioned': 'Account created on first sign-in',
  'user.created': 'Account created',
  'user.updated': 'Account updated',
  'user.deleted': 'Account deleted',
  'auth.sign_in': 'Signed in',
  'auth.sign_out': 'Signed out',
  'auth.failed': 'Failed sign-in attempts',
  'user.profile_updated': 'Profile updated',
  'user.preferences_updated': 'Preferences updated',
  'session.revoked': 'Session signed out remotely',
  'collection.shared': 'Collection shared',
  'collection.share_revoked': 'Collection share revoked',
  'api_key.created': 'API key created',
  'api_key.revoked': 'API key revoked',
  'api_key.refused': 'API key refused',
  'user.role_changed': 'Role changed',
  'user.deactivated': 'Account deactivated',
  'user.reactivated': 'Account reactivated',
  'tenant_settings.updated': 'Tenant settings updated',
  'user.signup_refused': 'Sign-up refused',
  'user.purged': 'Deleted account’s data purged',
} as const);

export type AuditEventType = keyof typeof AUDIT_EVENT_TYPES;

export const AUDIT_EVENT_TYPE_LIST = Object.keys(AUDIT_EVENT_TYPES) as AuditEventType[];

/** The families a type filter may name by prefix ("api_key."): each type's part before its first dot. */
export const AUDIT_EVENT_FAMILIES: readonly string[] = [
  ...new Set(AUDIT_EVENT_TYPE_LIST.map((type) => `${type.slice(0, type.indexOf('.'))}.`)),
];

export function isAuditEventType(value: string): value is AuditEventType {
  return Object.hasOwn(AUDIT_EVENT_TYPES, value);
}

/** A type's label; an unknown type (an older or newer server's) reads as itself. */
export function auditEventLabel(type: string): string {
  return isAuditEventType(type) ? AUDIT_EVENT_TYPES[type] : type;
}
