// Verified session tokens, remembered until they expire. Verifying an RS256 signature is the costliest step
// of an authenticated request (and @clerk/backend imports the key again for each call); a session sends
// the same token with every request until it is refreshed, so one verification serves them all.
// Nothing about a verified token can change before its `exp`: its claims are signed. What can change
// (the account's role or status, the session's liveness) is checked per request elsewhere, never
// cached here. Refusals are not remembered: a bad token costs a verification every time.
import { LRUCache } from 'lru-cache';
import type { VerifySessionToken } from './session-token.js';
import type { SessionClaims } from './viewer.js';

export interface VerifiedTokenCacheOptions {
  /** How many tokens are kept (least recently used go first); 0 turns the cache off. */
  maxEntries: number;
  /** Told of every lookup: `hit` (no verification) or `miss` (verified now). */
  onLookup?: (outcome: 'hit' | 'miss') => void;
  /** Milliseconds since the epoch (tests move it). */
  now?: () => number;
}

export function cacheVerifiedTokens(
  verify: VerifySessionToken,
  options: VerifiedTokenCacheOptions,
): VerifySessionToken {
  if (options.maxEntries === 0) return verify;
  const now = options.now ?? Date.now;
  const verified = new LRUCache<string, SessionClaims>({ max: options.maxEntries });
  return async function verifySessionTokenOnce(token) {
    const known = verified.get(token);
    // The expiry is checked against the clock here, not left to the cache's own timer alone.
    if (known && known.expiresAt > now()) {
      options.onLookup?.('hit');
      return known;
    }
    options.onLookup?.('miss');
    const claims = await verify(token);
    const ttl = claims.expiresAt - now();
    if (ttl > 0) verified.set(token, claims, { ttl });
    return claims;
  };
}
