import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  apiKeyMatches,
  apiKeyPrefixOf,
  credentialAllows,
  generateApiKey,
  hashApiKey,
  isApiKeyPrefix,
  looksLikeApiKey,
  viewerForApiKey,
  type ApiKeyRecord,
} from './api-key.js';
import { AccountDisabledError, InvalidCredentialError } from './errors.js';

const NOW = new Date('2027-01-01T00:00:00Z');

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidCredentialError) return error.reason;
    if (error instanceof AccountDisabledError) return 'account-disabled';
    throw error;
  }
  return 'accepted';
}

function recordFor(key: string, changes: Partial<ApiKeyRecord> = {}, owner: Partial<ApiKeyRecord['owner']> = {}) {
  const record: ApiKeyRecord = {
    keyId: 'key-1',
    prefix: apiKeyPrefixOf(key),
    hash: hashApiKey(key),
    scopes: ['READ'],
    expiresAt: null,
    revokedAt: null,
    owner: { id: 'user-1', clerkId: 'user_abc', role: 'USER', active: true, deletedAt: null, ...owner },
    ...changes,
  };
  return record;
}

describe('generateApiKey', () => {
  it('makes dbk_<8 base32>_<43 base64url>: a public prefix and 256 random bits', () => {
    const { key, prefix, hash } = generateApiKey();
    expect(key).toMatch(/^dbk_[a-z2-7]{8}_[A-Za-z0-9_-]{43}$/);
    expect(key.startsWith(`${prefix}_`)).toBe(true);
    expect(isApiKeyPrefix(prefix)).toBe(true);
    expect(apiKeyPrefixOf(key)).toBe(prefix);
    expect(Buffer.from(key.slice(13), 'base64url')).toHaveLength(32);
    expect(hash).toBe(createHash('sha256').update(key).digest('hex'));
  });

  it('encodes the prefix bits as RFC 4648 base32 (lower case)', () => {
    const bytes = [Buffer.from([0, 0, 0, 0, 0]), Buffer.alloc(32)];
    const zeros = generateApiKey(() => bytes.shift()!);
    expect(zeros.prefix).toBe('dbk_aaaaaaaa');
    const ones = [Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff]), Buffer.alloc(32, 0xff)];
    const all = generateApiKey(() => ones.shift()!);
    expect(all.prefix).toBe('dbk_77777777');
    expect(all.key).toBe(`dbk_77777777_${'_'.repeat(42)}8`);
  });

  it('never makes the same key twice', () => {
    const keys = new Set(Array.from({ length: 200 }, () => generateApiKey().key));
    expect(keys.size).toBe(200);
  });
});

describe('recognising and parsing a key', () => {
  it('tells a key from a session token by its start', () => {
    expect(looksLikeApiKey(generateApiKey().key)).toBe(true);
    expect(looksLikeApiKey('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln')).toBe(false);
  });

  it.each([
    ['the marker alone', 'dbk_'],
    ['a short prefix', 'dbk_abc_' + 'a'.repeat(43)],
    ['an upper-case prefix', 'dbk_ABCDEFGH_' + 'a'.repeat(43)],
    ['a digit outside base32 in the prefix', 'dbk_abcdefg1_' + 'a'.repeat(43)],
    ['a short secret', 'dbk_abcdefgh_' + 'a'.repeat(42)],
    ['a long secret', 'dbk_abcdefgh_' + 'a'.repeat(44)],
    ['no separator', 'dbk_abcdefgh' + 'a'.repeat(44)],
    ['padding', 'dbk_abcdefgh_' + 'a'.repeat(42) + '='],
  ])('refuses %s as malformed', (_name, key) => {
    expect(reasonOf(() => apiKeyPrefixOf(key))).toBe('api-key-malformed');
  });

  it('never puts the key in the error', () => {
    const key = 'dbk_abcdefgh_' + 'S'.repeat(42);
    try {
      apiKeyPrefixOf(key);
    } catch (error) {
      expect((error as Error).message).not.toContain('SSSS');
    }
  });
});

