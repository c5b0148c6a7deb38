// Reads the credential a request presents. Only the Authorization header counts: the API is
// called by programs and by the web app's server, never with browser cookies.
import { InvalidCredentialError } from './errors.js';

export type Credential = { kind: 'none' } | { kind: 'bearer'; token: string };

// RFC 6750 b64token (scheme case-insensitive per RFC 7235), bounded: a header that is not this
// shape is refused before any parsing.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
const MAX_TOKEN_LENGTH = 8192;

export function credentialFrom(authorization: string | null | undefined): Credential {
  if (authorization === null || authorization === undefined || authorization === '') return { kind: 'none' };
  if (authorization.length > MAX_TOKEN_LENGTH + 7) throw new InvalidCredentialError('credential-too-long');
  const match = BEARER.exec(authorization.trim());
  if (!match?.[1]) throw new InvalidCredentialError('malformed-authorization-header');
  return { kind: 'bearer', token: match[1] };
}
