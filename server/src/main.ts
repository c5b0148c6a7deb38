// Process entry: config → database → HTTP server; graceful shutdown on SIGTERM/SIGINT.
import { once } from 'node:events';
import { createApp, type App } from './app.js';
import { ConfigError, configWarnings, loadConfig, type Config } from './config.js';
import { closeBasePrisma, createBasePrisma } from './db/client.js';
import { openDatabase, type DatabaseHandle } from './db/database.js';
import { migrateUp } from './db/migrations.js';
import { seedDemoData } from './db/seed.js';
import { createLogger, type Logger } from './logging.js';

/** The embedded development database is brought up to date and seeded on start. */
async function prepareEmbedded(database: DatabaseHandle, log: Logger): Promise<void> {
  if (!database.embedded || !database.ownerUrl) return;
  const applied = await migrateUp(database.ownerUrl);
  if (applied.length > 0) log.info({ event: 'db.migrated', applied }, 'migrations applied');
  const base = createBasePrisma(database.url, 2);
  try {
    const { seededUsers } = await seedDemoData(base);
    if (seededUsers.length > 0) log.info({ event: 'db.seeded', users: seededUsers }, 'demo data seeded');
  } finally {
    await closeBasePrisma(base);
  }
}

/**
 * Of the shutdown timeout, the last part kept for closing the pool: requests still running this long
 * before the deadline are cut off, so that the process exits within SHUTDOWN_TIMEOUT_MS of the signal.
 */
const POOL_CLOSE_GRACE_MS = 1_000;
/** Local webhooks queued just before the signal get at most this long to reach our own endpoint. */
const LOCAL_WEBHOOKS_WAIT_MS = 2_000;

/** Resolves after `ms` (at once when it is not positive), without keeping the process alive. */
function sleepUnref(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)).unref());
}

/**
 * Stops accepting, lets in-flight requests finish, then closes the pool, all by `deadline` (epoch ms: the
 * signal's time plus SHUTDOWN_TIMEOUT_MS). Every wait is measured against that one deadline, so no step
 * adds its own allowance after another's.
 */
async function stopServing(app: App, deadline: number, log: Logger): Promise<void> {
  app.startDraining();
  // Requests still running at `cutAt` are cut off; the pool gets what is left until the deadline.
  const cutAt = Math.max(Date.now(), deadline - POOL_CLOSE_GRACE_MS);
  // Local webhooks queued just before the signal still reach our own endpoint (briefly: the server
  // is still accepting); whatever is left after that is dropped, and the log says which.
  if (app.localWebhooks) {
    await Promise.race([app.localWebhooks.idle(), sleepUnref(Math.min(LOCAL_WEBHOOKS_WAIT_MS, cutAt - Date.now()))]);
    app.localWebhooks.close();
  }
  const closed = new Promise<void>((resolve) => app.server.close(() => resolve()));
  app.server.closeIdleConnections();
  // Connections that finish a response while draining are closed as soon as they go idle.
  const closeIdle = setInterval(() => app.server.closeIdleConnections(), 100);
  const cut = setTimeout(() => app.server.closeAllConnections(), Math.max(0, cutAt - Date.now()));
  await closed;
  clearInterval(closeIdle);
  clearTimeout(cut);
  // Scrapes see the drain through to its end; the metrics listener goes only once the API has.
  await closeMetricsServer(app);
  // What the last requests counted (key use, refused credentials) is written before the pool goes.
  const flushedAndClosed = Promise.all([app.apiKeyActivity.close(), app.authFailures.close()]).then(() =>
    closeBasePrisma(app.base),
  );
  // A request cut off may still hold a pool connection (its statement waiting in PostgreSQL), and ending
  // the pool waits for it: wait until the deadline, then stop anyway. PostgreSQL rolls back what such a
  // connection had open when the process closes it.
  const gaveUp = await Promise.race([
    flushedAndClosed.then(() => false),
    sleepUnref(deadline - Date.now()).then(() => true),
  ]);
  if (gaveUp) log.warn({ event: 'server.pool_not_closed' }, 'database connections still busy at the deadline');
}

/** Metrics first: an instance is observable from the moment it takes traffic. Never logs the token. */
async function listenMetrics(app: App, config: Config, log: Logger): Promise<void> {
  const { metricsServer } = app;
  if (!metricsServer) return;
  metricsServer.listen(config.metrics.port, config.metrics.host);
  await once(metricsServer, 'listening');
  const address = metricsServer.address();
  const port = address && typeof address === 'object' ? address.port : config.metrics.port;
  log.info(
    {
      event: 'metrics.started',
      url: `http://${config.metrics.host}:${port}/metrics`,
      tokenRequired: config.metrics.token !== undefined,
    },
    'metrics listening',
  );
}

async function closeMetricsServer(app: App): Promise<void> {
  const { metricsServer } = app;
  if (!metricsServer?.listening) return;
  const closed = new Promise<void>((resolve) => metricsServer.close(() => resolve()));
  metricsServer.closeAllConnections();
  await closed;
}

async function start(config: Config, log: Logger): Promise<void> {
  // What is up so far: a signal may arrive at any point of the start.
  const running: { database?: DatabaseHandle; app?: App } = {};
  let stopping = false;

  // Registered first, so a signal during migrations still stops the embedded database.
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // One deadline for the whole shutdown, taken at the signal.
    const deadline = Date.now() + config.shutdownTimeoutMs;
    log.info({ event: 'server.stopping', signal }, 'shutting down');
    try {
      if (running.app) await stopServing(running.app, deadline, log);
      await running.database?.stop();
      log.info({ event: 'server.stopped' }, 'stopped');
      process.exit(0);
    } catch (error) {
      log.error({ event: 'server.stop_failed', err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  const database = (running.database = await openDatabase(config));
  await prepareEmbedded(database, log);
  if (stopping) return;
  const app = (running.app = await createApp({ config, databaseUrl: database.url, log }));
  await listenMetrics(app, config, log);
  app.server.listen(config.port, config.host);
  await once(app.server, 'listening');
  log.info(
    {
      event: 'server.started',
      url: `http://${config.host}:${config.port}/graphql`,
      authMode: config.auth.mode,
      embeddedDatabase: database.embedded,
    },
    'listening',
  );
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  // Config errors are the operator's to fix: say what is wrong, without a stack.
  if (error instanceof ConfigError) {
    process.stderr.write(`config: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
const log = createLogger(config.logLevel);
for (const warning of configWarnings(config)) log.warn({ event: warning.event }, warning.message);
start(config, log).catch((error: unknown) => {
  log.fatal({ event: 'server.failed', err: error }, 'failed to start');
  process.exit(1);
});
