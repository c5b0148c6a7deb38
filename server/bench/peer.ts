// npm run bench:peer (and the last part of npm run bench): our server against PostGraphile v5 (the
// peer, bench/peer/postgraphile-server.mjs) on one freshly migrated and seeded database with the
// real roles and policies. Both run as child processes in Clerk mode against the same RS256 key and
// are sent the same tokens by the same load generator (bench/peer/load.ts), BENCH_PEER_CONNECTIONS
// (32) in flight, in interleaved rounds (ours, peer, ours, peer, …) so machine noise hits both.
// Ours runs from its production build (bench/peer/children.ts), as `npm start` runs it.
// Scenarios (bench/peer/scenarios.ts): read ("my newest 20 listings"), write (createListing, each
// round's rows checked in the database and removed), nested (a collection's 20 items and their
// listings). Every status is checked and every BENCH_PEER_CHECK_EVERY-th body: exactly the token
// owner's data, nothing of anyone else. Both must refuse a missing and a foreign token. Peak RSS of
// each child comes from /proc/<pid>/status (VmRSS) every 250 ms.
// Knobs (env): BENCH_PEER_ROUNDS (2), BENCH_PEER_DURATION (20 s), BENCH_PEER_CONNECTIONS (32),
// BENCH_PEER_CHECK_EVERY (50), BENCH_PEER_POOL_SIZE (10, both servers), BENCH_PEER_SCENARIOS
// (read,write,nested), BENCH_PEER_OURS (build; tsx runs src/main.ts through tsx instead),
// BENCH_PEER_CPU_PROF (a directory: our server runs with --cpu-prof into it; see bench/profile-summary.ts),
// BENCH_PEER_OURS_NODE_OPTIONS (NODE_OPTIONS for our server), API_MAX_OLD_SPACE_MB and API_MAX_SEMI_SPACE_MB
// (the heap flags npm start gives the API, scripts/api-node-flags.mjs, also given here), BENCH_PEER_OURS_ENV
// (more environment for our server, `NAME=value` separated by spaces: TOKEN_CACHE_SIZE=0 and the like, to
// measure what one change buys), BENCH_PEER_RATE_LIMITS_LOGGED=1 (rate_limits made a logged table again).
// At the end, our server's own memory series (its /metrics) say where its RSS went.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { withClient } from '#src/db/bootstrap.js';
import { generateSigningKey } from '#src/dev/local-identity/signing-key.js';
import { generateWebhookSecret } from '#src/dev/local-webhooks.js';
import { mint, PARTY, sessionClaims } from '../test/auth/support/tokens.js';
import { freePort } from '../test/support/free-port.js';
import { startBenchDatabase } from './database.js';
import { LISTINGS_PER_OWNER, loadCollections, loadFixtures, OWNERS } from './fixtures.js';
import {
  buildOurServer,
  ourServerArgs,
  PEER_DIR,
  sampleRss,
  spawnServer,
  stopChild,
  waitUntilReady,
  type Target,
} from './peer/children.js';
import { checkRefusals, load, type LoadSettings } from './peer/load.js';
import { rssReport, scenarioReport, type Rounds } from './peer/report.js';
import { SCENARIOS, selectedScenarios, type Scenario } from './peer/scenarios.js';
import { positiveIntegerSetting, positiveSetting } from './settings.js';
import { apiEnvironment } from '../../scripts/api-node-flags.mjs';

const ROUNDS = positiveIntegerSetting('BENCH_PEER_ROUNDS', 2);
const DURATION_SECONDS = positiveSetting('BENCH_PEER_DURATION', 20);
const POOL_SIZE = positiveIntegerSetting('BENCH_PEER_POOL_SIZE', 10);
const SETTINGS: LoadSettings = {
  connections: positiveIntegerSetting('BENCH_PEER_CONNECTIONS', 32),
  checkEvery: positiveIntegerSetting('BENCH_PEER_CHECK_EVERY', 50),
};
const SCENARIO_LIST = selectedScenarios(process.env.BENCH_PEER_SCENARIOS);
const OURS_FROM = oursFrom(process.env.BENCH_PEER_OURS);
const CPU_PROFILE_DIR = process.env.BENCH_PEER_CPU_PROF || undefined;
const WARMUP_SECONDS = 2;
/** Our server drains for up to 10 s on SIGTERM; a CPU profile is written after that. */
const STOP_GRACE_MS = CPU_PROFILE_DIR ? 60_000 : 20_000;

