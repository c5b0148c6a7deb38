// The launcher behind `npm start` (scripts/start.mjs): it runs the API and the web server as a pair, passes a
// stop signal to both, stops the other when one ends unasked, and kills an app that does not stop in time.
// It runs here from a copy in a temporary tree where both apps are a few lines of JavaScript whose behaviour
// the test chooses: the launcher finds its apps relative to its own file, so no override of any kind is needed.
// Not covered: an app that cannot be spawned at all (node itself missing), which a test cannot bring about.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const scripts = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts');

/**
 * Both fake apps (CommonJS in server/dist/main.js, ESM in web/server.mjs: the text is valid as either). They
 * print what they were started with, and on SIGTERM exit 0 unless FAKE_<APP>_ON_SIGTERM=ignore;
 * FAKE_<APP>_EXIT_CODE makes one end by itself right after starting.
 */
const FAKE_APP = `
const app = process.cwd().endsWith('web') ? 'web' : 'api';
const setting = (name) => process.env['FAKE_' + app.toUpperCase() + '_' + name];
const print = (event) =>
  process.stdout.write(JSON.stringify({ app, event, pid: process.pid, port: process.env.PORT, nodeEnv: process.env.NODE_ENV, execArgv: process.execArgv, arenas: process.env.MALLOC_ARENA_MAX }) + '\\n');
process.on('SIGTERM', () => {
  print('sigterm');
  if (setting('ON_SIGTERM') !== 'ignore') process.exit(0);
});
setInterval(() => {}, 1000);
print('started');
if (setting('EXIT_CODE') !== undefined) process.exit(Number(setting('EXIT_CODE')));
`;

interface Line {
  app: 'api' | 'web';
  event: 'started' | 'sigterm';
  pid: number;
  port: string;
  nodeEnv: string;
  execArgv: string[];
  arenas?: string;
}

