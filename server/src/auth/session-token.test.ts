import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateSigningKey } from '#src/dev/local-identity/signing-key.js';
import { startClerkBackendStub, type ClerkBackendStub } from '../../test/auth/support/clerk-backend-stub.js';
import { mint, PARTY, sessionClaims } from '../../test/auth/support/tokens.js';
import { InvalidCredentialError } from './errors.js';
import { createSessionTokenVerifier, type VerifySessionToken } from './session-token.js';

// The real @clerk/backend verifyJwt, unless a test stands in for it (SDK behaviours that a
// well-formed token cannot provoke: an older SDK that skips a missing azp, a non-Clerk error).
const override = vi.hoisted(() => ({ verifyJwt: undefined as undefined | ((...args: unknown[]) => unknown) }));
vi.mock('@clerk/backend/jwt', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@clerk/backend/jwt')>();
  return {
    ...actual,
    verifyJwt: (...args: Parameters<typeof actual.verifyJwt>) =>
      override.verifyJwt ? override.verifyJwt(...args) : actual.verifyJwt(...args),
  };
});

afterEach(() => {
  override.verifyJwt = undefined;
});

const key = generateSigningKey();
const networkless = () =>
  createSessionTokenVerifier({
    jwtKey: key.publicKeyPem,
    secretKey: undefined,
    apiUrl: undefined,
    authorizedParties: [PARTY],
  });

async function reasonOf(verify: VerifySessionToken, token: string): Promise<string> {
  const error = await verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidCredentialError);
  return (error as InvalidCredentialError).reason;
}

describe('createSessionTokenVerifier', () => {
  it('needs a public key or a secret key', () => {
    expect(() =>
      createSessionTokenVerifier({
        jwtKey: undefined,
        secretKey: undefined,
        apiUrl: undefined,
        authorizedParties: [PARTY],
      }),
    ).toThrow('needs a JWT public key or a Clerk secret key');
  });

  it('needs at least one authorized party', () => {
    expect(() =>
      createSessionTokenVerifier({
        jwtKey: key.publicKeyPem,
        secretKey: undefined,
        apiUrl: undefined,
        authorizedParties: [],
      }),
    ).toThrow('needs at least one authorized party');
  });
});

