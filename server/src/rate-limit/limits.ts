// The rate limits of the API (ADR 0060, docs/rate-limits.md). Three limiters, fixed windows:
// - address: unauthenticated and failed-authentication traffic per client address (trusted proxies
//   applied; an IPv6 client counted by its /64, address-key.ts). A request without a credential costs 1
//   point, a refused credential authFailureCost.
//   An address over its budget is refused before its credential is even looked at: each instance
//   remembers, in memory, the addresses it has refused until their window ends, so that check costs no
//   round trip. The counters themselves are shared; another instance learns of a spent budget at its own
//   next charge for that address, and refuses from then on.
// - user / apiKey: GraphQL per signed-in user (session tokens) and per personal API key, weighted by
//   the operation's cost as graphql-armor computes it (operation-cost.ts), never less than
//   MIN_OPERATION_COST: every request costs its viewer at least that, whatever it asks or however it fails.
// Keys are hashed: the table never holds an address or an id.
import { createHash } from 'node:crypto';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from 'pino';
import type { Viewer } from '#src/auth/viewer.js';
import type { Metrics } from '#src/metrics.js';
import type { LimiterShape } from './pg-store.js';
import { addressKey } from './address-key.js';

export type LimiterName = 'address' | 'user' | 'api_key';

export interface RateLimitSettings {
  /** RATE_LIMIT_WINDOW_SECONDS: the length of every limiter's window. */
  windowSeconds: number;
  /** RATE_LIMIT_ADDRESS_POINTS: an address's budget for anonymous requests and refused credentials. */
  addressPoints: number;
  /** RATE_LIMIT_AUTH_FAILURE_COST: what one refused credential costs its address (an anonymous request costs 1). */
  authFailureCost: number;
  /** RATE_LIMIT_USER_POINTS: a signed-in user's GraphQL budget, in armor cost units. */
  userPoints: number;
  /** RATE_LIMIT_API_KEY_POINTS: a personal API key's GraphQL budget, in armor cost units. */
  apiKeyPoints: number;
}

/** A refused request: which limiter, and when to retry. */
export interface Refusal {
  limiter: LimiterName;
  retryAfterSeconds: number;
}

export interface RateLimits {
  /** Before authenticating: a refusal when this instance has refused `ip` in its current window. */
  addressBlocked(ip: string | null): Refusal | null;
  /** An anonymous request (cost 1) or a refused credential (authFailureCost) from `ip`. */
  chargeAddress(ip: string | null, kind: 'anonymous' | 'auth_failure'): Promise<Refusal | null>;
  /** A GraphQL request of `cost` by `viewer` (at least MIN_OPERATION_COST): its user's budget, or its API key's. */
  chargeViewer(viewer: Viewer, cost: number): Promise<Refusal | null>;
}

export type LimiterFactory = (shape: LimiterShape) => RateLimiterAbstract;

export interface RateLimitDeps {
  settings: RateLimitSettings;
  /** PostgreSQL in the app (pg-store.ts); tests of these rules may pass an in-memory one. */
  limiter: LimiterFactory;
  metrics: Pick<Metrics, 'rateLimitRefusals'>;
  log: Logger;
  /** The clock of the in-memory blocks (tests). */
  now?: () => number;
}

/** The stored key: a hash, so the table holds no address and no id. */
export function hashedKey(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

/**
 * What any request of a signed-in viewer costs at least: one that executes something trivial, or that
 * fails to parse or validate. It bounds how many requests a budget allows (RATE_LIMIT_USER_POINTS / 500
 * a window), whatever they ask; the web app's lightest operations are a few dozen points.
 */
export const MIN_OPERATION_COST = 500;

export function retryAfterSeconds(msBeforeNext: number): number {
  return Math.max(1, Math.ceil(msBeforeNext / 1000));
}

/** Enough for a flood from many addresses; beyond it the oldest entry goes first. */
export const MAX_REMEMBERED_BLOCKS = 10_000;

/** The addresses this instance refused, by hashed key, each until its window ends. */
function blockedAddresses(now: () => number) {
  const until = new Map<string, number>();
  return {
    remember(key: string, msBeforeNext: number) {
      until.delete(key);
      if (until.size >= MAX_REMEMBERED_BLOCKS) until.delete(until.keys().next().value!);
      until.set(key, now() + msBeforeNext);
    },
    msLeft(key: string): number {
      const end = until.get(key);
      if (end === undefined) return 0;
      const left = end - now();
      if (left <= 0) until.delete(key);
      return Math.max(0, left);
    },
  };
}

export function createRateLimits(deps: RateLimitDeps): RateLimits {
  const { settings, metrics, log } = deps;
  const durationSeconds = settings.windowSeconds;
  const blocked = blockedAddresses(deps.now ?? Date.now);
  const limiters: Record<LimiterName, RateLimiterAbstract> = {
    address: deps.limiter({ keyPrefix: 'address', points: settings.addressPoints, durationSeconds }),
    user: deps.limiter({ keyPrefix: 'user', points: settings.userPoints, durationSeconds }),
    api_key: deps.limiter({ keyPrefix: 'api_key', points: settings.apiKeyPoints, durationSeconds }),
  };

  function refused(limiter: LimiterName, msBeforeNext: number): Refusal {
    metrics.rateLimitRefusals.inc({ limiter });
    const refusal = { limiter, retryAfterSeconds: retryAfterSeconds(msBeforeNext) };
    log.warn({ event: 'rate_limit.refused', ...refusal }, 'rate limit reached');
    return refusal;
  }

  /**
   * The store failing (the database down, a timeout) lets the request through: limits protect the
   * service, and a request that needs the database fails on its own. Logged every time.
   */
  function storeFailed(limiter: LimiterName, error: unknown): null {
    log.error({ event: 'rate_limit.store_failed', limiter, err: error }, 'rate limit store failed');
    return null;
  }

  async function charge(limiter: LimiterName, key: string, points: number): Promise<Refusal | null> {
    const stored = hashedKey(key);
    try {
      await limiters[limiter].consume(stored, points);
      return null;
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) return storeFailed(limiter, error);
      if (limiter === 'address') blocked.remember(stored, error.msBeforeNext);
      return refused(limiter, error.msBeforeNext);
    }
  }

  return {
    addressBlocked(ip) {
      if (!ip) return null;
      const msLeft = blocked.msLeft(hashedKey(addressKey(ip)));
      return msLeft > 0 ? refused('address', msLeft) : null;
    },
    chargeAddress(ip, kind) {
      if (!ip) return Promise.resolve(null);
      return charge('address', addressKey(ip), kind === 'auth_failure' ? settings.authFailureCost : 1);
    },
    chargeViewer(viewer, cost) {
      const points = Math.max(MIN_OPERATION_COST, Math.ceil(cost));
      return viewer.credential.kind === 'apiKey'
        ? charge('api_key', viewer.credential.keyId, points)
        : charge('user', viewer.userId, points);
    },
  };
}
