import { createPublicKey } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';

import path from 'node:path';
import { verifyToken } from '@clerk/backend';
import { TokenVerificationError } from '@clerk/backend/errors';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { handleLocalAuthRequest, LOCAL_AUTH_MAX_BODY_BYTES } from './local-auth-routes.js';
import {
  createLocalIdentityProvider,
  DEMO_IDENTITIES,
  generateSigningKey,
  IdentityExistsError,
  IdentityNotFoundError,
  InvalidIdentityInputError,
  LocalStateError,
  signSessionToken,
  type LocalIdentityProvider,
} from './local-identity.js';
import { baseUrlFromConfig, runTokenCli, type TokenCliIo } from './token-cli.js';
import { listen, type ListeningServer } from '../../test/support/listen.js';
import { tempDirs } from '../../test/support/temp-dirs.js';

const PARTY = 'http://localhost:3000';

function memoryProvider(options: Partial<Parameters<typeof createLocalIdentityProvider>[0]> = {}) {
  return createLocalIdentityProvider({ stateDir: null, authorizedParty: PARTY, ...options });
}

/** The verification outcome as a reason string, so failures read as data in assertions. */
async function verificationReason(token: string, jwtKey: string, parties = [PARTY]): Promise<string> {
  try {
    await verifyToken(token, { jwtKey, authorizedParties: parties });
    return 'ok';
  } catch (error) {
    if (error instanceof TokenVerificationError) return error.reason;
    throw error;
  }
}

function decodePart(token: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[index] ?? '', 'base64url').toString('utf8'));
}

const stateDirs = tempDirs('local-identity-');
const makeStateDir = () => stateDirs.make();
afterEach(() => stateDirs.removeAll());

describe('session tokens', () => {
  let provider: LocalIdentityProvider;
  beforeAll(async () => {
    provider = await memoryProvider();
  });

  it('verify with @clerk/backend verifyToken and the provider public key', async () => {
    const session = provider.startSession('alice@example.com');
    const payload = await verifyToken(session.token, { jwtKey: provider.publicKeyPem, authorizedParties: [PARTY] });
    expect(payload.sub).toBe('user_local_alice');
    expect(payload.sid).toBe(session.sessionId);
  });

  it('carry Clerk-shaped claims and header', () => {
    const before = Math.floor(Date.now() / 1000);
    const session = provider.startSession('Bob@Example.com ');
    const header = decodePart(session.token, 0);
    const claims = decodePart(session.token, 1);
    expect(header).toEqual({ alg: 'RS256', typ: 'JWT', kid: provider.kid });
    const iat = claims.iat as number;
    expect(iat).toBeGreaterThanOrEqual(before);
    expect(claims).toEqual({
      sub: 'user_local_bob',
      sid: session.sessionId,
      azp: PARTY,
      iat,
      nbf: iat - 5,
      exp: iat + 3600,
      email: 'bob@example.com',
      first_name: 'Bob',
      last_name: 'Baker',
      v: 2,
    });
    expect(claims).not.toHaveProperty('iss');
    expect(claims).not.toHaveProperty('image_url');
    expect(session.sessionId).toMatch(/^sess_local_[0-9a-f]+$/);
    expect(session.userId).toBe('user_local_bob');
    expect(session.expiresAt).toBe((iat + 3600) * 1000);
  });

  it('honour ttlSeconds and refuse out-of-range ones', () => {
    const session = provider.startSession('alice@example.com', { ttlSeconds: 60 });
    const claims = decodePart(session.token, 1);
    expect((claims.exp as number) - (claims.iat as number)).toBe(60);
    expect(() => provider.startSession('alice@example.com', { ttlSeconds: 0 })).toThrow(InvalidIdentityInputError);
    expect(() => provider.startSession('alice@example.com', { ttlSeconds: 1.5 })).toThrow(/ttlSeconds/);
  });

  it('omit null profile claims for created identities', async () => {
    await provider.createIdentity({ email: 'nameless@example.com' });
    const claims = decodePart(provider.startSession('nameless@example.com').token, 1);
    expect(claims).not.toHaveProperty('first_name');
    expect(claims).not.toHaveProperty('last_name');
    expect(claims.email).toBe('nameless@example.com');
  });

  it('from another provider fail with token-invalid-signature', async () => {
    const other = await memoryProvider();
    expect(other.kid).not.toBe(provider.kid);
    const token = other.startSession('alice@example.com').token;
    expect(await verificationReason(token, provider.publicKeyPem)).toBe('token-invalid-signature');
  });

  it('expire: a provider whose clock is two hours behind mints already-expired tokens', async () => {
    const past = await memoryProvider({ now: () => Date.now() - 2 * 3600 * 1000 });
    const session = past.startSession('alice@example.com');
    expect(await verificationReason(session.token, past.publicKeyPem)).toBe('token-expired');
  });

  it('are checked against authorized parties', async () => {
    const session = provider.startSession('alice@example.com');
    expect(await verificationReason(session.token, provider.publicKeyPem, ['https://app.example.com'])).toBe(
      'token-invalid-authorized-parties',
    );
  });

  it('can be crafted with signSessionToken and an injected signing key', async () => {
    const key = generateSigningKey();
    const crafted = await memoryProvider({ signingKey: key });
    expect(crafted.kid).toBe(key.kid);
    const iat = Math.floor(Date.now() / 1000);
    const claims = { sub: 'user_local_alice', sid: 'sess_x', iat, nbf: iat - 5, exp: iat + 60 };
    const good = signSessionToken(key.privateKey, key.kid, { ...claims, azp: PARTY });
    expect(await verificationReason(good, crafted.publicKeyPem)).toBe('ok');
    const wrongAzp = signSessionToken(key.privateKey, key.kid, { ...claims, azp: 'https://evil.example' });
    expect(await verificationReason(wrongAzp, crafted.publicKeyPem)).toBe('token-invalid-authorized-parties');
    const expired = signSessionToken(key.privateKey, key.kid, { ...claims, azp: PARTY, exp: iat - 120 });
    expect(await verificationReason(expired, crafted.publicKeyPem)).toBe('token-expired');
  });

  it('refuses an authorized party that is not a bare origin', async () => {
    await expect(memoryProvider({ authorizedParty: 'http://localhost:3000/' })).rejects.toThrow(/bare origin/);
  });
});