function oursFrom(raw: string | undefined): 'build' | 'tsx' {
  if (!raw || raw === 'build' || raw === 'tsx') return raw === 'tsx' ? 'tsx' : 'build';
  throw new Error('BENCH_PEER_OURS must be build or tsx');
}

interface Run {
  targets: Target[];
  tokens: string[];
  foreignToken: string;
  superuserUrl: string;
}

function startOurs(port: number, metricsPort: number, databaseUrl: string, jwtKeyPem: string): Target {
  const nodeOptions = process.env.BENCH_PEER_OURS_NODE_OPTIONS;
  const child = spawnServer('ours', ourServerArgs(OURS_FROM, CPU_PROFILE_DIR), {
    ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
    // As npm start gives it (scripts/api-node-flags.mjs), with the heap flags (peer/children.ts).
    ...(OURS_FROM === 'build' ? apiEnvironment(process.env) : {}),
    ...extraEnvironment(process.env.BENCH_PEER_OURS_ENV),
    METRICS_PORT: String(metricsPort),
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: String(POOL_SIZE),
    AUTH_MODE: 'clerk',
    CLERK_JWT_KEY: jwtKeyPem,
    CLERK_SECRET_KEY: 'sk_test_bench_peer',
    CLERK_AUTHORIZED_PARTIES: PARTY,
    // Required in production; nothing is delivered to it here. Generated per run, never committed.
    CLERK_WEBHOOK_SIGNING_SECRET: generateWebhookSecret(),
    // A handful of users sending thousands of requests a second: no budget is meant for that.
    RATE_LIMIT_ADDRESS_POINTS: '100000000',
    RATE_LIMIT_USER_POINTS: '1000000000',
    RATE_LIMIT_API_KEY_POINTS: '1000000000',
  });
  return { label: 'ours', port, child, peakRssKb: 0, scenarioPeakRssKb: 0 };
}

function startPeer(port: number, databaseUrl: string, keyFile: string, usersFile: string): Target {
  const child = spawnServer(
    'PostGraphile',
    ['--import', path.join(PEER_DIR, 'with-resolvers.mjs'), path.join(PEER_DIR, 'postgraphile-server.mjs')],
    {
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      PEER_POOL_SIZE: String(POOL_SIZE),
      PEER_JWT_KEY_FILE: keyFile,
      PEER_USERS_FILE: usersFile,
    },
  );
  return { label: 'PostGraphile', port, child, peakRssKb: 0, scenarioPeakRssKb: 0 };
}

/**
 * CPU time (user + system) the server process has used so far, in ms, from /proc/<pid>/stat. Per request it
 * is the figure machine noise disturbs least: a busy neighbour takes throughput, not a request's own work.
 */
