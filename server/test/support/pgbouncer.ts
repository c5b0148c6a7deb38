// Debian's PgBouncer (1.18) in transaction pooling mode in front of a test PostgreSQL: what a team runs
// when it scales out (docs/deployment.md, ADR 0069). A generated ini and userlist in a temp dir of its own;
// the roles log in with the passwords their URLs carry, through to PostgreSQL unchanged.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';

export const PGBOUNCER_BINARY = '/usr/sbin/pgbouncer';

export interface PgBouncerOptions {
  /** Server connections per database and user: few, so that many clients share them. Default 3. */
  poolSize?: number;
  /** Every other URL whose role must log in through it (same host and port as `targetUrl`). */
  moreUrls?: string[];
}

export interface PgBouncer {
  port: number;
  /** `targetUrl` through PgBouncer: same role, password and database. */
  url: string;
  /** Any URL of the same PostgreSQL, through PgBouncer (its role must have been given at the start). */
  through(url: string): string;
  /** Everything PgBouncer logged, for a failing test's message. */
  log(): string;
  stop(): Promise<void>;
}

/** A userlist.txt line: both fields quoted, a quote doubled. */
function userlistLine(user: string, password: string): string {
  const quote = (value: string) => `"${value.replaceAll('"', '""')}"`;
  return `${quote(user)} ${quote(password)}`;
}

function configText(target: URL, port: number, poolSize: number, authFile: string): string {
  return [
    '[databases]',
    // Any database name goes to the same PostgreSQL: test files make databases of their own.
    `* = host=${target.hostname} port=${target.port}`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    'unix_socket_dir =',
    'pool_mode = transaction',
    `default_pool_size = ${poolSize}`,
    'max_client_conn = 500',
    'auth_type = scram-sha-256',
    `auth_file = ${authFile}`,
    // node-postgres may send these at startup; PgBouncer refuses unknown startup parameters.
    'ignore_startup_parameters = extra_float_digits,options',
    // No check query when a server connection is reused (an empty query disables it; server_check_delay = 0
    // would run it before every transaction): a production pooler may keep the default, 30 s.
    'server_check_query =',
    'log_connections = 0',
    'log_disconnections = 0',
    '',
  ].join('\n');
}

async function waitUntilAccepting(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pgbouncer exited with ${child.exitCode}:\n${log()}`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`pgbouncer does not accept connections: ${String(error)}\n${log()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await client.end().catch(() => {});
    }
  }
}

/**
 * Starts PgBouncer in front of the PostgreSQL of `targetUrl` and waits until a connection through it
 * works. Fails (never skips) when the package is missing: the scale-out tests are part of the suite.
 */
export async function startPgBouncer(targetUrl: string, options: PgBouncerOptions = {}): Promise<PgBouncer> {
  if (!existsSync(PGBOUNCER_BINARY)) {
    throw new Error(`${PGBOUNCER_BINARY} not found: install pgbouncer: apt-get install -y pgbouncer`);
  }
  const target = new URL(targetUrl);
  const urls = [targetUrl, ...(options.moreUrls ?? [])].map((url) => new URL(url));
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dealbrain-pgbouncer-'));
  const port = await freePort();
  const authFile = path.join(dir, 'userlist.txt');
  const users = new Map(urls.map((url) => [decodeURIComponent(url.username), decodeURIComponent(url.password)]));
  await writeFile(authFile, [...users].map(([user, password]) => userlistLine(user, password)).join('\n') + '\n', {
    mode: 0o600,
  });
  const iniFile = path.join(dir, 'pgbouncer.ini');
  await writeFile(iniFile, configText(target, port, options.poolSize ?? 3, authFile), { mode: 0o600 });
  // PgBouncer refuses to run as root; it reads its files before switching to the user given with -u.
  const asRoot = os.userInfo().uid === 0;
  if (asRoot) await chmod(dir, 0o755);
  const child = spawn(PGBOUNCER_BINARY, [...(asRoot ? ['-u', 'nobody'] : []), iniFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    // Enough to say why it failed; not every line of a long run.
    if (output.length < 20_000) output += chunk.toString();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = once(child, 'exit');

  const through = (url: string) => {
    const routed = new URL(url);
    routed.hostname = '127.0.0.1';
    routed.port = String(port);
    return routed.toString();
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilAccepting(through(targetUrl), child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, url: through(targetUrl), through, log: () => output, stop };
}
