// Session tokens shaped like Clerk's v2 tokens and signed with jose, so the real @clerk/backend
// verification (`verifyToken` with `jwtKey`) runs unchanged against them.
import { SignJWT } from 'jose';
import type { LocalIdentity } from './identities.js';
import type { LocalSigningKey } from './signing-key.js';

/** Clerk backdates `nbf` a little so small clock differences between machines do not reject fresh tokens. */
const NOT_BEFORE_LEEWAY_SECONDS = 5;

export interface SessionTokenInput {
  identity: LocalIdentity;
  sessionId: string;
  /** The `azp`, checked by verifyToken's `authorizedParties`. */
  authorizedParty: string;
  /** Seconds since the epoch. */
  issuedAt: number;
  ttlSeconds: number;
}

export function mintSessionToken(key: LocalSigningKey, input: SessionTokenInput): Promise<string> {
  const { identity, issuedAt } = input;
  // No `iss`: @clerk/remix compares it with the publishable key's host, and omitting it is accepted.
  return new SignJWT({ sid: input.sessionId, azp: input.authorizedParty, ...profileClaims(identity), v: 2 })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
    .setSubject(identity.clerkId)
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt - NOT_BEFORE_LEEWAY_SECONDS)
    .setExpirationTime(issuedAt + input.ttlSeconds)
    .sign(key.privateKey);
}

/** Absent profile fields are left out rather than sent as null, as Clerk does. */
function profileClaims(identity: LocalIdentity): Record<string, string> {
  return {
    email: identity.email,
    ...(identity.firstName === null ? {} : { first_name: identity.firstName }),
    ...(identity.lastName === null ? {} : { last_name: identity.lastName }),
    ...(identity.imageUrl === null ? {} : { image_url: identity.imageUrl }),
  };
}
