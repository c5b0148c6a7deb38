import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LOCAL_AUTH_SECRET_FILE } from '@deal-brain/shared/local-auth';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBootSecret, headerCarriesBootSecret, readBootSecret } from './boot-secret.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'boot-secret-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('the per-boot secret', () => {
  it('is 32 random bytes, replaced at every boot in a 0600 file', async () => {
    const first = await createBootSecret(dir);
    const file = path.join(dir, LOCAL_AUTH_SECRET_FILE);
    expect(Buffer.from(first, 'base64url')).toHaveLength(32);
    expect((await readFile(file, 'utf8')).trim()).toBe(first);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const second = await createBootSecret(dir);
    expect(second).not.toBe(first);
    expect(await readBootSecret(dir)).toBe(second);
  });

  it('stays in memory without a state directory', async () => {
    const secret = await createBootSecret(null);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
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
