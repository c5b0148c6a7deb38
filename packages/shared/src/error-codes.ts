// The API's error vocabulary: the values of `extensions.code` in a GraphQL error. The server sets them,
// the web app chooses what to show by them; one list keeps the two from drifting apart.

export const ERROR_CODES = Object.freeze({
  /** No credential, or one that is invalid or expired (HTTP 401). */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** Signed in, but not allowed to do this. */
  FORBIDDEN: 'FORBIDDEN',
  /** Signed in, but the account was deactivated (HTTP 403). */
  ACCOUNT_DISABLED: 'ACCOUNT_DISABLED',
  /** A new identity signed in while sign-ups are off, so no account was created for it (HTTP 403). */
  SIGNUPS_DISABLED: 'SIGNUPS_DISABLED',
  /** No such thing, or one the viewer may not see: the two look the same on purpose. */
  NOT_FOUND: 'NOT_FOUND',
  /** The input failed validation; `extensions.issues` lists the fields when there are any. */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** The HTTP request itself is unusable (a body too large or malformed) and never reached GraphQL. */
  BAD_REQUEST: 'BAD_REQUEST',
  RATE_LIMITED: 'RATE_LIMITED',
  /**
   * The identity provider (Clerk, or the local stand-in) could not be reached, timed out or failed, so a
   * change that must go through it (a profile change, a session revocation) did not happen. Retrying later
   * may work; nothing changed.
   */
  IDENTITY_PROVIDER_UNAVAILABLE: 'IDENTITY_PROVIDER_UNAVAILABLE',
  /**
   * A database statement or the whole request ran past its time limit: the statement's transaction, and any
   * the request still had open, were rolled back, so nothing was committed. Retrying later may work.
   */
  TIMEOUT: 'TIMEOUT',
  /**
   * The service cannot reach its database right now (HTTP 503, with Retry-After): nothing was read or changed.
   * Retrying later works once it is back.
   */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** Anything unexpected, its details masked. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const);

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];
