// The production build refuses to start in local identity mode (and without Clerk keys): the process
// exits before it listens.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(webDir, 'package.json'));
const binOf = (pkg: string, bin: string) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), bin);

function serve(env: Record<string, string>) {
  const clean = { ...process.env };
  for (const name of Object.keys(clean)) if (/^(CLERK_|AUTH_MODE|API_URL|NODE_ENV)/.test(name)) delete clean[name];
  return spawnSync(process.execPath, [binOf('@remix-run/serve', 'dist/cli.js'), 'build/server/index.js'], {
    cwd: webDir,
    env: { ...clean, PORT: '0', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
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

  it('refuses to start without Clerk keys', () => {
    const result = serve({ NODE_ENV: 'production' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('CLERK_PUBLISHABLE_KEY');
  });
});
