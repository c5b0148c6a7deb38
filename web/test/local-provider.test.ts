import { describe, expect, it } from 'vitest';
import { LocalAuthError, LocalAuthUnavailableError, createLocalProvider } from '~/auth/local-provider.server';
import { generateKey } from './support/fake-api';

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>;

function providerWith(handler: Handler, now = () => Date.now()) {
  const calls: { url: string; method: string; body: unknown }[] = [];
  const fetchStub = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    // The client calls fetch with a URL string and a JSON string body, nothing else.
    const url = input instanceof Request ? input.url : input.toString();
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    calls.push({ url, method: init.method ?? 'GET', body });
    return handler(url, init);
  }) as typeof fetch;
  const provider = createLocalProvider({
    apiUrl: 'http://127.0.0.1:4000',
    timeoutMs: 1000,
    sessionTtlSeconds: 36000,
    fetch: fetchStub,
    now,
  });
  return { provider, calls };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('local provider client', () => {
  it('turns the JWKS into a PEM and caches it for five minutes', async () => {
    const { publicKey } = generateKey();
    let clock = 0;
    const { provider, calls } = providerWith(
      () => json(200, { keys: [publicKey.export({ format: 'jwk' })] }),
      () => clock,
    );
    const pem = await provider.publicKeyPem();
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(pem).toBe(publicKey.export({ type: 'spki', format: 'pem' }).toString());
    await provider.publicKeyPem();
    expect(calls).toHaveLength(1);
    clock = 5 * 60 * 1000 + 1;
    await provider.publicKeyPem();
    expect(calls).toHaveLength(2);
  });

  it('keeps a known key when the provider cannot be reached to refresh it', async () => {
    const { publicKey } = generateKey();
    let clock = 0;
    let up = true;
    const { provider } = providerWith(
      () => {
        if (!up) throw new TypeError('fetch failed');
        return json(200, { keys: [publicKey.export({ format: 'jwk' })] });
      },
      () => clock,
    );
    const pem = await provider.publicKeyPem();
    up = false;
    clock = 10 * 60 * 1000;
    expect(await provider.publicKeyPem()).toBe(pem);
  });

  it('reports an unreachable provider and 5xx answers as unavailable', async () => {
    const down = providerWith(() => {
      throw new TypeError('fetch failed');
    });
    await expect(down.provider.publicKeyPem()).rejects.toBeInstanceOf(LocalAuthUnavailableError);
    const failing = providerWith(() => json(500, { error: 'internal_error' }));
    await expect(failing.provider.createSession('a@b.co')).rejects.toBeInstanceOf(LocalAuthUnavailableError);
    const empty = providerWith(() => json(200, { keys: [] }));
    await expect(empty.provider.publicKeyPem()).rejects.toThrow(/no RSA key/);
  });

  it('starts sessions with a working-day ttl and reports provider errors with their code', async () => {
    const { provider, calls } = providerWith(() =>
      json(404, { error: 'identity_not_found', message: 'No local identity with email x@y.z' }),
    );
    const error = await provider.createSession('x@y.z').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LocalAuthError);
    expect(error).toMatchObject({ status: 404, code: 'identity_not_found' });
    expect(calls[0]).toEqual({
      url: 'http://127.0.0.1:4000/__local-auth/sessions',
      method: 'POST',
      body: { email: 'x@y.z', ttlSeconds: 36000 },
    });
  });

  it('refuses a session answer without a token', async () => {
    const { provider } = providerWith(() => json(201, { sessionId: 's' }));
    await expect(provider.refreshSession('s')).rejects.toBeInstanceOf(LocalAuthUnavailableError);
  });

  it('ends sessions with POST …/end, and with nothing else', async () => {
    const ended = providerWith(() => new Response(null, { status: 204 }));
    await ended.provider.endSession('sess/1');
    expect(ended.calls.map((call) => `${call.method} ${call.url}`)).toEqual([
      'POST http://127.0.0.1:4000/__local-auth/sessions/sess%2F1/end',
    ]);

    const gone = providerWith(() => json(404, { error: 'session_not_found', message: 'gone' }));
    await gone.provider.endSession('sess_1');
    expect(gone.calls).toHaveLength(1);

    // No route (a provider that is not ours): an error, and no second try by another route.
    const missing = providerWith(() => json(404, { error: 'not_found', message: 'No route' }));
    await expect(missing.provider.endSession('sess_1')).rejects.toMatchObject({ status: 404, code: 'not_found' });
    expect(missing.calls.map((call) => call.method)).toEqual(['POST']);

    const broken = providerWith(() => json(400, { error: 'invalid_request', message: 'bad' }));
    await expect(broken.provider.endSession('sess_1')).rejects.toBeInstanceOf(LocalAuthError);
  });

  it("passes a 400's issues on, keeping only well-formed ones", async () => {
    const issues = [
      { path: ['email'], message: 'must be a valid email address' },
      { path: [], message: 'Unrecognized key: "x"' },
    ];
    const { provider } = providerWith(() =>
      json(400, {
        error: 'invalid_request',
        message: 'email: must be a valid email address; Unrecognized key: "x"',
        issues: [...issues, { path: 'email', message: 'not an array path' }, { message: 'no path' }, 'text'],
      }),
    );
    const error = await provider.createIdentity({ email: 'x', firstName: 'A', lastName: 'B' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LocalAuthError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_request', issues });
  });

  it('creates identities', async () => {
    const { provider, calls } = providerWith(() => json(201, { clerkId: 'user_1' }));
    await provider.createIdentity({ email: 'a@b.co', firstName: 'A', lastName: 'B' });
    expect(calls[0]?.body).toEqual({ email: 'a@b.co', firstName: 'A', lastName: 'B' });
    const taken = providerWith(() => json(409, { error: 'identity_exists', message: 'exists' }));
    await expect(
      taken.provider.createIdentity({ email: 'a@b.co', firstName: 'A', lastName: 'B' }),
    ).rejects.toMatchObject({
      code: 'identity_exists',
    });
  });
});
