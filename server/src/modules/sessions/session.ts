// Sessions as the API shows them: `User.sessions`, the viewer's own active sessions at the identity
// provider (Clerk, or the local provider's stand-in of Clerk's session calls), newest activity first.
// For anyone else's user the field is null (admins included): sessions are their owner's alone.
import { builder } from '#src/graphql/builder.js';
import { signedIn, type Context } from '#src/graphql/context.js';
import { sessionDirectory } from './session-directory.js';
import { byLatestActivity, sessionView, type SessionView } from './session-view.js';

export const SessionRef = builder.objectRef<SessionView>('Session').implement({
  description: "A signed-in session of the viewer's at the identity provider (one browser or device).",
  fields: (t) => ({
    id: t.exposeID('id', { description: "Clerk's session id (sess_…), not a global id." }),
    browser: t.exposeString('browser', { nullable: true, description: 'For example "Chrome 120"; null when unknown.' }),
    device: t.exposeString('device', {
      nullable: true,
      description: 'For example "Linux desktop" or "iPhone"; null when unknown.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastActiveAt: t.expose('lastActiveAt', { type: 'DateTime' }),
    current: t.exposeBoolean('current', { description: "The session this request's token belongs to." }),
  }),
});

/** The viewer's active sessions, as views, newest activity first. */
export async function viewerSessions(ctx: Context): Promise<SessionView[]> {
  const { viewer } = signedIn(ctx);
  const sessions = await sessionDirectory(ctx.clerk, ctx.log).activeSessionsOf(viewer.clerkId);
  return sessions.map((session) => sessionView(session, viewer.sessionId)).sort(byLatestActivity);
}

builder.prismaObjectField('User', 'sessions', (t) =>
  t.field({
    type: [SessionRef],
    nullable: true,
    description:
      "The viewer's own active sessions, newest activity first (null for anyone else's user). Not for API keys: FORBIDDEN.",
    // A leaked API key must not see or manage sessions.
    authScopes: { sessionCredential: true },
    select: { id: true },
    resolve: (user, _args, ctx) => (user.id === signedIn(ctx).viewer.userId ? viewerSessions(ctx) : null),
  }),
);
