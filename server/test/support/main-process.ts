// The process entry (src/main.ts) as a real child process, through tsx, with its JSON log lines at hand:
// what main.test.ts and metrics-main.test.ts start, and wait on.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { logEvents } from './log-events.js';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** `env` on top of PATH, NODE_ENV=test and LOG_LEVEL=info; `nodeOptions` before the entry (e.g. --import). */
export function startMain(env: Record<string, string>, nodeOptions: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', ...nodeOptions, 'src/main.ts'], {
    cwd: serverDir,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const events = () => logEvents(stdout);
  return { child, events, output: () => ({ stdout, stderr }) };
}

/** Polls `check` until it holds; throws after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
