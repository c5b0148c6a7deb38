// The production build refuses to start in local identity mode (and without Clerk keys): the process
// exits before it listens. Outside production it serves local mode only when told to listen on loopback.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@deal-brain/shared/testing/free-port';
import { beforeAll, describe, expect, it } from 'vitest';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(webDir, 'package.json'));
const binOf = (pkg: string, bin: string) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), bin);

const SERVE_ARGS = [binOf('@remix-run/serve', 'dist/cli.js'), 'build/server/index.js'];

function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const clean = { ...process.env };
  for (const name of Object.keys(clean)) {
    if (/^(CLERK_|AUTH_MODE|API_URL|NODE_ENV|HOST$|PORT$)/.test(name)) delete clean[name];
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

/** Starts the built server, waits until it listens, and returns what it printed; then stops it. */
async function serveUntilListening(env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, SERVE_ARGS, { cwd: webDir, env: cleanEnv(env) });
  let output = '';
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not listening after 20 s: ${output}`)), 20_000);
      const read = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes('[remix-serve]')) {
          clearTimeout(timer);
          resolve(output);
        }
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${code}: ${output}`));
      });
    });
  } finally {
    child.kill('SIGTERM');
  }
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
    ['no HOST (remix-serve would listen on every interface)', {}, 'set HOST to a loopback address'],
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
    expect(output).toContain(`(http://127.0.0.1:${port})`);
  });

  it('refuses to start without Clerk keys', () => {
    const result = serve({ NODE_ENV: 'production' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('CLERK_PUBLISHABLE_KEY');
  });
});
