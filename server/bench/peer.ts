// npm run bench:peer (and the last part of npm run bench): our server against PostGraphile v5 (the
// peer, bench/peer/postgraphile-server.mjs) on one freshly migrated and seeded database with the
// real roles and policies. Both run as child processes in Clerk mode against the same RS256 key and
// are sent the same tokens by the same load generator: "my newest 20 listings", BENCH_PEER_CONNECTIONS
// (32) in flight, in interleaved rounds (ours, peer, ours, peer, …) so machine noise hits both.
// Every response's status is checked, and every BENCH_PEER_CHECK_EVERY-th body is parsed: exactly the
// token owner's 20 newest titles and totalCount, nothing of anyone else. Peak RSS of each child comes
// from /proc/<pid>/status (VmRSS) every 250 ms.
// Knobs (env): BENCH_PEER_ROUNDS (2), BENCH_PEER_DURATION (20 s), BENCH_PEER_CONNECTIONS (32),
// BENCH_PEER_CHECK_EVERY (50), BENCH_PEER_POOL_SIZE (10, both servers).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSigningKey } from '#src/dev/local-identity/signing-key.js';
import { generateWebhookSecret } from '#src/dev/local-webhooks.js';
import { mint, PARTY, sessionClaims } from '../test/auth/support/tokens.js';
import { freePort } from '../test/support/free-port.js';
import { startBenchDatabase } from './database.js';
import { LISTINGS_PER_OWNER, loadFixtures, OWNERS, PAGE_SIZE } from './fixtures.js';
import { LISTINGS_QUERY } from './server.js';
import { positiveIntegerSetting, positiveSetting } from './settings.js';
import { median, ms, percentiles, table, type Percentiles } from './stats.js';

const ROUNDS = positiveIntegerSetting('BENCH_PEER_ROUNDS', 2);
const DURATION_SECONDS = positiveSetting('BENCH_PEER_DURATION', 20);
const CONNECTIONS = positiveIntegerSetting('BENCH_PEER_CONNECTIONS', 32);
const CHECK_EVERY = positiveIntegerSetting('BENCH_PEER_CHECK_EVERY', 50);
const POOL_SIZE = positiveIntegerSetting('BENCH_PEER_POOL_SIZE', 10);
const WARMUP_SECONDS = 2;
const READY_TIMEOUT_MS = 60_000;
const RSS_SAMPLE_MS = 250;

const SERVER_DIR = fileURLToPath(new URL('..', import.meta.url));
const PEER_DIR = fileURLToPath(new URL('./peer/', import.meta.url));
/** PostGraphile's "my newest 20 listings": RLS leaves only the viewer's rows, as in ours. */
const PEER_QUERY =
  `{ allListings(first: ${PAGE_SIZE}, orderBy: CREATED_AT_DESC) ` +
  `{ totalCount edges { node { id title price } } } }`;

type Label = 'ours' | 'PostGraphile';

interface Target {
  label: Label;
  port: number;
  query: string;
  /** Where the connection sits in a response body. */
  field: string;
  child: ChildProcess;
  peakRssKb: number;
}

interface Round {
  requests: number;
  requestsPerSecond: number;
  latency: Percentiles;
}

interface Connection {
  edges: { node: { title: string } }[];
  totalCount: number;
}

/** Throws unless `body` is the owner's newest page and nothing else: a leak or a wrong answer. */
function checkBody(text: string, field: string, ownerNumber: number): void {
  const body = JSON.parse(text) as { data?: Record<string, Connection | null>; errors?: unknown };
  const page = body.data?.[field];
  if (body.errors || !page) throw new Error(`wrong answer: ${text.slice(0, 300)}`);
  const expected = Array.from(
    { length: PAGE_SIZE },
    (_, i) => `Bench listing ${ownerNumber}-${LISTINGS_PER_OWNER - i}`,
  );
  const titles = page.edges.map((edge) => edge.node.title);
  if (page.totalCount !== LISTINGS_PER_OWNER || titles.join('|') !== expected.join('|')) {
    throw new Error(`owner ${ownerNumber} got totalCount ${page.totalCount}, titles ${titles.join(', ')}`);
  }
}

