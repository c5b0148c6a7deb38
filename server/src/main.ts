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

/** Stops accepting, lets in-flight requests finish (up to the timeout), then closes the pool. */
async function stopServing(app: App, config: Config): Promise<void> {
  app.startDraining();
  // Local webhooks queued just before the signal still reach our own endpoint (briefly: the server
  // is still accepting); whatever is left after that is dropped, and the log says which.
  if (app.localWebhooks) {
    await Promise.race([app.localWebhooks.idle(), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    app.localWebhooks.close();
  }
  const closed = new Promise<void>((resolve) => app.server.close(() => resolve()));
  app.server.closeIdleConnections();
  // Connections that finish a response while draining are closed as soon as they go idle.
  const closeIdle = setInterval(() => app.server.closeIdleConnections(), 100);
  const deadline = setTimeout(() => app.server.closeAllConnections(), config.shutdownTimeoutMs);
  await closed;
  clearInterval(closeIdle);
  clearTimeout(deadline);
  // What the last requests counted (key use, refused credentials) is written before the pool goes.
  await Promise.all([app.apiKeyActivity.close(), app.authFailures.close()]);
  await closeBasePrisma(app.base);
}

async function start(config: Config, log: Logger): Promise<void> {
  // What is up so far: a signal may arrive at any point of the start.
  const running: { database?: DatabaseHandle; app?: App } = {};
  let stopping = false;

  // Registered first, so a signal during migrations still stops the embedded database.
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ event: 'server.stopping', signal }, 'shutting down');
    try {
      if (running.app) await stopServing(running.app, config);
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
