// Starts what `npm run dev` starts — the API server (embedded PostgreSQL, migrations, demo data, local
// identity mode) and the web app (Vite dev server) — on free ports with a throwaway data directory,
// waits until both answer, and returns the teardown that stops them and deletes the data.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@deal-brain/shared/testing/free-port';

const e2eDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = path.resolve(e2eDir, '..');
const logDir = path.join(e2eDir, 'artifacts', 'logs');
const STARTUP_TIMEOUT_MS = 180_000;

interface Started {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/** Variables a developer's shell may carry that must not leak into the throwaway servers. */
const SCRUBBED = [
  'DATABASE_URL',
  'DATABASE_OWNER_URL',
  'CLERK_SECRET_KEY',
  'CLERK_PUBLISHABLE_KEY',
  'CLERK_JWT_KEY',
  'CLERK_API_URL',
  'PORT',
  'HOST',
];

function start(name: string, command: string, args: string[], cwd: string, env: Record<string, string>): Started {
  const log = createWriteStream(path.join(logDir, `${name}.log`));
  const baseEnv = { ...process.env };
  for (const key of SCRUBBED) delete baseEnv[key];
  // Own process group, so teardown reaches grandchildren (esbuild, PostgreSQL) too.
  const child = spawn(command, args, {
    cwd,
    env: { ...baseEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { name, child, exited };
}

async function waitFor(url: string, started: Started, deadline: number): Promise<void> {
  let exitCode: number | null | undefined;
  void started.exited.then((code) => (exitCode = code));
  for (;;) {
    if (exitCode !== undefined) {
      throw new Error(
        `${started.name} exited with ${exitCode} while starting; see ${path.join(logDir, started.name)}.log`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(10_000), redirect: 'manual' });
      if (response.status < 500) {
        await response.body?.cancel();
        return;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${started.name} did not answer ${url} in time; see ${logDir}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function stop(started: Started): Promise<void> {
  const { child } = started;
  if (child.exitCode !== null || child.pid === undefined) return;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  signalGroup('SIGTERM');
  const timedOut = await Promise.race([
    started.exited.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 20_000)),
  ]);
  if (timedOut) signalGroup('SIGKILL');
  // The group's other members (PostgreSQL, esbuild) follow their parent; make sure nothing lingers.
  signalGroup('SIGKILL');
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  await mkdir(logDir, { recursive: true });
  const [apiPort, postgresPort, webPort] = [await freePort(), await freePort(), await freePort()];
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'deal-brain-e2e-'));
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const webUrl = `http://localhost:${webPort}`;
  const tsx = path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  if (!existsSync(path.join(repoRoot, 'server', 'src', 'generated'))) {
    throw new Error('The Prisma client is not generated: run `npm run generate` (npm test does) first');
  }

  const started: Started[] = [];
  const teardown = async () => {
    await Promise.all(started.map(stop));
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    const api = start('api', process.execPath, [tsx, 'server/src/main.ts'], repoRoot, {
      NODE_ENV: 'development',
      AUTH_MODE: 'local',
      HOST: '127.0.0.1',
      PORT: String(apiPort),
      EMBEDDED_POSTGRES_PORT: String(postgresPort),
      DATA_DIR: dataDir,
      CLERK_AUTHORIZED_PARTIES: webUrl,
      LOG_LEVEL: 'info',
    });
    started.push(api);

    const webRequire = createRequire(path.join(repoRoot, 'web', 'package.json'));
    const remixCli = path.join(path.dirname(webRequire.resolve('@remix-run/dev/package.json')), 'dist', 'cli.js');
    const web = start(
      'web',
      process.execPath,
      [remixCli, 'vite:dev', '--port', String(webPort), '--strictPort'],
      path.join(repoRoot, 'web'),
      {
        NODE_ENV: 'development',
        AUTH_MODE: 'local',
        API_URL: apiUrl,
        // Where the API keeps its /__local-auth secret, which the web app reads.
        DATA_DIR: dataDir,
        CLERK_AUTHORIZED_PARTIES: webUrl,
      },
    );
    started.push(web);

    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    await Promise.all([waitFor(`${apiUrl}/readyz`, api, deadline), waitFor(`${webUrl}/sign-in`, web, deadline)]);
    // The first requests compile the routes; do it now rather than inside a test's timeout.
    for (const page of ['/', '/sign-in', '/sign-up', '/app']) {
      await waitFor(`${webUrl}${page}`, web, deadline);
    }
  } catch (error) {
    await teardown();
    throw error;
  }

  process.env.E2E_BASE_URL = webUrl;
  process.env.E2E_API_URL = apiUrl;
  process.env.E2E_DATA_DIR = dataDir;
  return teardown;
}
