// npm run bench: token verification, then `listings(first: 20)` through the whole server under
// load, interleaved round by round on three servers over identical rows:
//   RLS           the production server: per-operation transaction with its context (pipelined
//                 with the statement, docs/decisions/0005), role switch, policies;
//   RLS disabled  the same server and roles on a copy with RLS disabled (the policies' own cost);
//   owner conn    the same server reading through bench_owner (BYPASSRLS, plain grants) with the
//                 base client itself: no wrapper, no role switch, no policies; the resolvers'
//                 owner filter alone. The baseline: the targets are judged against it.
// The last two lines compare RLS with each; the very last with the owner connection. Exits non-zero
// on any error or wrong response; a missed target is reported, not fatal. Knobs (env): BENCH_ROUNDS
// (3), BENCH_CONNECTIONS (32), BENCH_DURATION (6 s), BENCH_WARMUP (1 s), BENCH_SERIAL_DURATION (2 s),
// BENCH_POOL_SIZE (10). Several shorter rounds, compared pairwise within a round, keep a burst of
// noise on a shared machine from deciding the result.
import { rmSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { appUserSession, checkOwnerConnection, ownerConnectionSession, queryCosts, visibleListings } from './checks.js';
import { BENCH_OWNER_ROLE, startBenchDatabase } from './database.js';
import { LISTINGS_PER_OWNER, OWNER_COUNT, OWNERS, PAGE_SIZE, loadFixtures } from './fixtures.js';
import { runLoad, type LoadResult } from './load.js';
import { checkResponses, startBenchServer, type BenchServer } from './server.js';
import { median, ms, signedMs, table } from './stats.js';
import { benchTokenVerification } from './verify-tokens.js';
import { benchWrapperCost } from './wrapper-cost.js';
import { positiveSetting } from './settings.js';

const SETTINGS = {
  rounds: positiveSetting('BENCH_ROUNDS', 3),
  connections: positiveSetting('BENCH_CONNECTIONS', 32),
  durationSeconds: positiveSetting('BENCH_DURATION', 6),
  /** Once per server before the first round, and again (BENCH_WARMUP) before each measured run. */
  initialWarmupSeconds: 2,
  warmupSeconds: positiveSetting('BENCH_WARMUP', 1),
  serialSeconds: positiveSetting('BENCH_SERIAL_DURATION', 2),
  poolSize: positiveSetting('BENCH_POOL_SIZE', 10),
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

function medianRow(label: string, rounds: Round[]): string[] {
  return [
    label,
    median(rounds.map((r) => r.load.requestsPerSecond)).toFixed(0),
    ms(median(rounds.map((r) => r.load.latency.p50))),
    ms(median(rounds.map((r) => r.load.latency.p97_5))),
    ms(median(rounds.map((r) => r.load.latency.p99))),
    ms(median(rounds.map((r) => r.serial.latency.p50))),
    ms(median(rounds.map((r) => r.serial.latency.p99))),
  ];
}

interface Comparison {
  /** Throughput ratio RLS / baseline, by round. */
  ratios: number[];
  throughputRatio: number;
  /** Median over rounds of the per-round p50 difference, 1 connection (ms). */
  perRequestP50Diff: number;
  /** The same under load (ms). */
  loadedP50Diff: number;
}

/** Paired by round, so drift during the run cancels; the median of the pairs is reported. */
function compare(rls: Round[], baseline: Round[]): Comparison {
  const pairs = rls.map((r, i) => ({ r, b: baseline[i] as Round }));
  const ratios = pairs.map(({ r, b }) => r.load.requestsPerSecond / b.load.requestsPerSecond);
  return {
    ratios,
    throughputRatio: median(ratios),
    perRequestP50Diff: median(pairs.map(({ r, b }) => r.serial.latency.p50 - b.serial.latency.p50)),
    loadedP50Diff: median(pairs.map(({ r, b }) => r.load.latency.p50 - b.load.latency.p50)),
  };
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
  // A signal exits once the cleanups have run, even when one of them failed: remove the directory
  // on the way out regardless. (A process killed outright leaves it behind: the next run removes it.)
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const database = await startBenchDatabase(dir);
  cleanups.push(() => database.stop());
  const rlsServer = await startBenchServer('RLS', database.rls.url, SETTINGS.poolSize);
  cleanups.push(() => rlsServer.close());
  const baselineServer = await startBenchServer('RLS disabled', database.baseline.url, SETTINGS.poolSize);
  cleanups.push(() => baselineServer.close());
  // The resolvers get the base client itself: no transaction wrapper, no role switch. The process
  // and its pool are the same, so the viewer lookup and everything around the resolvers are too.
  const ownerServer = await startBenchServer('owner conn', database.owner.url, SETTINGS.poolSize, {
    withoutRlsClient: true,
  });
  cleanups.push(() => ownerServer.close());
  await loadFixtures(database.rls.superuserUrl, rlsServer.clerkIds);
  await loadFixtures(database.baseline.superuserUrl, baselineServer.clerkIds);
  await loadFixtures(database.owner.superuserUrl, ownerServer.clerkIds);
  console.log(`\nSetup (PostgreSQL, migrations x3, fixtures x3, three servers): ${elapsedSince(setupStarted)}`);

  // ── what the comparison rests on ──────────────────────────────────────────────────────────
  const owner = OWNERS[0];
  if (!owner) throw new Error('no owners');
  const sessions = {
    rls: appUserSession(database.rls, owner.userId),
    baseline: appUserSession(database.baseline, owner.userId),
    owner: ownerConnectionSession(database.owner),
  };
  await checkOwnerConnection(database.owner);
  const visibleRls = await visibleListings(sessions.rls);
  const visibleBaseline = await visibleListings(sessions.baseline);
  const visibleOwner = await visibleListings(sessions.owner);
  const total = OWNER_COUNT * LISTINGS_PER_OWNER;
  if (visibleRls !== LISTINGS_PER_OWNER || visibleBaseline !== total || visibleOwner !== total) {
    throw new Error(
      `unexpected visibility: ${visibleRls} with RLS, ${visibleBaseline} with RLS disabled, ` +
        `${visibleOwner} on the owner connection (of ${total})`,
    );
  }
  for (const server of [rlsServer, baselineServer, ownerServer]) await checkResponses(server);
  console.log(
    `Checks: with no filter of its own, app_user sees ${visibleRls} of ${total} listings with RLS and ` +
      `${visibleBaseline} with RLS disabled (same roles, grants and transactions); ${BENCH_OWNER_ROLE} ` +
      `(BYPASSRLS, no RLS on its database) sees ${visibleOwner}; every owner's page (${PAGE_SIZE} edges, ` +
      `totalCount ${LISTINGS_PER_OWNER}) is right on all three servers`,
  );

  const costsRls = await queryCosts(sessions.rls, owner.userId, 200);
  const costsBaseline = await queryCosts(sessions.baseline, owner.userId, 200);
  const costsOwner = await queryCosts(sessions.owner, owner.userId, 200);
  console.log(
    `\nIn the database (EXPLAIN ANALYZE, planning + execution, p50 of 200, ms; ` +
      `as app_user on RLS and RLS disabled, as ${BENCH_OWNER_ROLE} on the owner connection)`,
  );
  console.log(
    table(
      ['statement', 'RLS', 'RLS disabled', 'owner conn', 'RLS - disabled', 'RLS - owner'],
      (['page', 'count'] as const).map((name) => [
        name,
        ms(costsRls[name].p50Ms),
        ms(costsBaseline[name].p50Ms),
        ms(costsOwner[name].p50Ms),
        signedMs(costsRls[name].p50Ms - costsBaseline[name].p50Ms),
        signedMs(costsRls[name].p50Ms - costsOwner[name].p50Ms),
      ]),
    ),
  );
  console.log(`plan with RLS (page; count has the same policy subplans):\n  ${costsRls.page.plan.join('\n  ')}`);

  const wrapper = await benchWrapperCost(database.rls, database.baseline, database.owner, owner, {
    warmup: 200,
    iterations: SETTINGS.wrapperIterations,
  });
  console.log(
    `\nOne Prisma findMany (21 rows), serial, ${SETTINGS.wrapperIterations} each, interleaved (ms): ` +
      `the database client's part of each server`,
  );
  console.log(
    table(
      ['client', 'p50', 'p99', 'vs owner'],
      [
        [`owner connection (${BENCH_OWNER_ROLE}), no RLS`, ms(wrapper.owner.p50), ms(wrapper.owner.p99), ''],
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
  const servers = [rlsServer, baselineServer, ownerServer] as const;
  // All servers run the same modules: warm them up (JIT, Prisma's query cache) before any round.
  for (const server of servers) {
    await runLoad({
      ...loadBase(server),
      connections: SETTINGS.connections,
      durationSeconds: SETTINGS.initialWarmupSeconds,
    });
  }
  const rows: string[][] = [];
  const results: [Round[], Round[], Round[]] = [[], [], []];
  for (let round = 1; round <= SETTINGS.rounds; round++) {
    for (const [i, server] of servers.entries()) {
      const result = await measure(server);
      results[i]?.push(result);
      rows.push(roundRow(`round ${round} ${server.label}`, result));
    }
  }
  const [rls, baseline, ownerConnection] = results;
  rows.push(
    medianRow(`median ${rlsServer.label}`, rls),
    medianRow(`median ${baselineServer.label}`, baseline),
    medianRow(`median ${ownerServer.label}`, ownerConnection),
  );
  console.log(table(['', 'req/s', 'p50', 'p97.5', 'p99', '1-conn p50', '1-conn p99'], rows));

  const vsOwner = compare(rls, ownerConnection);
  const policiesOnly = compare(rls, baseline);
  const ratioList = (c: Comparison) => c.ratios.map((r) => r.toFixed(2)).join(', ');
  console.log(
    `\nRLS vs owner connection (the issue's baseline: everything RLS adds)\n` +
      `  throughput ratio RLS/owner by round: ${ratioList(vsOwner)}\n` +
      `  per request (1 connection), RLS - owner: p50 ${signedMs(vsOwner.perRequestP50Diff)} ms\n` +
      `  under load (${SETTINGS.connections} connections), RLS - owner: p50 ${signedMs(vsOwner.loadedP50Diff)} ms`,
  );
  console.log(
    `RLS vs RLS disabled (policies only: same roles, transaction wrapper and role switch on both)\n` +
      `  throughput ratio RLS/RLS-disabled by round: ${ratioList(policiesOnly)}\n` +
      `  per request (1 connection), RLS - RLS disabled: p50 ${signedMs(policiesOnly.perRequestP50Diff)} ms\n` +
      `  under load (${SETTINGS.connections} connections), RLS - RLS disabled: p50 ` +
      `${signedMs(policiesOnly.loadedP50Diff)} ms`,
  );
  console.log(`\nTargets (RLS judged against the owner connection, as the issue asks)`);
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
          `RLS p50 cost per request < ${TARGETS.rlsP50CostMs} ms (vs owner connection)`,
          `${signedMs(vsOwner.perRequestP50Diff)} ms`,
          verdict(vsOwner.perRequestP50Diff < TARGETS.rlsP50CostMs),
        ],
        [
          `RLS throughput >= ${TARGETS.throughputRatio} x owner connection`,
          vsOwner.throughputRatio.toFixed(2),
          verdict(vsOwner.throughputRatio >= TARGETS.throughputRatio),
        ],
        [
          'policies only: p50 cost per request (vs RLS disabled)',
          `${signedMs(policiesOnly.perRequestP50Diff)} ms`,
          'info',
        ],
        ['policies only: throughput ratio (vs RLS disabled)', policiesOnly.throughputRatio.toFixed(2), 'info'],
      ],
    ),
  );
  console.log(`\nTotal ${elapsedSince(started)}`);
  console.log(
    `Policies only, RLS vs RLS disabled (same wrapper): p50 ${signedMs(policiesOnly.perRequestP50Diff)} ms, ` +
      `throughput ratio ${policiesOnly.throughputRatio.toFixed(2)} (RLS/RLS-disabled)`,
  );
  console.log(
    `RLS vs no-RLS: p50 ${signedMs(vsOwner.perRequestP50Diff)} ms, ` +
      `throughput ratio ${vsOwner.throughputRatio.toFixed(2)} (RLS/no-RLS)`,
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
