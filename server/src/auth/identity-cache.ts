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

/** One lookup that went to the database; marked stale by a change heard before it finished. */
interface Flight {
  stale: boolean;
}
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
  // The lookups in flight, by cache and key. A row read before a change and stored after it would outlive
  // the change (its NOTIFY already handled): a change marks the lookups it concerns, which then store nothing.
  const inFlight: Record<CacheName, Map<string, Set<Flight>>> = { user: new Map(), api_key: new Map() };

  function markStale(name: CacheName, key?: string): void {
    const flights = key === undefined ? [...inFlight[name].values()] : [inFlight[name].get(key) ?? new Set()];
    for (const set of flights) for (const flight of set) flight.stale = true;
  }

  function clear(): void {
    markStale('user');
    markStale('api_key');
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
    const flight: Flight = { stale: false };
    const flights = inFlight[name].get(key) ?? new Set<Flight>();
    inFlight[name].set(key, flights.add(flight));
    try {
      const value = await load();
      if (value && listening && !flight.stale) entries.set(key, value);
      return value;
    } finally {
      flights.delete(flight);
      if (flights.size === 0) inFlight[name].delete(key);
    }
  }

  return {
    user: (clerkId, load) => lookup('user', users, clerkId, load),
    apiKey: (prefix, load) => lookup('api_key', apiKeys, prefix, load),
    invalidate(change) {
      if (change.kind === 'all') return clear();
      if (change.kind === 'api_key') {
        markStale('api_key', change.prefix);
        apiKeys.delete(change.prefix);
        return;
      }
      markStale('user', change.clerkId);
      // Whose key a lookup in flight will find is not known yet: all of them store nothing (a rare event).
      markStale('api_key');
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

/** What arrives on the channel: a change, or a listener's own probe (db/identity-listener.ts), which changes nothing. */
export type IdentityNotice = IdentityChange | { kind: 'probe'; id: string };

/** A NOTIFY payload as the triggers write it; anything else is treated as `all` (safe: it only empties). */
export function parseIdentityChange(payload: string | undefined): IdentityNotice {
  try {
    const value = JSON.parse(payload ?? '') as Record<string, unknown>;
    if (value.kind === 'probe' && typeof value.id === 'string') return { kind: 'probe', id: value.id };
    if (value.kind === 'user' && typeof value.clerkId === 'string' && typeof value.userId === 'string') {
      return { kind: 'user', clerkId: value.clerkId, userId: value.userId };
    }
    if (value.kind === 'api_key' && typeof value.prefix === 'string') return { kind: 'api_key', prefix: value.prefix };
  } catch {
    // Falls through to `all`.
  }
  return { kind: 'all' };
}
