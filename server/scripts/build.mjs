// Compiles the server to JavaScript for production: server/dist (or the directory given with --out-dir, which
// must sit directly in server/ like dist: the code finds the repository's prisma/ folder and .env by relative
// path, ../.. from its own files, as it does from src/).
//
// --skip-generate compiles what src/generated already holds instead of generating it first: for
// test/production-build.test.ts, which runs while other tests import those files (`npm test` generates them
// before any test starts), so rewriting them there would race with the imports.
//
// dist/package.json maps `#src/*` to the compiled files: Node resolves a package "imports" entry from the
// nearest package.json, so inside dist the alias points at dist, while tsx, tsc and vitest keep using src.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function outDirFromArgs(args) {
  const index = args.indexOf('--out-dir');
  if (index === -1) return path.join(serverDir, 'dist');
  const outDir = path.resolve(args[index + 1] ?? '');
  if (path.dirname(outDir) !== serverDir) {
    console.error(`build: --out-dir must be a folder directly in ${serverDir}, got ${outDir}`);
    process.exit(2);
  }
  return outDir;
}

function run(command, args) {
  const result = spawnSync(process.execPath, [command, ...args], { cwd: serverDir, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const args = process.argv.slice(2);
const outDir = outDirFromArgs(args);
const skipGenerate = args.includes('--skip-generate');
const generatedDir = path.join(serverDir, 'src', 'generated');
if (skipGenerate && !existsSync(path.join(generatedDir, 'prisma'))) {
  console.error(`build: --skip-generate, but ${generatedDir} has no Prisma client: run npm run generate first`);
  process.exit(2);
}
// A clean output: a file deleted from src must not live on in dist.
rmSync(outDir, { recursive: true, force: true });
if (!skipGenerate) run(path.join(serverDir, 'scripts', 'generate.mjs'), []);
const tsc = path.join(serverDir, '..', 'node_modules', 'typescript', 'bin', 'tsc');
run(tsc, ['-p', 'tsconfig.build.json', '--outDir', outDir]);
const manifest = { type: 'module', private: true, imports: { '#src/*': './*' } };
writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
