// LISTEN for the identity changes the database announces (migration 20261207004000_identity_notifications)
// and pass them to the identity cache (auth/identity-cache.ts). One connection of its own, outside the pool:
// LISTEN holds a session, which a transaction-mode pooler cannot give (DATABASE_LISTEN_URL, ADR 0071).
// The cache is trusted only while this connection is proven to hear: after LISTEN, and then every heartbeat,
// a probe NOTIFY is sent through the request path's own pool and must come back here within the probe
// timeout. A connection that cannot hear (a pooler between it and PostgreSQL, another database, a dead
// socket) fails its probe; a lost or failing connection empties and disables the cache at once. Reconnects,
// backing off, until closed.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';
import { parseIdentityChange, type IdentityCache } from '#src/auth/identity-cache.js';

export const IDENTITY_CHANNEL = 'dealbrain_identity';
/** How the connection shows in pg_stat_activity. */
export const IDENTITY_LISTENER_APPLICATION_NAME = 'dealbrain-identity-listener';

export interface IdentityListenerOptions {
  url: string;
  cache: IdentityCache;
  log: Logger;
  /** NOTIFY `payload` on IDENTITY_CHANNEL through the pool the requests use (app.ts). */
  sendProbe: (payload: string) => Promise<void>;
  /** Between probes of a listening connection. */
  heartbeatMs?: number;
  /** How long a probe, a connection attempt or LISTEN may take. */
  timeoutMs?: number;
  /** The first delay before reconnecting; doubled after each failure, up to 30 s. */
  retryDelayMs?: number;
}

export interface IdentityListener {
  /** Settles when the first attempt to listen has succeeded or failed, or after `timeoutMs` × 3 at most. */
  ready: Promise<void>;
  close(): Promise<void>;
}

const MAX_RETRY_DELAY_MS = 30_000;

/** A polite end, then the socket destroyed: end() on a half-open socket would wait for ever. */
function endSoon(ended: pg.Client): void {
  ended.end().catch(() => undefined);
  const { stream } = (ended as unknown as { connection: { stream: import('node:net').Socket } }).connection;
  setTimeout(() => stream.destroy(), 1_000).unref();
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export function startIdentityListener(options: IdentityListenerOptions): IdentityListener {
  const { cache, log } = options;
  const heartbeatMs = options.heartbeatMs ?? 2_000;
  const timeoutMs = options.timeoutMs ?? 2_000;
  const firstRetryDelayMs = options.retryDelayMs ?? 1_000;
  let retryDelayMs = firstRetryDelayMs;
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  /** Probes sent and not yet heard, by id. */
  const probes = new Map<string, () => void>();

  function lost(lostClient: pg.Client, error: unknown): void {
    if (client !== lostClient) return;
    client = undefined;
    clearInterval(heartbeat);
    cache.setListening(false);
    endSoon(lostClient);
    if (closed) return;
    log.warn({ event: 'identity_listener.lost', err: error, retryInMs: retryDelayMs }, 'identity cache off');
    retry = setTimeout(() => void connect(), retryDelayMs);
    retry.unref();
    retryDelayMs = Math.min(retryDelayMs * 2, MAX_RETRY_DELAY_MS);
  }

  /** Resolves once a NOTIFY sent through the request pool has come back on `current`; rejects otherwise. */
  async function probe(): Promise<void> {
    const id = randomUUID();
    const heard = new Promise<void>((resolve) => probes.set(id, resolve));
    try {
      await Promise.race([
        options.sendProbe(JSON.stringify({ kind: 'probe', id })).then(() => heard),
        delay(timeoutMs).then(() => Promise.reject(new Error(`probe not heard within ${timeoutMs} ms`))),
      ]);
    } finally {
      probes.delete(id);
    }
  }

  function beat(current: pg.Client): void {
    if (probes.size > 0) return; // the previous probe is still on its way
    probe().catch((error: unknown) => lost(current, error));
  }

  async function connect(): Promise<void> {
    const next = new pg.Client({
      connectionString: options.url,
      application_name: IDENTITY_LISTENER_APPLICATION_NAME,
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs,
      keepAlive: true,
    });
    next.on('notification', (message) => {
      if (message.channel !== IDENTITY_CHANNEL) return;
      const notice = parseIdentityChange(message.payload);
      // Another instance's probe is nobody's business here.
      if (notice.kind === 'probe') probes.get(notice.id)?.();
      else cache.invalidate(notice);
    });
    next.on('error', (error) => lost(next, error));
    next.on('end', () => lost(next, new Error('connection ended')));
    client = next;
    try {
      await next.connect();
      await next.query(`LISTEN ${IDENTITY_CHANNEL}`);
      await probe();
    } catch (error) {
      lost(next, error);
      return;
    }
    if (client !== next || closed) return;
    retryDelayMs = firstRetryDelayMs;
    cache.setListening(true);
    heartbeat = setInterval(() => beat(next), heartbeatMs);
    heartbeat.unref();
    log.info({ event: 'identity_listener.listening' }, 'identity changes heard: identity cache on');
  }

  return {
    ready: Promise.race([connect(), delay(timeoutMs * 3)]),
    async close() {
      closed = true;
      clearTimeout(retry);
      clearInterval(heartbeat);
      cache.setListening(false);
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}