function post(
  agent: http.Agent,
  port: number,
  body: string,
  token?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent,
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** CONNECTIONS keep-alive loops for `seconds`, each cycling over the owners' tokens. */
async function load(target: Target, tokens: string[], seconds: number): Promise<Round> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const body = JSON.stringify({ query: target.query });
  const samples: number[] = [];
  const started = performance.now();
  const until = started + seconds * 1000;
  let sent = 0;
  const loop = async (connection: number) => {
    for (let i = connection; performance.now() < until; i += CONNECTIONS) {
      const owner = i % tokens.length;
      const t0 = performance.now();
      const { status, text } = await post(agent, target.port, body, tokens[owner]);
      samples.push(performance.now() - t0);
      if (status !== 200) throw new Error(`${target.label}: status ${status}: ${text.slice(0, 300)}`);
      if (++sent % CHECK_EVERY === 0) checkBody(text, target.field, owner + 1);
    }
  };
  try {
    await Promise.all(Array.from({ length: CONNECTIONS }, (_, c) => loop(c)));
  } finally {
    agent.destroy();
  }
  const elapsed = (performance.now() - started) / 1000;
  return { requests: samples.length, requestsPerSecond: samples.length / elapsed, latency: percentiles(samples) };
}

/** Without a token, or with one signed by another key, neither server may return a single row. */
async function checkRefusals(target: Target, foreignToken: string): Promise<void> {
  const agent = new http.Agent();
  try {
    for (const token of [undefined, foreignToken]) {
      const { text } = await post(agent, target.port, JSON.stringify({ query: target.query }), token);
      if (text.includes('Bench listing')) throw new Error(`${target.label} answered without a valid token: ${text}`);
    }
  } finally {
    agent.destroy();
  }
}