let root: string;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'deal-brain-start-'));
  mkdirSync(path.join(root, 'scripts'));
  for (const file of ['start.mjs', 'api-node-flags.mjs']) {
    copyFileSync(path.join(scripts, file), path.join(root, 'scripts', file));
  }
  mkdirSync(path.join(root, 'server', 'dist'), { recursive: true });
  writeFileSync(path.join(root, 'server', 'dist', 'main.js'), FAKE_APP);
  mkdirSync(path.join(root, 'web', 'build', 'server'), { recursive: true });
  writeFileSync(path.join(root, 'web', 'server.mjs'), FAKE_APP);
  // Only looked for: its absence means the web app was never built.
  writeFileSync(path.join(root, 'web', 'build', 'server', 'index.js'), '');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Launched {
  child: ChildProcess;
  lines: () => Line[];
  stderr: () => string;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

const launched: Launched[] = [];

function launch(env: Record<string, string>): Launched {
  const child = spawn(process.execPath, [path.join(root, 'scripts', 'start.mjs')], {
    // NODE_ENV=test: the launcher must set production itself.
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', API_PORT: '4101', WEB_PORT: '3101', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const lines = () =>
    stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Line);
  const result = { child, lines, stderr: () => stderr, exited };
  launched.push(result);
  return result;
}

/** Every pid the fake apps printed, whatever happened to them. */
const appPids = (run: Launched) => [...new Set(run.lines().map((line) => line.pid))];

afterEach(() => {
  // A failed assertion must not leave a launcher or a fake app behind.
  for (const run of launched.splice(0)) {
    run.child.kill('SIGKILL');
    for (const pid of appPids(run)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const started = (run: Launched) => () => run.lines().filter((line) => line.event === 'started').length === 2;

describe('npm start (scripts/start.mjs)', () => {
  it('runs both apps in production on their own ports, and on SIGTERM stops both and exits 0', async () => {
    const run = launch({});
    await until(started(run), 'both apps to start');
    expect(
      run
        .lines()
        .map(({ app, port, nodeEnv }) => ({ app, port, nodeEnv }))
        .sort((a, b) => a.app.localeCompare(b.app)),
    ).toEqual([
      { app: 'api', port: '4101', nodeEnv: 'production' },
      { app: 'web', port: '3101', nodeEnv: 'production' },
    ]);

    run.child.kill('SIGTERM');
    const [code] = await run.exited;
    expect(code, run.stderr()).toBe(0);
    expect(run.lines().filter((line) => line.event === 'sigterm')).toHaveLength(2);
  });

  it('when one app ends by itself, stops the other and exits 1', async () => {
    const run = launch({ FAKE_WEB_EXIT_CODE: '3' });
    const [code] = await run.exited;
    expect(code).toBe(1);
    expect(run.stderr()).toContain('start: web ended unexpectedly (code 3); stopping the other');
    expect(run.lines()).toContainEqual(expect.objectContaining({ app: 'api', event: 'sigterm' }));
  });

  it('kills an app still running SHUTDOWN_TIMEOUT_MS + 5 s after SIGTERM, and exits non-zero', async () => {
    const run = launch({ SHUTDOWN_TIMEOUT_MS: '0', FAKE_API_ON_SIGTERM: 'ignore' });
    await until(started(run), 'both apps to start');
    const api = run.lines().find((line) => line.app === 'api')!;

    run.child.kill('SIGTERM');
    // Generous: the launcher waits 5 s (0 + the margin); this only proves that it does not wait for ever.
    const [code] = await Promise.race([
      run.exited,
      new Promise<[number]>((resolve) => setTimeout(() => resolve([-1]), 15_000)),
    ]);
    expect(code, run.stderr()).toBe(1);
    expect(run.stderr()).toContain('start: api still running 5000 ms after it was asked to stop; killing it');
    // SIGKILLed; once the launcher is gone the orphan is reaped, so it disappears altogether.
    await until(() => !isAlive(api.pid), 'the stuck app to be gone');
  }, 30_000);

  it('gives the API its heap ceilings and two malloc arenas (each overridable), and the web app neither', async () => {
    const startedWith = async (env: Record<string, string>) => {
      const run = launch(env);
      await until(started(run), 'both apps to start');
      const byApp = Object.fromEntries(
        run.lines().map((line) => [line.app, { flags: line.execArgv, arenas: line.arenas }]),
      );
      run.child.kill('SIGTERM');
      await run.exited;
      return byApp;
    };
    expect(await startedWith({})).toEqual({
      api: { flags: ['--max-old-space-size=128', '--max-semi-space-size=16', '--conditions=compiled'], arenas: '2' },
      web: { flags: ['--conditions=compiled'] },
    });
    const overridden = { API_MAX_OLD_SPACE_MB: '512', API_MAX_SEMI_SPACE_MB: '8', MALLOC_ARENA_MAX: '4' };
    expect((await startedWith(overridden)).api).toEqual({
      flags: ['--max-old-space-size=512', '--max-semi-space-size=8', '--conditions=compiled'],
      arenas: '4',
    });
  });

  it('refuses a heap setting that is not a whole number of MB in range, before starting anything', async () => {
    const run = launch({ API_MAX_OLD_SPACE_MB: '1g' });
    const [code] = await run.exited;
    expect(code).toBe(1);
    expect(run.stderr()).toContain(
      'start: API_MAX_OLD_SPACE_MB must be a whole number of MB from 64 to 65536, got "1g"',
    );
    expect(run.lines()).toEqual([]);
  });

  it('refuses a SHUTDOWN_TIMEOUT_MS that is not a whole number of milliseconds, before starting anything', async () => {
    const run = launch({ SHUTDOWN_TIMEOUT_MS: '10s' });
    const [code] = await run.exited;
    expect(code).toBe(1);
    expect(run.stderr()).toContain('start: SHUTDOWN_TIMEOUT_MS must be a whole number from 0 to 120000, got "10s"');
    expect(run.lines()).toEqual([]);
  });
});
