// Two API instances in this process, as a deployment runs them side by side: the same createApp() as
// support/server.ts, the same test database, and one DATA_DIR, so in local identity mode both hold the
// same signing key and a session token minted by one verifies on the other. (startTestServer keeps each
// provider's key in memory, so its servers could never accept each other's tokens.) Each instance has its
// own identity cache and its own listener connection.
// Every test server's listener shows the same application_name in pg_stat_activity, so B's listener goes
// through a TCP proxy that notes its ports: a test can then find B's listener backend, and only B's.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { createApp } from '#src/app.js';
import { loadConfig } from '#src/config.js';
import { createLogger } from '#src/logging.js';
import { UNREACHABLE_RATE_LIMITS } from './rate-limit-budgets.js';
import { listenTestServer, type TestServer } from './server.js';
import { startTcpProxy } from './tcp-proxy.js';

export interface TwinServers {
  a: TestServer;
  b: TestServer;
  /** The client ports of B's listener connections so far (pg_stat_activity.client_port), newest last. */
  bListenerPorts(): number[];
  close(): Promise<void>;
}

async function startInstance(dataDir: string, env: Record<string, string>): Promise<TestServer> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: '0',
    ...UNREACHABLE_RATE_LIMITS,
    ...env,
    DATA_DIR: dataDir,
  });
  const app = await createApp({
    config,
    databaseUrl: inject('database').url,
    log: createLogger(config.logLevel),
    // Local identity state under DATA_DIR: the signing key the other instance reads too.
    ephemeralLocalIdentity: false,
    localWebhookRetry: { maxAttempts: 4, baseDelayMs: 20 },
  });
  return listenTestServer(app, config);
}

/**
 * A, then B (the first creates the key files under the shared DATA_DIR, the second reads them), both with
 * `env`. Identities are created on A: B's provider does not know them, which B never needs (the token
 * verifies with the shared key, the user row is in the database, an unknown session is let through).
 */
export async function startTwinServers(env: Record<string, string> = {}): Promise<TwinServers> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'dealbrain-twins-'));
  const relay = await startTcpProxy(inject('database').url);
  const a = await startInstance(dataDir, env);
  const b = await startInstance(dataDir, { ...env, DATABASE_LISTEN_URL: relay.url });
  return {
    a,
    b,
    bListenerPorts: () => relay.upstreamPorts(),
    async close() {
      await a.close();
      await b.close();
      await relay.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
