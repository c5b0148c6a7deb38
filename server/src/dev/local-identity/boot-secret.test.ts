import { chmod, chown, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LOCAL_AUTH_SECRET_FILE } from '@deal-brain/shared/local-auth';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalStateError } from '../state-files.js';
import { generateBootSecret, headerCarriesBootSecret, loadOrCreateBootSecret, readBootSecret } from './boot-secret.js';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'boot-secret-'));
  file = path.join(dir, LOCAL_AUTH_SECRET_FILE);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LocalStateError);
  return (error as LocalStateError).message;
}

describe('the local routes secret', () => {
  it('is 32 random bytes, created once in a 0600 file and kept across restarts', async () => {
    const first = await loadOrCreateBootSecret(dir);
    expect(Buffer.from(first, 'base64url')).toHaveLength(32);
    expect((await readFile(file, 'utf8')).trim()).toBe(first);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    // A restarted server (or a second instance on the same DATA_DIR) takes the same one.
    expect(await loadOrCreateBootSecret(dir)).toBe(first);
    expect(await readBootSecret(dir)).toBe(first);
  });

  it('is the same for instances starting together on one directory', async () => {
    const secrets = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateBootSecret(dir)));
    expect(new Set(secrets).size).toBe(1);
    expect(await readBootSecret(dir)).toBe(secrets[0]);
  });

  it('refuses a file others can read or write, one that is a link, or one that holds something else', async () => {
    const secret = generateBootSecret();
    await writeFile(file, `${secret}\n`, { mode: 0o600 });
    await chmod(file, 0o644);
    expect(await refusal(loadOrCreateBootSecret(dir))).toMatch(/mode 644.*delete it/);
    await chmod(file, 0o620);
    expect(await refusal(loadOrCreateBootSecret(dir))).toMatch(/mode 620/);

    // A link to a file of our choosing (someone able to write the directory could plant one).
    await rm(file);
    const elsewhere = path.join(dir, 'elsewhere');
    await writeFile(elsewhere, `${secret}\n`, { mode: 0o600 });
    await symlink(elsewhere, file);
    expect(await refusal(loadOrCreateBootSecret(dir))).toMatch(/symbolic link/);

    await rm(file);
    await mkdir(file, { mode: 0o700 });
    expect(await refusal(loadOrCreateBootSecret(dir))).toMatch(/not a regular file/);

    await rm(file, { recursive: true });
    await writeFile(file, 'chosen-by-someone\n', { mode: 0o600 });
    expect(await refusal(loadOrCreateBootSecret(dir))).toMatch(/32 base64url bytes/);
    // Nothing was replaced: deleting the file is the owner's decision.
    expect(await readFile(file, 'utf8')).toBe('chosen-by-someone\n');
  });

  it.runIf(process.getuid?.() === 0)('refuses a file owned by another user', async () => {
    await writeFile(file, `${generateBootSecret()}\n`, { mode: 0o600 });
    await chown(file, 65534, 65534);
    expect(await refusal(loadOrCreateBootSecret(dir))).toMatch(/owned by uid 65534/);
  });

  it('stays in memory without a state directory, new every time', async () => {
    const secret = await loadOrCreateBootSecret(null);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await loadOrCreateBootSecret(null)).not.toBe(secret);
    expect(await readBootSecret(dir)).toBeUndefined();
  });

  it('is recognised exactly in a header', () => {
    const secret = 'a'.repeat(43);
    expect(headerCarriesBootSecret(secret, secret)).toBe(true);
    expect(headerCarriesBootSecret(` ${secret} `, secret)).toBe(true);
    for (const wrong of [undefined, '', 'a'.repeat(42), 'b'.repeat(43), `${secret}a`, [secret, secret]]) {
      expect(headerCarriesBootSecret(wrong, secret)).toBe(false);
    }
  });
});