function cpuMsOf(target: Target): number {
  const stat = readFileSync(`/proc/${target.child.pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces, hence the last parenthesis): utime is the 12th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticksPerSecond = 100;
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

/** `A=1 B=2` as { A: '1', B: '2' }. */
function extraEnvironment(raw: string | undefined): Record<string, string> {
  const pairs = (raw ?? '').split(/\s+/).filter(Boolean);
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new Error(`BENCH_PEER_OURS_ENV: ${pair} is not NAME=value`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

const MEMORY_SERIES = [
  'process_resident_memory_bytes',
  'nodejs_heap_size_total_bytes',
  'nodejs_heap_size_used_bytes',
  'nodejs_external_memory_bytes',
];

/** Our server's memory now, from its metrics listener: heap, external (buffers, WebAssembly) and RSS. */
async function memoryOfOurs(metricsPort: number): Promise<string> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const lines = text
    .split('\n')
    .filter((line) => MEMORY_SERIES.some((name) => line.startsWith(`${name} `)))
    .map((line) => {
      const [name, value] = line.split(' ');
      return `${name}: ${(Number(value) / 1048576).toFixed(0)} MB`;
    });
  return `Our server's memory after the run (its /metrics):\n${lines.join('\n')}`;
}

/** Both servers answer owner 1's read correctly and refuse missing and foreign tokens. */
async function prepare(run: Run): Promise<void> {
  console.log('Both servers must refuse a missing and a foreign token: their refusal logs follow.');
  for (const target of run.targets) {
    const plan = SCENARIOS.read.plan(target.label, 'ready');
    await waitUntilReady(target, plan.body(0, 0), run.tokens[0]!, (text) => plan.check(text, 0, 0));
  }
}

/** Warm-up and refusal checks, then ROUNDS interleaved rounds; each write round settled in the database. */
async function runScenario(run: Run, scenario: Scenario): Promise<Rounds> {
  for (const target of run.targets) target.scenarioPeakRssKb = 0;
  for (const target of run.targets) {
    await checkRefusals(
      target,
      scenario.plan(target.label, 'refused'),
      run.foreignToken,
      run.superuserUrl,
      OWNERS.length,
    );
    const warmup = scenario.plan(target.label, 'warmup');
    const round = await load(target, warmup, run.tokens, WARMUP_SECONDS, SETTINGS);
    await warmup.settle?.(run.superuserUrl, round.okPerOwner);
  }
  const rounds: Rounds = { ours: [], PostGraphile: [] };
  for (let i = 0; i < ROUNDS; i++) {
    for (const target of run.targets) {
      const plan = scenario.plan(target.label, `r${i + 1}`);
      const cpuBefore = cpuMsOf(target);
      const round = await load(target, plan, run.tokens, DURATION_SECONDS, SETTINGS);
      round.cpuMsPerRequest = (cpuMsOf(target) - cpuBefore) / round.requests;
      await plan.settle?.(run.superuserUrl, round.okPerOwner);
      rounds[target.label].push(round);
    }
  }
  return rounds;
}

async function benchmark(run: Run): Promise<void> {
  await prepare(run);
  const ours = OURS_FROM === 'build' ? 'production build' : 'src through tsx';
  console.log(
    `\nOur server (${ours}) against PostGraphile 5.1.5 (amber): ${OWNERS.length} users × ${LISTINGS_PER_OWNER} ` +
      `listings, RS256 bearer per request, ${SETTINGS.connections} connections, ${ROUNDS} interleaved rounds of ` +
      `${DURATION_SECONDS} s, pool ${POOL_SIZE} each; every ${SETTINGS.checkEvery}th body checked for leaks`,
  );
  for (const scenario of SCENARIO_LIST) {
    const rounds: Rounds = await runScenario(run, scenario);
    console.log(`\n[${scenario.name}] ${scenario.description}: all checks passed`);
    console.log(scenarioReport(run.targets, rounds));
  }
  console.log(`\n${rssReport(run.targets)}`);
}

async function main(): Promise<void> {
  if (OURS_FROM === 'build') buildOurServer();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dealbrain-bench-peer-'));
  const database = await startBenchDatabase(dir);
  const targets: Target[] = [];
  try {
    const clerkIds = OWNERS.map((owner) => `user_peer_${owner.number}`);
    await loadFixtures(database.rls.superuserUrl, clerkIds);
    await loadCollections(database.rls.superuserUrl);
    if (process.env.BENCH_PEER_RATE_LIMITS_LOGGED === '1') {
      await withClient(database.rls.superuserUrl, (client) => client.query('ALTER TABLE rate_limits SET LOGGED'));
    }
    const signingKey = generateSigningKey();
    const expiry = Math.floor(Date.now() / 1000) + 3600;
    const tokens = clerkIds.map((clerkId) => mint(signingKey, sessionClaims(clerkId, { exp: expiry })));
    const foreignToken = mint(generateSigningKey(), sessionClaims(clerkIds[0]!, { exp: expiry }));
    const keyFile = path.join(dir, 'jwt-key.pem');
    const usersFile = path.join(dir, 'users.json');
    await writeFile(keyFile, signingKey.publicKeyPem);
    await writeFile(usersFile, JSON.stringify(Object.fromEntries(OWNERS.map((o, i) => [clerkIds[i], o.userId]))));

    const [oursPort, peerPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
    targets.push(startOurs(oursPort, metricsPort, database.rls.url, signingKey.publicKeyPem));
    targets.push(startPeer(peerPort, database.rls.url, keyFile, usersFile));
    const sampler = sampleRss(targets);
    try {
      await benchmark({ targets, tokens, foreignToken, superuserUrl: database.rls.superuserUrl });
      console.log(`\n${await memoryOfOurs(metricsPort)}`);
    } finally {
      clearInterval(sampler);
    }
  } finally {
    await Promise.all(targets.map((target) => stopChild(target.child, STOP_GRACE_MS)));
    await database.stop();
    await rm(dir, { recursive: true, force: true });
  }
  if (CPU_PROFILE_DIR) console.log(`\nCPU profile of our server in ${path.resolve(CPU_PROFILE_DIR)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
