// LISTEN for the identity changes the database announces (migration 20261207004000_identity_notifications)
// and pass them to the identity cache (auth/identity-cache.ts). One connection of its own, outside the pool:
// LISTEN holds a session, which a transaction-mode pooler cannot give (DATABASE_LISTEN_URL, ADR 0071).
// The cache is trusted only while this connection is known to be listening: a lost connection empties and
// disables it at once, and a heartbeat finds a connection that died without a word. Reconnects until closed.
import pg from 'pg';
import type { Logger } from 'pino';
import { parseIdentityChange, type IdentityCache } from '#src/auth/identity-cache.js';

export const IDENTITY_CHANNEL = 'dealbrain_identity';
/** How the connection shows in pg_stat_activity (tests find it there to cut it). */
export const IDENTITY_LISTENER_APPLICATION_NAME = 'dealbrain-identity-listener';

export interface IdentityListenerOptions {
  url: string;
  cache: IdentityCache;
  log: Logger;
  /** Between reconnection attempts. */
  retryDelayMs?: number;
  /** Between heartbeats; a heartbeat unanswered within the same time drops the connection. */
  heartbeatMs?: number;
}

export interface IdentityListener {
  /** Settles once the first attempt to listen has succeeded or failed (a failure keeps retrying). */
  ready: Promise<void>;
  close(): Promise<void>;
}

export function startIdentityListener(options: IdentityListenerOptions): IdentityListener {
  const { cache, log } = options;
  const retryDelayMs = options.retryDelayMs ?? 1_000;
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;

  function lost(lostClient: pg.Client, error: unknown): void {
    if (client !== lostClient) return;
    client = undefined;
    clearInterval(heartbeat);
    cache.setListening(false);
    lostClient.end().catch(() => undefined);
    if (closed) return;
    log.warn({ event: 'identity_listener.lost', err: error }, 'identity changes not heard: identity cache off');
    retry = setTimeout(() => void connect(), retryDelayMs);
  }

  function beat(current: pg.Client): void {
    const timeout = setTimeout(() => lost(current, new Error('heartbeat unanswered')), heartbeatMs);
    current.query('SELECT 1').then(
      () => clearTimeout(timeout),
      (error: unknown) => {
        clearTimeout(timeout);
        lost(current, error);
      },
    );
  }

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString: options.url, application_name: IDENTITY_LISTENER_APPLICATION_NAME });
    next.on('notification', (message) => {
      if (message.channel === IDENTITY_CHANNEL) cache.invalidate(parseIdentityChange(message.payload));
    });
    next.on('error', (error) => lost(next, error));
    next.on('end', () => lost(next, new Error('connection ended')));
    client = next;
    try {
      await next.connect();
      await next.query(`LISTEN ${IDENTITY_CHANNEL}`);
    } catch (error) {
      lost(next, error);
      return;
    }
    if (client !== next || closed) return;
    cache.setListening(true);
    heartbeat = setInterval(() => beat(next), heartbeatMs);
    heartbeat.unref();
    log.info({ event: 'identity_listener.listening' }, 'identity changes heard: identity cache on');
  }

  return {
    ready: connect(),
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
