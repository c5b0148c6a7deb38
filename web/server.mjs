// The web app's production server (`npm start`): Express in front of the Remix build, in place of
// remix-serve, for one reason: it knows the browser's address. The API client (app/graphql/client.server.ts)
// passes that address on to the API as X-Forwarded-For, so the API's audit events and rate limits see the
// person, not this server (ADR 0067).
//
// Environment, read here because it is needed before the app is loaded (everything else is read by
// app/config.server.ts): PORT (default 3000), HOST (default: every interface), WEB_TRUSTED_PROXIES,
// SHUTDOWN_TIMEOUT_MS (as the API's: default 10000; scripts/start.mjs kills an app still running 5 s after it).
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequestHandler } from '@remix-run/express';
import express from 'express';

const webDir = path.dirname(fileURLToPath(import.meta.url));
const buildDir = path.join(webDir, 'build');

/**
 * The request header that carries the browser's address from here to the loaders (the same name as in
 * app/graphql/client.server.ts). Whatever a browser sends under this name is replaced.
 */
const CLIENT_ADDRESS_HEADER = 'x-deal-brain-client-address';

/**
 * Set before the build is loaded, to tell the API client (app/graphql/client.server.ts, the same symbol) that
 * this server hosts it and so owns the header above. Any other host (the Vite dev server, remix-serve, a
 * server someone writes) does not set it, and there the header, which could only come from the browser, is
 * ignored.
 */
const WEB_SERVER_MARKER = Symbol.for('deal-brain.web-server');

/**
 * WEB_TRUSTED_PROXIES: the proxies in front of this server whose X-Forwarded-For / X-Forwarded-Proto / -Host
 * are believed, as Express's `trust proxy` takes them: comma-separated addresses, CIDR ranges, or `loopback`,
 * `linklocal`, `uniquelocal`. Unset: nobody is trusted and the connection's peer is the browser. Express
 * refuses a malformed entry when it is set, so a typo stops the start.
 */
function trustProxySetting(value) {
  const entries = (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries.length > 0 ? entries : false;
}

/** One JSON line, shaped like the app's own log lines (app/lib/log.server.ts). */
function log(level, event, fields = {}) {
  const line = { level, time: new Date().toISOString(), service: 'dealbrain-web', event, ...fields };
  (level === 'info' ? process.stdout : process.stderr).write(`${JSON.stringify(line)}\n`);
}

/** Exits with one line naming the variable, as app/config.server.ts does for its own. */
function configError(message) {
  process.stderr.write(`config: ${message}\n`);
  process.exit(1);
}

async function createWebServer({ trustedProxies }) {
  const app = express();
  app.disable('x-powered-by');
  try {
    app.set('trust proxy', trustProxySetting(trustedProxies));
  } catch (error) {
    // Express's own words name the bad entry ("invalid IP address: …").
    configError(`WEB_TRUSTED_PROXIES: ${error.message}`);
  }
  globalThis[WEB_SERVER_MARKER] = true;
  // Importing the build runs entry.server.tsx, which validates the configuration (and exits on a bad one).
  const build = await import(pathToFileURL(path.join(buildDir, 'server', 'index.js')).href);
  // Fingerprinted file names: a changed file is a new URL, so these may be cached for good.
  app.use('/assets', express.static(path.join(buildDir, 'client', 'assets'), { immutable: true, maxAge: '1y' }));
  app.use(express.static(path.join(buildDir, 'client'), { maxAge: '1h' }));
  app.use((req, _res, next) => {
    // req.ip honours `trust proxy`: the browser's address, not a proxy's, nor one a browser made up.
    req.headers[CLIENT_ADDRESS_HEADER] = req.ip ?? '';
    next();
  });
  // Always the built app's mode: error details stay out of responses whatever NODE_ENV says.
  app.all('*', createRequestHandler({ build, mode: 'production' }));
  return app;
}

/** Stops accepting, lets requests in flight finish (up to `shutdownTimeoutMs`), then exits 0. */
function stopOnSignals(server, shutdownTimeoutMs) {
  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    log('info', 'web.stopping', { signal });
    server.close(() => {
      log('info', 'web.stopped');
      process.exit(0);
    });
    // Keep-alive connections that finish a response while stopping are closed as soon as they go idle.
    server.closeIdleConnections();
    setInterval(() => server.closeIdleConnections(), 100).unref();
    setTimeout(() => server.closeAllConnections(), shutdownTimeoutMs).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** A whole number of milliseconds from 0 to 120000, as the API reads the same variable. */
function shutdownTimeoutMs(value) {
  if (value === undefined || value.trim() === '') return 10_000;
  if (!/^\d+$/.test(value.trim()) || Number(value) > 120_000) {
    configError(`SHUTDOWN_TIMEOUT_MS must be a whole number from 0 to 120000, got "${value}"`);
  }
  return Number(value);
}

async function main() {
  const { PORT, HOST, WEB_TRUSTED_PROXIES, SHUTDOWN_TIMEOUT_MS } = process.env;
  const port = Number(PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) configError(`PORT must be a port number, got "${PORT}"`);
  const shutdownAfterMs = shutdownTimeoutMs(SHUTDOWN_TIMEOUT_MS);
  const app = await createWebServer({ trustedProxies: WEB_TRUSTED_PROXIES });
  const server = app.listen(port, HOST);
  await once(server, 'listening');
  const address = server.address();
  log('info', 'web.started', { url: `http://${HOST ?? 'localhost'}:${address.port}` });
  stopOnSignals(server, shutdownAfterMs);
}

await main();
