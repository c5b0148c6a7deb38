// Runs one of the server's command-line entry points: `node scripts/run-entry.mjs <entry> [args…]`, where
// <entry> is a path under src/ without its extension (db/cli, audit/prune-cli, …).
//
// With NODE_ENV=production it runs the compiled dist/<entry>.js with plain node: a production install
// (`npm ci --omit=dev`) has no tsx. Otherwise it runs src/<entry>.ts through tsx, as in development.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The export condition that selects @deal-brain/shared's compiled JavaScript (packages/shared/package.json). */
const COMPILED_CONDITION = '--conditions=compiled';

function fail(message) {
  console.error(message);
  process.exit(1);
}

/** The node arguments that run <entry>, or a clear refusal when what it needs is not there. */
function commandFor(entry, production) {
  if (!/^[\w-]+(\/[\w-]+)*$/.test(entry ?? '')) fail(`run-entry: expected an entry like db/cli, got "${entry ?? ''}"`);
  if (production) {
    const compiled = path.join(serverDir, 'dist', `${entry}.js`);
    if (!existsSync(compiled))
      fail(`${compiled} does not exist: run npm run build first (NODE_ENV=production runs the build)`);
    return [COMPILED_CONDITION, compiled];
  }
  try {
    createRequire(path.join(serverDir, 'package.json')).resolve('tsx');
  } catch {
    fail('tsx is not installed (a production install?): set NODE_ENV=production to run the build instead');
  }
  return ['--import', 'tsx', path.join(serverDir, 'src', `${entry}.ts`)];
}

const [entry, ...args] = process.argv.slice(2);
const child = spawn(process.execPath, [...commandFor(entry, process.env.NODE_ENV === 'production'), ...args], {
  stdio: 'inherit',
});
// A terminal's Ctrl-C reaches the whole process group; a supervisor's SIGTERM reaches only us: pass it on.
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal === 'SIGINT' ? 2 : 15)));
