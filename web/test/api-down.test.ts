// Issue 14, faults: the API down while a person uses the web app. The real web app (Remix's dev server, as
// a child process, in local identity mode) with its API_URL on a port this test opens and closes: a proxy to
// a stand-in API (support/fake-api.ts). Whatever cannot be reached, the sign-in service (the key that checks
// session cookies) or the GraphQL API behind a page, a person gets the 503 page with the request id to quote,
// never a stack or a blank 500, and the web log names the failure with the same id.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@deal-brain/shared/testing/free-port';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeApi, type FakeApi } from './support/fake-api';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STARTUP_TIMEOUT_MS = 60_000;

/** A TCP proxy on `port` to `target` that can be opened and closed: "the API is up" and "the API is down". */
function switchableProxy(port: number, target: URL) {
  let server: net.Server | undefined;
  const sockets = new Set<net.Socket>();
  return {
    async open() {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port), target.hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => socket.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
    },
    async close() {
      const current = server;
      server = undefined;
      for (const socket of sockets) socket.destroy();
      if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
    },
  };
}

interface LogLine {
  event?: string;
  requestId?: string;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('the web app with the API down', () => {
  let fake: FakeApi;
  let proxy: ReturnType<typeof switchableProxy>;
  let web: ChildProcess;
  let webUrl: string;
  let output = '';
  let dataDir: string;

  // Complete lines only: the child's output arrives in chunks that may end mid-line.
  const logLines = (): LogLine[] =>
    output
      .split('\n')
      .slice(0, -1)
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);

  // The child's log reaches this process through a pipe, independently of the HTTP answer, so a line
  // written just before the answer may still be on its way when the answer arrives.
  const expectLogged = (event: string, requestId: string) =>
    vi.waitFor(() => expect(logLines()).toContainEqual(expect.objectContaining({ event, requestId })), {
      timeout: 5_000,
      interval: 50,
    });

  async function page(pathname: string, requestId: string, cookie?: string) {
    const response = await fetch(`${webUrl}${pathname}`, {
      headers: { 'x-request-id': requestId, ...(cookie ? { cookie } : {}) },
      redirect: 'manual',
      signal: AbortSignal.timeout(15_000),
    });
    return { status: response.status, html: await response.text() };
  }

  beforeAll(async () => {
    fake = await startFakeApi();
    const apiPort = await freePort();
    proxy = switchableProxy(apiPort, new URL(fake.url));
    const webPort = await freePort();
    webUrl = `http://localhost:${webPort}`;
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'dealbrain-web-api-down-'));
    const remixCli = path.join(
      path.dirname(createRequire(path.join(webDir, 'package.json')).resolve('@remix-run/dev/package.json')),
      'dist',
      'cli.js',
    );
    web = spawn(process.execPath, [remixCli, 'vite:dev', '--port', String(webPort), '--strictPort'], {
      cwd: webDir,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'development',
        AUTH_MODE: 'local',
        API_URL: `http://127.0.0.1:${apiPort}`,
        API_TIMEOUT_MS: '5000',
        DATA_DIR: dataDir,
        CLERK_AUTHORIZED_PARTIES: webUrl,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    web.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    web.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // Any answer will do: the API is not up yet, so pages answer 503.
    await waitFor(async () => (await fetch(`${webUrl}/sign-in`)).status > 0, STARTUP_TIMEOUT_MS, 'the web app');
  }, STARTUP_TIMEOUT_MS + 10_000);

  afterAll(async () => {
    // The dev server and what it started (esbuild): the whole process group, which is ours alone.
    if (web?.pid && web.exitCode === null) {
      process.kill(-web.pid, 'SIGTERM');
      await once(web, 'exit');
    }
    await proxy?.close();
    await fake?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('answers 503 with the request id when the sign-in service cannot be reached, and logs it', async () => {
    const cookie = `__session=${fake.mint({ azp: webUrl })}; __client_uat=1`;
    const requestId = `api-down-${crypto.randomUUID()}`;
    const res = await page('/app', requestId, cookie);
    expect(res.status).toBe(503);
    expect(res.html).toContain('data-testid="api-unavailable"');
    expect(res.html).toContain('The sign-in service is not reachable. Please try again in a moment.');
    expect(res.html).toContain(`<code data-testid="request-id">${requestId}</code>`);
    expect(res.html).not.toMatch(/at .*\.ts:\d+/);
    await expectLogged('auth.provider_unavailable', requestId);
  }, 30_000);

  it('answers 503 with the request id when the GraphQL API cannot be reached, and logs it', async () => {
    await proxy.open();
    // With the API up, a page load fetches the key that checks session cookies (kept for minutes).
    expect((await page('/sign-in', 'warm')).status).toBe(200);
    await proxy.close();

    const cookie = `__session=${fake.mint({ azp: webUrl })}; __client_uat=1`;
    const requestId = `api-down-${crypto.randomUUID()}`;
    const res = await page('/app', requestId, cookie);
    expect(res.status).toBe(503);
    expect(res.html).toContain('data-testid="api-unavailable"');
    expect(res.html).toContain('The Deal Brain API is not reachable right now. Please try again in a moment.');
    expect(res.html).toContain(`<code data-testid="request-id">${requestId}</code>`);
    expect(res.html).not.toMatch(/at .*\.ts:\d+/);
    await expectLogged('api.failed', requestId);
  }, 30_000);
});
