// npm run soak: the product as a team scales it out — two API instances (real processes) on one
// PostgreSQL through Debian's PgBouncer in transaction pooling mode — under a long mixed load with every
// answer checked (soak/workload.ts): reads and writes, session tokens and API keys, four users and an
// admin. Then the throughput of one instance against two, interleaved in one run.
//
// Fails (exit 1) on any wrong answer, any 5xx or any transport error, and when a user's listings in the
// database differ from what the acknowledged answers say. Reports requests/s, latency percentiles, and
// each instance's resident memory before and after (RSS growth).
//
// Knobs (env): SOAK_REQUESTS (10000), SOAK_CONCURRENCY (64), SOAK_THROUGHPUT_ROUNDS (2; 0 skips the
// one-vs-two comparison), SOAK_THROUGHPUT_SECONDS (5). `npm test` runs a short form (soak:short).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LOCAL_AUTH_PREFIX, LOCAL_AUTH_SECRET_HEADER, LOCAL_AUTH_STATE_DIR } from '@deal-brain/shared/local-auth';
import pg from 'pg';
import { withClient } from '#src/db/bootstrap.js';
import { EMBEDDED_DATABASE_NAME, startEmbeddedDatabase, type EmbeddedDatabase } from '#src/db/embedded.js';
import { migrateUp } from '#src/db/migrations.js';
import { readBootSecret } from '#src/dev/local-identity/boot-secret.js';
import { startApiCluster, type ApiCluster, type ApiInstance } from '../test/support/api-cluster.js';
import { freePort } from '../test/support/free-port.js';
import { withDatabase } from './database.js';
import { startPgBouncer, type PgBouncer } from '../test/support/pgbouncer.js';
import { positiveIntegerSetting } from './settings.js';
import { ms, percentiles, table } from './stats.js';
import { compareThroughput } from './soak/throughput.js';
import { runMix, type Outcome, type SoakCast, type SoakUser } from './soak/workload.js';
import { apiEnvironment, apiNodeFlags } from '../../scripts/api-node-flags.mjs';

const SETTINGS = {
  requests: positiveIntegerSetting('SOAK_REQUESTS', 10_000),
  concurrency: positiveIntegerSetting('SOAK_CONCURRENCY', 64),
  throughputRounds:
    process.env.SOAK_THROUGHPUT_ROUNDS === '0' ? 0 : positiveIntegerSetting('SOAK_THROUGHPUT_ROUNDS', 2),
  throughputSeconds: positiveIntegerSetting('SOAK_THROUGHPUT_SECONDS', 5),
  users: 4,
  /** Requests before the first RSS reading: start-up allocations are not growth. */
  warmup: 300,
} as const;

interface Rig {
  database: EmbeddedDatabase;
  bouncer: PgBouncer;
  cluster: ApiCluster;
  dataDir: string;
}

async function startRig(dataDir: string): Promise<Rig> {
  const database = await startEmbeddedDatabase({
    dir: path.join(dataDir, 'pg'),
    port: await freePort(),
    persistent: false,
  });
  try {
    await migrateUp(database.ownerUrl);
    const bouncer = await startPgBouncer(database.url, { poolSize: 8 });
    try {
      const cluster = await startApiCluster({
        count: 2,
        // The heap ceilings npm start gives the API (scripts/api-node-flags.mjs): the soak shows they hold.
        nodeOptions: apiNodeFlags(process.env),
        dataDir: path.join(dataDir, 'api'),
        env: {
          ...apiEnvironment(process.env),
          LOG_LEVEL: 'warn',
          DATABASE_URL: bouncer.url,
          DATABASE_POOL_MODE: 'transaction',
          // The identity caches' LISTEN connection, straight to PostgreSQL as a deployment sets it (ADR 0071).
          DATABASE_LISTEN_URL: database.url,
          DATABASE_POOL_SIZE: '8',
          // Five people sending thousands of requests a minute: the production budgets are not for that.
          RATE_LIMIT_ADDRESS_POINTS: '100000000',
          RATE_LIMIT_USER_POINTS: '1000000000',
          RATE_LIMIT_API_KEY_POINTS: '1000000000',
        },
      });
      return { database, bouncer, cluster, dataDir };
    } catch (error) {
      await bouncer.stop();
      throw error;
    }
  } catch (error) {
    await database.stop();
    throw error;
  }
}

