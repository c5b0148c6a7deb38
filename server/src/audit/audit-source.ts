// The client fields of an audit event written during a GraphQL request.
import type { Context } from '#src/graphql/context.js';

export function auditSource(ctx: Pick<Context, 'client'>): { ip: string | null; userAgent: string | null } {
  return { ip: ctx.client.ip, userAgent: ctx.client.userAgent };
}
