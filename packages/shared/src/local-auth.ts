// The wire contract of the local identity provider (server/src/dev/local-identity), which the web app
// calls from its server in local mode. Both sides import it, so a change to one is a type error in the
// other.

/** Where the API server mounts the provider's routes. */
export const LOCAL_AUTH_PREFIX = '/__local-auth';

/** A session the provider started or refreshed: its token and what the web app needs to keep it. */
export interface LocalSession {
  token: string;
  sessionId: string;
  /** The identity's Clerk id (the token's `sub`). */
  userId: string;
  /** Milliseconds since the epoch (the token's `exp` × 1000). */
  expiresAt: number;
}

/** One problem with a request's input, as the provider's 400 answer lists it: `path` locates the field. */
export interface LocalAuthIssue {
  path: (string | number)[];
  message: string;
}
