// Session tokens for tests: well-formed ones signed with a key the server trusts, and every kind of
// bad one a client could present. Claims are explicit so each test states what it sends.
import { createHmac, sign } from 'node:crypto';
import type { LocalSigningKey } from '#src/dev/local-identity/signing-key.js';

export const PARTY = 'http://localhost:3000';

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Claims of a valid Clerk v2 session token for `sub`; `overrides` set or (with undefined) drop claims. */
export function sessionClaims(sub: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = nowSeconds();
  return { sub, sid: `sess_${sub}`, azp: PARTY, iat: now - 10, nbf: now - 15, exp: now + 600, v: 2, ...overrides };
}

/**
 * `claims` signed RS256 with header {alg, typ, kid} and nothing added. Synchronous, unlike jose (with which
 * the local provider signs), so test tables can build tokens inline.
 */
export function mint(key: LocalSigningKey, claims: Record<string, unknown>): string {
  const input = `${b64({ alg: 'RS256', typ: 'JWT', kid: key.kid })}.${b64(claims)}`;
  return `${input}.${sign('RSA-SHA256', Buffer.from(input), key.privateKey).toString('base64url')}`;
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token with any header and a signature of the caller's choosing (alg none and the like). */
export function handMade(header: Record<string, unknown>, claims: Record<string, unknown>, signature = ''): string {
  return `${b64(header)}.${b64(claims)}.${signature}`;
}

/** HS256 "signed" with `secret`: the classic key-confusion attack uses the server's public key PEM. */
export function hs256(kid: string, claims: Record<string, unknown>, secret: string): string {
  const input = `${b64({ alg: 'HS256', typ: 'JWT', kid })}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** The same token with its payload swapped for `claims`: the signature no longer matches. */
export function withPayload(token: string, claims: Record<string, unknown>): string {
  const [header, , signature] = token.split('.');
  return `${header}.${b64(claims)}.${signature}`;
}
