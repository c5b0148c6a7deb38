// Clerk's signing keys in JWKS mode (only CLERK_SECRET_KEY set), with every refetch bounded. @clerk/backend's
// own verifyToken refetches the JWKS on any unknown `kid`: one outbound call per forged token, burning the
// instance's Backend API rate limit that profile sync and sign-out also need. Here an unknown kid causes a
// refetch at most once per kid per cooldown and at most `maxRefetchesPerWindow` times per window across all
// kids; beyond that it is refused at once, with no call. Keys already held keep working while Clerk cannot
// be reached; a kid we could not look up (no key at all, or its refetch failed) cannot be checked, and the
// answer is "unavailable" (503), not "invalid" (401): the token may be good, and its holder did nothing wrong.
// See docs/decisions/0062-session-tokens-and-bounded-jwks.md.
import type { JsonWebKey } from 'node:crypto';
import { IdentityProviderUnavailableError, InvalidCredentialError } from './errors.js';

/** One key as Clerk's /v1/jwks lists it. */
export interface Jwk {
  kid?: unknown;
  kty?: unknown;
  alg?: unknown;
  use?: unknown;
  n?: unknown;
  e?: unknown;
}

export interface JwksKeySourceOptions {
  /** Fetches the JWKS once (one outbound call); rejects when it cannot. */
  fetchKeys: () => Promise<{ keys?: Jwk[] | undefined }>;
  /** After a refetch for a kid, that kid causes no other refetch for this long (default 5 minutes). */
  kidCooldownMs?: number;
  /** At most this many refetches per `windowMs`, whatever the kids (default 10). */
  maxRefetchesPerWindow?: number;
  /** Default one minute. */
  windowMs?: number;
  /** Keys older than this are refreshed in the background on use, within the same budget (default 1 hour). */
  maxAgeMs?: number;
  /** Told about every fetch that failed (never with a token). */
  onFetchError?: (error: unknown) => void;
  now?: () => number;
}

export interface JwksKeySource {
  /** The public key for `kid` as a JWK, or a refusal: InvalidCredentialError (401) or IdentityProviderUnavailableError (503). */
  keyFor(kid: unknown): Promise<JsonWebKey>;
}

export const DEFAULT_KID_COOLDOWN_MS = 5 * 60_000;
export const DEFAULT_MAX_REFETCHES_PER_WINDOW = 10;
export const DEFAULT_REFETCH_WINDOW_MS = 60_000;
export const DEFAULT_KEYS_MAX_AGE_MS = 60 * 60_000;

/** Clerk's kids look like ins_2abc…; anything else never names a key of ours and is not worth a call. */
const KID = /^[A-Za-z0-9_.:-]{1,128}$/;

/** Only RSA signature keys for RS256, the only algorithm Clerk signs session tokens with (and verifyJwt accepts). */
function usableKeys(keys: Jwk[] | undefined): Map<string, JsonWebKey> {
  const usable = new Map<string, JsonWebKey>();
  for (const key of keys ?? []) {
    if (typeof key.kid !== 'string' || !KID.test(key.kid)) continue;
    if (key.kty !== 'RSA' || typeof key.n !== 'string' || typeof key.e !== 'string') continue;
    if (key.use !== undefined && key.use !== 'sig') continue;
    if (key.alg !== undefined && key.alg !== 'RS256') continue;
    usable.set(key.kid, { kid: key.kid, kty: 'RSA', alg: 'RS256', n: key.n, e: key.e });
  }
  return usable;
}

export function createJwksKeySource(options: JwksKeySourceOptions): JwksKeySource {
  const now = options.now ?? Date.now;
  const kidCooldownMs = options.kidCooldownMs ?? DEFAULT_KID_COOLDOWN_MS;
  const maxRefetches = options.maxRefetchesPerWindow ?? DEFAULT_MAX_REFETCHES_PER_WINDOW;
  const windowMs = options.windowMs ?? DEFAULT_REFETCH_WINDOW_MS;
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_KEYS_MAX_AGE_MS;

  let keys = new Map<string, JsonWebKey>();
  let fetchedAt: number | undefined;
  /** When each recent refetch started: the global budget. */
  let refetches: number[] = [];
  /** Kids that caused a refetch, and when. Holds at most the kids of one cooldown's refetches (budget-bounded). */
  const kidAttempts = new Map<string, number>();
  /** The fetch under way: concurrent callers share it rather than start their own. */
  let inFlight: Promise<boolean> | undefined;

  function budgetLeft(at: number): boolean {
    refetches = refetches.filter((started) => at - started < windowMs);
    return refetches.length < maxRefetches;
  }

  /** One fetch; true when it replaced the key set. Never rejects. */
  function refetch(at: number): Promise<boolean> {
    if (inFlight) return inFlight;
    refetches.push(at);
    inFlight = options
      .fetchKeys()
      .then((jwks) => {
        const fresh = usableKeys(jwks.keys);
        // An empty or unusable answer is a failure: the keys we hold stay.
        if (fresh.size === 0) throw new Error('The JWKS lists no usable RS256 signing key');
        keys = fresh;
        fetchedAt = now();
        return true;
      })
      .catch((error: unknown) => {
        options.onFetchError?.(error);
        return false;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  function noKeyAtAll(): never {
    throw new IdentityProviderUnavailableError('jwks-unavailable');
  }

  /** Clerk may have rotated to this kid while we could not ask: unknown, not wrong. */
  function lookupFailed(): never {
    throw new IdentityProviderUnavailableError('jwks-refetch-failed');
  }

  return {
    async keyFor(kid) {
      if (typeof kid !== 'string' || !KID.test(kid)) throw new InvalidCredentialError('jwk-kid-mismatch');
      const at = now();
      const known = keys.get(kid);
      if (known) {
        // Stale keys are refreshed behind the request (a revoked key stops working), within the budget.
        if (fetchedAt !== undefined && at - fetchedAt > maxAgeMs && !inFlight && budgetLeft(at)) void refetch(at);
        return known;
      }
      // A fetch already under way (the first one, or another kid's) answers this kid too, at no cost.
      if (inFlight) {
        const fetched = await inFlight;
        const found = keys.get(kid);
        if (found) return found;
        if (keys.size === 0) noKeyAtAll();
        if (!fetched) lookupFailed();
        throw new InvalidCredentialError('jwk-kid-mismatch');
      }
      // With no key at all nothing can be verified: only the global budget holds back the fetch.
      if (keys.size > 0) {
        for (const [seen, attemptAt] of kidAttempts) if (at - attemptAt >= kidCooldownMs) kidAttempts.delete(seen);
        if (kidAttempts.has(kid)) throw new InvalidCredentialError('jwk-refetch-throttled');
      }
      if (!budgetLeft(at)) {
        if (keys.size === 0) noKeyAtAll();
        throw new InvalidCredentialError('jwk-refetch-throttled');
      }
      kidAttempts.set(kid, at);
      // A fetch that failed told nothing about this kid (Clerk may have rotated while we could not ask): it
      // starts no cooldown, or a new key first seen during an outage would stay refused for the cooldown
      // after Clerk is back. The window's budget still bounds the calls.
      const fetched = await refetch(at);
      if (!fetched) kidAttempts.delete(kid);
      const found = keys.get(kid);
      if (found) return found;
      if (keys.size === 0) noKeyAtAll();
      if (!fetched) lookupFailed();
      throw new InvalidCredentialError('jwk-kid-mismatch');
    },
  };
}
