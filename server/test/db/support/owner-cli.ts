// Runs one of the owner's maintenance commands (audit:prune, users:purge) as an operator would: a process of
// its own, through tsx, against the given database, with nothing of the test's environment but PATH.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export function runOwnerCli(
  script: string,
  database: { url: string; ownerUrl: string },
  args: string[],
  env: Record<string, string> = {},
) {
  return promisify(execFile)(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: serverDir,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      DATABASE_OWNER_URL: database.ownerUrl,
      ...env,
    },
  });
}
