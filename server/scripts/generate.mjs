// Generates the Prisma client and Pothos types offline. Prisma's CLI wants a schema-engine
// binary it cannot download here; generation does not run it, so any existing file will do.
// Then the list of the web app's operation names the request metrics label by (known-operations.mjs).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeKnownOperations } from './known-operations.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
  // The pothos generator is a bin of a dependency.
  PATH: `${path.join(root, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}`,
};
const prismaCli = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');
const result = spawnSync(
  process.execPath,
  [prismaCli, 'generate', '--schema', path.join(root, 'prisma', 'schema.prisma')],
  {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
if (result.status !== 0) process.exit(result.status ?? 1);
writeKnownOperations(root);
