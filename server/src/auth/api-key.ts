// Personal API keys on the request path: their format, their hash, and the verdict on a presented
// key. A key is `dbk_<prefix: 8 base32 characters>_<secret: 43 base64url characters, 256 random
// bits>`. Only SHA-256 of the whole key is stored; the public part `dbk_<prefix>` finds its row
// through a unique index, and the stored hash is compared in constant time. The key's row is kept in
// each instance's identity cache only while the database's announcements of its changes are heard
// (auth/identity-cache.ts, ADR 0071): a revocation holds on every instance as soon as it is announced.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '#src/generated/prisma/client.js';
import type { BasePrisma } from '#src/db/client.js';
import { readAsAuth } from '#src/db/rls.js';
import { AccountDisabledError, InvalidCredentialError } from './errors.js';
import type { ApiKeyScope, Viewer } from './viewer.js';

/** What every key starts with, so secret scanners can recognise one. */
export const API_KEY_MARKER = 'dbk_';
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const PREFIX = /^dbk_[a-z2-7]{8}$/;
const KEY = /^(dbk_[a-z2-7]{8})_[A-Za-z0-9_-]{43}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

export const API_KEY_SCOPES: readonly ApiKeyScope[] = ['READ', 'WRITE'];

/** Why a key was refused: logged, counted and audited, never shown to the caller. */
export type ApiKeyRefusalReason =
  | 'api-key-malformed'
  | 'api-key-unknown'
  | 'api-key-mismatch'
  | 'api-key-revoked'
  | 'api-key-expired'
  | 'api-key-owner-disabled';

/** Does this bearer token claim to be an API key (rather than a session token)? */
export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(API_KEY_MARKER);
}

/** The public prefix (`dbk_xxxxxxxx`) of a well-formed key; InvalidCredentialError otherwise. */
export function apiKeyPrefixOf(key: string): string {
  const prefix = KEY.exec(key)?.[1];
  if (!prefix) throw new InvalidCredentialError('api-key-malformed');
  return prefix;
}

export function isApiKeyPrefix(value: string): boolean {
  return PREFIX.test(value);
}

/** SHA-256 of the whole key, as 64 lower-case hex digits: what the database stores. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented key with a stored hash. */
export function apiKeyMatches(key: string, storedHash: string): boolean {
  if (!SHA256_HEX.test(storedHash)) return false;
  return timingSafeEqual(createHash('sha256').update(key, 'utf8').digest(), Buffer.from(storedHash, 'hex'));
}

export interface NewApiKey {
  /** Shown to its owner once; never stored or logged. */
  key: string;
  prefix: string;
  hash: string;
}

/** A fresh key: 40 random bits of prefix (base32), 256 random bits of secret (base64url). */
export function generateApiKey(random: (size: number) => Buffer = randomBytes): NewApiKey {
  const prefixBytes = random(5);
  let bits = 0n;
  for (const byte of prefixBytes) bits = (bits << 8n) | BigInt(byte);
  let body = '';
  for (let shift = 35n; shift >= 0n; shift -= 5n) body += BASE32[Number((bits >> shift) & 31n)];
  const prefix = `${API_KEY_MARKER}${body}`;
  const key = `${prefix}_${random(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

/** A key's row with its owner's access, as app_api_key_for_prefix answers. */
export interface ApiKeyRecord {
  keyId: string;
  prefix: string;
  hash: string;
  scopes: readonly ApiKeyScope[];
  expiresAt: Date | null;
  revokedAt: Date | null;
  owner: { id: string; clerkId: string; role: Role; active: boolean; deletedAt: Date | null };
}

export type FindApiKey = (prefix: string) => Promise<ApiKeyRecord | null>;

interface ApiKeyRow extends Record<string, unknown> {
  key_id: string;
  hash: string;
  scopes: string[];
  expires_at: Date | null;
  revoked_at: Date | null;
  owner_id: string;
  clerk_id: string;
  role: Role;
  active: boolean;
  deleted_at: Date | null;
}

const knownScopes = (scopes: string[]): ApiKeyScope[] =>
  scopes.filter((scope): scope is ApiKeyScope => (API_KEY_SCOPES as string[]).includes(scope));

/** The lookup of every key request: one round trip as app_auth (read-only), through a SECURITY DEFINER function. */
export function createApiKeyFinder(base: BasePrisma): FindApiKey {
  return async (prefix) => {
    const [row] = await readAsAuth<ApiKeyRow>(base, {
      text: 'SELECT * FROM app_api_key_for_prefix($1)',
      values: [prefix],
    });
    if (!row) return null;
    return {
      keyId: row.key_id,
      prefix,
      hash: row.hash,
      scopes: knownScopes(row.scopes),
      expiresAt: row.expires_at,
      revokedAt: row.revoked_at,
      owner: {
        id: row.owner_id,
        clerkId: row.clerk_id,
        role: row.role,
        active: row.active,
        deletedAt: row.deleted_at,
      },
    };
  };
}

/**
 * The viewer a presented key stands for, or why not. The secret is checked first: whether a key
 * is revoked or expired is told only to someone who holds it (and then only to logs and metrics:
 * the caller always gets the same 401).
 */
export function viewerForApiKey(key: string, record: ApiKeyRecord | null, now: Date): Viewer {
  if (!record) throw new InvalidCredentialError('api-key-unknown');
  if (!apiKeyMatches(key, record.hash)) throw new InvalidCredentialError('api-key-mismatch');
  if (record.revokedAt !== null) throw new InvalidCredentialError('api-key-revoked');
  if (record.expiresAt !== null && record.expiresAt.getTime() <= now.getTime()) {
    throw new InvalidCredentialError('api-key-expired');
  }
  const { owner } = record;
  if (!owner.active || owner.deletedAt !== null) throw new AccountDisabledError(owner.id);
  return {
    userId: owner.id,
    clerkId: owner.clerkId,
    // Always USER: a key never acts as an admin, whoever owns it.
    role: 'USER',
    sessionId: undefined,
    credential: { kind: 'apiKey', keyId: record.keyId, prefix: record.prefix, scopes: record.scopes },
  };
}

export type OperationKind = 'query' | 'mutation' | 'subscription';

/**
 * May this credential run an operation of this kind? Session tokens may run anything their
 * fields allow. A key needs WRITE for a mutation; either scope reads (a mutation's own payload is
 * a read, so WRITE implies READ). Subscriptions are not offered to keys.
 */
export function credentialAllows(credential: Viewer['credential'] | undefined, operation: OperationKind): boolean {
  if (credential?.kind !== 'apiKey') return true;
  if (operation === 'mutation') return credential.scopes.includes('WRITE');
  if (operation === 'query') return credential.scopes.length > 0;
  return false;
}
