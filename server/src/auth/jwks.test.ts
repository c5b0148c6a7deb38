import { describe, expect, it, vi } from 'vitest';
import { IdentityProviderUnavailableError, InvalidCredentialError } from './errors.js';
import { createJwksKeySource, type Jwk, type JwksKeySourceOptions } from './jwks.js';

const rsa = (kid: string): Jwk => ({ kid, kty: 'RSA', alg: 'RS256', use: 'sig', n: `n-${kid}`, e: 'AQAB' });

/** A key source over a JWKS the test edits, a clock it moves, and a count of fetches. */
function setup(options: Partial<JwksKeySourceOptions> = {}) {
  const state = { keys: [rsa('ins_a')] as Jwk[], down: false, time: 1_000_000 };
  const fetchKeys = vi.fn(async () => {
    if (state.down) throw new Error('connect ECONNREFUSED');
    return { keys: state.keys };
  });
  const source = createJwksKeySource({ fetchKeys, now: () => state.time, ...options });
  return { state, fetchKeys, source };
}

async function refusal(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

const reasonOf = async (promise: Promise<unknown>) => {
  const error = await refusal(promise);
  expect(error).toBeInstanceOf(InvalidCredentialError);
  return (error as InvalidCredentialError).reason;
};

const unavailableReasonOf = async (promise: Promise<unknown>) => {
  const error = await refusal(promise);
  expect(error).toBeInstanceOf(IdentityProviderUnavailableError);
  return (error as IdentityProviderUnavailableError).reason;
};

describe('createJwksKeySource', () => {
  it('fetches on first use and then answers known kids from what it holds', async () => {
    const { source, fetchKeys } = setup();
    expect(await source.keyFor('ins_a')).toEqual({ kid: 'ins_a', kty: 'RSA', alg: 'RS256', n: 'n-ins_a', e: 'AQAB' });
    await source.keyFor('ins_a');
    await source.keyFor('ins_a');
    expect(fetchKeys).toHaveBeenCalledTimes(1);
  });

  it('refetches for a new kid (key rotation) and finds it', async () => {
    const { source, fetchKeys, state } = setup();
    await source.keyFor('ins_a');
    state.keys = [rsa('ins_a'), rsa('ins_b')];
    expect((await source.keyFor('ins_b')).kid).toBe('ins_b');
    expect(fetchKeys).toHaveBeenCalledTimes(2);
  });

  it('refetches at most once per kid per cooldown', async () => {
    const { source, fetchKeys, state } = setup({ kidCooldownMs: 300_000 });
    await source.keyFor('ins_a');
    expect(await reasonOf(source.keyFor('ins_forged'))).toBe('jwk-kid-mismatch');
    expect(await reasonOf(source.keyFor('ins_forged'))).toBe('jwk-refetch-throttled');
    state.time += 299_999;
    expect(await reasonOf(source.keyFor('ins_forged'))).toBe('jwk-refetch-throttled');
    expect(fetchKeys).toHaveBeenCalledTimes(2);
    state.time += 1;
    expect(await reasonOf(source.keyFor('ins_forged'))).toBe('jwk-kid-mismatch');
    expect(fetchKeys).toHaveBeenCalledTimes(3);
  });

  it('refetches at most the global cap per window, whatever the kids', async () => {
    const { source, fetchKeys, state } = setup({ maxRefetchesPerWindow: 3, windowMs: 60_000 });
    const reasons = [];
    for (let i = 0; i < 20; i++) reasons.push(await reasonOf(source.keyFor(`ins_forged_${i}`)));
    expect(fetchKeys).toHaveBeenCalledTimes(3);
    expect(reasons.slice(0, 3)).toEqual(Array(3).fill('jwk-kid-mismatch'));
    expect(new Set(reasons.slice(3))).toEqual(new Set(['jwk-refetch-throttled']));
    // Known keys are not held back by the cap.
    expect((await source.keyFor('ins_a')).kid).toBe('ins_a');
    state.time += 60_000;
    await reasonOf(source.keyFor('ins_forged_new'));
    expect(fetchKeys).toHaveBeenCalledTimes(4);
  });

  it('learns a rotated key within one window even while forged kids spend the whole budget', async () => {
    // Every refetch replaces the whole key set, so a refetch a forged kid causes learns a rotation too.
    const { source, state } = setup({ maxRefetchesPerWindow: 3, windowMs: 60_000 });
    await source.keyFor('ins_a');
    let forged = 0;
    const attack = async () => {
      for (let i = 0; i < 5; i++) await reasonOf(source.keyFor(`ins_forged_${forged++}`));
    };
    await attack(); // the budget is spent
    state.keys = [rsa('ins_a'), rsa('ins_b')]; // Clerk rotates
    expect(await reasonOf(source.keyFor('ins_b'))).toBe('jwk-refetch-throttled');
    state.time += 60_000; // the window moves on, and the attacker takes the freed slots first
    await attack();
    expect((await source.keyFor('ins_b')).kid).toBe('ins_b');
  });

  it('lets concurrent callers share one fetch', async () => {
    const { source, fetchKeys } = setup();
    const results = await Promise.allSettled([
      source.keyFor('ins_a'),
      ...Array.from({ length: 50 }, (_, i) => source.keyFor(`ins_x${i}`)),
    ]);
    expect(fetchKeys).toHaveBeenCalledTimes(1);
    expect(results[0]?.status).toBe('fulfilled');
    expect(results.slice(1).every((r) => r.status === 'rejected')).toBe(true);
  });

  it('refuses a kid that is missing or no kid at all with no call', async () => {
    const { source, fetchKeys } = setup();
    for (const kid of [undefined, 42, '', 'x'.repeat(129), 'a b', '../../etc']) {
      expect(await reasonOf(source.keyFor(kid))).toBe('jwk-kid-mismatch');
    }
    expect(fetchKeys).not.toHaveBeenCalled();
  });

  it('keeps the keys it holds when the JWKS cannot be fetched; an unknown kid is then unavailable (503)', async () => {
    const onFetchError = vi.fn();
    const { source, state } = setup({ onFetchError });
    await source.keyFor('ins_a');
    state.down = true;
    // Its lookup failed: the key may exist (Clerk rotated while we could not ask), so not a refusal.
    expect(await unavailableReasonOf(source.keyFor('ins_new'))).toBe('jwks-refetch-failed');
    expect(onFetchError).toHaveBeenCalledTimes(1);
    expect((await source.keyFor('ins_a')).kid).toBe('ins_a');
  });

  it('answers callers that shared a failed fetch unavailable too', async () => {
    const { source, state, fetchKeys } = setup();
    await source.keyFor('ins_a');
    state.down = true;
    const results = await Promise.allSettled(['ins_x', 'ins_y', 'ins_z'].map((kid) => source.keyFor(kid)));
    expect(fetchKeys).toHaveBeenCalledTimes(2);
    for (const result of results) {
      expect(result.status === 'rejected' && result.reason).toBeInstanceOf(IdentityProviderUnavailableError);
    }
  });

  it('refuses an unknown kid (401) once a fetch succeeded without it, and when the budget is spent', async () => {
    const { source, state } = setup({ maxRefetchesPerWindow: 2 });
    await source.keyFor('ins_a');
    expect(await reasonOf(source.keyFor('ins_forged'))).toBe('jwk-kid-mismatch');
    state.down = true;
    expect(await reasonOf(source.keyFor('ins_other'))).toBe('jwk-refetch-throttled');
  });

  it('starts no cooldown for a kid whose refetch failed: a key first seen during an outage works once it ends', async () => {
    const { source, state, fetchKeys } = setup({ kidCooldownMs: 300_000 });
    await source.keyFor('ins_a');
    state.down = true;
    expect(await unavailableReasonOf(source.keyFor('ins_rotated'))).toBe('jwks-refetch-failed');
    state.down = false;
    state.keys = [rsa('ins_rotated')];
    expect((await source.keyFor('ins_rotated')).kid).toBe('ins_rotated');
    expect(fetchKeys).toHaveBeenCalledTimes(3);
  });

  it('bounds the refetches of a kid that keeps failing by the window budget', async () => {
    const { source, state, fetchKeys } = setup({ kidCooldownMs: 300_000, maxRefetchesPerWindow: 3 });
    await source.keyFor('ins_a');
    state.down = true;
    for (let i = 0; i < 10; i++) await source.keyFor('ins_rotated').catch(() => undefined);
    expect(fetchKeys).toHaveBeenCalledTimes(3);
  });

  it('with no key at all and the JWKS unreachable, is unavailable (503), not a refusal', async () => {
    const { source, state, fetchKeys } = setup({ maxRefetchesPerWindow: 2 });
    state.down = true;
    for (let i = 0; i < 5; i++) {
      expect(await refusal(source.keyFor('ins_a'))).toBeInstanceOf(IdentityProviderUnavailableError);
    }
    // No per-kid cooldown while nothing is held, only the cap: two calls, then none.
    expect(fetchKeys).toHaveBeenCalledTimes(2);
    state.down = false;
    state.time += 60_000;
    expect((await source.keyFor('ins_a')).kid).toBe('ins_a');
  });

  it('treats a JWKS without a usable RS256 signing key as a failed fetch', async () => {
    const { source, state } = setup();
    state.keys = [
      { kid: 'ins_ec', kty: 'EC', crv: 'P-256' } as Jwk,
      { ...rsa('ins_enc'), use: 'enc' },
      { ...rsa('ins_hs'), alg: 'HS256' },
      { kty: 'RSA', n: 'n', e: 'AQAB' },
    ];
    expect(await refusal(source.keyFor('ins_enc'))).toBeInstanceOf(IdentityProviderUnavailableError);
  });

  it('drops keys the JWKS no longer lists, refreshing stale keys behind the request', async () => {
    const { source, state, fetchKeys } = setup({ maxAgeMs: 3_600_000 });
    await source.keyFor('ins_a');
    state.keys = [rsa('ins_b')];
    state.time += 3_600_001;
    // Answered from what is held; the refresh runs behind it.
    expect((await source.keyFor('ins_a')).kid).toBe('ins_a');
    await vi.waitFor(() => expect(fetchKeys).toHaveBeenCalledTimes(2));
    await new Promise((resolve) => setImmediate(resolve));
    expect((await source.keyFor('ins_b')).kid).toBe('ins_b');
    expect(await reasonOf(source.keyFor('ins_a'))).toMatch(/^jwk-/);
  });

  it('keeps stale keys working when the refresh fails', async () => {
    const { source, state, fetchKeys } = setup({ maxAgeMs: 1000 });
    await source.keyFor('ins_a');
    state.down = true;
    state.time += 1001;
    expect((await source.keyFor('ins_a')).kid).toBe('ins_a');
    await vi.waitFor(() => expect(fetchKeys).toHaveBeenCalledTimes(2));
    await new Promise((resolve) => setImmediate(resolve));
    expect((await source.keyFor('ins_a')).kid).toBe('ins_a');
  });
});
