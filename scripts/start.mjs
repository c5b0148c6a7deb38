// `npm start`: the API server and the web app from their builds (npm run build), NODE_ENV=production.
//
// Both listen on PORT, so each is given its own: the API API_PORT (default 4000), the web app WEB_PORT
// (default 3000). Their JSON log lines pass through untouched (no prefixes; each line names its service).
// SIGTERM and SIGINT go to both; when either exits on its own (or cannot be started), the other is stopped and
// this exits non-zero, so a supervisor restarts the pair instead of running half an application. Both apps
// stop within SHUTDOWN_TIMEOUT_MS of the signal; one still running 5 s after that is killed (SIGKILL) and this
// exits non-zero, so a stuck app cannot hold up a restart for ever.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiEnvironment, apiNodeFlags } from './api-node-flags.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Selects @deal-brain/shared's compiled JavaScript instead of its TypeScript (packages/shared/package.json). */
const COMPILED_CONDITION = '--conditions=compiled';
/** After the apps' own shutdown deadline: time for them to log, close their pools and exit. */
const KILL_MARGIN_MS = 5_000;

/** SHUTDOWN_TIMEOUT_MS as both apps read it: a whole number of milliseconds up to 120000, default 10000. */
function shutdownTimeoutMs(value) {
  if (value === undefined || value.trim() === '') return 10_000;
  const ms = Number(value);
  if (!/^\d+$/.test(value.trim()) || ms > 120_000) {
    console.error(`start: SHUTDOWN_TIMEOUT_MS must be a whole number from 0 to 120000, got "${value}"`);
    process.exit(1);
  }
  return ms;
}

const killAfterMs = shutdownTimeoutMs(process.env.SHUTDOWN_TIMEOUT_MS) + KILL_MARGIN_MS;

/** The API's heap flags (api-node-flags.mjs); a bad value stops here, before anything starts. */
function apiFlags() {
  try {
    return apiNodeFlags(process.env);
  } catch (error) {
    console.error(`start: ${error.message}`);
    process.exit(1);
  }
}

const apps = [
  {
    name: 'api',
    dir: path.join(root, 'server'),
    flags: apiFlags(),
    env: apiEnvironment(process.env),
    entry: 'dist/main.js',
    port: process.env.API_PORT ?? '4000',
  },
  {
    name: 'web',
    dir: path.join(root, 'web'),
    flags: [],
    env: {},
    entry: 'server.mjs',
    port: process.env.WEB_PORT ?? '3000',
  },
];

const missing = [
  path.join(root, 'server', 'dist', 'main.js'),
  path.join(root, 'web', 'build', 'server', 'index.js'),
].filter((file) => !existsSync(file));
if (missing.length > 0) {
  console.error(`start: ${missing.join(', ')} missing: run npm run build first`);
  process.exit(1);
}

let stopping = false;
let exitCode = 0;
/** The apps not yet ended: exited, or never started. */
const running = new Map();

for (const { name, dir, flags, env, entry, port } of apps) {
  // node itself, not npm: npm's shell would not pass signals on.
  const child = spawn(process.execPath, [...flags, COMPILED_CONDITION, entry], {
    cwd: dir,
    env: { ...env, ...process.env, NODE_ENV: 'production', PORT: port },
    stdio: 'inherit',
  });
  running.set(child, name);
  child.on('exit', (code, signal) => ended(child, signal ?? `code ${code}`, code === 0 ? 0 : (code ?? 1)));
  child.on('error', (error) => {
    // No pid: it was never started, and no 'exit' may follow. Otherwise a signal could not be sent; the
    // kill deadline deals with an app that then does not stop.
    if (child.pid === undefined) ended(child, `could not be started (${error.message})`, 1);
    else console.error(`start: ${name}: ${error.message}`);
  });
}

/** One app has ended: when unasked, the pair is broken, so stop the other; exit once none is left. */
function ended(child, how, code) {
  const name = running.get(child);
  // 'exit' can follow 'error' for the same child: count it once.
  if (!running.delete(child)) return;
  if (!stopping) {
    console.error(`start: ${name} ended unexpectedly (${how}); stopping the other`);
    exitCode = 1;
    stopAll('SIGTERM');
  } else if (code !== 0) {
    exitCode = exitCode || code;
  }
  if (running.size === 0) process.exit(exitCode);
}

function stopAll(signal) {
  if (!stopping) {
    stopping = true;
    setTimeout(killRemaining, killAfterMs).unref();
  }
  for (const child of running.keys()) child.kill(signal);
}

/** The deadline has passed: whatever still runs is stuck; kill it rather than wait for ever. */
function killRemaining() {
  for (const [child, name] of running) {
    console.error(`start: ${name} still running ${killAfterMs} ms after it was asked to stop; killing it`);
    child.kill('SIGKILL');
  }
  process.exit(1);
}

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => stopAll(signal));
