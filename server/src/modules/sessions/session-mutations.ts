// revokeSession: ends one of the viewer's other sessions at the identity provider.
//
// - The current session (the request's own token) is refused with BAD_USER_INPUT: that is signing out.
// - Another user's session and an unknown one are the same NOT_FOUND, decided after the same single
//   lookup (no existence oracle): the session is fetched and its user compared with the viewer's.
// - Clerk is not transactional with our database: the revocation happens at Clerk first, and the audit
//   event `session.revoked` is written after Clerk confirmed it, in a transaction of its own. Should that
//   write fail, the session is revoked all the same (the error says so in the logs) and a retry answers
//   as done without a second event: revoking a session that has already ended changes nothing.
// - Local mode: the API refuses the revoked session's token from its next request on (the provider
//   knows it ended); Clerk mode: the session cannot refresh its token, which lives about 60 seconds.
import { recordAuditEvents } from '#src/audit/audit-events.js';
import { auditSource } from '#src/audit/audit-source.js';
import { builder } from '#src/graphql/builder.js';
import { signedIn } from '#src/graphql/context.js';
import { badUserInput, notFound } from '#src/graphql/errors.js';
import { sessionDirectory } from './session-directory.js';
import { RevokeSessionInput, revokeSessionSchema } from './session-input.js';

interface RevokedSession {
  sessionId: string;
}

const RevokeSessionPayload = builder.objectRef<RevokedSession>('RevokeSessionPayload').implement({
  fields: (t) => ({ sessionId: t.exposeID('sessionId', { description: 'The revoked session (sess_…).' }) }),
});

builder.mutationField('revokeSession', (t) =>
  t.field({
    type: RevokeSessionPayload,
    description:
      "Ends one of the viewer's other sessions. The current one: BAD_USER_INPUT (sign out instead). " +
      "Another user's or unknown: NOT_FOUND. Not for API keys: FORBIDDEN.",
    // A leaked API key must not lock its owner out.
    authScopes: { sessionCredential: true },
    args: { input: t.arg({ type: RevokeSessionInput, required: true, validate: { schema: revokeSessionSchema } }) },
    resolve: async (_root, args, ctx) => {
      const { viewer } = signedIn(ctx);
      const { sessionId } = revokeSessionSchema.parse(args.input);
      if (sessionId === viewer.sessionId) {
        throw badUserInput('This is the session you are using: sign out instead', [
          { path: 'input.sessionId', message: 'This is your current session: sign out instead' },
        ]);
      }
      const directory = sessionDirectory(ctx.clerk, ctx.log);
      const session = await directory.find(sessionId);
      if (!session || session.userId !== viewer.clerkId) throw notFound('Session');
      // Already ended (signed out, revoked, expired): nothing to do, and nothing to record.
      if (session.status !== 'active') return { sessionId };
      if (!(await directory.revoke(sessionId))) throw notFound('Session');
      try {
        await ctx.withRls((tx) =>
          recordAuditEvents(tx, [
            {
              type: 'session.revoked',
              actorId: viewer.userId,
              subjectUserId: viewer.userId,
              ...auditSource(ctx),
              metadata: { sessionId },
            },
          ]),
        );
      } catch (error) {
        ctx.log.error(
          { event: 'sessions.audit_failed', sessionId, err: error },
          'session revoked but its audit event not written',
        );
        throw error;
      }
      ctx.log.info({ event: 'sessions.revoked', sessionId }, 'session revoked');
      return { sessionId };
    },
  }),
);
