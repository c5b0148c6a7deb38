// Who is calling: the outcome of authentication, consumed by GraphQL and the RLS client.
import type { Role } from '#src/generated/prisma/client.js';

/** The scopes a personal API key may carry (the values of its `scopes` column). */
export type ApiKeyScope = 'READ' | 'WRITE';

/** What the request authenticated with. */
export type ViewerCredential =
  | { kind: 'session'; sessionId: string | undefined }
  | { kind: 'apiKey'; keyId: string; prefix: string; scopes: readonly ApiKeyScope[] };

/** A signed-in, active user, as recorded in our users table (never as claimed by a token). */
export interface Viewer {
  userId: string;
  clerkId: string;
  /**
   * The role this request acts with: the users table's, except that an API key always acts as
   * USER, even an admin's (a key never reaches admin-only fields or the admin database role).
   */
  role: Role;
  /** Clerk session id when the credential was a session token. */
  sessionId: string | undefined;
  credential: ViewerCredential;
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
  /** The token's `exp`, in milliseconds since the epoch. */
  expiresAt: number;
}