/** A superuser on the application database: the admin's role, the final check. */
const superuserUrl = (rig: Rig) => withDatabase(rig.database.superuserUrl, EMBEDDED_DATABASE_NAME);

async function stopRig(rig: Rig): Promise<void> {
  await rig.cluster.stop();
  await rig.bouncer.stop();
  await rig.database.stop();
}

/** A local route of one instance, as the web app calls it (boot secret from the shared data directory). */
async function localAuth<T>(rig: Rig, instance: ApiInstance, route: string, body: unknown): Promise<T> {
  const secret = await readBootSecret(path.join(rig.dataDir, 'api', LOCAL_AUTH_STATE_DIR));
  const response = await fetch(`${instance.url}${LOCAL_AUTH_PREFIX}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [LOCAL_AUTH_SECRET_HEADER]: secret ?? '' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`${route}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function graphql<T>(instance: ApiInstance, credential: string, query: string, variables?: object): Promise<T> {
  const response = await fetch(`${instance.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (response.status !== 200 || body.errors) throw new Error(`setup: HTTP ${response.status} ${JSON.stringify(body)}`);
  return body.data as T;
}

/** An identity and a session on `home` (tokens verify on every instance: they share the signing key). */
async function signUp(rig: Rig, home: ApiInstance, email: string): Promise<string> {
  await localAuth(rig, home, '/identities', { email, firstName: 'Soak', lastName: 'Tester' });
  const { token } = await localAuth<{ token: string }>(rig, home, '/sessions', { email, ttlSeconds: 3600 });
  await graphql(home, token, '{ viewer { id } }');
  return token;
}

const CREATE_KEY = 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }';

async function castOf(rig: Rig): Promise<SoakCast> {
  const home = rig.cluster.instances[0] as ApiInstance;
  const run = randomUUID().slice(0, 8);
  const users: SoakUser[] = [];
  for (let n = 1; n <= SETTINGS.users; n++) {
    const email = `soak-u${n}-${run}@example.test`;
    const sessionToken = await signUp(rig, home, email);
    const { createApiKey } = await graphql<{ createApiKey: { secret: string } }>(home, sessionToken, CREATE_KEY, {
      input: { name: 'soak', scopes: ['READ', 'WRITE'] },
    });
    users.push({
      email,
      prefix: `Soak u${n}-${run}`,
      sessionToken,
      apiKey: createApiKey.secret,
      live: [],
      created: 0,
      deleted: 0,
    });
  }
  const adminEmail = `soak-admin-${run}@example.test`;
  const adminToken = await signUp(rig, home, adminEmail);
  // The first admin of a deployment is made by an operator (docs/admin-setup.md); here, the superuser.
  await withClient(superuserUrl(rig), (client) =>
    client.query(`UPDATE users SET role = 'ADMIN' WHERE email = $1`, [adminEmail]),
  );
  return { users, admin: { email: adminEmail, sessionToken: adminToken } };
}

/** Resident memory of a process in MB, from /proc (Linux). */
function rssMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
  return kb / 1024;
}

/** Every user's listings in the database against what the acknowledged answers say. */
async function checkDatabase(rig: Rig, cast: SoakCast): Promise<string[]> {
  const problems: string[] = [];
  const client = new pg.Client({ connectionString: superuserUrl(rig) });
  await client.connect();
  try {
    for (const user of cast.users) {
      const { rows } = await client.query<{ count: string; foreign: string }>(
        `SELECT count(*) FILTER (WHERE u.email = $1) AS count, count(*) FILTER (WHERE u.email <> $1) AS foreign
         FROM listings l JOIN users u ON u.id = l.owner_id WHERE l.title LIKE $2`,
        [user.email, `${user.prefix} #%`],
      );
      const expected = user.created - user.deleted;
      const row = rows[0] as { count: string; foreign: string };
      if (Number(row.count) !== expected)
        problems.push(`${user.email}: ${row.count} listings stored, ${expected} acknowledged`);
      if (Number(row.foreign) !== 0)
        problems.push(`${user.email}: ${row.foreign} of their titles owned by someone else`);
    }
  } finally {
    await client.end();
  }
  return problems;
}

