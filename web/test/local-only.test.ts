// Local identity mode answers only a browser on this machine talking to the app directly (ADR 0066):
// a rebinding request (Host evil.test:3000) and a proxied one (X-Forwarded-For, Forwarded, Via) are
// refused with 403 by every loader and action of every route, before they run, and by the server entry
// for documents and data requests. Allowed origins come from the configuration, never from the request.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localRequestRefusal } from '~/lib/local-only.server';

const savedEnv = { ...process.env };
const LOCAL_ENV = {
  NODE_ENV: 'test' as const,
  AUTH_MODE: 'local',
  HOST: '127.0.0.1',
  API_URL: 'http://127.0.0.1:9',
  API_TIMEOUT_MS: '200',
  CLERK_AUTHORIZED_PARTIES: 'http://localhost:3000',
};

beforeEach(() => {
  vi.resetModules();
  process.env = { ...savedEnv, ...LOCAL_ENV };
  for (const name of ['CLERK_SECRET_KEY', 'CLERK_PUBLISHABLE_KEY', 'CLERK_JWT_KEY']) delete process.env[name];
});

afterEach(() => {
  process.env = { ...savedEnv };
});

function request(url: string, headers: Record<string, string> = {}, method = 'GET'): Request {
  return new Request(url, {
    method,
    headers,
    ...(method === 'POST' ? { body: new URLSearchParams({ email: 'admin@example.com' }) } : {}),
  });
}

/** Requests local mode must refuse: DNS rebinding (another site's name for 127.0.0.1) and proxies. */
const REFUSED: [string, () => Request][] = [
  ['a rebinding Host', () => request('http://evil.test:3000/app', { host: 'evil.test:3000' })],
  [
    'X-Forwarded-For',
    () => request('http://localhost:3000/app', { host: 'localhost:3000', 'x-forwarded-for': '203.0.113.9' }),
  ],
  [
    'X-Forwarded-Host',
    () => request('http://localhost:3000/app', { host: 'localhost:3000', 'x-forwarded-host': 'localhost:3000' }),
  ],
  ['Forwarded', () => request('http://localhost:3000/app', { host: 'localhost:3000', forwarded: 'for=203.0.113.9' })],
  ['Via', () => request('http://localhost:3000/app', { host: 'localhost:3000', via: '1.1 proxy' })],
  ['X-Real-IP', () => request('http://localhost:3000/app', { host: 'localhost:3000', 'x-real-ip': '203.0.113.9' })],
  // The Vite dev server builds the URL from the Origin header: a loopback Host does not make it local.
  ['a URL on another host', () => request('http://evil.test:3000/app', { host: 'localhost:3000' })],
];

describe('localRequestRefusal', () => {
  it.each(REFUSED)('refuses %s', (_, make) => {
    expect(localRequestRefusal(make())).not.toBeNull();
  });

  it.each(['localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'localhost'])('lets Host %s through', (host) => {
    const url = `http://${host}/app`;
    expect(localRequestRefusal(request(url, { host }))).toBeNull();
  });

  it('names the reason', () => {
    expect(localRequestRefusal(REFUSED[0]![1]())).toBe('host_not_loopback');
    expect(localRequestRefusal(REFUSED[1]![1]())).toBe('proxied');
  });
});

type Handler = (args: { request: Request; params: Record<string, string>; context: object }) => unknown;

const routesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'app', 'routes');
const ROUTE_FILES = readdirSync(routesDir).filter((file) => /\.tsx?$/.test(file));

async function outcome(run: () => unknown): Promise<unknown> {
  try {
    return await run();
  } catch (error) {
    return error;
  }
}

describe('every route in local mode', () => {
  it.each(ROUTE_FILES)('%s refuses rebinding and proxied requests before its loader or action runs', async (file) => {
    const module = (await import(/* @vite-ignore */ path.join(routesDir, file))) as {
      loader?: Handler;
      action?: Handler;
    };
    // Every route module that has one or the other; a page without a loader is served through root's.
    const rootModule = (await import('~/root')) as { loader: Handler };
    const kinds = (['loader', 'action'] as const).filter((kind) => module[kind]);
    const targets =
      kinds.length > 0
        ? kinds.map((kind) => [kind, module[kind]!] as const)
        : [['root loader', rootModule.loader] as const];
    for (const [kind, handler] of targets) {
      for (const [name, make] of REFUSED) {
        const base = make();
        const req =
          kind === 'action'
            ? new Request(base, { method: 'POST', body: 'email=admin%40example.com', headers: base.headers })
            : base;
        const result = await outcome(() =>
          handler({ request: req, params: { id: 'x', name: 'a.png', '*': 'x' }, context: {} }),
        );
        expect(result, `${file} ${kind}, ${name}`).toBeInstanceOf(Response);
        expect((result as Response).status, `${file} ${kind}, ${name}`).toBe(403);
      }
    }
  });

  it('found the routes (the walk above covered loaders and actions)', () => {
    expect(ROUTE_FILES.length).toBeGreaterThan(20);
  });
});

describe('the server entry in local mode', () => {
  it('answers a refused document or data request with 403 whatever the loaders did', async () => {
    const entry = await import('~/entry.server');
    for (const [name, make] of REFUSED) {
      const data = await entry.handleDataRequest(new Response('{}', { status: 200 }), {
        request: make(),
        params: {},
        context: {},
      });
      expect(data.status, name).toBe(403);
      const document = (await entry.default(make(), 200, new Headers(), {} as never)) as Response;
      expect(document.status, name).toBe(403);
      expect(document.headers.get('Cache-Control')).toBe('private, no-store');
    }
  });

  it('stamps a data response it lets through with the security headers', async () => {
    const entry = await import('~/entry.server');
    const ok = await entry.handleDataRequest(new Response('{}'), {
      request: request('http://localhost:3000/app?_data=root', { host: 'localhost:3000' }),
      params: {},
      context: {},
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('Permissions-Policy')).toContain('camera=()');
    expect(ok.headers.get('Content-Security-Policy')).toBeNull();
  });
});

describe('the allowed origin of a form post', () => {
  it("comes from the configuration, not the request's Host or Origin", async () => {
    // Clerk mode, so that only the origin check is in play (no loopback rule).
    process.env.AUTH_MODE = 'clerk';
    process.env.CLERK_PUBLISHABLE_KEY = `pk_test_${Buffer.from('x.clerk.accounts.dev$').toString('base64')}`;
    process.env.CLERK_SECRET_KEY = 'sk_test_x';
    const { guarded } = await import('~/lib/guard.server');
    const evil = 'http://evil.test:3000';
    const post = new Request(`${evil}/sign-in`, { method: 'POST', headers: { host: 'evil.test:3000', origin: evil } });
    const result = await outcome(() => guarded(post, async () => 'signed in'));
    expect(result).toBeInstanceOf(Response);
    expect((result as Response).status).toBe(403);
    const own = new Request('http://localhost:3000/sign-in', {
      method: 'POST',
      headers: { host: 'localhost:3000', origin: 'http://localhost:3000' },
    });
    expect(await guarded(own, async () => 'ok')).toBe('ok');
  });
});
