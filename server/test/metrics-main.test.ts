// The metrics listener in the real process (src/main.ts): it listens before the API's port, answers
// scrapes with the token while the API serves, never logs the token, and closes with the process; a
// configuration that would expose it is refused at start-up.
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, inject, it, onTestFinished } from 'vitest';
import { freePort } from './support/free-port.js';
import { startMain as startProcess, until } from './support/main-process.js';

/** The process, killed when the test ends whatever happened. */
function startMain(env: Record<string, string>) {
  const main = startProcess(env);
  onTestFinished(() => void main.child.kill('SIGKILL'));
  return main;
}

// Built at run time: no secret-shaped string is committed, not even a test's.
const TOKEN = `metrics-${crypto.randomUUID()}`;

it('listens for scrapes before the API, and closes with the process on SIGTERM', async () => {
  const [port, metricsPort] = [await freePort(), await freePort()];
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'dealbrain-metrics-main-'));
  onTestFinished(() => rm(dataDir, { recursive: true, force: true }));
  const main = startMain({
    DATABASE_URL: inject('database').url,
    PORT: String(port),
    DATA_DIR: dataDir,
    METRICS_PORT: String(metricsPort),
    METRICS_TOKEN: TOKEN,
  });
  await until(() => main.events().includes('server.started'));
  const events = main.events();
  expect(events.indexOf('metrics.started')).toBeGreaterThanOrEqual(0);
  expect(events.indexOf('metrics.started')).toBeLessThan(events.indexOf('server.started'));

  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  const scrape = await fetch(metricsUrl, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(scrape.status).toBe(200);
  expect(await scrape.text()).toContain('dealbrain_db_pool_connections{state="total"}');
  expect((await fetch(metricsUrl)).status).toBe(401);
  expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);

  main.child.kill('SIGTERM');
  const [code] = (await once(main.child, 'exit')) as [number | null];
  expect(code).toBe(0);
  await expect(fetch(metricsUrl)).rejects.toThrow();
  const { stdout, stderr } = main.output();
  expect(stdout + stderr).not.toContain(TOKEN);
}, 30_000);

it('refuses a metrics listener beyond loopback without a token: one line, exit code 1', async () => {
  const main = startMain({ DATABASE_URL: 'postgres://x@127.0.0.1/x', METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' });
  const [code] = (await once(main.child, 'exit')) as [number | null];
  expect(code).toBe(1);
  expect(main.output().stderr.trim()).toBe(
    'config: METRICS_HOST "0.0.0.0" is reachable from other machines: set METRICS_TOKEN, or use a loopback address',
  );
}, 30_000);
