import { describe, expect, it, vi } from 'vitest';
import { generateSigningKey } from '#src/dev/local-identity/signing-key.js';
import { mint, PARTY, sessionClaims } from '../../test/auth/support/tokens.js';
import { InvalidCredentialError } from './errors.js';
import { createSessionTokenVerifier } from './session-token.js';
import { cacheVerifiedTokens } from './verified-token-cache.js';
import type { SessionClaims } from './viewer.js';

const key = generateSigningKey();
const nowSeconds = () => Math.floor(Date.now() / 1000);

function countingVerifier() {
  const real = createSessionTokenVerifier({
    jwtKey: key.publicKeyPem,
    secretKey: undefined,
    apiUrl: undefined,
    authorizedParties: [PARTY],
  });
  const verify = vi.fn(real);
  return verify;
}

describe('cacheVerifiedTokens', () => {
  it('verifies a token once and answers its later uses from memory, with the same claims', async () => {
    const verify = countingVerifier();
    const outcomes: string[] = [];
    const cached = cacheVerifiedTokens(verify, { maxEntries: 10, onLookup: (outcome) => outcomes.push(outcome) });
    const token = mint(key, sessionClaims('user_cache_1'));
    const first = await cached(token);
    const second = await cached(token);
    expect(second).toEqual(first);
    expect(first.sub).toBe('user_cache_1');
    expect(first.expiresAt).toBeGreaterThan(Date.now());
    expect(verify).toHaveBeenCalledTimes(1);
    expect(outcomes).toEqual(['miss', 'hit']);
  });

  it("verifies again once the token has expired by the cache's clock, instead of answering from memory", async () => {
    const verify = countingVerifier();
    let now = Date.now();
    const cached = cacheVerifiedTokens(verify, { maxEntries: 10, now: () => now });
    const exp = nowSeconds() + 30;
    const token = mint(key, sessionClaims('user_cache_2', { exp }));
    await cached(token);
    now = exp * 1000; // the clock of the cache reaches exp: the remembered verification is over
    await cached(token).catch(() => undefined);
    expect(verify).toHaveBeenCalledTimes(2);
  });

  it('never remembers a refusal: a bad token is verified (and refused) each time', async () => {
    const verify = countingVerifier();
    const cached = cacheVerifiedTokens(verify, { maxEntries: 10 });
    const forged = mint(generateSigningKey(), sessionClaims('user_cache_3'));
    for (let i = 0; i < 3; i++) await expect(cached(forged)).rejects.toBeInstanceOf(InvalidCredentialError);
    expect(verify).toHaveBeenCalledTimes(3);
  });

  it('keeps at most maxEntries tokens, dropping the least recently used', async () => {
    const verify = countingVerifier();
    const cached = cacheVerifiedTokens(verify, { maxEntries: 2 });
    const [a, b, c] = ['a', 'b', 'c'].map((n) => mint(key, sessionClaims(`user_cache_${n}`)));
    await cached(a!);
    await cached(b!);
    await cached(c!); // a goes
    await cached(b!);
    await cached(a!);
    expect(verify.mock.calls.map(([token]) => token)).toEqual([a, b, c, a]);
  });

  it('is no cache at all with maxEntries 0', async () => {
    const verify = vi.fn(async (): Promise<SessionClaims> => ({
      sub: 'user_x',
      sid: 'sess_x',
      azp: PARTY,
      email: undefined,
      firstName: undefined,
      lastName: undefined,
      imageUrl: undefined,
      expiresAt: Date.now() + 60_000,
    }));
    const cached = cacheVerifiedTokens(verify, { maxEntries: 0 });
    await cached('t');
    await cached('t');
    expect(verify).toHaveBeenCalledTimes(2);
  });
});
