// Verifies Clerk session tokens with @clerk/backend's verifyJwt (the claims checks verifyToken runs): networkless
// with a PEM public key (Clerk's CLERK_JWT_KEY or the local identity provider's key), otherwise with Clerk's
// JWKS, fetched with the secret key and refetched within bounds (jwks.ts). Each key is converted to a JWK
// once; verifyToken would also keep every token's kid in a module-wide cache, forever. Only session tokens
// of active sessions pass: a `sid` is required and `sts: pending` refused (ADR 0062).
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { verifyJwt } from '@clerk/backend/jwt';
import { createClerkBackend } from '#src/clerk/backend-api.js';
import { InvalidCredentialError } from './errors.js';
import { createJwksKeySource, type JwksKeySourceOptions } from './jwks.js';
import type { SessionClaims } from './viewer.js';

export interface SessionTokenVerifierOptions {
  jwtKey: string | undefined;
  secretKey: string | undefined;
  apiUrl: string | undefined;
  authorizedParties: string[];
  /** JWKS mode: the refetch bounds (tests shorten them); defaults in jwks.ts. */
  jwks?: Omit<JwksKeySourceOptions, 'fetchKeys' | 'onFetchError'>;
  /** JWKS mode: told when the JWKS could not be fetched (the error never holds a token or the secret key). */
  onJwksFetchError?: (error: unknown) => void;
}

export type VerifySessionToken = (token: string) => Promise<SessionClaims>;

// Clerk user ids look like user_2abc…; anything else is not a subject we accept.
const CLERK_USER_ID = /^[A-Za-z0-9_-]{1,128}$/;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * The header, when header and payload are base64url JSON objects. @clerk/backend 2.x lets a JSON error out of
 * its decoder with no reason; checking first gives such a token the reason the SDK uses, token-invalid.
 */
function headerOf(token: string): Record<string, unknown> | undefined {
  const parts = token
    .split('.')
    .slice(0, 2)
    .map((part) => {
      try {
        const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
        return typeof value === 'object' && value !== null && !Array.isArray(value)
          ? (value as Record<string, unknown>)
          : undefined;
      } catch {
        return undefined;
      }
    });
  return parts.every(Boolean) ? parts[0] : undefined;
}

/** A PEM public key as the JWK verifyJwt takes, converted once (any RSA size, unlike the SDK's PEM reader). */
function jwkFromPem(pem: string): JsonWebKey {
  let jwk: JsonWebKey;
  try {
    jwk = createPublicKey(pem).export({ format: 'jwk' });
  } catch {
    throw new Error('The JWT public key is not a PEM public key');
  }
  if (jwk.kty !== 'RSA') throw new Error('The JWT public key must be an RSA key (Clerk signs with RS256)');
  return { kty: 'RSA', alg: 'RS256', n: jwk.n, e: jwk.e };
}

function reasonOf(error: unknown): string {
  const reason = (error as { reason?: unknown } | null)?.reason;
  return typeof reason === 'string' ? reason : 'token-verification-failed';
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Session tokens carry optional profile claims when the Clerk session token is customised. A token without
 * `sid` is no session token (a JWT template's, say); `sts` is present when the session is not active yet
 * (`pending`: a task such as a forced password reset is open), and the web app treats that as signed out.
 */
function claimsFrom(payload: Record<string, unknown>): SessionClaims {
  const sub = optionalString(payload.sub);
  if (!sub) throw new InvalidCredentialError('token-missing-subject');
  if (!CLERK_USER_ID.test(sub)) throw new InvalidCredentialError('token-invalid-subject');
  const sid = optionalString(payload.sid);
  if (!sid) throw new InvalidCredentialError('token-missing-session');
  if (!CLERK_USER_ID.test(sid)) throw new InvalidCredentialError('token-invalid-session');
  if (payload.sts === 'pending') throw new InvalidCredentialError('token-session-pending');
  // Any other status than active is refused too: a status this code does not know is not a signed-in one.
  if (payload.sts !== undefined && payload.sts !== 'active')
    throw new InvalidCredentialError('token-session-not-active');
  return {
    sub,
    sid,
    azp: optionalString(payload.azp),
    email: optionalString(payload.email),
    firstName: optionalString(payload.first_name),
    lastName: optionalString(payload.last_name),
    imageUrl: optionalString(payload.image_url),
    // verifyJwt has refused a token without a numeric exp.
    expiresAt: Number(payload.exp) * 1000,
  };
}

export function createSessionTokenVerifier(options: SessionTokenVerifierOptions): VerifySessionToken {
  if (!options.jwtKey && !options.secretKey) {
    throw new Error('Session token verification needs a JWT public key or a Clerk secret key');
  }
  if (options.authorizedParties.length === 0) {
    throw new Error('Session token verification needs at least one authorized party');
  }
  const { authorizedParties } = options;
  let keyFor: (kid: unknown) => Promise<JsonWebKey>;
  if (options.jwtKey) {
    // Networkless: one key, whatever kid a token names (as verifyToken's jwtKey).
    const key = jwkFromPem(options.jwtKey);
    keyFor = async () => key;
  } else {
    const clerk = createClerkBackend({ secretKey: options.secretKey, apiUrl: options.apiUrl });
    const source = createJwksKeySource({
      ...options.jwks,
      fetchKeys: () => clerk.call('jwks.getJwks', (client) => client.jwks.getJwks()),
      ...(options.onJwksFetchError ? { onFetchError: options.onJwksFetchError } : {}),
    });
    keyFor = (kid) => source.keyFor(kid);
  }

  return async function verifySessionToken(token) {
    if (!JWT_SHAPE.test(token)) throw new InvalidCredentialError('token-malformed');
    const header = headerOf(token);
    if (!header) throw new InvalidCredentialError('token-invalid');
    // Refusals (401) and an unreachable key source (503) come out of keyFor as they are.
    const key = await keyFor(header.kid);
    let payload: Record<string, unknown>;
    try {
      payload = (await verifyJwt(token, { key, authorizedParties })) as unknown as Record<string, unknown>;
    } catch (error) {
      throw new InvalidCredentialError(reasonOf(error));
    }
    // @clerk/backend 2.x skips authorizedParties when a token has no azp: ours must have one. The
    // reason is the SDK's own for an azp it refuses, so logs and metrics name both cases alike.
    if (!optionalString(payload.azp)) throw new InvalidCredentialError('token-invalid-authorized-parties');
    return claimsFrom(payload);
  };
}
