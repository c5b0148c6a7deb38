import { RateLimiterMemory } from 'rate-limiter-flexible';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Viewer } from '#src/auth/viewer.js';
import { createMetrics } from '#src/metrics.js';
import {
  createRateLimits,
  hashedKey,
  MAX_REMEMBERED_BLOCKS,
  MIN_OPERATION_COST,
  retryAfterSeconds,
  type RateLimitSettings,
} from './limits.js';

const SETTINGS: RateLimitSettings = {
  windowSeconds: 60,
  addressPoints: 20,
  authFailureCost: 10,
  userPoints: 3 * MIN_OPERATION_COST,
  apiKeyPoints: 2 * MIN_OPERATION_COST,
};

function limits(settings = SETTINGS, now?: () => number) {
  const metrics = createMetrics();
  const rateLimits = createRateLimits({
    settings,
    ...(now ? { now } : {}),
    // The in-memory store: tests of these rules only; the app always uses PostgreSQL.
    limiter: ({ keyPrefix, points, durationSeconds }) =>
      new RateLimiterMemory({ keyPrefix, points, duration: durationSeconds }),
    metrics,
    log: pino({ level: 'silent' }),
  });
  return { rateLimits, metrics };
}

const session = (userId: string): Viewer => ({
  userId,
  clerkId: `user_${userId}`,
  role: 'USER',
  sessionId: 'sess_1',
  credential: { kind: 'session', sessionId: 'sess_1' },
});
const apiKey = (userId: string, keyId: string): Viewer => ({
  ...session(userId),
  sessionId: undefined,
  credential: { kind: 'apiKey', keyId, prefix: 'dbk_x', scopes: ['READ'] },
});

