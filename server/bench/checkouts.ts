// npm run bench:checkouts -- <other checkout>: the listings read (`listings(first: 20)`, the same
// query, fixtures and body check as `npm run bench`) served by this checkout and by another one
// (for example the previous commit in a git worktree), each as its own production process
// (NODE_ENV=production, Clerk mode with a networkless key) on one shared database, measured in
// interleaved rounds within one run. Prints requests/s, latency percentiles and peak RSS per
// server, and this checkout's throughput as a ratio of the other's per round.
// Knobs (env): BENCH_ROUNDS (4), BENCH_CONNECTIONS (32), BENCH_DURATION (8 s), BENCH_WARMUP (2 s).
// Both checkouts must share the database schema (their migrations are not compared).
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT, importPKCS8 } from 'jose';
import { EMBEDDED_DATABASE_NAME, startEmbeddedDatabase } from '#src/db/embedded.js';
import { migrateUp } from '#src/db/migrations.js';
import { freePort } from '../test/support/free-port.js';
import { withDatabase } from './database.js';
import { OWNERS, loadFixtures } from './fixtures.js';
import { runLoad, type LoadResult } from './load.js';
import { median, ms, table } from './stats.js';
import { positiveSetting } from './settings.js';

const SETTINGS = {
  rounds: positiveSetting('BENCH_ROUNDS', 4),
  connections: positiveSetting('BENCH_CONNECTIONS', 32),
  durationSeconds: positiveSetting('BENCH_DURATION', 8),
  warmupSeconds: positiveSetting('BENCH_WARMUP', 2),
} as const;

const WEB_ORIGIN = 'http://localhost:3000';
const THIS_CHECKOUT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));

interface Signer {
  publicKeyPem: string;
  sign(clerkId: string): Promise<string>;
}

/** Clerk-shaped session tokens (sub, sid, azp) from a key pair made for this run. */
async function createSigner(): Promise<Signer> {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKey = await importPKCS8(pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'RS256');
  const kid = `bench-${randomUUID()}`;
  return {
    publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (clerkId) =>
      new SignJWT({ sid: `sess_bench_${randomUUID()}`, azp: WEB_ORIGIN })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setSubject(clerkId)
        .setIssuedAt()
        .setNotBefore('-5s')
        .setExpirationTime('2h')
        .sign(privateKey),
  };
}

interface Contender {
  label: string;
  checkout: string;
  child: ChildProcess;
  url: string;
  results: LoadResult[];
}

function describeCheckout(checkout: string): string {
  const head = path.join(checkout, '.git');
  if (!existsSync(head)) return checkout;
  // A worktree's .git is a file pointing at its git dir; HEAD lives there.
  try {
    const gitFile = readFileSync(head, 'utf8');
    const gitDir = gitFile.startsWith('gitdir: ') ? gitFile.slice(8).trim() : head;
    const ref = readFileSync(path.join(gitDir, 'HEAD'), 'utf8').trim();
    return `${checkout} (${ref.slice(0, 12)})`;
  } catch {
    return checkout;
  }
}

async function waitUntilReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server at ${url} exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`server at ${url} not ready after ${timeoutMs} ms`);
}

/** The checkout's own server, as `npm start` would run it in production, minus the npm wrapper. */
async function startServer(
  label: string,
  checkout: string,
  env: Record<string, string>,
  dataDir: string,
): Promise<Contender> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: path.join(checkout, 'server'),
    env: {
      PATH: process.env.PATH ?? '',
      ...env,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: path.join(dataDir, label),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(url, child, 60_000);
  return { label, checkout, child, url, results: [] };
}

/** Peak resident set size of a running process, from the kernel's high-water mark. */
function peakRssMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

async function stopServer(contender: Contender): Promise<void> {
  if (contender.child.exitCode !== null) return;
  const exited = new Promise((resolve) => contender.child.once('exit', resolve));
  contender.child.kill('SIGTERM');
  await exited;
}

function report(contenders: Contender[]): void {
  const [ours, theirs] = contenders as [Contender, Contender];
  const rows = contenders.map((c) => {
    const rps = c.results.map((r) => r.requestsPerSecond);
    const p = (key: 'p50' | 'p95' | 'p99') => ms(median(c.results.map((r) => r.latency[key])));
    return [c.label, rps.map((v) => v.toFixed(0)).join(', '), median(rps).toFixed(0), p('p50'), p('p95'), p('p99')];
  });
  console.log(table(['server', 'req/s per round', 'median', 'p50 ms', 'p95 ms', 'p99 ms'], rows));
  const ratios = ours.results.map((r, i) => r.requestsPerSecond / (theirs.results[i]?.requestsPerSecond ?? NaN));
  console.log(
    `\nthis checkout / other, per round: ${ratios.map((r) => `${r.toFixed(2)}×`).join(', ')}; median ${median(ratios).toFixed(2)}×`,
  );
  console.log(
    `peak RSS: this ${peakRssMb(ours.child.pid).toFixed(0)} MB, other ${peakRssMb(theirs.child.pid).toFixed(0)} MB`,
  );
}

async function main(): Promise<void> {
  const other = process.argv[2] ? path.resolve(process.argv[2]) : undefined;
  if (!other || !existsSync(path.join(other, 'server', 'src', 'main.ts'))) {
    throw new Error('usage: npm run bench:checkouts -- <path of another checkout with its dependencies installed>');
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dealbrain-bench-checkouts-'));
  const cluster = await startEmbeddedDatabase({ dir: path.join(dir, 'pg'), port: await freePort(), persistent: false });
  const contenders: Contender[] = [];
  try {
    await migrateUp(cluster.ownerUrl);
    const clerkIds = OWNERS.map((owner) => `user_bench_${owner.number}`);
    await loadFixtures(withDatabase(cluster.superuserUrl, EMBEDDED_DATABASE_NAME), clerkIds);
    const signer = await createSigner();
    const tokens = await Promise.all(clerkIds.map((id) => signer.sign(id)));
    const env = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      AUTH_MODE: 'clerk',
      CLERK_JWT_KEY: signer.publicKeyPem,
      CLERK_AUTHORIZED_PARTIES: WEB_ORIGIN,
      CLERK_WEBHOOK_SIGNING_SECRET: `whsec_${randomBytes(24).toString('base64')}`,
      DATABASE_URL: cluster.url,
    };
    contenders.push(await startServer('this', THIS_CHECKOUT, env, dir));
    contenders.push(await startServer('other', other, env, dir));
    console.log(`this:  ${describeCheckout(THIS_CHECKOUT)}\nother: ${describeCheckout(other)}`);
    console.log(
      `${SETTINGS.rounds} interleaved rounds of ${SETTINGS.durationSeconds} s, ${SETTINGS.connections} connections, ${OWNERS.length} users\n`,
    );
    const load = (c: Contender, seconds: number) =>
      runLoad({ url: c.url, tokens, connections: SETTINGS.connections, durationSeconds: seconds });
    for (const c of contenders) await load(c, SETTINGS.warmupSeconds);
    for (let round = 0; round < SETTINGS.rounds; round += 1) {
      // Alternate who goes first, so a slow stretch of the machine does not always hit the same one.
      const order = round % 2 === 0 ? contenders : [...contenders].reverse();
      for (const c of order) c.results.push(await load(c, SETTINGS.durationSeconds));
    }
    report(contenders);
  } finally {
    for (const c of contenders) await stopServer(c);
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