describe('JWKS', () => {
  it('publishes the public key as an RS256 signing JWK', async () => {
    const provider = await memoryProvider();
    const { keys } = provider.jwks();
    expect(keys).toHaveLength(1);
    const [jwk] = keys;
    expect(jwk).toMatchObject({ kid: provider.kid, alg: 'RS256', use: 'sig', kty: 'RSA', e: 'AQAB' });
    const fromJwk = createPublicKey({ key: { kty: jwk?.kty, n: jwk?.n, e: jwk?.e }, format: 'jwk' });
    expect(fromJwk.export({ type: 'spki', format: 'pem' })).toBe(provider.publicKeyPem);
    expect(fromJwk.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });
});

describe('identities', () => {
  it('always knows the demo identities, case-insensitively', async () => {
    const provider = await memoryProvider();
    for (const demo of DEMO_IDENTITIES) {
      expect(provider.findIdentityByEmail(demo.email.toUpperCase())).toEqual(demo);
      expect(provider.findIdentityByClerkId(demo.clerkId)).toEqual(demo);
    }
    expect(provider.findIdentityByEmail('admin@example.com')).toMatchObject({
      clerkId: 'user_local_admin',
      firstName: 'Ada',
      lastName: 'Admin',
    });
    expect(provider.findIdentityByEmail('nobody@example.com')).toBeUndefined();
  });

  it('creates identities with lower-cased email and a local clerk id', async () => {
    const provider = await memoryProvider({ now: () => 1_700_000_000_000 });
    const identity = await provider.createIdentity({
      email: ' Carol@Example.COM ',
      firstName: ' Carol ',
      lastName: '',
    });
    expect(identity).toEqual({
      clerkId: expect.stringMatching(/^user_local_[0-9a-f]{20}$/),
      email: 'carol@example.com',
      firstName: 'Carol',
      lastName: null,
      imageUrl: null,
      createdAt: 1_700_000_000_000,
      updatedAt: 1_700_000_000_000,
    });
    expect(provider.findIdentityByClerkId(identity.clerkId)).toEqual(identity);
    expect(provider.listIdentities().map((i) => i.email)).toEqual([
      ...DEMO_IDENTITIES.map((d) => d.email),
      'carol@example.com',
    ]);
  });

  it('refuses duplicate emails, including demo ones and concurrent creates', async () => {
    const provider = await memoryProvider();
    await expect(provider.createIdentity({ email: 'ALICE@example.com' })).rejects.toBeInstanceOf(IdentityExistsError);
    const results = await Promise.allSettled([
      provider.createIdentity({ email: 'dave@example.com' }),
      provider.createIdentity({ email: 'dave@example.com' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('refuses invalid input with a specific message', async () => {
    const provider = await memoryProvider();
    await expect(provider.createIdentity({ email: 'not-an-email' })).rejects.toThrow(
      new InvalidIdentityInputError('email: must be a valid email address'),
    );
    await expect(provider.createIdentity({ email: 'x@example.com', firstName: 'x'.repeat(101) })).rejects.toThrow(
      /firstName: must be at most 100 characters/,
    );
  });

  it('starting a session for an unknown email is a typed error', async () => {
    const provider = await memoryProvider();
    expect(() => provider.startSession('nobody@example.com')).toThrow(IdentityNotFoundError);
  });
});

describe('sessions', () => {
  it('are remembered after they end, and unknown ones are reported', async () => {
    const provider = await memoryProvider({ now: () => 1_800_000_000_000 });
    const session = provider.startSession('alice@example.com');
    expect(provider.getSession(session.sessionId)).toEqual({
      sessionId: session.sessionId,
      userId: 'user_local_alice',
      expiresAt: session.expiresAt,
      endedAt: null,
      createdAt: 1_800_000_000_000,
    });
    expect(provider.endSession(session.sessionId)).toBe(true);
    expect(provider.endSession(session.sessionId)).toBe(true);
    expect(provider.getSession(session.sessionId)?.endedAt).toBe(1_800_000_000_000);
    expect(provider.endSession('sess_local_unknown')).toBe(false);
  });
});

describe('persistence', () => {
  it('reuses the signing key (mode 0600) and created identities across restarts', async () => {
    const stateDir = await makeStateDir();
    const first = await createLocalIdentityProvider({ stateDir, authorizedParty: PARTY });
    const created = await first.createIdentity({ email: 'erin@example.com', firstName: 'Erin' });
    const token = first.startSession('erin@example.com').token;

    const second = await createLocalIdentityProvider({ stateDir, authorizedParty: PARTY });
    expect(second.kid).toBe(first.kid);
    expect(second.publicKeyPem).toBe(first.publicKeyPem);
    expect(second.jwks()).toEqual(first.jwks());
    expect(second.findIdentityByEmail('erin@example.com')).toEqual(created);
    expect(await verificationReason(token, second.publicKeyPem)).toBe('ok');

    const keyFile = path.join(stateDir, 'signing-key.json');
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const identitiesFile = JSON.parse(await readFile(path.join(stateDir, 'identities.json'), 'utf8'));
    expect(identitiesFile.identities).toEqual([created]);
  });

  it('gives providers started together on a fresh directory the same key', async () => {
    const stateDir = await makeStateDir();
    const providers = await Promise.all(
      [1, 2, 3].map(() => createLocalIdentityProvider({ stateDir, authorizedParty: PARTY })),
    );
    expect(new Set(providers.map((p) => p.kid)).size).toBe(1);
  });

  it('keeps every identity when creates overlap', async () => {
    const stateDir = await makeStateDir();
    const provider = await createLocalIdentityProvider({ stateDir, authorizedParty: PARTY });
    await Promise.all(['f1', 'f2', 'f3'].map((name) => provider.createIdentity({ email: `${name}@example.com` })));
    const reloaded = await createLocalIdentityProvider({ stateDir, authorizedParty: PARTY });
    expect(reloaded.listIdentities()).toHaveLength(DEMO_IDENTITIES.length + 3);
  });

  it('refuses a corrupt key file instead of silently replacing it', async () => {
    const stateDir = await makeStateDir();
    await writeFile(path.join(stateDir, 'signing-key.json'), '{"version":1}');
    await expect(createLocalIdentityProvider({ stateDir, authorizedParty: PARTY })).rejects.toBeInstanceOf(
      LocalStateError,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// HTTP

function startServer(provider: LocalIdentityProvider, errors: unknown[] = []): Promise<ListeningServer> {
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    void handleLocalAuthRequest(provider, req, res, pathname, { onError: (e) => errors.push(e) }).then((handled) => {
      if (!handled) res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not a local auth route');
    });
  });
  return listen(server);
}

function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Streams `chunks` with chunked transfer encoding (no Content-Length), which fetch cannot do simply. */
function postChunked(url: string, chunks: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('HTTP routes', () => {
  let provider: LocalIdentityProvider;
  let server: ListeningServer;
  const errors: unknown[] = [];

  beforeAll(async () => {
    provider = await memoryProvider();
    server = await startServer(provider, errors);
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(() => {
    expect(errors).toEqual([]);
  });

  it('GET jwks.json serves the key set with a cache header', async () => {
    const response = await fetch(`${server.base}/__local-auth/.well-known/jwks.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual(provider.jwks());
  });

  it('POST /sessions mints a verifiable token', async () => {
    const response = await postJson(`${server.base}/__local-auth/sessions`, { email: 'Admin@example.com' });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { token: string; sessionId: string; userId: string; expiresAt: number };
    expect(body).toEqual({
      token: expect.any(String),
      sessionId: expect.stringMatching(/^sess_local_/),
      userId: 'user_local_admin',
      expiresAt: expect.any(Number),
    });
    expect(await verificationReason(body.token, provider.publicKeyPem)).toBe('ok');
  });

  it('POST /sessions with an unknown identity is a 404', async () => {
    const response = await postJson(`${server.base}/__local-auth/sessions`, { email: 'ghost@example.com' });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: 'identity_not_found',
      message: 'No local identity with email ghost@example.com',
    });
  });

  it('POST /sessions validates its body', async () => {
    const response = await postJson(`${server.base}/__local-auth/sessions`, {
      email: 'alice@example.com',
      ttlSeconds: -1,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_request', message: 'ttlSeconds: must be at least 1' });
  });

  it('DELETE /sessions/:id ends a session; an unknown one is a 404', async () => {
    const { sessionId } = provider.startSession('bob@example.com');
    const response = await fetch(`${server.base}/__local-auth/sessions/${sessionId}`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(provider.getSession(sessionId)?.endedAt).not.toBeNull();
    const unknown = await fetch(`${server.base}/__local-auth/sessions/sess_local_nope`, { method: 'DELETE' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'session_not_found' });
  });

  it('POST /identities creates an identity (201), then refuses the duplicate (409)', async () => {
    const url = `${server.base}/__local-auth/identities`;
    const created = await postJson(url, { email: 'Grace@example.com', firstName: 'Grace', lastName: 'Hopper' });
    expect(created.status).toBe(201);
    const identity = await created.json();
    expect(identity).toMatchObject({ email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper' });
    expect(provider.findIdentityByEmail('grace@example.com')).toEqual(identity);

    const duplicate = await postJson(url, { email: 'grace@example.com' });
    expect(duplicate.status).toBe(409);
    expect(await duplicate.json()).toEqual({
      error: 'identity_exists',
      message: 'A local identity with email grace@example.com already exists',
    });
  });

  it.each([
    [{ firstName: 'No Email' }, 'email: is required'],
    [{ email: 'nope' }, 'email: must be a valid email address'],
    [{ email: 42 }, 'email: must be a string'],
    [{ email: 'h@example.com', lastName: 7 }, 'lastName: must be a string or null'],
    [{ email: 'h@example.com', first_name: 'H' }, 'Unrecognized key: "first_name"'],
    [['h@example.com'], 'Invalid input: expected object, received array'],
  ])('POST /identities refuses %j with 400', async (body, message) => {
    const response = await postJson(`${server.base}/__local-auth/identities`, body);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_request', message });
  });

  it('refuses malformed JSON with 400', async () => {
    const response = await postJson(`${server.base}/__local-auth/identities`, '{"email":');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_json', message: 'Request body is not valid JSON' });
  });

  it('refuses other content types with 415, accepts a charset parameter', async () => {
    const url = `${server.base}/__local-auth/sessions`;
    const text = await fetch(url, { method: 'POST', body: '{"email":"alice@example.com"}' });
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ error: 'unsupported_media_type' });
    const withCharset = await postJson(
      url,
      { email: 'alice@example.com' },
      {
        'Content-Type': 'Application/JSON; charset=utf-8',
      },
    );
    expect(withCharset.status).toBe(201);
  });

  it('refuses bodies over 16 KiB with 413, declared or streamed', async () => {
    const padding = 'x'.repeat(LOCAL_AUTH_MAX_BODY_BYTES);
    const declared = await postJson(`${server.base}/__local-auth/identities`, { email: 'big@example.com', padding });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ error: 'payload_too_large' });

    const streamed = await postChunked(`${server.base}/__local-auth/identities`, ['{"padding":"', padding, '"}']);
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body)).toMatchObject({ error: 'payload_too_large' });
    expect(provider.findIdentityByEmail('big@example.com')).toBeUndefined();
  });

  it('accepts a body of exactly 16 KiB', async () => {
    const body = JSON.stringify({ email: 'alice@example.com' }).padEnd(LOCAL_AUTH_MAX_BODY_BYTES, ' ');
    const response = await postJson(`${server.base}/__local-auth/sessions`, body);
    expect(response.status).toBe(201);
  });

  it.each([
    ['/__local-auth/.well-known/jwks.json', 'POST', 'GET, HEAD'],
    ['/__local-auth/sessions', 'GET', 'POST'],
    ['/__local-auth/sessions/sess_local_x', 'POST', 'DELETE'],
    ['/__local-auth/identities', 'PUT', 'POST'],
  ])('%s answers %s with 405 and Allow: %s', async (pathname, method, allow) => {
    const response = await fetch(`${server.base}${pathname}`, { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe(allow);
    expect(await response.json()).toMatchObject({ error: 'method_not_allowed' });
  });

  it.each(['/', '/graphql', '/__local-auth', '/__local-auth/', '/__local-auth/unknown', '/__local-auth/sessions/a/b'])(
    'leaves %s to the caller',
    async (pathname) => {
      const response = await fetch(`${server.base}${pathname}`);
      expect(response.status).toBe(404);
      expect(await response.text()).toBe('not a local auth route');
    },
  );

  it('answers unexpected failures with a bare 500 and reports them', async () => {
    const failing: LocalIdentityProvider = {
      ...provider,
      createIdentity: () => Promise.reject(new Error('disk full at /secret/path')),
    };
    const seen: unknown[] = [];
    const failingServer = await startServer(failing, seen);
    try {
      const response = await postJson(`${failingServer.base}/__local-auth/identities`, { email: 'z@example.com' });
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ error: 'internal_error', message: 'The local identity provider failed' });
      expect(text).not.toMatch(/disk full|secret|at /);
      expect(seen).toHaveLength(1);
    } finally {
      await failingServer.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// Token CLI

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
    provider = await memoryProvider();
    server = await startServer(provider);
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
    const claims = decodePart(out.stdout.trim(), 1);
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

  it('connects to localhost when the server listens on a wildcard address', () => {
    expect(baseUrlFromConfig({ host: '0.0.0.0', port: 4000 })).toBe('http://localhost:4000');
    expect(baseUrlFromConfig({ host: '::1', port: 4000 })).toBe('http://[::1]:4000');
    expect(baseUrlFromConfig({ host: '127.0.0.1', port: 4001 })).toBe('http://127.0.0.1:4001');
  });
});
