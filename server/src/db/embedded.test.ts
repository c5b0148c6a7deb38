import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { grantSearchOnAncestors } from './embedded.js';

const root = await mkdtemp(path.join(os.tmpdir(), 'dealbrain-search-'));
afterAll(() => rm(root, { recursive: true, force: true }));

it('grants others search permission, and only that, on every private ancestor', async () => {
  const inner = path.join(root, 'private', 'checkout');
  await mkdir(inner, { recursive: true, mode: 0o700 });
  await grantSearchOnAncestors(inner);
  for (const dir of [inner, path.dirname(inner), root]) {
    expect((await stat(dir)).mode & 0o777, dir).toBe(0o701);
  }
});
