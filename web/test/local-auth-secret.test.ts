// Local mode: the web app's calls to the API's /__local-auth carry the secret the API server keeps in
// DATA_DIR/local-auth/boot-secret; a page, a proxy or another user cannot read it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LOCAL_AUTH_SECRET_HEADER, LOCAL_AUTH_SECRET_REFUSED } from '@deal-brain/shared/local-auth';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalAuthUnavailableError, createLocalProvider, secretFromFile } from '~/auth/local-provider.server';
import { configFrom } from '~/config.server';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'web-local-secret-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function recordingProvider(file: string, answer = () => new Response(null, { status: 204 })) {
  const sent: (string | null)[] = [];
  const fetchStub = (async (_input: RequestInfo | URL, init: RequestInit = {}) => {
    sent.push(new Headers(init.headers).get(LOCAL_AUTH_SECRET_HEADER));
    return answer();
  }) as typeof fetch;
  const provider = createLocalProvider({
    apiUrl: 'http://127.0.0.1:4000',
    timeoutMs: 1000,
    sessionTtlSeconds: 36000,
    fetch: fetchStub,
    secret: secretFromFile(file),
  });
  return { provider, sent };
}

describe("the local routes' secret", () => {
  it('is read from the file at every call, so a restarted API server’s new one is sent', async () => {
    const file = path.join(dir, 'boot-secret');
    const { provider, sent } = recordingProvider(file);
    await writeFile(file, 'first-boot\n', { mode: 0o600 });
    await provider.endSession('sess_local_1');
    await writeFile(file, 'second-boot\n', { mode: 0o600 });
    await provider.endSession('sess_local_1');
    expect(sent).toEqual(['first-boot', 'second-boot']);
  });

  it('is not sent while the file does not exist (the API then refuses the call)', async () => {
    const { provider, sent } = recordingProvider(path.join(dir, 'missing'));
    await provider.endSession('sess_local_1');
    expect(sent).toEqual([null]);
  });

  it('turns the API’s refusal into “provider unavailable”, naming DATA_DIR', async () => {
    const file = path.join(dir, 'boot-secret');
    await writeFile(file, 'stale\n');
    const refusal = () =>
      new Response(JSON.stringify({ error: LOCAL_AUTH_SECRET_REFUSED, message: 'no' }), {
        status: 403,
        headers: { 'content-type': 'application/json' },
      });
    const { provider } = recordingProvider(file, refusal);
    const error = await provider.createSession('alice@example.com').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LocalAuthUnavailableError);
    expect((error as Error).message).toMatch(/same DATA_DIR/);
  });

  it('is looked for where the API server writes it: DATA_DIR (default .data at the repository root)/local-auth', () => {
    const vite = { viteDevServer: true };
    expect(configFrom({ DATA_DIR: dir }, vite).local.secretFile).toBe(path.join(dir, 'local-auth', 'boot-secret'));
    const repoRoot = path.resolve(import.meta.dirname, '..', '..');
    expect(configFrom({}, vite).local.secretFile).toBe(path.join(repoRoot, '.data', 'local-auth', 'boot-secret'));
    expect(configFrom({ DATA_DIR: 'elsewhere' }, vite).local.secretFile).toBe(
      path.join(repoRoot, 'elsewhere', 'local-auth', 'boot-secret'),
    );
  });
});
