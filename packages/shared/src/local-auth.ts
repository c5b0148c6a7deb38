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

/**
 * The secret of the provider's own routes (sessions, identities, JWKS): the first API server to start on a
 * DATA_DIR creates it (later starts and other instances read it; delete the file to rotate it) in `<DATA_DIR>/LOCAL_AUTH_STATE_DIR/LOCAL_AUTH_SECRET_FILE` (mode 0600); the
 * web app reads that file and sends it in this header. Whoever cannot read the file (a page in a browser, a
 * reverse proxy, another user of the machine) cannot start a session.
 */
export const LOCAL_AUTH_SECRET_HEADER = 'x-local-auth-secret';
/** The provider's state directory under DATA_DIR. */
export const LOCAL_AUTH_STATE_DIR = 'local-auth';
/** The local routes' secret's file in the state directory (its name predates the secret outliving a boot). */
export const LOCAL_AUTH_SECRET_FILE = 'boot-secret';
/** The error code of a call without the right secret (403). */
export const LOCAL_AUTH_SECRET_REFUSED = 'local_auth_secret_refused';
