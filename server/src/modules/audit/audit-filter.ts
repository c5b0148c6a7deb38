// The admin's audit log filter: the GraphQL input, its zod rules and the Prisma condition it becomes.
// A rule that fails answers BAD_USER_INPUT with the field's path (filter.<field>), and nothing is read.
import { z } from 'zod';
import type { Prisma } from '#src/generated/prisma/client.js';
import { builder } from '#src/graphql/builder.js';
import { globalIdOf } from '#src/graphql/global-id-input.js';

export const AUDIT_TYPE_FILTER_LENGTH = 100;

/** An exact type ("user.role_changed") or a family prefix ending in "." ("api_key."). */
const TYPE_OR_FAMILY = /^[a-z][a-z0-9_]*\.([a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*)?$/;

const type = z
  .string()
  .trim()
  .max(AUDIT_TYPE_FILTER_LENGTH, `Type must be at most ${AUDIT_TYPE_FILTER_LENGTH} characters`)
  .refine(
    // A value over the limit already has its issue.
    (value) => value === '' || value.length > AUDIT_TYPE_FILTER_LENGTH || TYPE_OR_FAMILY.test(value),
    'Expected an event type ("user.role_changed") or a family ending in "." ("api_key.")',
  )
  // Blank is no filtering on the type.
  .transform((value) => value || null)
  .nullish();

export const auditEventFilterSchema = z
  .object({
    type,
    actorId: globalIdOf('User').nullish(),
    subjectId: globalIdOf('User').nullish(),
    from: z.date().nullish(),
    to: z.date().nullish(),
  })
  .refine((filter) => !filter.from || !filter.to || filter.from < filter.to, {
    message: '"from" must be before "to"',
    path: ['to'],
  });

export type AuditEventFilter = z.infer<typeof auditEventFilterSchema>;

export const AuditEventFilterInput = builder.inputType('AuditEventFilter', {
  description: 'Every field unset means no filtering on it; set fields must all match.',
  fields: (t) => ({
    type: t.string({
      description:
        'An exact type ("user.role_changed") or a family prefix ending in "." ("api_key."). ' +
        `At most ${AUDIT_TYPE_FILTER_LENGTH} characters; blank is no filtering.`,
    }),
    actorId: t.globalID({ description: 'Events this User did.' }),
    subjectId: t.globalID({ description: 'Events about this User.' }),
    from: t.field({ type: 'DateTime', description: 'Events at or after this time (inclusive).' }),
    to: t.field({ type: 'DateTime', description: 'Events before this time (exclusive); must be after `from`.' }),
  }),
});

/** The Prisma condition of a validated filter. */
export function auditEventWhere(filter: AuditEventFilter | null | undefined): Prisma.AuditEventWhereInput {
  if (!filter) return {};
  const where: Prisma.AuditEventWhereInput = {};
  if (filter.type) where.type = filter.type.endsWith('.') ? { startsWith: filter.type } : filter.type;
  if (filter.actorId) where.actorId = filter.actorId.id;
  if (filter.subjectId) where.subjectUserId = filter.subjectId.id;
  if (filter.from || filter.to) {
    where.createdAt = { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) };
  }
  return where;
}

/** Newest first; the id breaks ties, so keyset pages on (created_at, id) neither skip nor repeat. */
export const AUDIT_EVENT_ORDER = [
  { createdAt: 'desc' },
  { id: 'desc' },
] satisfies Prisma.AuditEventOrderByWithRelationInput[];
