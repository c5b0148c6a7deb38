// Reads the credential a request presents. Only the Authorization header counts: the API is
// called by programs and by the web app's server, never with browser cookies.
import { apiKeyPrefixOf, looksLikeApiKey } from './api-key.js';
import { InvalidCredentialError } from './errors.js';

/**
 * No credential; a bearer token that is a session token (a JWT, checked by session-token.ts); or a
 * personal API key, told apart by its `dbk_` start and checked against the database (api-key.ts).
 */
export type Credential =
  { kind: 'none' } | { kind: 'bearer'; token: string } | { kind: 'apiKey'; key: string; prefix: string };

// RFC 6750 b64token (scheme case-insensitive per RFC 7235), bounded: a header that is not this
// shape is refused before any parsing.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
const MAX_TOKEN_LENGTH = 8192;

export function credentialFrom(authorization: string | null | undefined): Credential {
  if (authorization === null || authorization === undefined || authorization === '') return { kind: 'none' };
  if (authorization.length > MAX_TOKEN_LENGTH + 7) throw new InvalidCredentialError('credential-too-long');
  const match = BEARER.exec(authorization.trim());
  if (!match?.[1]) throw new InvalidCredentialError('malformed-authorization-header');
  const token = match[1];
  // A JWT starts with base64url JSON ("eyJ"), never with "dbk_".
  if (looksLikeApiKey(token)) return { kind: 'apiKey', key: token, prefix: apiKeyPrefixOf(token) };
  return { kind: 'bearer', token };
}
