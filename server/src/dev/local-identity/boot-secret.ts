// The per-boot secret of the provider's own routes (sessions, identities, JWKS). A fresh one at every start,
// written to the state directory (private to the owner) for the web app to read and send back in
// LOCAL_AUTH_SECRET_HEADER. Loopback alone is not enough: a reverse proxy on the same machine, or another
// local user's process, reaches loopback too; only the owner of DATA_DIR can read the file. An ephemeral
// provider (tests) keeps it in memory: the harness reads it from the provider object, never over HTTP.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import { LOCAL_AUTH_SECRET_FILE } from '@deal-brain/shared/local-auth';
import { readOptionalFile, restrictFileMode, writeFileAtomically } from '../state-files.js';

/** 32 random bytes, base64url. */
export function generateBootSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * A new secret, written to `<stateDir>/LOCAL_AUTH_SECRET_FILE` (mode 0600, replacing the previous boot's
 * atomically), or kept in memory only when there is no state directory.
 */
export async function createBootSecret(stateDir: string | null): Promise<string> {
  const secret = generateBootSecret();
  if (stateDir === null) return secret;
  const file = path.join(stateDir, LOCAL_AUTH_SECRET_FILE);
  await writeFileAtomically(file, `${secret}\n`);
  await restrictFileMode(file);
  return secret;
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

/** The running server's secret as its state directory holds it (for `npm run token`); undefined when absent. */
export async function readBootSecret(stateDir: string): Promise<string | undefined> {
  const text = await readOptionalFile(path.join(stateDir, LOCAL_AUTH_SECRET_FILE));
  return text?.trim() || undefined;
}
