// The production server (server.mjs, what `npm start` runs) from the build, under a hook that makes loading
// any development dependency or TypeScript file throw (scripts/refuse-dev-dependencies.mjs): it refuses local
// identity mode (and missing Clerk keys) before it listens, serves public pages with the security headers, and
// passes the browser's address on to the API as X-Forwarded-For. Outside production it serves local mode only
// when told to listen on loopback.
import { spawn, spawnSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@deal-brain/shared/testing/free-port';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApi, WEB_ORIGIN, type FakeApi } from './support/fake-api';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(webDir, 'package.json'));
const binOf = (pkg: string, bin: string) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), bin);
const refuseHook = path.join(webDir, '..', 'scripts', 'refuse-dev-dependencies.mjs');

// As scripts/start.mjs runs it: node itself, the export condition of @deal-brain/shared's compiled code.
const SERVE_ARGS = ['--import', refuseHook, '--conditions=compiled', 'server.mjs'];

function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const clean = { ...process.env };
  for (const name of Object.keys(clean)) {
    if (/^(CLERK_|AUTH_MODE|API_URL|NODE_ENV|HOST$|PORT$|WEB_TRUSTED_PROXIES$)/.test(name)) delete clean[name];
  }
  return { ...clean, PORT: '0', ...env };
}

function serve(env: Record<string, string>) {
  return spawnSync(process.execPath, SERVE_ARGS, {
    cwd: webDir,
    env: cleanEnv(env),
    encoding: 'utf8',
    timeout: 30_000,
  });
}

/** Starts the built server and resolves, once it listens, with what it printed and a way to stop it. */
async function startServing(env: Record<string, string>): Promise<{ output: () => string; stop: () => void }> {
  const child = spawn(process.execPath, SERVE_ARGS, { cwd: webDir, env: cleanEnv(env) });
  let output = '';
  const stop = () => void child.kill('SIGTERM');
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not listening after 20 s: ${output}`)), 20_000);
      const read = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes('"event":"web.started"')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${code}: ${output}`));
      });
    });
  } catch (error) {
    stop();
    throw error;
  }
  return { output: () => output, stop };
}

/** Starts the built server, waits until it listens, and returns what it printed; then stops it. */
async function serveUntilListening(env: Record<string, string>): Promise<string> {
  const server = await startServing(env);
  server.stop();
  return server.output();
}

