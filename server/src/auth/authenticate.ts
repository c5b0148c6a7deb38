// "Who is this?" — asked once per request. A request without a credential is anonymous; a
// presented credential is either fully valid or the request is refused.
import type { BasePrisma } from '#src/db/client.js';
import { findOrProvisionUser, type FetchProfile, type UserAccess } from '#src/users/provision.js';
import { credentialFrom } from './credentials.js';
import { AccountDisabledError } from './errors.js';
import type { VerifySessionToken } from './session-token.js';
import type { SessionClaims, Viewer } from './viewer.js';

export interface AuthenticatorDeps {
  base: BasePrisma;
  verifySessionToken: VerifySessionToken;
  fetchProfile: FetchProfile;
}

export type Authenticate = (authorization: string | null | undefined) => Promise<Viewer | null>;

function viewerFrom(user: UserAccess, claims: SessionClaims): Viewer {
  if (!user.active || user.deletedAt !== null) throw new AccountDisabledError(user.id);
  return { userId: user.id, clerkId: user.clerkId, role: user.role, sessionId: claims.sid };
}

export function createAuthenticator(deps: AuthenticatorDeps): Authenticate {
  return async function authenticate(authorization) {
    const credential = credentialFrom(authorization);
    if (credential.kind === 'none') return null;
    const claims = await deps.verifySessionToken(credential.token);
    const user = await findOrProvisionUser(deps.base, claims, deps.fetchProfile);
    return viewerFrom(user, claims);
  };
}
