// Verifies Clerk session tokens with @clerk/backend: networkless with a PEM public key (Clerk's
// CLERK_JWT_KEY or the local identity provider's key), otherwise through Clerk's JWKS, which the
// SDK caches and refetches on an unknown key id.
import { verifyToken } from '@clerk/backend';
import { InvalidCredentialError } from './errors.js';
import type { SessionClaims } from './viewer.js';

export interface SessionTokenVerifierOptions {
  jwtKey: string | undefined;
  secretKey: string | undefined;
  apiUrl: string | undefined;
  authorizedParties: string[];
}

export type VerifySessionToken = (token: string) => Promise<SessionClaims>;

// Clerk user ids look like user_2abc…; anything else is not a subject we accept.
const CLERK_USER_ID = /^[A-Za-z0-9_-]{1,128}$/;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Header and payload are base64url JSON objects. @clerk/backend 2.x lets a JSON error out of its
 * decoder with no reason; checking first gives such a token the reason the SDK uses, token-invalid.
 */
function decodesAsJwt(token: string): boolean {
  return token
    .split('.')
    .slice(0, 2)
    .every((part) => {
      try {
        const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
        return typeof value === 'object' && value !== null && !Array.isArray(value);
      } catch {
        return false;
      }
    });
}

function reasonOf(error: unknown): string {
  const reason = (error as { reason?: unknown } | null)?.reason;
  return typeof reason === 'string' ? reason : 'token-verification-failed';
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Session tokens carry optional profile claims when the Clerk session token is customised. */
function claimsFrom(payload: Record<string, unknown>): SessionClaims {
  const sub = optionalString(payload.sub);
  if (!sub) throw new InvalidCredentialError('token-missing-subject');
  if (!CLERK_USER_ID.test(sub)) throw new InvalidCredentialError('token-invalid-subject');
  return {
    sub,
    sid: optionalString(payload.sid),
    azp: optionalString(payload.azp),
    email: optionalString(payload.email),
    firstName: optionalString(payload.first_name),
    lastName: optionalString(payload.last_name),
    imageUrl: optionalString(payload.image_url),
  };
}

export function createSessionTokenVerifier(options: SessionTokenVerifierOptions): VerifySessionToken {
  if (!options.jwtKey && !options.secretKey) {
    throw new Error('Session token verification needs a JWT public key or a Clerk secret key');
  }
  if (options.authorizedParties.length === 0) {
    throw new Error('Session token verification needs at least one authorized party');
  }
  const verifyOptions = options.jwtKey
    ? { jwtKey: options.jwtKey, authorizedParties: options.authorizedParties }
    : { secretKey: options.secretKey, apiUrl: options.apiUrl, authorizedParties: options.authorizedParties };

  return async function verifySessionToken(token) {
    if (!JWT_SHAPE.test(token)) throw new InvalidCredentialError('token-malformed');
    if (!decodesAsJwt(token)) throw new InvalidCredentialError('token-invalid');
    let payload: Record<string, unknown>;
    try {
      payload = (await verifyToken(token, verifyOptions)) as unknown as Record<string, unknown>;
    } catch (error) {
      throw new InvalidCredentialError(reasonOf(error));
    }
    // @clerk/backend 2.x skips authorizedParties when a token has no azp: ours must have one. The
    // reason is the SDK's own for an azp it refuses, so logs and metrics name both cases alike.
    if (!optionalString(payload.azp)) throw new InvalidCredentialError('token-invalid-authorized-parties');
    return claimsFrom(payload);
  };
}
