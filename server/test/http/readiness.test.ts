// Liveness and readiness are separate: while the database is unreachable /readyz answers 503 (a load
// balancer stops sending traffic) and /healthz stays 200 (nothing restarts the process); once it is back,
// /readyz answers 200 again without a restart.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServerBehindProxy, type TestServer } from '../support/server.js';
import type { TcpProxy } from '../support/tcp-proxy.js';

let proxy: TcpProxy;
let server: TestServer;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ proxy, server, close } = await startTestServerBehindProxy());
});

afterAll(async () => {
  await close?.();
});

async function statusOf(pathname: string): Promise<[number, unknown]> {
  const res = await fetch(`${server.url}${pathname}`);
  return [res.status, await res.json()];
}

describe('readiness follows the database', () => {
  it('is 200, then 503 while the database is cut off, then 200 again; liveness stays 200 throughout', async () => {
    expect(await statusOf('/readyz')).toEqual([200, { status: 'ready' }]);

    proxy.cut();
    try {
      const started = Date.now();
      expect(await statusOf('/readyz')).toEqual([503, { status: 'unavailable', reason: 'database' }]);
      // Fails fast (a refused connection), well within the pool's connect timeout: a generous bound.
      expect(Date.now() - started).toBeLessThan(7_000);
      expect(await statusOf('/healthz')).toEqual([200, { status: 'ok' }]);
    } finally {
      proxy.restore();
    }

    await vi.waitFor(async () => expect(await statusOf('/readyz')).toEqual([200, { status: 'ready' }]), {
      timeout: 10_000,
      interval: 100,
    });
    expect(await statusOf('/healthz')).toEqual([200, { status: 'ok' }]);
  });
});