describe('rate limits', () => {
  it('a refused credential costs authFailureCost, an anonymous request 1; over budget the address is blocked', async () => {
    const { rateLimits, metrics } = limits();
    expect(await rateLimits.chargeAddress('192.0.2.1', 'auth_failure')).toBeNull();
    expect(await rateLimits.chargeAddress('192.0.2.1', 'auth_failure')).toBeNull();
    expect(rateLimits.addressBlocked('192.0.2.1')).toBeNull();
    expect(await rateLimits.chargeAddress('192.0.2.1', 'anonymous')).toMatchObject({ limiter: 'address' });
    expect(rateLimits.addressBlocked('192.0.2.1')).toMatchObject({ limiter: 'address' });
    // Another address is untouched.
    expect(rateLimits.addressBlocked('192.0.2.2')).toBeNull();
    expect((await metrics.rateLimitRefusals.get()).values).toEqual([
      expect.objectContaining({ labels: { limiter: 'address' }, value: 2 }),
    ]);
  });

  it('an address refused stays blocked, without a store read, until its window ends', async () => {
    let clock = 1_000_000;
    const { rateLimits } = limits({ ...SETTINGS, addressPoints: 10 }, () => clock);
    expect(await rateLimits.chargeAddress('192.0.2.1', 'auth_failure')).toBeNull();
    const refusal = await rateLimits.chargeAddress('192.0.2.1', 'auth_failure');
    expect(refusal).toMatchObject({ limiter: 'address' });
    expect(rateLimits.addressBlocked('192.0.2.1')).toMatchObject({ limiter: 'address' });
    clock += refusal!.retryAfterSeconds * 1000;
    expect(rateLimits.addressBlocked('192.0.2.1')).toBeNull();
  });

  it('remembers a bounded number of blocked addresses, forgetting the oldest first', async () => {
    const { rateLimits } = limits({ ...SETTINGS, addressPoints: 1 });
    for (let i = 0; i <= MAX_REMEMBERED_BLOCKS; i++) {
      const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      expect(await rateLimits.chargeAddress(ip, 'auth_failure')).toMatchObject({ limiter: 'address' });
    }
    expect(rateLimits.addressBlocked('10.0.0.0')).toBeNull();
    expect(rateLimits.addressBlocked('10.0.0.1')).toMatchObject({ limiter: 'address' });
    expect(
      rateLimits.addressBlocked(`10.0.${(MAX_REMEMBERED_BLOCKS >> 8) & 255}.${MAX_REMEMBERED_BLOCKS & 255}`),
    ).toMatchObject({ limiter: 'address' });
  });

  it('an IPv6 client is counted by its /64: a fresh address in it gets no fresh budget', async () => {
    const { rateLimits } = limits();
    expect(await rateLimits.chargeAddress('2001:db8:1:2::1', 'auth_failure')).toBeNull();
    expect(await rateLimits.chargeAddress('2001:db8:1:2:aaaa::2', 'auth_failure')).toBeNull();
    expect(await rateLimits.chargeAddress('2001:db8:1:2:bbbb::3', 'anonymous')).toMatchObject({ limiter: 'address' });
    expect(rateLimits.addressBlocked('2001:db8:1:2:ffff:ffff:ffff:ffff')).toMatchObject({ limiter: 'address' });
    // Another /64 is another client.
    expect(rateLimits.addressBlocked('2001:db8:1:3::1')).toBeNull();
    expect(await rateLimits.chargeAddress('2001:db8:1:3::1', 'auth_failure')).toBeNull();
  });

  it('an IPv4-mapped address is the IPv4 address', async () => {
    const { rateLimits } = limits();
    expect(await rateLimits.chargeAddress('192.0.2.1', 'auth_failure')).toBeNull();
    expect(await rateLimits.chargeAddress('::ffff:192.0.2.1', 'auth_failure')).toBeNull();
    expect(await rateLimits.chargeAddress('192.0.2.1', 'anonymous')).toMatchObject({ limiter: 'address' });
    expect(rateLimits.addressBlocked('::ffff:192.0.2.1')).toMatchObject({ limiter: 'address' });
  });

  it('a request with no known address is not limited by address', async () => {
    const { rateLimits } = limits({ ...SETTINGS, addressPoints: 1 });
    for (let i = 0; i < 3; i++) expect(await rateLimits.chargeAddress(null, 'auth_failure')).toBeNull();
    expect(rateLimits.addressBlocked(null)).toBeNull();
  });

  it('charges the cost to the user for a session and to the key for an API key, separately', async () => {
    const { rateLimits } = limits();
    expect(await rateLimits.chargeViewer(session('u1'), SETTINGS.userPoints)).toBeNull();
    expect(await rateLimits.chargeViewer(session('u1'), 1)).toMatchObject({ limiter: 'user' });
    expect(await rateLimits.chargeViewer(session('u2'), 1)).toBeNull();
    expect(await rateLimits.chargeViewer(apiKey('u1', 'k1'), SETTINGS.apiKeyPoints)).toBeNull();
    expect(await rateLimits.chargeViewer(apiKey('u1', 'k1'), 1)).toMatchObject({ limiter: 'api_key' });
    expect(await rateLimits.chargeViewer(apiKey('u1', 'k2'), 1)).toBeNull();
  });

  it('every request costs its viewer at least MIN_OPERATION_COST, a request that executed nothing too', async () => {
    const { rateLimits } = limits();
    // userPoints is three minimums: three trivial requests fit, the fourth does not.
    expect(await rateLimits.chargeViewer(session('u1'), 1)).toBeNull();
    expect(await rateLimits.chargeViewer(session('u1'), 0)).toBeNull();
    expect(await rateLimits.chargeViewer(session('u1'), MIN_OPERATION_COST - 1)).toBeNull();
    expect(await rateLimits.chargeViewer(session('u1'), 0)).toMatchObject({ limiter: 'user' });
  });

  it('a store failure lets the request through', async () => {
    const metrics = createMetrics();
    const failing = new RateLimiterMemory({ points: 1, duration: 1 });
    failing.consume = () => Promise.reject(new Error('database down'));
    failing.get = () => Promise.reject(new Error('database down'));
    const rateLimits = createRateLimits({
      settings: SETTINGS,
      limiter: () => failing,
      metrics,
      log: pino({ level: 'silent' }),
    });
    expect(rateLimits.addressBlocked('192.0.2.1')).toBeNull();
    expect(await rateLimits.chargeAddress('192.0.2.1', 'auth_failure')).toBeNull();
    expect(await rateLimits.chargeViewer(session('u1'), 5)).toBeNull();
  });

  it('Retry-After is whole seconds, at least 1', () => {
    expect(retryAfterSeconds(0)).toBe(1);
    expect(retryAfterSeconds(1001)).toBe(2);
    expect(retryAfterSeconds(60_000)).toBe(60);
  });

  it('keys are hashed', () => {
    expect(hashedKey('192.0.2.1')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hashedKey('192.0.2.1')).not.toContain('192');
  });
});
