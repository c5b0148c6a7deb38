// Who is calling: the outcome of authentication, consumed by GraphQL and the RLS client.
import type { Role } from '#src/generated/prisma/client.js';

/** A signed-in, active user, as recorded in our users table (never as claimed by a token). */
export interface Viewer {
  userId: string;
  clerkId: string;
  role: Role;
  /** Clerk session id when the credential was a session token. */
  sessionId: string | undefined;
}

/** Claims taken from a verified Clerk (or local) session token. */
export interface SessionClaims {
  sub: string;
  sid: string | undefined;
  azp: string | undefined;
  email: string | undefined;
  firstName: string | undefined;
  lastName: string | undefined;
  imageUrl: string | undefined;
}