describe('networkless verification (jwtKey)', () => {
  it('maps the claims of a valid token', async () => {
    const claims = sessionClaims('user_1', {
      email: 'a@example.test',
      first_name: 'Ann',
      last_name: 'Lee',
      image_url: 'https://img.example.test/a.png',
    });
    expect(await networkless()(mint(key, claims))).toEqual({
      sub: 'user_1',
      sid: 'sess_user_1',
      azp: PARTY,
      email: 'a@example.test',
      firstName: 'Ann',
      lastName: 'Lee',
      imageUrl: 'https://img.example.test/a.png',
      expiresAt: (claims.exp as number) * 1000,
    });
  });

  it('treats empty or non-string profile claims as absent', async () => {
    const claims = sessionClaims('user_2', {
      email: '',
      first_name: 42,
      last_name: null,
      image_url: {},
    });
    expect(await networkless()(mint(key, claims))).toEqual({
      sub: 'user_2',
      sid: 'sess_user_2',
      azp: PARTY,
      email: undefined,
      firstName: undefined,
      lastName: undefined,
      imageUrl: undefined,
      expiresAt: (claims.exp as number) * 1000,
    });
  });

  it.each([
    ['no sid (a JWT template token, say)', { sid: undefined }, 'token-missing-session'],
    ['an empty sid', { sid: '' }, 'token-missing-session'],
    ['a sid that is not a string', { sid: 42 }, 'token-missing-session'],
    ['a sid no session id looks like', { sid: 'sess 1/..' }, 'token-invalid-session'],
    ['sts pending (a session with an open task)', { sts: 'pending' }, 'token-session-pending'],
    ['an sts it does not know', { sts: 'expired' }, 'token-session-not-active'],
  ])('refuses a validly signed token with %s', async (_name, overrides, reason) => {
    expect(await reasonOf(networkless(), mint(key, sessionClaims('user_6', overrides)))).toBe(reason);
  });

  it('accepts sts active, as it does a token without sts', async () => {
    const claims = await networkless()(mint(key, sessionClaims('user_7', { sts: 'active' })));
    expect(claims.sid).toBe('sess_user_7');
  });

  it('verifies with any kid in the header: the one key is the key (as CLERK_JWT_KEY)', async () => {
    const verify = networkless();
    for (const kid of ['other', 'ins_x', undefined]) {
      expect((await verify(mint({ ...key, kid: kid as string }, sessionClaims('user_8')))).sub).toBe('user_8');
    }
  });

  it('refuses at start a JWT key that is not an RSA public key PEM', () => {
    const options = { secretKey: undefined, apiUrl: undefined, authorizedParties: [PARTY] };
    expect(() => createSessionTokenVerifier({ ...options, jwtKey: 'not a pem' })).toThrow('not a PEM public key');
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ecPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => createSessionTokenVerifier({ ...options, jwtKey: ecPem })).toThrow('must be an RSA key');
  });

  it('refuses a token with an empty subject', async () => {
    expect(await reasonOf(networkless(), mint(key, sessionClaims('')))).toBe('token-missing-subject');
  });

  it('refuses a token that is not JWT-shaped without asking the SDK', async () => {
    const sdk = vi.fn();
    override.verifyJwt = sdk;
    for (const token of ['abc', 'a.b', 'a.b.', 'a.b.c.d', 'a.b.c=', 'a+b.c.d']) {
      expect(await reasonOf(networkless(), token), token).toBe('token-malformed');
    }
    expect(sdk).not.toHaveBeenCalled();
  });

  it('refuses a JWT-shaped token whose header or payload is not JSON as token-invalid, before the SDK', async () => {
    const sdk = vi.fn();
    override.verifyJwt = sdk;
    const json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const header = json({ alg: 'RS256', typ: 'JWT' });
    for (const token of [
      'aaaa.bbbb.cccc',
      `${header}.bbbb.cccc`,
      `${header}.${json([1])}.cccc`,
      `${json(null)}.e30.c`,
    ]) {
      expect(await reasonOf(networkless(), token), token).toBe('token-invalid');
    }
    expect(sdk).not.toHaveBeenCalled();
  });

  it('passes the SDK reason through', async () => {
    const expired = mint(key, sessionClaims('user_3', { exp: Math.floor(Date.now() / 1000) - 60 }));
    expect(await reasonOf(networkless(), expired)).toBe('token-expired');
  });

  it('refuses a verified token without azp even if the SDK lets it through (Clerk 2.x does)', async () => {
    override.verifyJwt = async () => ({ sub: 'user_4', exp: 1 });
    expect(await reasonOf(networkless(), mint(key, sessionClaims('user_4')))).toBe('token-invalid-authorized-parties');
  });

  it.each([
    ['an error without a reason', new Error('socket hang up')],
    ['a non-string reason', Object.assign(new Error('odd'), { reason: 42 })],
    ['a thrown null', null],
  ])('reports %s as token-verification-failed', async (_name, thrown) => {
    override.verifyJwt = async () => {
      throw thrown;
    };
    expect(await reasonOf(networkless(), mint(key, sessionClaims('user_5')))).toBe('token-verification-failed');
  });
});

describe('verification through the secret key (JWKS from the Backend API)', () => {
  let clerk: ClerkBackendStub;
  const jwksKey = generateSigningKey();

  beforeAll(async () => {
    clerk = await startClerkBackendStub();
    const { n, e } = createPublicKey(jwksKey.publicKeyPem).export({ format: 'jwk' });
    clerk.jwks = { keys: [{ kid: jwksKey.kid, kty: 'RSA', alg: 'RS256', use: 'sig', n, e }] };
  });
  afterAll(() => clerk?.close());

  const viaJwks = () =>
    createSessionTokenVerifier({
      jwtKey: undefined,
      secretKey: 'sk_test_jwks',
      apiUrl: clerk.url,
      authorizedParties: [PARTY],
    });

  it('verifies a token signed by a key the JWKS lists, fetching it with the secret key', async () => {
    const claims = await viaJwks()(mint(jwksKey, sessionClaims('user_jwks')));
    expect(claims.sub).toBe('user_jwks');
    expect(clerk.requests).toContainEqual({ path: 'GET /v1/jwks', authorization: 'Bearer sk_test_jwks' });
  });

  it('refuses a token whose kid the JWKS does not list', async () => {
    const stranger = generateSigningKey();
    const reason = await reasonOf(viaJwks(), mint(stranger, sessionClaims('user_jwks')));
    expect(reason).toMatch(/^jwk-/);
  });

  it('refuses a token signed by another key under a listed kid', async () => {
    const impostor = { ...generateSigningKey(), kid: jwksKey.kid };
    expect(await reasonOf(viaJwks(), mint(impostor, sessionClaims('user_jwks')))).toBe('token-invalid-signature');
  });
});
