// revokeSession's input and its zod rule: a session id of Clerk's shape (it becomes part of a Backend
// API path, so nothing else may reach the provider), else BAD_USER_INPUT at input.sessionId.
import { z } from 'zod';
import { builder } from '#src/graphql/builder.js';
import { SESSION_ID } from './session-directory.js';

export const revokeSessionSchema = z.object({
  sessionId: z.string().trim().regex(SESSION_ID, 'Not a session id (sess_…)'),
});

export const RevokeSessionInput = builder.inputType('RevokeSessionInput', {
  fields: (t) => ({
    sessionId: t.id({ required: true, description: "Clerk's session id (sess_…), as Session.id gives it." }),
  }),
});
