// Files of the local identity provider's state directory (signing key, identities, webhook secret):
// private to the owner, written atomically, created exactly once when several processes race.
import { randomBytes } from 'node:crypto';
import { chmod, link, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import type { z } from 'zod';
import { describeIssues, inputIssues } from './local-identity/errors.js';

/** The state directory holds a file we cannot use; replacing it silently would lose keys or identities. */
export class LocalStateError extends Error {
  override name = 'LocalStateError';
}

/** Keys, secrets and identities: readable by the owner only. */
export const PRIVATE_FILE_MODE = 0o600;

export function isErrnoException(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

export async function readOptionalFile(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (isErrnoException(error, 'ENOENT')) return undefined;
    throw error;
  }
}

function temporaryPath(file: string): string {
  return `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

/** Readers never see a half-written file: write beside it, then rename over it. */
export async function writeFileAtomically(file: string, text: string): Promise<void> {
  const tmp = temporaryPath(file);
  try {
    await writeFile(tmp, text, { mode: PRIVATE_FILE_MODE });
    await rename(tmp, file);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
}

/** Creates `file` only if absent (link fails atomically on EEXIST); false when another process won. */
export async function createFileExclusively(file: string, text: string): Promise<boolean> {
  const tmp = temporaryPath(file);
  await writeFile(tmp, text, { mode: PRIVATE_FILE_MODE });
  try {
    await link(tmp, file);
    return true;
  } catch (error) {
    if (isErrnoException(error, 'EEXIST')) return false;
    throw error;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/** A restored or copied key file may have lost its restrictive mode. */
export async function restrictFileMode(file: string): Promise<void> {
  const { mode } = await stat(file);
  if ((mode & 0o077) !== 0) await chmod(file, PRIVATE_FILE_MODE);
}

/** The JSON in `text` (read from `file`), checked against `schema`; a LocalStateError names what is wrong. */
export function parseStateFile<T>(file: string, text: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new LocalStateError(`${file} is not valid JSON; delete it to start over`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problems = describeIssues(inputIssues(parsed.error));
    throw new LocalStateError(`${file} is not in the expected format (${problems}); delete it`);
  }
  return parsed.data;
}
