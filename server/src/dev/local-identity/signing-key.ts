// The provider's RSA signing key: generated once, kept in the state directory so tokens (and a configured
// CLERK_JWT_KEY) stay valid across restarts, and published as a JWKS.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import {
  createFileExclusively,
  LocalStateError,
  parseStateFile,
  readOptionalFile,
  restrictFileMode,
} from '../state-files.js';

export interface LocalSigningKey {
  kid: string;
  /** Kept as a KeyObject so an accidental log prints no key material. */
  privateKey: KeyObject;
  /** SPKI PEM: what @clerk/backend accepts as `jwtKey`. */
  publicKeyPem: string;
}

const KEY_FILE = 'signing-key.json';
const keyFileSchema = z.object({
  version: z.literal(1),
  kid: z.string().min(1),
  privateKeyPem: z.string().min(1),
  createdAt: z.number(),
});

/** @clerk/backend caches keys by `kid` forever, so every key pair gets its own. */
export function generateSigningKey(): LocalSigningKey {
  // Clerk's jwtKey parsing strips a fixed 2048-bit SPKI prefix: other sizes would not verify.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    kid: `local_${randomBytes(8).toString('hex')}`,
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** The key under `stateDir`, created on first use; providers starting together all end up with the same one. */
export async function loadOrCreateSigningKey(stateDir: string, now: () => number): Promise<LocalSigningKey> {
  const file = path.join(stateDir, KEY_FILE);
  const existing = await readOptionalFile(file);
  if (existing !== undefined) {
    await restrictFileMode(file);
    return keyFromFile(file, existing);
  }
  const key = generateSigningKey();
  if (await createFileExclusively(file, serializeKey(key, now()))) return key;
  // Another process (e.g. the web app starting alongside) created it first: sign with the same key.
  return keyFromFile(file, await readFile(file, 'utf8'));
}

export function publicJwk(key: LocalSigningKey): JsonWebKey {
  const { kty, n, e } = createPublicKey(key.publicKeyPem).export({ format: 'jwk' });
  return { kid: key.kid, alg: 'RS256', use: 'sig', kty, n, e };
}

function keyFromFile(file: string, text: string): LocalSigningKey {
  const stored = parseStateFile(file, text, keyFileSchema);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(stored.privateKeyPem);
  } catch {
    throw new LocalStateError(`${file} does not hold a readable private key; delete it`);
  }
  if (privateKey.asymmetricKeyType !== 'rsa' || privateKey.asymmetricKeyDetails?.modulusLength !== 2048) {
    throw new LocalStateError(`${file} must hold a 2048-bit RSA key (the only size Clerk's jwtKey accepts)`);
  }
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { kid: stored.kid, privateKey, publicKeyPem };
}

function serializeKey(key: LocalSigningKey, createdAt: number): string {
  const privateKeyPem = key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return `${JSON.stringify({ version: 1, kid: key.kid, privateKeyPem, createdAt }, null, 2)}\n`;
}