function spawnServer(label: Label, args: string[], env: Record<string, string>): ChildProcess {
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

/** Ready once an owner's query answers 200 with their page. */
async function waitUntilReady(target: Target, token: string): Promise<void> {
  const agent = new http.Agent();
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      if (target.child.exitCode !== null) throw new Error(`${target.label} exited with ${target.child.exitCode}`);
      try {
        const { status, text } = await post(agent, target.port, JSON.stringify({ query: target.query }), token);
        if (status === 200) return checkBody(text, target.field, 1);
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

function sampleRss(targets: Target[]): NodeJS.Timeout {
  return setInterval(() => {
    for (const target of targets) {
      if (!target.child.pid || target.child.exitCode !== null) continue;
      try {
        const status = readFileSync(`/proc/${target.child.pid}/status`, 'utf8');
        const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
        target.peakRssKb = Math.max(target.peakRssKb, kb);
      } catch {
        // The process is gone: its peak so far stands.
      }
    }
  }, RSS_SAMPLE_MS);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await once(child, 'exit');
  clearTimeout(timer);
}

function report(targets: Target[], rounds: Record<Label, Round[]>): string {
  const rows = targets.map((target) => {
    const mine = rounds[target.label];
    return [
      target.label,
      mine.map((r) => r.requestsPerSecond.toFixed(0)).join(', '),
      median(mine.map((r) => r.requestsPerSecond)).toFixed(0),
      ms(median(mine.map((r) => r.latency.p50))),
      ms(median(mine.map((r) => r.latency.p95))),
      ms(median(mine.map((r) => r.latency.p99))),
      (target.peakRssKb / 1024).toFixed(0),
    ];
  });
  // Paired by round, so drift during the run cancels; the median of the pairs is reported.
  const ratios = rounds.ours.map((r, i) => r.requestsPerSecond / (rounds.PostGraphile[i]?.requestsPerSecond ?? NaN));
  return [
    table(['server', 'req/s per round', 'req/s median', 'p50 ms', 'p95 ms', 'p99 ms', 'peak RSS MB'], rows),
    `throughput ours/PostGraphile: ${median(ratios).toFixed(2)}× (rounds: ${ratios.map((r) => r.toFixed(2)).join(', ')})`,
  ].join('\n');
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dealbrain-bench-peer-'));
  const database = await startBenchDatabase(dir);
  const targets: Target[] = [];
  try {
    const clerkIds = OWNERS.map((owner) => `user_peer_${owner.number}`);
    await loadFixtures(database.rls.superuserUrl, clerkIds);
    const signingKey = generateSigningKey();
    const expiry = Math.floor(Date.now() / 1000) + 3600;
    const tokens = clerkIds.map((clerkId) => mint(signingKey, sessionClaims(clerkId, { exp: expiry })));
    const foreignToken = mint(generateSigningKey(), sessionClaims(clerkIds[0]!, { exp: expiry }));
    const keyFile = path.join(dir, 'jwt-key.pem');
    const usersFile = path.join(dir, 'users.json');
    await writeFile(keyFile, signingKey.publicKeyPem);
    await writeFile(usersFile, JSON.stringify(Object.fromEntries(OWNERS.map((o, i) => [clerkIds[i], o.userId]))));

    const [oursPort, peerPort] = [await freePort(), await freePort()];
    const ours = spawnServer('ours', ['--import', 'tsx', 'src/main.ts'], {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      PORT: String(oursPort),
      DATABASE_URL: database.rls.url,
      DATABASE_POOL_SIZE: String(POOL_SIZE),
      AUTH_MODE: 'clerk',
      CLERK_JWT_KEY: signingKey.publicKeyPem,
      CLERK_SECRET_KEY: 'sk_test_bench_peer',
      CLERK_AUTHORIZED_PARTIES: PARTY,
      // Required in production; nothing is delivered to it here. Generated per run, never committed.
      CLERK_WEBHOOK_SIGNING_SECRET: generateWebhookSecret(),
      // A handful of users sending thousands of requests a second: no budget is meant for that.
      RATE_LIMIT_ADDRESS_POINTS: '100000000',
      RATE_LIMIT_USER_POINTS: '1000000000',
      RATE_LIMIT_API_KEY_POINTS: '1000000000',
    });
    targets.push({
      label: 'ours',
      port: oursPort,
      query: LISTINGS_QUERY,
      field: 'listings',
      child: ours,
      peakRssKb: 0,
    });
    const peer = spawnServer(
      'PostGraphile',
      ['--import', path.join(PEER_DIR, 'with-resolvers.mjs'), path.join(PEER_DIR, 'postgraphile-server.mjs')],
      {
        NODE_ENV: 'production',
        PORT: String(peerPort),
        DATABASE_URL: database.rls.url,
        PEER_POOL_SIZE: String(POOL_SIZE),
        PEER_JWT_KEY_FILE: keyFile,
        PEER_USERS_FILE: usersFile,
      },
    );
    targets.push({
      label: 'PostGraphile',
      port: peerPort,
      query: PEER_QUERY,
      field: 'allListings',
      child: peer,
      peakRssKb: 0,
    });

    const sampler = sampleRss(targets);
    try {
      console.log('Both servers must refuse a missing and a foreign token: their refusal logs follow.');
      for (const target of targets) {
        await waitUntilReady(target, tokens[0]!);
        await checkRefusals(target, foreignToken);
        await load(target, tokens, WARMUP_SECONDS);
      }
      const rounds: Record<Label, Round[]> = { ours: [], PostGraphile: [] };
      for (let round = 0; round < ROUNDS; round++) {
        for (const target of targets) rounds[target.label].push(await load(target, tokens, DURATION_SECONDS));
      }
      console.log(
        `\nOur server against PostGraphile 5.1.5 (amber): "my newest ${PAGE_SIZE} listings", ` +
          `${OWNERS.length} users × ${LISTINGS_PER_OWNER} listings, RS256 bearer per request, ` +
          `${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${DURATION_SECONDS} s, pool ${POOL_SIZE} each; ` +
          `every ${CHECK_EVERY}th body checked for leaks, all passed`,
      );
      console.log(report(targets, rounds));
    } finally {
      clearInterval(sampler);
    }
  } finally {
    await Promise.all(targets.map((target) => stopChild(target.child)));
    await database.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
