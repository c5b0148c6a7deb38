// The client fields of an audit event written during a GraphQL request.
import type { Context } from '#src/graphql/context.js';

/** Where a change came from, as an audit event records it. */
export interface AuditSource {
  ip: string | null;
  userAgent: string | null;
}

export function auditSource(ctx: Pick<Context, 'client'>): AuditSource {
  return { ip: ctx.client.ip, userAgent: ctx.client.userAgent };
}