describe('the production server', () => {
  beforeAll(() => {
    const build = spawnSync(process.execPath, [binOf('@remix-run/dev', 'dist/cli.js'), 'vite:build'], {
      cwd: webDir,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(build.status, build.stderr).toBe(0);
  }, 150_000);

  it('refuses to start in local identity mode', () => {
    const result = serve({ NODE_ENV: 'production', AUTH_MODE: 'local' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('config: AUTH_MODE=local is refused when NODE_ENV=production');
  });

  it.each([
    ['no HOST (the server would listen on every interface)', {}, 'set HOST to a loopback address'],
    ['a HOST that is not loopback', { HOST: '0.0.0.0' }, 'HOST must be a loopback address'],
    ['NODE_ENV=development but no HOST (not the Vite dev server)', { NODE_ENV: 'development' }, 'set HOST'],
  ])('refuses local identity mode outside production with %s', (_label, env: Record<string, string>, message) => {
    const result = serve({ NODE_ENV: 'test', AUTH_MODE: 'local', ...env });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`config: AUTH_MODE=local signs in anyone who can reach the web app`);
    expect(result.stderr).toContain(message);
  });

  it('serves local identity mode on a loopback HOST only', async () => {
    const port = await freePort();
    const output = await serveUntilListening({
      NODE_ENV: 'test',
      AUTH_MODE: 'local',
      HOST: '127.0.0.1',
      PORT: String(port),
    });
    expect(output).toContain(`"url":"http://127.0.0.1:${port}"`);
  });

  it('refuses to start without Clerk keys', () => {
    const result = serve({ NODE_ENV: 'production' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('CLERK_PUBLISHABLE_KEY');
  });

  describe('in production, Clerk mode', () => {
    let api: FakeApi;
    let clerkEnv: Record<string, string>;

    beforeAll(async () => {
      api = await startFakeApi();
      // Networkless verification with the fake provider's key, and a production publishable key whose
      // Frontend API host is unresolvable: nothing leaves this machine.
      const jwks = (await (await fetch(`${api.url}/__local-auth/.well-known/jwks.json`)).json()) as { keys: object[] };
      const pem = createPublicKey({ key: jwks.keys[0] as never, format: 'jwk' }).export({
        type: 'spki',
        format: 'pem',
      });
      clerkEnv = {
        NODE_ENV: 'production',
        AUTH_MODE: 'clerk',
        HOST: '127.0.0.1',
        API_URL: api.url,
        CLERK_PUBLISHABLE_KEY: `pk_live_${Buffer.from('clerk.production-test.invalid$').toString('base64')}`,
        CLERK_SECRET_KEY: 'sk_live_never_called',
        CLERK_JWT_KEY: pem.toString(),
        CLERK_AUTHORIZED_PARTIES: WEB_ORIGIN,
        LOG_LEVEL: 'silent',
      };
    });
    afterAll(async () => {
      await api?.close();
    });

    async function withServer<T>(env: Record<string, string>, run: (url: string) => Promise<T>): Promise<T> {
      const port = await freePort();
      const server = await startServing({ ...clerkEnv, ...env, PORT: String(port) });
      try {
        return await run(`http://127.0.0.1:${port}`);
      } finally {
        server.stop();
        expect(server.output()).not.toContain('refused');
      }
    }

    it('serves a public page with the security headers, and fingerprinted assets cached for good', async () => {
      await withServer({}, async (url) => {
        const page = await fetch(`${url}/`);
        expect(page.status).toBe(200);
        expect(page.headers.get('x-content-type-options')).toBe('nosniff');
        expect(page.headers.get('x-frame-options')).toBe('DENY');
        expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
        expect(page.headers.get('strict-transport-security')).toContain('max-age=');
        expect(page.headers.get('x-powered-by')).toBeNull();
        const asset = /\/assets\/[\w.-]+\.js/.exec(await page.text())?.[0];
        expect(asset).toBeDefined();
        const assetResponse = await fetch(`${url}${asset}`);
        expect(assetResponse.status).toBe(200);
        expect(assetResponse.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      });
    });

    /** A signed-in page load with the given request headers; returns the X-Forwarded-For the API received. */
    async function forwardedFor(url: string, headers: Record<string, string>): Promise<string | undefined> {
      const iat = Math.floor(Date.now() / 1000) - 10;
      const token = api.mint({ iat });
      api.requests.length = 0;
      await fetch(`${url}/app`, { headers: { cookie: `__session=${token}; __client_uat=${iat}`, ...headers } });
      const call = api.requests.find((request) => request.path === '/graphql');
      expect(call, 'the page called the API').toBeDefined();
      return call!.headers['x-forwarded-for'] as string | undefined;
    }

    it("passes the connection's address on to the API, not what the browser claims", async () => {
      await withServer({}, async (url) => {
        const claimed = { 'x-forwarded-for': '198.51.100.7', 'x-deal-brain-client-address': '203.0.113.9' };
        expect(await forwardedFor(url, claimed)).toBe('127.0.0.1');
      });
    });

    it('passes on the address a trusted proxy names (WEB_TRUSTED_PROXIES)', async () => {
      await withServer({ WEB_TRUSTED_PROXIES: 'loopback' }, async (url) => {
        expect(await forwardedFor(url, { 'x-forwarded-for': '198.51.100.7' })).toBe('198.51.100.7');
      });
    });

    it('refuses to start on a malformed WEB_TRUSTED_PROXIES', () => {
      const result = serve({ ...clerkEnv, WEB_TRUSTED_PROXIES: '10.0.0.0/99' });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('config: WEB_TRUSTED_PROXIES');
    });

    it('refuses to start on a SHUTDOWN_TIMEOUT_MS that is not a whole number of milliseconds', () => {
      const result = serve({ ...clerkEnv, SHUTDOWN_TIMEOUT_MS: '10s' });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('config: SHUTDOWN_TIMEOUT_MS must be a whole number from 0 to 120000, got "10s"');
    });
  });
});
