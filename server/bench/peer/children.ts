// The two servers as child processes: ours from its production build (or src via tsx), the peer from
// postgraphile-server.mjs; their readiness, peak RSS and shutdown.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { post } from './http.js';
import { apiNodeFlags } from '../../../scripts/api-node-flags.mjs';

export type Label = 'ours' | 'PostGraphile';

export interface Target {
  label: Label;
  port: number;
  child: ChildProcess;
  /** Over the whole run. */
  peakRssKb: number;
  /** Since the current scenario started (reset by the caller). */
  scenarioPeakRssKb: number;
}

export const SERVER_DIR = fileURLToPath(new URL('../..', import.meta.url));
const REPO_DIR = path.resolve(SERVER_DIR, '..');
export const PEER_DIR = fileURLToPath(new URL('./', import.meta.url));
/** Directly in server/, as the build requires (it finds prisma/ by relative path); git-ignored. */
export const BUILD_DIR = path.join(SERVER_DIR, 'dist-bench');
/** Selects @deal-brain/shared's compiled JavaScript, as scripts/start.mjs runs production. */
const COMPILED_CONDITION = '--conditions=compiled';
const READY_TIMEOUT_MS = 60_000;
const RSS_SAMPLE_MS = 250;

function runNode(args: string[], cwd: string): void {
  const result = spawnSync(process.execPath, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed with ${result.status ?? result.signal}`);
}

/**
 * Compiles the server into BUILD_DIR (scripts/build.mjs) and @deal-brain/shared into a copy of the package in
 * BUILD_DIR/node_modules, which the compiled server resolves before the workspace's (as
 * test/production-build.test.ts does): packages/shared/dist, which others' builds own, is left alone.
 */
export function buildOurServer(): void {
  runNode([path.join(SERVER_DIR, 'scripts', 'build.mjs'), '--skip-generate', '--out-dir', BUILD_DIR], SERVER_DIR);
  const sharedDir = path.join(REPO_DIR, 'packages', 'shared');
  const copyDir = path.join(BUILD_DIR, 'node_modules', '@deal-brain', 'shared');
  const tsc = path.join(REPO_DIR, 'node_modules', 'typescript', 'bin', 'tsc');
  runNode([tsc, '-p', 'tsconfig.build.json', '--outDir', path.join(copyDir, 'dist')], sharedDir);
  copyFileSync(path.join(sharedDir, 'package.json'), path.join(copyDir, 'package.json'));
}

/** Node's arguments for our server: from the build with the heap flags `npm start` gives it, or through tsx. */
export function ourServerArgs(from: 'build' | 'tsx', cpuProfileDir?: string): string[] {
  const profile = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(cpuProfileDir)}`] : [];
  return from === 'tsx'
    ? [...profile, '--import', 'tsx', 'src/main.ts']
    : [...profile, ...apiNodeFlags(process.env), COMPILED_CONDITION, path.join(BUILD_DIR, 'main.js')];
}

export function spawnServer(label: Label, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd: SERVER_DIR,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Their output only matters when something goes wrong: keep it visible, prefixed.
  child.stdout?.on('data', (chunk: Buffer) => process.stdout.write(`[${label}] ${chunk.toString()}`));
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${label}] ${chunk.toString()}`));
  return child;
}

/** Ready once `body` answers 200 and passes `check`. */
export async function waitUntilReady(
  target: Target,
  body: string,
  token: string,
  check: (text: string) => void,
): Promise<void> {
  const agent = new http.Agent();
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      if (target.child.exitCode !== null) throw new Error(`${target.label} exited with ${target.child.exitCode}`);
      try {
        const { status, text } = await post(agent, target.port, body, token);
        if (status === 200) return check(text);
        if (Date.now() > deadline) throw new Error(`${target.label} not ready: ${status} ${text.slice(0, 300)}`);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code !== 'ECONNREFUSED' || Date.now() > deadline) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    agent.destroy();
  }
}

/** VmRSS of each child every RSS_SAMPLE_MS, kept as its peak (whole run and current scenario). */
export function sampleRss(targets: Target[]): NodeJS.Timeout {
  return setInterval(() => {
    for (const target of targets) {
      if (!target.child.pid || target.child.exitCode !== null) continue;
      try {
        const status = readFileSync(`/proc/${target.child.pid}/status`, 'utf8');
        const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
        target.peakRssKb = Math.max(target.peakRssKb, kb);
        target.scenarioPeakRssKb = Math.max(target.scenarioPeakRssKb, kb);
      } catch {
        // The process is gone: its peak so far stands.
      }
    }
  }, RSS_SAMPLE_MS);
}

/**
 * SIGTERM, then SIGKILL after `graceMs`. Our server drains for up to SHUTDOWN_TIMEOUT_MS (10 s) and a CPU
 * profile is written as it exits, so give it more than that.
 */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    console.error(`child ${child.pid} still running ${graceMs} ms after SIGTERM: killing it`);
    child.kill('SIGKILL');
  }, graceMs);
  await exited;
  clearTimeout(timer);
}
