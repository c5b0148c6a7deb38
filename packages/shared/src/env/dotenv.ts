// Both apps read the one .env at the repository root. Node-only: the web app imports this from its
// server config alone.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the folder holding turbo.json) at or above `dir`. */
export function findRepoRoot(dir: string): string | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if (existsSync(path.join(current, 'turbo.json'))) return current;
    if (path.dirname(current) === current) return undefined;
  }
}

/**
 * Loads `.env` at the repository root, if there is one: it fills variables the environment does not
 * set. Found from this module's own location, which is inside the repository both as source and
 * when a build bundles it (web/build/server).
 */
export function loadRepoDotEnv(): void {
  const root = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));
  const file = root && path.join(root, '.env');
  if (file && existsSync(file)) process.loadEnvFile(file);
}
