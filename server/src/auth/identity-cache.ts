// The users row behind a Clerk id and the API key behind a prefix, kept in memory between requests so that
// an authenticated request does not look its caller up in the database first (ADR 0071). Default deny:
// entries are kept only while this instance hears every change that could make them wrong. PostgreSQL
// announces those changes (role, activation, deletion of a user; revocation, expiry, scopes or deletion of a
// key) with NOTIFY from triggers of migration 20261207004000_identity_notifications, to every instance at
// once (db/identity-listener.ts). While that channel is down the cache is empty and keeps nothing.
// What is not cached: a Clerk id or prefix with no row (provisioning and refusals stay live), collection
// shares (RLS reads them in every query), and session liveness (session-liveness.ts).
import { LRUCache } from 'lru-cache';
import type { UserAccess } from '#src/users/provision.js';
import type { ApiKeyRecord } from './api-key.js';

/** One NOTIFY payload: what changed. `all`: a TRUNCATE, or anything else that names no row. */
export type IdentityChange =
  { kind: 'user'; clerkId: string; userId: string } | { kind: 'api_key'; prefix: string } | { kind: 'all' };

export type CacheName = 'user' | 'api_key';
export type LookupOutcome = 'hit' | 'miss' | 'bypass';

export interface IdentityCacheOptions {
  /** Entries per kind (least recently used go first); 0 turns the cache off. */
  maxEntries: number;
  /**
   * The longest an entry is trusted even when no change is heard: a bound on the damage of a change made
   * behind the triggers' back (session_replication_role = replica, say).
   */
  maxAgeMs: number;
  onLookup?: (cache: CacheName, outcome: LookupOutcome) => void;
  /** A monotonic clock in milliseconds for maxAgeMs (tests move it); default performance.now. */
  now?: () => number;
}

export interface IdentityCache {
  user(clerkId: string, load: () => Promise<UserAccess | null>): Promise<UserAccess | null>;
  apiKey(prefix: string, load: () => Promise<ApiKeyRecord | null>): Promise<ApiKeyRecord | null>;
  /** A change announced by the database. */
  invalidate(change: IdentityChange): void;
  /** Whether changes are being heard: false empties the cache and keeps it empty until true again. */
  setListening(listening: boolean): void;
  readonly listening: boolean;
}

export function createIdentityCache(options: IdentityCacheOptions): IdentityCache {
  const enabled = options.maxEntries > 0;
  const cacheOptions = {
    max: Math.max(1, options.maxEntries),
    ttl: options.maxAgeMs,
    // The clock read at every lookup, not a copy kept for a millisecond.
    ttlResolution: 0,
    ...(options.now ? { perf: { now: options.now } } : {}),
  };
  const users = new LRUCache<string, UserAccess>(cacheOptions);
  const apiKeys = new LRUCache<string, ApiKeyRecord>(cacheOptions);
  let listening = false;
  // Bumped by every change heard. A row read before a change and stored after it would outlive the change
  // (its NOTIFY already handled): a lookup stores what it read only if no change was heard meanwhile.
  let generation = 0;

  function clear(): void {
    generation++;
    users.clear();
    apiKeys.clear();
  }

  async function lookup<T extends object>(
    name: CacheName,
    entries: LRUCache<string, T>,
    key: string,
    load: () => Promise<T | null>,
  ): Promise<T | null> {
    if (!enabled || !listening) {
      options.onLookup?.(name, 'bypass');
      return load();
    }
    const known = entries.get(key);
    if (known) {
      options.onLookup?.(name, 'hit');
      return known;
    }
    options.onLookup?.(name, 'miss');
    const startedAt = generation;
    const value = await load();
    if (value && listening && generation === startedAt) entries.set(key, value);
    return value;
  }

  return {
    user: (clerkId, load) => lookup('user', users, clerkId, load),
    apiKey: (prefix, load) => lookup('api_key', apiKeys, prefix, load),
    invalidate(change) {
      generation++;
      if (change.kind === 'all') return clear();
      if (change.kind === 'api_key') {
        apiKeys.delete(change.prefix);
        return;
      }
      users.delete(change.clerkId);
      // A key acts for its owner, whose status it carries: the owner's change reaches their keys.
      const ownersKeys = [...apiKeys.entries()].filter(([, record]) => record.owner.id === change.userId);
      for (const [prefix] of ownersKeys) apiKeys.delete(prefix);
    },
    setListening(value) {
      listening = value;
      clear();
    },
    get listening() {
      return listening;
    },
  };
}

/** A NOTIFY payload as the triggers write it; anything else is treated as `all` (safe: it only empties). */
export function parseIdentityChange(payload: string | undefined): IdentityChange {
  try {
    const value = JSON.parse(payload ?? '') as Record<string, unknown>;
    if (value.kind === 'user' && typeof value.clerkId === 'string' && typeof value.userId === 'string') {
      return { kind: 'user', clerkId: value.clerkId, userId: value.userId };
    }
    if (value.kind === 'api_key' && typeof value.prefix === 'string') return { kind: 'api_key', prefix: value.prefix };
  } catch {
    // Falls through to `all`.
  }
  return { kind: 'all' };
}
