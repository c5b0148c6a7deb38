// Audit events as the API shows them: a Relay node (readable as RLS allows: a user their own events, an
// admin every event), and User.auditEvents, the events about one user, newest first.
import { dbRoleFor } from '#src/db/rls.js';
import { builder } from '#src/graphql/builder.js';
import { signedIn, type Context } from '#src/graphql/context.js';
import { auditCursorArgsSchema } from './audit-cursor.js';
import { AUDIT_EVENT_ORDER } from './audit-filter.js';

type Metadata = Record<string, unknown>;

const metadataOf = (value: unknown): Metadata =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Metadata) : {};

/** Aggregated events (auth.failed, api_key.refused) carry their count; every other event is one. */
export function countOf(metadata: unknown): number {
  const count = metadataOf(metadata).count;
  return typeof count === 'number' && Number.isSafeInteger(count) && count >= 1 ? count : 1;
}

/** metadata.reason when it is a string (an admin's reason, a refusal's cause), else null. */
export function reasonOf(metadata: unknown): string | null {
  const reason = metadataOf(metadata).reason;
  return typeof reason === 'string' ? reason : null;
}

/**
 * Refused credentials: the address is that of whoever presented the subject's own session or key, which is
 * what the subject's security activity is for. Written by the server with no actor, never by a person.
 */
const REFUSED_CREDENTIAL_TYPES: ReadonlySet<string> = new Set(['auth.failed', 'api_key.refused']);

/**
 * Whether this viewer may see where an event came from (its ip and user agent): the one who acted, an
 * admin (the request's app_admin role: a session, never an API key), or the subject of a refused
 * credential. A user reading events about themselves does not learn the address and browser of the admin
 * who acted on their account (nor of a deleted admin, whose events keep no actor).
 */
export function seesClientOf(
  ctx: Pick<Context, 'viewer'>,
  event: { type: string; actorId: string | null; subjectUserId: string | null },
): boolean {
  const { viewer } = ctx;
  if (!viewer) return false;
  if (dbRoleFor(viewer) === 'app_admin') return true;
  if (event.actorId !== null) return event.actorId === viewer.userId;
  return REFUSED_CREDENTIAL_TYPES.has(event.type) && event.subjectUserId === viewer.userId;
}

export const AuditEventNode = builder.prismaNode('AuditEvent', {
  id: { field: 'id' },
  // An event hidden by RLS (about someone else) or missing is null, like any unknown id.
  nullable: true,
  description:
    'Something security-relevant that happened: a sign-in, a refused credential, an admin action. ' +
    'Types and metadata: docs/audit-log.md.',
  fields: (t) => ({
    type: t.exposeString('type', {
      description: 'For example "user.role_changed"; every type and its label: @deal-brain/shared/audit-event-types.',
    }),
    actor: t.relation('actor', {
      nullable: true,
      description: 'Who did it; null when nobody did (a system event) or when this viewer may not see them.',
    }),
    subject: t.relation('subjectUser', {
      nullable: true,
      description: 'Whom it was about; null when nobody, or when this viewer may not see them.',
    }),
    ip: t.string({
      nullable: true,
      description:
        'The client address (behind TRUSTED_PROXIES, the forwarded one). Null unless the viewer is the ' +
        'actor, an admin, or the subject of a refused credential (auth.failed, api_key.refused): a user ' +
        'does not see the address of the admin who acted on them.',
      select: { ip: true, type: true, actorId: true, subjectUserId: true },
      resolve: (event, _args, ctx) => (seesClientOf(ctx, event) ? event.ip : null),
    }),
    userAgent: t.string({
      nullable: true,
      description: 'Truncated to 256 characters. Null whenever ip is hidden from this viewer.',
      select: { userAgent: true, type: true, actorId: true, subjectUserId: true },
      resolve: (event, _args, ctx) => (seesClientOf(ctx, event) ? event.userAgent : null),
    }),
    count: t.int({
      description: 'How many occurrences this row stands for: metadata.count for aggregated events, else 1.',
      select: { metadata: true },
      resolve: (event) => countOf(event.metadata),
    }),
    reason: t.string({
      nullable: true,
      description: 'metadata.reason when it is a string (the reason an admin gave, a refusal’s cause), else null.',
      select: { metadata: true },
      resolve: (event) => reasonOf(event.metadata),
    }),
    metadata: t.expose('metadata', { type: 'JSON' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

/** One connection type for both lists of events (Query.auditEvents, User.auditEvents). */
export const AuditEventConnection = builder.connectionObject(
  {
    type: AuditEventNode,
    name: 'AuditEventConnection',
    fields: (t) => ({
      totalCount: t.int({
        description: 'How many events match, on every page.',
        resolve: (connection) => {
          const { totalCount } = connection as { totalCount?: number | (() => number | Promise<number>) };
          return typeof totalCount === 'function' ? totalCount() : (totalCount ?? 0);
        },
      }),
    }),
  },
  { name: 'AuditEventEdge' },
);

builder.prismaObjectField('User', 'auditEvents', (t) =>
  t.prismaConnection(
    {
      type: 'AuditEvent',
      cursor: 'id',
      description:
        'Events about this user, newest first: for the viewer, their own security activity; an admin reads ' +
        "any user's. Not for API keys: FORBIDDEN.",
      // A leaked API key must not read its owner's security activity.
      authScopes: { sessionCredential: true },
      // Its own query rather than a relation planned into the parent's: the cursor is checked here, on
      // this field (a malformed one is BAD_USER_INPUT on `after`), before Pothos reads it.
      validate: { schema: auditCursorArgsSchema },
      defaultSize: 20,
      maxSize: 100,
      totalCount: (user, _args, ctx) => signedIn(ctx).db.auditEvent.count({ where: { subjectUserId: user.id } }),
      resolve: (query, user, _args, ctx) =>
        signedIn(ctx).db.auditEvent.findMany({
          ...query,
          where: { subjectUserId: user.id },
          orderBy: AUDIT_EVENT_ORDER,
        }),
    },
    AuditEventConnection,
  ),
);