function summarize(outcomes: Outcome[], seconds: number): void {
  const byKind = new Map<string, Outcome[]>();
  for (const outcome of outcomes) byKind.set(outcome.kind, [...(byKind.get(outcome.kind) ?? []), outcome]);
  const rows = [...byKind.entries()].map(([kind, list]) => {
    const latency = percentiles(list.map((outcome) => outcome.ms));
    return [kind, String(list.length), ms(latency.p50), ms(latency.p95), ms(latency.p99)];
  });
  const all = percentiles(outcomes.map((outcome) => outcome.ms));
  rows.push(['all', String(outcomes.length), ms(all.p50), ms(all.p95), ms(all.p99)]);
  console.log(table(['request', 'count', 'p50', 'p95', 'p99'], rows));
  console.log(
    `soak: ${outcomes.length} requests in ${seconds.toFixed(1)} s = ${(outcomes.length / seconds).toFixed(0)} req/s`,
  );
}

async function soak(rig: Rig, cast: SoakCast): Promise<boolean> {
  const urls = rig.cluster.instances.map((instance) => instance.url);
  const pids = rig.cluster.instances.map((instance) => instance.child.pid);
  const warm = await runMix(urls, cast, SETTINGS.warmup, SETTINGS.concurrency);
  const before = pids.map(rssMb);
  const peak = [...before];
  const sampler = setInterval(() => pids.forEach((pid, i) => (peak[i] = Math.max(peak[i] ?? 0, rssMb(pid)))), 500);
  const started = performance.now();
  const outcomes = await runMix(urls, cast, SETTINGS.requests, SETTINGS.concurrency).finally(() =>
    clearInterval(sampler),
  );
  const seconds = (performance.now() - started) / 1000;
  const after = pids.map(rssMb);

  summarize(outcomes, seconds);
  const measured = [...warm, ...outcomes];
  const wrong = measured.filter((outcome) => outcome.wrong);
  const fivexx = measured.filter((outcome) => outcome.status >= 500);
  console.log(
    `soak: ${wrong.length} wrong answers, ${fivexx.length} 5xx (warm-up included: ${measured.length} requests)`,
  );
  for (const outcome of wrong.slice(0, 10))
    console.log(`  wrong ${outcome.kind} (HTTP ${outcome.status}): ${outcome.wrong}`);
  rig.cluster.instances.forEach((instance, i) =>
    console.log(
      `soak: instance ${instance.index} RSS ${before[i]?.toFixed(0)} MB → ${after[i]?.toFixed(0)} MB ` +
        `(growth ${((after[i] ?? 0) - (before[i] ?? 0)).toFixed(0)} MB, peak ${peak[i]?.toFixed(0)} MB)`,
    ),
  );
  const stored = await checkDatabase(rig, cast);
  for (const problem of stored) console.log(`  database: ${problem}`);
  const listings = cast.users.reduce((sum, user) => sum + user.created - user.deleted, 0);
  console.log(
    `soak: database holds exactly the ${listings} acknowledged listings: ${stored.length === 0 ? 'yes' : 'NO'}`,
  );
  return wrong.length === 0 && fivexx.length === 0 && stored.length === 0;
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'dealbrain-soak-'));
  const started = performance.now();
  let ok = false;
  try {
    const rig = await startRig(dataDir);
    try {
      console.log(
        `soak: ${SETTINGS.requests} requests at concurrency ${SETTINGS.concurrency}, ` +
          `2 API instances through PgBouncer (transaction pooling) on one PostgreSQL`,
      );
      const cast = await castOf(rig);
      const tokens = cast.users.map((user) => user.sessionToken);
      ok = await soak(rig, cast);
      if (SETTINGS.throughputRounds > 0) {
        ok =
          (await compareThroughput(
            rig.cluster.instances,
            tokens,
            SETTINGS.throughputRounds,
            SETTINGS.throughputSeconds,
          )) && ok;
      }
    } finally {
      await stopRig(rig);
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
  console.log(`soak: ${ok ? 'passed' : 'FAILED'} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (!ok) process.exitCode = 1;
}

await main();
