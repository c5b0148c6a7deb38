// "Who is this?" — asked once per request. A request without a credential is anonymous; a
// presented credential is either fully valid or the request is refused.
import type { BasePrisma } from '#src/db/client.js';
import { findOrProvisionUser, type FetchProfile, type FindUser, type UserAccess } from '#src/users/provision.js';
import { viewerForApiKey, type ApiKeyRefusalReason, type FindApiKey } from './api-key.js';
import { credentialFrom } from './credentials.js';
import { AccountDisabledError, InvalidCredentialError } from './errors.js';
import { assertSessionLive, type SessionLiveness } from './session-liveness.js';
import type { VerifySessionToken } from './session-token.js';
import type { SessionClaims, Viewer } from './viewer.js';

/** A refused API key: what the refusal log aggregates (never the key, only its public prefix). */
export interface ApiKeyRefusal {
  /** The key's public prefix; null when the key was malformed. */
  prefix: string | null;
  reason: ApiKeyRefusalReason;
  /** The owner of the key with that prefix, when there is one. */
  ownerId: string | null;
}

/** What happens around a key request; neither may fail or slow the request. */
export interface ApiKeyActivity {
  /** A key authenticated a request: its last use is recorded (throttled). */
  used(viewer: Viewer): void;
  /** A key was refused: aggregated into api_key.refused audit events and counted. */
  refused(refusal: ApiKeyRefusal): void;
}

export interface AuthenticatorDeps {
  base: BasePrisma;
  verifySessionToken: VerifySessionToken;
  fetchProfile: FetchProfile;
  /** The user of a Clerk id (the identity cache's, in the app); default: a database lookup each time. */
  findUser?: FindUser;
  findApiKey: FindApiKey;
  apiKeyActivity?: ApiKeyActivity;
  /** Local mode: whether a token's session has ended (signed out or revoked); see session-liveness.ts. */
  sessionLiveness?: SessionLiveness;
  /** The clock that decides whether a key has expired (tests move it). */
  now?: () => Date;
}

export type Authenticate = (authorization: string | null | undefined) => Promise<Viewer | null>;

function viewerFrom(user: UserAccess, claims: SessionClaims): Viewer {
  if (!user.active || user.deletedAt !== null) throw new AccountDisabledError(user.id);
  return {
    userId: user.id,
    clerkId: user.clerkId,
    role: user.role,
    sessionId: claims.sid,
    credential: { kind: 'session', sessionId: claims.sid },
  };
}

function refusalReasonOf(error: unknown): ApiKeyRefusalReason | undefined {
  if (error instanceof AccountDisabledError) return 'api-key-owner-disabled';
  if (error instanceof InvalidCredentialError && error.reason.startsWith('api-key-')) {
    return error.reason as ApiKeyRefusalReason;
  }
  return undefined;
}

export function createAuthenticator(deps: AuthenticatorDeps): Authenticate {
  const now = deps.now ?? (() => new Date());
  const refused = (prefix: string | null, ownerId: string | null, error: unknown) => {
    const reason = refusalReasonOf(error);
    if (reason) deps.apiKeyActivity?.refused({ prefix, reason, ownerId });
  };

  async function authenticateApiKey(key: string, prefix: string): Promise<Viewer> {
    const record = await deps.findApiKey(prefix);
    try {
      const viewer = viewerForApiKey(key, record, now());
      deps.apiKeyActivity?.used(viewer);
      return viewer;
    } catch (error) {
      refused(prefix, record?.owner.id ?? null, error);
      throw error;
    }
  }

  return async function authenticate(authorization) {
    let credential;
    try {
      credential = credentialFrom(authorization);
    } catch (error) {
      refused(null, null, error);
      throw error;
    }
    if (credential.kind === 'none') return null;
    if (credential.kind === 'apiKey') return authenticateApiKey(credential.key, credential.prefix);
    const claims = await deps.verifySessionToken(credential.token);
    const user = await findOrProvisionUser(deps.base, claims, deps.fetchProfile, deps.findUser);
    const viewer = viewerFrom(user, claims);
    if (deps.sessionLiveness) assertSessionLive(claims.sid, deps.sessionLiveness);
    return viewer;
  };
}
