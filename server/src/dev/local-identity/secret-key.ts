// The local provider's Backend API secret key: what Clerk's secret key is to Clerk's Backend API. The
// server's @clerk/backend client sends it as `Authorization: Bearer sk_local_…`; the stand-in refuses
// every /v1 request without it. Generated once and kept in the state directory (private to the owner),
// or in memory for an ephemeral provider (tests). It never leaves the machine and is never logged.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import { createFileExclusively, LocalStateError, readOptionalFile, restrictFileMode } from '../state-files.js';

const SECRET_KEY_FILE = 'backend-secret-key';
/** sk_local_ and 32 random bytes in base64url: 256 bits, and never mistaken for a Clerk sk_test_/sk_live_ key. */
const SECRET_KEY = /^sk_local_[A-Za-z0-9_-]{43}$/;

export function generateBackendSecretKey(): string {
  return `sk_local_${randomBytes(32).toString('base64url')}`;
}

/** The key under `stateDir` (created on first use), or a fresh one in memory when there is none. */
export async function loadOrCreateBackendSecretKey(stateDir: string | null): Promise<string> {
  if (stateDir === null) return generateBackendSecretKey();
  const file = path.join(stateDir, SECRET_KEY_FILE);
  // Created once; when another process starting alongside wins the race, its key is used.
  if ((await readOptionalFile(file)) === undefined)
    await createFileExclusively(file, `${generateBackendSecretKey()}\n`);
  await restrictFileMode(file);
  const key = ((await readOptionalFile(file)) ?? '').trim();
  if (!SECRET_KEY.test(key))
    throw new LocalStateError(`${file} does not hold an sk_local_ key; delete it to generate one`);
  return key;
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Whether an Authorization header carries `Bearer <secretKey>`. Compared in constant time (over digests,
 * so neither the length nor any prefix of the key leaks through timing).
 */
export function authorizationCarriesSecretKey(authorization: string | undefined, secretKey: string): boolean {
  const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
  const presented = match?.[1] ?? '';
  // Compare even when nothing was presented, so a missing header takes as long as a wrong one.
  return timingSafeEqual(digest(presented), digest(secretKey)) && presented !== '';
}
