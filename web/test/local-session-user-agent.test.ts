// Local mode: a new session carries the browser's User-Agent, which Settings → Sessions shows as browser
// and device; an absent one is not sent, and a very long one is cut rather than refused.
import { describe, expect, it } from 'vitest';
import { createLocalProvider } from '~/auth/local-provider.server';

function recordingProvider() {
  const bodies: unknown[] = [];
  const fetchStub = (async (_input: RequestInfo | URL, init: RequestInit = {}) => {
    bodies.push(typeof init.body === 'string' ? JSON.parse(init.body) : undefined);
    return new Response(JSON.stringify({ error: 'identity_not_found', message: 'no' }), {
      status: 404,
      headers: { 'content-type': 'application/json' },
    });
  }) as typeof fetch;
  const provider = createLocalProvider({
    apiUrl: 'http://127.0.0.1:4000',
    timeoutMs: 1000,
    sessionTtlSeconds: 36000,
    fetch: fetchStub,
  });
  return { provider, bodies };
}

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

describe('createSession and the User-Agent', () => {
  it('sends the browser’s User-Agent with the session request', async () => {
    const { provider, bodies } = recordingProvider();
    await provider.createSession('a@b.co', CHROME).catch(() => undefined);
    expect(bodies).toEqual([{ email: 'a@b.co', ttlSeconds: 36000, userAgent: CHROME }]);
  });

  it('sends none when the request had none', async () => {
    const { provider, bodies } = recordingProvider();
    await provider.createSession('a@b.co', null).catch(() => undefined);
    await provider.createSession('a@b.co', '').catch(() => undefined);
    await provider.createSession('a@b.co').catch(() => undefined);
    expect(bodies).toEqual([0, 1, 2].map(() => ({ email: 'a@b.co', ttlSeconds: 36000 })));
  });

  it('cuts a very long one to 512 characters', async () => {
    const { provider, bodies } = recordingProvider();
    await provider.createSession('a@b.co', 'x'.repeat(5000)).catch(() => undefined);
    expect(bodies).toEqual([{ email: 'a@b.co', ttlSeconds: 36000, userAgent: 'x'.repeat(512) }]);
  });
});
