// The production build (issue 14): the server compiled by `npm run build` runs with plain node, NODE_ENV=
// production and Clerk mode, and loads no development dependency and no TypeScript while it starts, serves
// an authenticated query and shuts down (scripts/refuse-dev-dependencies.mjs makes any such load throw).
// The web app's production server is checked the same way in web/test/production.test.ts.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateSigningKey } from '#src/dev/local-identity/signing-key.js';
import { startClerkBackendStub, type ClerkBackendStub } from './auth/support/clerk-backend-stub.js';
import { mint, PARTY, sessionClaims } from './auth/support/tokens.js';
import { freePort } from './support/free-port.js';
import { WEBHOOK_SECRET } from './support/webhooks.js';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = path.resolve(serverDir, '..');
const refuseHook = path.join(repoRoot, 'scripts', 'refuse-dev-dependencies.mjs');
// Its own output folder, directly in server/ as dist is (the build insists): a build running in parallel, or
// the one a developer starts, is left alone.
const outDir = path.join(serverDir, `dist-test-${process.pid}`);
/** Selects @deal-brain/shared's compiled JavaScript, as scripts/start.mjs does. */
const COMPILED_CONDITION = '--conditions=compiled';

/** Runs node with `args` to completion; fails the test with its output when it does not exit 0. */
function runNode(args: string[], cwd: string): void {
  const result = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  expect(result.status, `${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
}

/**
 * Compiles @deal-brain/shared as its build does (tsconfig.build.json), but into a copy of the package in
 * `<outDir>/node_modules`, not into packages/shared/dist: the compiled server resolves the package from there
 * first (Node looks in the nearest node_modules), and a developer's or a parallel build's dist is left alone.
 * The copy has the real package.json, so its export map (the `compiled` condition) is what is exercised.
 */
function buildSharedPackageInto(dir: string): void {
  const sharedDir = path.join(repoRoot, 'packages', 'shared');
  const copyDir = path.join(dir, 'node_modules', '@deal-brain', 'shared');
  runNode(
    [
      path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      'tsconfig.build.json',
      '--outDir',
      path.join(copyDir, 'dist'),
    ],
    sharedDir,
  );
  copyFileSync(path.join(sharedDir, 'package.json'), path.join(copyDir, 'package.json'));
  // The compiled server must find this copy, not packages/shared (whose dist may be missing or stale).
  const resolved = spawnSync(
    process.execPath,
    [
      COMPILED_CONDITION,
      '--input-type=module',
      '-e',
      "console.log(import.meta.resolve('@deal-brain/shared/loopback'))",
    ],
    { cwd: dir, encoding: 'utf8' },
  );
  expect(resolved.stdout.trim(), resolved.stderr).toBe(pathToFileURL(path.join(copyDir, 'dist', 'loopback.js')).href);
}

interface Child {
  child: ReturnType<typeof spawn>;
  events(): (string | undefined)[];
  output(): string;
}

/** node with the refusing hook and the production export condition, as scripts/start.mjs runs it. */
function startProduction(entry: string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, ['--import', refuseHook, COMPILED_CONDITION, ...entry], {
    cwd: serverDir,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Complete lines only (the last may still be arriving), JSON only: a poll never throws mid-line.
  const events = () =>
    stdout
      .slice(0, stdout.lastIndexOf('\n') + 1)
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .flatMap((line) => {
        try {
          return [(JSON.parse(line) as { event?: string }).event];
        } catch {
          return [];
        }
      });
  return { child, events, output: () => `${stdout}\n${stderr}` };
}

async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the refusing hook', () => {
  it.each([
    ['an ESM import', ['--input-type=module', '-e', "await import('vite')"], 'vite'],
    ['a CommonJS require', ['-e', "require('vitest')"], 'vitest'],
    ['TypeScript source', ['--input-type=module', '-e', "await import('@deal-brain/shared/loopback')"], '.ts'],
  ])('refuses %s (so the checks below can fail)', (_label, args, named) => {
    const result = spawnSync(process.execPath, ['--import', refuseHook, ...args], { cwd: serverDir, encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/refused (import|require) of/);
    expect(result.stderr).toContain(named);
  });
});

describe('the compiled server', () => {
  const key = generateSigningKey();
  let clerk: ClerkBackendStub;

  beforeAll(async () => {
    // What `npm run build` does for these two workspaces, minus the generate step: `npm test` has generated
    // src/generated before any test started, and other test files import it while this one runs.
    runNode([path.join(serverDir, 'scripts', 'build.mjs'), '--skip-generate', '--out-dir', outDir], serverDir);
    buildSharedPackageInto(outDir);
    clerk = await startClerkBackendStub();
  }, 150_000);
  afterAll(async () => {
    await clerk?.close();
    await rm(outDir, { recursive: true, force: true });
  });

  it('serves an authenticated query from the build in production, then exits 0 on SIGTERM', async () => {
    const port = await freePort();
    for (const [id, email] of [
      ['user_prod_build_a', 'a@prod-build.test'],
      ['user_prod_build_b', 'b@prod-build.test'],
    ] as const) {
      clerk.users.set(id, { id, emails: [email], primary: 0 });
    }
    const server = startProduction([path.join(outDir, 'main.js')], {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: inject('database').url,
      AUTH_MODE: 'clerk',
      CLERK_JWT_KEY: key.publicKeyPem,
      CLERK_SECRET_KEY: 'sk_live_backend_stub',
      CLERK_API_URL: clerk.url,
      CLERK_AUTHORIZED_PARTIES: PARTY,
      CLERK_WEBHOOK_SIGNING_SECRET: WEBHOOK_SECRET,
    });
    try {
      await until(() => server.events().includes('server.started') || server.child.exitCode !== null);
      expect(server.events(), server.output()).toContain('server.started');
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

      // Each person sees their own account: verification, provisioning and RLS all ran from the build.
      for (const [id, email] of [
        ['user_prod_build_a', 'a@prod-build.test'],
        ['user_prod_build_b', 'b@prod-build.test'],
      ]) {
        const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${mint(key, sessionClaims(id!))}` },
          body: JSON.stringify({ query: '{ viewer { email } }' }),
        });
        expect(await response.json(), server.output()).toEqual({ data: { viewer: { email } } });
      }

      server.child.kill('SIGTERM');
      const [code] = (await once(server.child, 'exit')) as [number | null];
      expect(code, server.output()).toBe(0);
      expect(server.events()).toContain('server.stopped');
      expect(server.output()).not.toContain('refused');
    } finally {
      server.child.kill('SIGKILL');
    }
  }, 60_000);

  it('has the files it reads at run time: the migrations apply from the build', async () => {
    // db/cli from dist, as `NODE_ENV=production npm run db:migrate` runs it: the database is already
    // migrated, so it reports that, which needs every migration file found and its checksum matching.
    const migrate = startProduction([path.join(outDir, 'db', 'cli.js'), 'migrate'], {
      DATABASE_URL: inject('database').url,
      DATABASE_OWNER_URL: inject('database').ownerUrl,
      CLERK_SECRET_KEY: 'sk_live_unused',
      CLERK_AUTHORIZED_PARTIES: PARTY,
      CLERK_WEBHOOK_SIGNING_SECRET: WEBHOOK_SECRET,
    });
    const [code] = (await once(migrate.child, 'exit')) as [number | null];
    expect(code, migrate.output()).toBe(0);
    expect(migrate.output()).toContain('database is up to date');
  }, 60_000);
});

describe('scripts/run-entry.mjs (the ops commands: npm run db:migrate and the like)', () => {
  const runEntry = (args: string[], env: Record<string, string>) =>
    spawnSync(process.execPath, [path.join(serverDir, 'scripts', 'run-entry.mjs'), ...args], {
      cwd: serverDir,
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
    });

  it('in production asks for the build when the compiled entry is missing', () => {
    const result = runEntry(['no-such/entry-cli'], { NODE_ENV: 'production' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('run npm run build first');
  });

  it('refuses an entry that is not a plain path under src/', () => {
    const result = runEntry(['../../etc/passwd'], { NODE_ENV: 'production' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('expected an entry like db/cli');
  });

  it('outside production runs the TypeScript source through tsx, passing the arguments and the exit code', () => {
    const result = runEntry(['db/cli', 'rollback', 'not-a-number'], {
      NODE_ENV: 'test',
      DATABASE_URL: inject('database').url,
      DATABASE_OWNER_URL: inject('database').ownerUrl,
    });
    expect(result.status, result.stderr).not.toBe(0);
    expect(result.stderr).toContain('Expected a positive number of steps or --all, got "not-a-number"');
  });
});
