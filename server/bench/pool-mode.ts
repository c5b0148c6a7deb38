// npm run bench:pool-mode (ADR 0069): what DATABASE_POOL_MODE=transaction (every statement unnamed, parsed
// and planned on each execution) costs against session (named statements, prepared once per connection),
// on the production server's `listings(first: 20)` under load, directly against PostgreSQL (no PgBouncer:
// the statements' own cost, not the pooler's). Rounds alternate the modes; each round starts a fresh
// server and reloads the fixtures for its identities. Then the same page read through the RLS client
// alone, one at a time, in alternating blocks: the per-read difference without HTTP and GraphQL around it. Knobs as bench/run.ts: BENCH_ROUNDS (3),
// BENCH_CONNECTIONS (32), BENCH_DURATION (6 s), BENCH_WARMUP (1 s), BENCH_POOL_SIZE (10).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Viewer } from '#src/auth/viewer.js';
import { closeBasePrisma, createBasePrisma, type BasePrisma } from '#src/db/client.js';
import type { PoolMode } from '#src/db/pool-mode.js';
import { rlsClient } from '#src/db/rls.js';
import { startBenchDatabase } from './database.js';
import pg from 'pg';
import { loadFixtures, OWNERS, PAGE_SIZE } from './fixtures.js';
import { runLoad, type LoadResult } from './load.js';
import { checkResponses, startBenchServer } from './server.js';
import { positiveSetting } from './settings.js';
import { median, ms, table } from './stats.js';

const SETTINGS = {
  rounds: positiveSetting('BENCH_ROUNDS', 3),
  connections: positiveSetting('BENCH_CONNECTIONS', 32),
  durationSeconds: positiveSetting('BENCH_DURATION', 6),
  warmupSeconds: positiveSetting('BENCH_WARMUP', 1),
  poolSize: positiveSetting('BENCH_POOL_SIZE', 10),
} as const;

const MODES: PoolMode[] = ['session', 'transaction'];
const STATEMENT_BLOCKS = 10;
const STATEMENT_BLOCK_SIZE = 100;

/** The previous round's owners hold the fixtures' fixed ids under other Clerk ids: remove them first. */
async function removeOwners(superuserUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: superuserUrl });
  await client.connect();
  try {
    await client.query('DELETE FROM audit_events');
    await client.query('DELETE FROM listings');
    await client.query('DELETE FROM users WHERE id = ANY($1::uuid[])', [OWNERS.map((owner) => owner.userId)]);
  } finally {
    await client.end();
  }
}

async function measure(databaseUrl: string, superuserUrl: string, mode: PoolMode): Promise<LoadResult> {
  const server = await startBenchServer(mode, databaseUrl, SETTINGS.poolSize, { poolMode: mode });
  try {
    await removeOwners(superuserUrl);
    await loadFixtures(superuserUrl, server.clerkIds);
    await checkResponses(server);
    const base = { url: server.url, tokens: server.tokens, connections: SETTINGS.connections };
    await runLoad({ ...base, durationSeconds: SETTINGS.warmupSeconds });
    return await runLoad({ ...base, durationSeconds: SETTINGS.durationSeconds });
  } finally {
    await server.close();
  }
}

/** One owner's first page and count through the RLS client, as the listings resolver reads them. */
async function readPage(base: BasePrisma, viewer: Viewer): Promise<void> {
  const db = rlsClient(base, viewer);
  const [rows] = await Promise.all([
    db.listing.findMany({ where: { ownerId: viewer.userId }, orderBy: { createdAt: 'desc' }, take: PAGE_SIZE }),
    db.listing.count({ where: { ownerId: viewer.userId } }),
  ]);
  if (rows.length !== PAGE_SIZE) throw new Error(`expected a full page, got ${rows.length}`);
}

/**
 * The statements alone, one page at a time (no HTTP, no GraphQL): blocks of reads alternate between a
 * session-mode and a transaction-mode client, so a burst of load elsewhere lands on both alike.
 */
async function measureStatements(databaseUrl: string): Promise<void> {
  const viewers: Viewer[] = OWNERS.map((owner) => ({
    userId: owner.userId,
    clerkId: `bench_${owner.number}`,
    role: 'USER',
    sessionId: undefined,
    credential: { kind: 'session', sessionId: undefined },
  }));
  const clients = new Map<PoolMode, BasePrisma>(
    MODES.map((mode) => [mode, createBasePrisma(databaseUrl, 2, undefined, mode)]),
  );
  const perRead = new Map<PoolMode, number[]>(MODES.map((mode) => [mode, []]));
  try {
    for (let block = -1; block < STATEMENT_BLOCKS; block++) {
      for (const mode of MODES) {
        const base = clients.get(mode)!;
        const started = performance.now();
        for (let i = 0; i < STATEMENT_BLOCK_SIZE; i++) await readPage(base, viewers[i % viewers.length]!);
        // Block -1 warms both up (connections, Prisma's query compiler, the session mode's statements).
        if (block >= 0) perRead.get(mode)!.push((performance.now() - started) / STATEMENT_BLOCK_SIZE);
      }
    }
  } finally {
    await Promise.all([...clients.values()].map((base) => closeBasePrisma(base)));
  }
  const session = perRead.get('session')!;
  const transaction = perRead.get('transaction')!;
  console.log(
    `statements only, one page read (findMany + count) at a time, ${STATEMENT_BLOCKS} blocks of ${STATEMENT_BLOCK_SIZE}: ` +
      `session ${ms(median(session))} ms, transaction ${ms(median(transaction))} ms per read; ` +
      `median difference ${ms(median(transaction.map((t, i) => t - session[i]!)))} ms`,
  );
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dealbrain-bench-pool-mode-'));
  const database = await startBenchDatabase(dir);
  try {
    const results = new Map<PoolMode, LoadResult[]>(MODES.map((mode) => [mode, []]));
    for (let round = 0; round < SETTINGS.rounds; round++) {
      for (const mode of round % 2 ? [...MODES].reverse() : MODES) {
        results.get(mode)!.push(await measure(database.rls.url, database.rls.superuserUrl, mode));
      }
    }
    const rows = MODES.map((mode) => {
      const runs = results.get(mode)!;
      return [
        mode,
        median(runs.map((run) => run.requestsPerSecond)).toFixed(0),
        ms(median(runs.map((run) => run.latency.p50))),
        ms(median(runs.map((run) => run.latency.p99))),
      ];
    });
    console.log(table(['pool mode', 'req/s', 'p50 ms', 'p99 ms'], rows));
    const ratios = results
      .get('transaction')!
      .map((run, i) => run.requestsPerSecond / results.get('session')![i]!.requestsPerSecond);
    console.log(`transaction / session throughput, by round: ${ratios.map((r) => r.toFixed(2)).join(', ')}`);
    console.log(`median ratio: ${median(ratios).toFixed(2)}`);
    // The last round's fixtures are still there.
    await measureStatements(database.rls.url);
  } finally {
    await database.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
