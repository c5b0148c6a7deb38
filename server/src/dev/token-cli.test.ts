// `npm run token`: the CLI against the provider's routes on a real server, and its error messages.
import { createServer } from 'node:http';
import { DEMO_IDENTITIES } from '@deal-brain/shared/demo-identities';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalIdentityProvider } from './local-identity/index.js';
import { baseUrlFromConfig, runTokenCli, type TokenCliIo } from './token-cli.js';
import { listen, type ListeningServer } from '../../test/support/listen.js';
import { claimsOf, harness, serveLocalAuth, verificationReason } from '../../test/support/local-identity.js';

function captureIo(overrides: Partial<TokenCliIo> = {}) {
  const out = { stdout: '', stderr: '' };
  const io: TokenCliIo = {
    stdout: (text) => (out.stdout += text),
    stderr: (text) => (out.stderr += text),
    fetch,
    loadConfig: () => {
      throw new Error('loadConfig should not be needed');
    },
    ...overrides,
  };
  return { io, out };
}

describe('token CLI', () => {
  let provider: LocalIdentityProvider;
  let server: ListeningServer;
  beforeAll(async () => {
    ({ provider } = await harness({ now: Date.now }));
    server = await serveLocalAuth(() => provider);
  });
  afterAll(async () => {
    await server.close();
  });

  it('prints only the token, found through the configured host and port', async () => {
    const { io, out } = captureIo({ loadConfig: () => ({ host: '127.0.0.1', port: server.port }) });
    expect(await runTokenCli(['alice@example.com'], io)).toBe(0);
    expect(out.stderr).toBe('');
    expect(out.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(await verificationReason(out.stdout.trim(), provider.publicKeyPem)).toBe('ok');
  });

  it('passes --ttl and --url through', async () => {
    const { io, out } = captureIo();
    expect(await runTokenCli(['bob@example.com', '--ttl', '120', '--url', server.base], io)).toBe(0);
    const claims = claimsOf(out.stdout.trim());
    expect((claims.exp as number) - (claims.iat as number)).toBe(120);
  });

  it('explains an unknown identity on stderr and exits 1', async () => {
    const { io, out } = captureIo();
    expect(await runTokenCli(['ghost@example.com', '--url', server.base], io)).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/No local identity with email ghost@example.com/);
  });

  it('asks whether the dev server is running when nothing listens', async () => {
    const closed = await listen(createServer());
    await closed.close();
    const { io, out } = captureIo();
    expect(await runTokenCli(['alice@example.com', '--url', closed.base], io)).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/ECONNREFUSED.*is `npm run dev` running\?/);
  });

  it('reports a server without local auth routes', async () => {
    const { io, out } = captureIo({
      fetch: async () => new Response('Not Found', { status: 404 }),
    });
    expect(await runTokenCli(['alice@example.com', '--url', 'http://localhost:1'], io)).toBe(1);
    expect(out.stderr).toMatch(/AUTH_MODE=local/);
  });

  it('prints usage for missing or extra arguments', async () => {
    for (const args of [[], ['a@example.com', 'b@example.com'], ['a@example.com', '--ttl', 'soon']]) {
      const { io, out } = captureIo();
      expect(await runTokenCli(args, io)).toBe(1);
      expect(out.stdout).toBe('');
      expect(out.stderr).toMatch(/^token: /);
    }
  });

  it('names the demo identities in its help', async () => {
    const { io, out } = captureIo();
    expect(await runTokenCli(['--help'], io)).toBe(0);
    for (const { email } of DEMO_IDENTITIES) expect(out.stdout).toContain(email);
  });

  it('connects to localhost when the server listens on a wildcard address', () => {
    expect(baseUrlFromConfig({ host: '0.0.0.0', port: 4000 })).toBe('http://localhost:4000');
    expect(baseUrlFromConfig({ host: '::1', port: 4000 })).toBe('http://[::1]:4000');
    expect(baseUrlFromConfig({ host: '127.0.0.1', port: 4001 })).toBe('http://127.0.0.1:4001');
  });
});
