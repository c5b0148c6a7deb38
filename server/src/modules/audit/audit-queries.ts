// The admin's audit log: every event, newest first, filtered by type, actor, subject and time.
import { builder } from '#src/graphql/builder.js';
import { signedIn } from '#src/graphql/context.js';
import { selects } from '#src/graphql/selection.js';
import { auditCursorArgsSchema } from './audit-cursor.js';
import { AuditEventConnection } from './audit-event.js';
import {
  AUDIT_EVENT_ORDER,
  AuditEventFilterInput,
  auditEventFilterSchema,
  auditEventWhere,
  type AuditEventFilter,
} from './audit-filter.js';

/** Read-ahead counts are keyed by their filter: aliases with other filters get their own. */
const countKey = (where: object) => `auditEvents.totalCount:${JSON.stringify(where)}`;

builder.queryField('auditEvents', (t) =>
  t.prismaConnection(
    {
      type: 'AuditEvent',
      cursor: 'id',
      description: 'The audit log, newest first (admins only).',
      authScopes: { admin: true },
      args: { filter: t.arg({ type: AuditEventFilterInput, validate: { schema: auditEventFilterSchema } }) },
      // Before Pothos reads the cursor: a malformed one is BAD_USER_INPUT, not a 500.
      validate: { schema: auditCursorArgsSchema },
      defaultSize: 20,
      maxSize: 100,
      totalCount: (_parent, args, ctx) => {
        const where = auditEventWhere(args.filter as AuditEventFilter | null | undefined);
        const readAhead = ctx.readAhead.get(countKey(where));
        if (typeof readAhead === 'number') return readAhead;
        return signedIn(ctx).db.auditEvent.count({ where });
      },
      resolve: async (query, _root, args, ctx, info) => {
        const { db } = signedIn(ctx);
        // The zod plugin hands the resolver the parsed filter (type trimmed, ids checked to be Users).
        const where = auditEventWhere(args.filter as AuditEventFilter | null | undefined);
        const page = db.auditEvent.findMany({ ...query, where, orderBy: AUDIT_EVENT_ORDER });
        if (!selects(info, 'totalCount')) return page;
        const [rows, count] = await Promise.all([page, db.auditEvent.count({ where })]);
        ctx.readAhead.set(countKey(where), count);
        return rows;
      },
    },
    AuditEventConnection,
  ),
);
