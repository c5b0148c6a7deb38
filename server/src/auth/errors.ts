// Authentication outcomes that end a request. The HTTP layer maps them to 401 and 403.

/** A credential was presented and is not acceptable: never downgraded to anonymous. */
export class InvalidCredentialError extends Error {
  override name = 'InvalidCredentialError';
  constructor(
    /** Short machine-readable cause, safe to log (never contains the credential). */
    readonly reason: string,
  ) {
    super(`Invalid credential: ${reason}`);
  }
}

/** The credential is valid but the account is deactivated or deleted. */
export class AccountDisabledError extends Error {
  override name = 'AccountDisabledError';
  constructor(readonly userId: string) {
    super('This account is disabled');
  }
}

/** A new identity while sign-ups are off (tenant setting signupsEnabled): no account was created. */
export class SignupsDisabledError extends Error {
  override name = 'SignupsDisabledError';
  constructor(
    /** The identity's Clerk id (not a secret). */
    readonly clerkId: string,
  ) {
    super('Sign-ups are closed');
  }
}

/**
 * The token cannot be checked at all: no signing key is held and the identity provider's JWKS cannot be
 * fetched (auth/jwks.ts). Not the client's fault, so 503 IDENTITY_PROVIDER_UNAVAILABLE, not 401.
 */
export class IdentityProviderUnavailableError extends Error {
  override name = 'IdentityProviderUnavailableError';
  constructor(
    /** Short machine-readable cause, safe to log. */
    readonly reason: string,
  ) {
    super(`The identity provider is unavailable: ${reason}`);
  }
}
