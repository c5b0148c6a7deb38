import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findRepoRoot } from './dotenv.js';

describe('findRepoRoot', () => {
  it('finds the folder holding turbo.json from any folder below it', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'repo-root-'));
    writeFileSync(path.join(root, 'turbo.json'), '{}');
    const deep = path.join(root, 'web', 'build', 'server');
    mkdirSync(deep, { recursive: true });
    expect(findRepoRoot(deep)).toBe(root);
    expect(findRepoRoot(root)).toBe(root);
  });

  it('is undefined outside any repository', () => {
    expect(findRepoRoot(mkdtempSync(path.join(tmpdir(), 'no-repo-')))).toBeUndefined();
  });

  it('finds this repository from this package', () => {
    const here = path.dirname(fileURLToPath(import.meta.url));
    expect(findRepoRoot(here)).toBe(path.resolve(here, '../../../..'));
  });
});
