// The identity listener (db/identity-listener.ts) turns the identity cache on only once it has heard its own
// probe, sent the way requests go, and keeps it on only while its probes come back. A listener that cannot
// hear, because a transaction-mode pooler stands between it and PostgreSQL (LISTEN lands on a server
// connection that goes back to the pool) or because nothing it is told reaches it, leaves the cache off.
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createIdentityCache, type IdentityCache } from '#src/auth/identity-cache.js';
import { IDENTITY_CHANNEL, startIdentityListener, type IdentityListener } from '#src/db/identity-listener.js';
import { startPgBouncer, type PgBouncer } from '../support/pgbouncer.js';

const log = pino({ level: 'silent' });
let notifier: pg.Client;
let bouncer: PgBouncer;
const listeners: IdentityListener[] = [];

const newCache = () => createIdentityCache({ maxEntries: 100, maxAgeMs: 60_000 });
const sendProbe = async (payload: string) => {
  await notifier.query('SELECT pg_notify($1, $2)', [IDENTITY_CHANNEL, payload]);
};

function listen(url: string, cache: IdentityCache, probe = sendProbe): IdentityListener {
  const listener = startIdentityListener({ url, cache, log, sendProbe: probe, heartbeatMs: 200, timeoutMs: 500 });
  listeners.push(listener);
  return listener;
}

async function until(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  const { url } = inject('database');
  notifier = new pg.Client({ connectionString: url });
  await notifier.connect();
  bouncer = await startPgBouncer(url, { poolSize: 2 });
});

afterAll(async () => {
  await Promise.all(listeners.map((listener) => listener.close()));
  await notifier?.end();
  await bouncer?.stop();
});

describe('the identity listener', () => {
  it('turns the cache on once its probe comes back, and passes the changes it hears to the cache', async () => {
    const cache = newCache();
    await listen(inject('database').url, cache).ready;
    expect(cache.listening).toBe(true);
    let loads = 0;
    const load = async () => {
      loads++;
      return { id: 'u-1', clerkId: 'user_listener_1', role: 'USER' as const, active: true, deletedAt: null };
    };
    await cache.user('user_listener_1', load);
    await cache.user('user_listener_1', load);
    expect(loads).toBe(1);
    await notifier.query('SELECT pg_notify($1, $2)', [
      IDENTITY_CHANNEL,
      JSON.stringify({ kind: 'user', clerkId: 'user_listener_1', userId: 'u-1' }),
    ]);
    await until(() => {
      void cache.user('user_listener_1', load);
      return loads === 2;
    });
  });

  it('leaves the cache off through a transaction-mode pooler, where LISTEN hears nothing', async () => {
    const cache = newCache();
    await listen(bouncer.url, cache).ready;
    expect(cache.listening).toBe(false);
    // Still off after retrying a few times.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(cache.listening).toBe(false);
  });

  it('leaves the cache off when its probes do not reach it, and turns it off when they stop', async () => {
    const deaf = newCache();
    // The probe goes out on another channel: as if the requests' database were not the listener's.
    await listen(inject('database').url, deaf, async (payload) => {
      await notifier.query('SELECT pg_notify($1, $2)', ['not_the_identity_channel', payload]);
    }).ready;
    expect(deaf.listening).toBe(false);

    let reaching = true;
    const flaky = newCache();
    await listen(inject('database').url, flaky, async (payload) => {
      if (reaching) await sendProbe(payload);
    }).ready;
    expect(flaky.listening).toBe(true);
    reaching = false;
    await until(() => !flaky.listening);
    reaching = true;
    await until(() => flaky.listening, 5_000);
  });

  it('stops for good when closed, the cache off', async () => {
    const cache = newCache();
    const listener = listen(inject('database').url, cache);
    await listener.ready;
    expect(cache.listening).toBe(true);
    await listener.close();
    expect(cache.listening).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(cache.listening).toBe(false);
  });
});