describe('apiKeyMatches', () => {
  const { key, hash } = generateApiKey();

  it('accepts the key whose hash is stored', () => {
    expect(apiKeyMatches(key, hash)).toBe(true);
  });

  it('refuses another key with the same prefix', () => {
    const other = `${key.slice(0, 13)}${'A'.repeat(43)}`;
    expect(apiKeyMatches(other, hash)).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['too short', hash.slice(1)],
    ['upper case', hash.toUpperCase()],
    ['not hex', 'z'.repeat(64)],
  ])('refuses a stored hash that is %s (never throws on it)', (_name, stored) => {
    expect(apiKeyMatches(key, stored)).toBe(false);
  });
});

describe('viewerForApiKey', () => {
  const { key } = generateApiKey();

  it('is the owner, acting as a plain user through the key, with its scopes', () => {
    expect(viewerForApiKey(key, recordFor(key, { scopes: ['READ', 'WRITE'] }), NOW)).toEqual({
      userId: 'user-1',
      clerkId: 'user_abc',
      role: 'USER',
      sessionId: undefined,
      credential: { kind: 'apiKey', keyId: 'key-1', prefix: apiKeyPrefixOf(key), scopes: ['READ', 'WRITE'] },
    });
  });

  it('acts as USER even for an admin’s key', () => {
    expect(viewerForApiKey(key, recordFor(key, {}, { role: 'ADMIN' }), NOW).role).toBe('USER');
  });

  it('accepts a key that expires later', () => {
    const expiresAt = new Date(NOW.getTime() + 1);
    expect(viewerForApiKey(key, recordFor(key, { expiresAt }), NOW).userId).toBe('user-1');
  });

  it.each([
    ['an unknown prefix', () => null, 'api-key-unknown'],
    ['a wrong secret', () => recordFor(key, { hash: hashApiKey(generateApiKey().key) }), 'api-key-mismatch'],
    ['a revoked key', () => recordFor(key, { revokedAt: NOW }), 'api-key-revoked'],
    ['a key expiring now', () => recordFor(key, { expiresAt: NOW }), 'api-key-expired'],
    ['an expired key', () => recordFor(key, { expiresAt: new Date(NOW.getTime() - 1) }), 'api-key-expired'],
    ['a deactivated owner', () => recordFor(key, {}, { active: false }), 'account-disabled'],
    ['a deleted owner', () => recordFor(key, {}, { deletedAt: NOW }), 'account-disabled'],
  ])('refuses %s', (_name, record, reason) => {
    expect(reasonOf(() => viewerForApiKey(key, record(), NOW))).toBe(reason);
  });

  it('checks the secret before anything else: a wrong secret never learns the key is revoked or expired', () => {
    const record = recordFor(key, { hash: hashApiKey(generateApiKey().key), revokedAt: NOW, expiresAt: NOW });
    expect(reasonOf(() => viewerForApiKey(key, record, NOW))).toBe('api-key-mismatch');
  });
});

describe('credentialAllows', () => {
  const key = (scopes: ('READ' | 'WRITE')[]) => ({ kind: 'apiKey' as const, keyId: 'k', prefix: 'p', scopes });
  const session = { kind: 'session' as const, sessionId: 'sess_1' };

  it.each([
    ['a session, a mutation', session, 'mutation', true],
    ['a session, a subscription', session, 'subscription', true],
    ['no credential (anonymous)', undefined, 'mutation', true],
    ['a READ key, a query', key(['READ']), 'query', true],
    ['a READ key, a mutation', key(['READ']), 'mutation', false],
    ['a WRITE key, a query', key(['WRITE']), 'query', true],
    ['a WRITE key, a mutation', key(['WRITE']), 'mutation', true],
    ['a READ+WRITE key, a mutation', key(['READ', 'WRITE']), 'mutation', true],
    ['a key without scopes, a query', key([]), 'query', false],
    ['a key, a subscription', key(['READ', 'WRITE']), 'subscription', false],
  ] as const)('%s: %s', (_name, credential, operation, allowed) => {
    expect(credentialAllows(credential, operation)).toBe(allowed);
  });
});
