// The secret of the provider's own routes (sessions, identities, JWKS), kept in the state directory (private
// to the owner) for the web app to read and send back in LOCAL_AUTH_SECRET_HEADER. Loopback alone is not
// enough: a reverse proxy on the same machine, or another local user's process, reaches loopback too; only
// the owner of DATA_DIR can read the file. It is agreed once, at start-up: the first instance on a DATA_DIR
// creates the file, every later one (a second instance, a restart) reads it then, and the routes compare
// against that value in memory only, so a file planted or swapped while the server runs admits nobody
// (ADR 0069). An ephemeral provider (tests) keeps it in memory: the harness reads it from the provider
// object, never over HTTP.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { LOCAL_AUTH_SECRET_FILE } from '@deal-brain/shared/local-auth';
import { createFileExclusively, isErrnoException, LocalStateError, readOptionalFile } from '../state-files.js';

/** What generateBootSecret makes: anything else in the file was not written by us. */
const SECRET = /^[A-Za-z0-9_-]{43}$/;

/** 32 random bytes, base64url. */
export function generateBootSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The routes' secret: created in `<stateDir>/LOCAL_AUTH_SECRET_FILE` (mode 0600) when that file does not
 * exist, else the one it holds, checked by readOwnSecret. Instances starting together race on an exclusive
 * create, and the losers read the winner's. In memory only when there is no state directory.
 */
export async function loadOrCreateBootSecret(stateDir: string | null): Promise<string> {
  const fresh = generateBootSecret();
  if (stateDir === null) return fresh;
  const file = path.join(stateDir, LOCAL_AUTH_SECRET_FILE);
  if (await createFileExclusively(file, `${fresh}\n`)) return fresh;
  return readOwnSecret(file);
}

/**
 * The secret in an existing file, only when the file is ours alone: a regular file (no symbolic link), owned
 * by this process's user and readable by nobody else. Whoever else could write it could choose the secret
 * (and mint sessions); whoever else could read it could use it. Checked on the open handle, so a rename over
 * the file between the check and the read changes nothing. Otherwise a LocalStateError: delete it.
 */
async function readOwnSecret(file: string): Promise<string> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if (isErrnoException(error, 'ELOOP')) throw refused(file, 'is a symbolic link');
    throw error;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw refused(file, 'is not a regular file');
    const uid = process.getuid?.();
    if (uid !== undefined && stats.uid !== uid) throw refused(file, `is owned by uid ${stats.uid}, not ${uid}`);
    if ((stats.mode & 0o077) !== 0) {
      throw refused(file, `has mode ${(stats.mode & 0o777).toString(8)}, readable or writable by others`);
    }
    const secret = (await handle.readFile('utf8')).trim();
    if (!SECRET.test(secret)) throw refused(file, 'does not hold a secret of 32 base64url bytes');
    return secret;
  } finally {
    await handle.close();
  }
}

function refused(file: string, why: string): LocalStateError {
  return new LocalStateError(`${file} ${why}; delete it (the next start creates a new one)`);
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Whether a request header carries exactly `secret`. Compared in constant time over digests, so neither the
 * length nor a prefix leaks; a missing header takes as long as a wrong one. A repeated header never matches.
 */
export function headerCarriesBootSecret(header: string | string[] | undefined, secret: string): boolean {
  const presented = typeof header === 'string' ? header.trim() : '';
  return timingSafeEqual(digest(presented), digest(secret)) && presented !== '';
}

/** The secret as the state directory holds it (for `npm run token`); undefined when absent. */
export async function readBootSecret(stateDir: string): Promise<string | undefined> {
  const text = await readOptionalFile(path.join(stateDir, LOCAL_AUTH_SECRET_FILE));
  return text?.trim() || undefined;
}
