import { describe, expect, it, vi } from 'vitest';
import type { UserAccess } from '#src/users/provision.js';
import type { ApiKeyRecord } from './api-key.js';
import { createIdentityCache, parseIdentityChange, type IdentityCacheOptions } from './identity-cache.js';

const alice: UserAccess = { id: 'u-alice', clerkId: 'user_alice', role: 'USER', active: true, deletedAt: null };
const bob: UserAccess = { id: 'u-bob', clerkId: 'user_bob', role: 'USER', active: true, deletedAt: null };

function keyOf(owner: UserAccess, prefix: string): ApiKeyRecord {
  return {
    keyId: `k-${prefix}`,
    prefix,
    hash: 'f'.repeat(64),
    scopes: ['READ'],
    expiresAt: null,
    revokedAt: null,
    owner: { ...owner },
  };
}

function listeningCache(options: Partial<IdentityCacheOptions> = {}) {
  const cache = createIdentityCache({ maxEntries: 100, maxAgeMs: 60_000, ...options });
  cache.setListening(true);
  return cache;
}

describe('the identity cache', () => {
  it('loads a user once while listening, then answers from memory', async () => {
    const cache = listeningCache();
    const load = vi.fn(async () => alice);
    expect(await cache.user('user_alice', load)).toEqual(alice);
    expect(await cache.user('user_alice', load)).toEqual(alice);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('keeps nothing while not listening (default deny): every lookup loads', async () => {
    const outcomes: string[] = [];
    const cache = createIdentityCache({
      maxEntries: 100,
      maxAgeMs: 60_000,
      onLookup: (name, outcome) => outcomes.push(`${name}:${outcome}`),
    });
    const load = vi.fn(async () => alice);
    await cache.user('user_alice', load);
    await cache.user('user_alice', load);
    expect(load).toHaveBeenCalledTimes(2);
    expect(outcomes).toEqual(['user:bypass', 'user:bypass']);
  });

  it('empties when listening stops, and stays empty until it resumes', async () => {
    const cache = listeningCache();
    const load = vi.fn(async () => alice);
    await cache.user('user_alice', load);
    cache.setListening(false);
    await cache.user('user_alice', load);
    await cache.user('user_alice', load);
    cache.setListening(true);
    await cache.user('user_alice', load);
    await cache.user('user_alice', load);
    expect(load).toHaveBeenCalledTimes(4);
  });

  it('never caches a missing row (a first request provisions it; an unknown key stays unknown)', async () => {
    const cache = listeningCache();
    const load = vi.fn(async () => null);
    await cache.user('user_new', load);
    await cache.user('user_new', load);
    await cache.apiKey('dbk_aaaaaaaa', load);
    await cache.apiKey('dbk_aaaaaaaa', load);
    expect(load).toHaveBeenCalledTimes(4);
  });

  it("drops a user on their change, and their API keys with them, and nobody else's", async () => {
    const cache = listeningCache();
    const loads = { alice: vi.fn(async () => alice), bob: vi.fn(async () => bob) };
    const keyLoads = {
      a: vi.fn(async () => keyOf(alice, 'dbk_alicekey')),
      b: vi.fn(async () => keyOf(bob, 'dbk_bobkeyyy')),
    };
    const lookAll = async () => {
      await cache.user('user_alice', loads.alice);
      await cache.user('user_bob', loads.bob);
      await cache.apiKey('dbk_alicekey', keyLoads.a);
      await cache.apiKey('dbk_bobkeyyy', keyLoads.b);
    };
    await lookAll();
    cache.invalidate({ kind: 'user', clerkId: 'user_alice', userId: 'u-alice' });
    await lookAll();
    expect([loads.alice, keyLoads.a].map((f) => f.mock.calls.length)).toEqual([2, 2]);
    expect([loads.bob, keyLoads.b].map((f) => f.mock.calls.length)).toEqual([1, 1]);
  });

  it('drops one API key on its change', async () => {
    const cache = listeningCache();
    const load = vi.fn(async () => keyOf(alice, 'dbk_alicekey'));
    const other = vi.fn(async () => keyOf(alice, 'dbk_alicekez'));
    await cache.apiKey('dbk_alicekey', load);
    await cache.apiKey('dbk_alicekez', other);
    cache.invalidate({ kind: 'api_key', prefix: 'dbk_alicekey' });
    await cache.apiKey('dbk_alicekey', load);
    await cache.apiKey('dbk_alicekez', other);
    expect(load).toHaveBeenCalledTimes(2);
    expect(other).toHaveBeenCalledTimes(1);
  });

  it('drops everything on an `all` change', async () => {
    const cache = listeningCache();
    const load = vi.fn(async () => alice);
    await cache.user('user_alice', load);
    cache.invalidate({ kind: 'all' });
    await cache.user('user_alice', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('does not store a row read before a change that was heard while it was being read', async () => {
    const cache = listeningCache();
    let release!: (user: UserAccess) => void;
    const slow = () => new Promise<UserAccess>((resolve) => (release = resolve));
    const pending = cache.user('user_alice', slow);
    // The role changes and is announced while the old row is on its way.
    cache.invalidate({ kind: 'user', clerkId: 'user_alice', userId: 'u-alice' });
    release(alice);
    expect(await pending).toEqual(alice);
    const fresh = vi.fn(async () => ({ ...alice, role: 'ADMIN' as const }));
    expect((await cache.user('user_alice', fresh))?.role).toBe('ADMIN');
    expect(fresh).toHaveBeenCalledTimes(1);
  });

  it("stores a row read while someone else's change was heard", async () => {
    const cache = listeningCache();
    let release!: (user: UserAccess) => void;
    const pending = cache.user('user_alice', () => new Promise<UserAccess>((resolve) => (release = resolve)));
    cache.invalidate({ kind: 'user', clerkId: 'user_bob', userId: 'u-bob' });
    cache.invalidate({ kind: 'api_key', prefix: 'dbk_bobkeyyy' });
    release(alice);
    await pending;
    const again = vi.fn(async () => alice);
    await cache.user('user_alice', again);
    expect(again).not.toHaveBeenCalled();
  });

  it('does not store a key read while any user changed (whose key it is was not known yet)', async () => {
    const cache = listeningCache();
    let release!: (record: ApiKeyRecord) => void;
    const pending = cache.apiKey('dbk_alicekey', () => new Promise<ApiKeyRecord>((resolve) => (release = resolve)));
    cache.invalidate({ kind: 'user', clerkId: 'user_alice', userId: 'u-alice' });
    release(keyOf(alice, 'dbk_alicekey'));
    await pending;
    const again = vi.fn(async () => keyOf({ ...alice, active: false }, 'dbk_alicekey'));
    expect((await cache.apiKey('dbk_alicekey', again))?.owner.active).toBe(false);
  });

  it('trusts an entry no longer than maxAgeMs, changes heard or not', async () => {
    let now = 1_000;
    const cache = listeningCache({ maxAgeMs: 1_000, now: () => now });
    const load = vi.fn(async () => alice);
    await cache.user('user_alice', load);
    now += 999;
    await cache.user('user_alice', load);
    now += 2;
    await cache.user('user_alice', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('is off with maxEntries 0, even while listening', async () => {
    const cache = listeningCache({ maxEntries: 0 });
    const load = vi.fn(async () => alice);
    await cache.user('user_alice', load);
    await cache.user('user_alice', load);
    expect(load).toHaveBeenCalledTimes(2);
  });
});

describe('parseIdentityChange', () => {
  it('reads the payloads the triggers write', () => {
    expect(parseIdentityChange('{"kind":"user","clerkId":"user_a","userId":"u-1"}')).toEqual({
      kind: 'user',
      clerkId: 'user_a',
      userId: 'u-1',
    });
    expect(parseIdentityChange('{"kind":"api_key","prefix":"dbk_abcdefgh"}')).toEqual({
      kind: 'api_key',
      prefix: 'dbk_abcdefgh',
    });
    expect(parseIdentityChange('{"kind":"all"}')).toEqual({ kind: 'all' });
    expect(parseIdentityChange('{"kind":"probe","id":"p-1"}')).toEqual({ kind: 'probe', id: 'p-1' });
  });

  it('treats anything else as a change of everything (it can only empty the cache)', () => {
    for (const payload of [
      undefined,
      '',
      'not json',
      '{"kind":"user"}',
      '{"kind":"api_key","prefix":1}',
      '{"kind":"probe"}',
      '[]',
    ]) {
      expect(parseIdentityChange(payload)).toEqual({ kind: 'all' });
    }
  });
});
