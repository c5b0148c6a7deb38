// The web app (its Vite dev server, as e2e/support/global-setup.ts starts it) in local identity mode in
// front of a given API URL, and a plain-HTTP "browser" for it: a cookie jar, form posts from the app's own
// origin, redirects followed. For server tests that need the whole path (test/scale-out.test.ts) without
// Playwright; what a page shows is checked in its HTML, as server rendering produced it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface WebAppOptions {
  /** http://localhost:<free port>: the origin the API instances accept tokens for (CLERK_AUTHORIZED_PARTIES). */
  url: string;
  apiUrl: string;
  /** The API's DATA_DIR: the web app reads the local routes' boot secret there. */
  dataDir: string;
  startTimeoutMs?: number;
}

export interface Page {
  status: number;
  /** Where the redirects ended. */
  url: string;
  text: string;
}

export interface Browser {
  get(pathname: string): Promise<Page>;
  /** A form post from the app's own origin. */
  post(pathname: string, form: Record<string, string>): Promise<Page>;
  cookie(name: string): string | undefined;
}

export interface WebApp {
  url: string;
  /** A new browser with an empty cookie jar. */
  browser(): Browser;
  output(): string;
  stop(): Promise<void>;
}

/** Applies Set-Cookie headers: a cleared (empty, Max-Age=0 or expired) cookie leaves the jar. */
function store(jar: Map<string, string>, response: Response): void {
  for (const header of response.headers.getSetCookie()) {
    const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
    const separator = pair.indexOf('=');
    const name = pair.slice(0, separator);
    const value = pair.slice(separator + 1);
    const expired = attributes.some((attribute) => {
      const [key = '', setting = ''] = attribute.split('=');
      if (key.toLowerCase() === 'max-age') return Number(setting) <= 0;
      if (key.toLowerCase() === 'expires') return Date.parse(setting) <= Date.now();
      return false;
    });
    if (value === '' || expired) jar.delete(name);
    else jar.set(name, value);
  }
}

function newBrowser(origin: string): Browser {
  const jar = new Map<string, string>();
  const request = async (method: string, pathname: string, body?: URLSearchParams): Promise<Page> => {
    let url = new URL(pathname, origin).toString();
    let init: { method: string; body?: URLSearchParams } = { method, ...(body ? { body } : {}) };
    for (let hop = 0; hop < 10; hop++) {
      const response = await fetch(url, {
        ...init,
        redirect: 'manual',
        headers: {
          cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; '),
          'user-agent': 'scale-out-test',
          ...(init.method === 'POST' ? { origin, 'sec-fetch-site': 'same-origin' } : {}),
        },
      });
      store(jar, response);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) {
        return { status: response.status, url, text: await response.text() };
      }
      await response.body?.cancel();
      url = new URL(location, url).toString();
      init = { method: 'GET' };
    }
    throw new Error(`${method} ${pathname}: more than 10 redirects`);
  };
  return {
    get: (pathname) => request('GET', pathname),
    post: (pathname, form) => request('POST', pathname, new URLSearchParams(form)),
    cookie: (name) => jar.get(name),
  };
}

async function waitForPage(url: string, exited: () => boolean, deadline: number, output: () => string) {
  for (;;) {
    if (exited()) throw new Error(`the web app exited while starting:\n${output()}`);
    const status = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(30_000) }).then(
      async (response) => {
        await response.body?.cancel();
        return response.status;
      },
      () => 0,
    );
    if (status > 0 && status < 500) return;
    if (Date.now() > deadline) throw new Error(`the web app did not answer ${url} in time:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Starts the dev server and waits until its pages are compiled (the first request of each compiles it). */
export async function startWebApp(options: WebAppOptions): Promise<WebApp> {
  const port = new URL(options.url).port;
  const webRequire = createRequire(path.join(repoRoot, 'web', 'package.json'));
  const remixCli = path.join(path.dirname(webRequire.resolve('@remix-run/dev/package.json')), 'dist', 'cli.js');
  const child = spawn(process.execPath, [remixCli, 'vite:dev', '--port', port, '--strictPort'], {
    cwd: path.join(repoRoot, 'web'),
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'development',
      AUTH_MODE: 'local',
      API_URL: options.apiUrl,
      DATA_DIR: options.dataDir,
      CLERK_AUTHORIZED_PARTIES: options.url,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: stop() reaches esbuild too.
    detached: true,
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    if (output.length < 50_000) output += chunk.toString();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = once(child, 'exit');
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    signalGroup('SIGTERM');
    const kill = setTimeout(() => signalGroup('SIGKILL'), 10_000);
    await exited;
    clearTimeout(kill);
    signalGroup('SIGKILL'); // anything of the group still there
  };
  try {
    const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
    const hasExited = () => child.exitCode !== null;
    for (const page of ['/sign-in', '/app', '/']) {
      await waitForPage(`${options.url}${page}`, hasExited, deadline, () => output);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: options.url, browser: () => newBrowser(options.url), output: () => output, stop };
}
