// npm run bench (first part): how many Clerk webhook deliveries one server process applies per
// second, and how duplicates behave under that load. The production createApp() in Clerk mode, a
// throwaway embedded PostgreSQL with the real roles and policies, deliveries signed with svix
// before the clock starts and posted by BENCH_WEBHOOK_CONCURRENCY (32) concurrent clients:
//   user.created        every delivery a new user (insert + audit + delivery bookkeeping);
//   session.created     a sign-in of one of those users (update + audit);
//   user.updated ×3     every delivery sent three times at once, as racing Svix retries would:
//                       exactly one copy may apply, the others must answer "duplicate".
// Exits non-zero on any non-200 answer or when the database shows anything but exactly-once.
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Webhook } from 'svix';
import { createApp } from '#src/app.js';
import { loadConfig } from '#src/config.js';
import { EMBEDDED_DATABASE_NAME, startEmbeddedDatabase } from '#src/db/embedded.js';
import { migrateUp } from '#src/db/migrations.js';
import { createLogger } from '#src/logging.js';
import { freePort } from '../test/support/free-port.js';
import { percentiles, ms, table } from './stats.js';
import { positiveIntegerSetting } from './settings.js';

const USERS = positiveIntegerSetting('BENCH_WEBHOOK_USERS', 2000);
const CONCURRENCY = positiveIntegerSetting('BENCH_WEBHOOK_CONCURRENCY', 32);
const COPIES = 3;
const SECRET = `whsec_${Buffer.from('bench-only-webhook-signing-secret').toString('base64')}`;

interface Delivery {
  svixId: string;
  body: string;
}

interface PhaseResult {
  label: string;
  sent: number;
  seconds: number;
  latenciesMs: number[];
  outcomes: Map<string, number>;
}

const webhook = new Webhook(SECRET);
let sequence = 0;

function delivery(type: string, data: Record<string, unknown>): Delivery {
  const svixId = `msg_bench_${(sequence++).toString(36)}`;
  return { svixId, body: JSON.stringify({ type, object: 'event', data, timestamp: Date.now() }) };
}

function userData(clerkId: string, updatedAt: number, firstName: string) {
  return {
    object: 'user',
    id: clerkId,
    email_addresses: [{ id: `idn_${clerkId}`, email_address: `${clerkId}@bench.example`, object: 'email_address' }],
    primary_email_address_id: `idn_${clerkId}`,
    first_name: firstName,
    last_name: 'Bench',
    image_url: '',
    created_at: updatedAt,
    updated_at: updatedAt,
  };
}

/** Posts every delivery in `queue` through CONCURRENCY clients; signed just before sending (Svix's window). */
async function runPhase(label: string, url: string, queue: Delivery[]): Promise<PhaseResult> {
  const latenciesMs: number[] = [];
  const outcomes = new Map<string, number>();
  let next = 0;
  const client = async () => {
    while (next < queue.length) {
      const item = queue[next++]!;
      const signedAt = new Date();
      const headers = {
        'content-type': 'application/json',
        'svix-id': item.svixId,
        'svix-timestamp': String(Math.floor(signedAt.getTime() / 1000)),
        'svix-signature': webhook.sign(item.svixId, signedAt, item.body),
      };
      const started = performance.now();
      const response = await fetch(url, { method: 'POST', headers, body: item.body });
      const text = await response.text();
      latenciesMs.push(performance.now() - started);
      if (response.status !== 200) throw new Error(`${label}: HTTP ${response.status} ${text.slice(0, 200)}`);
      const outcome = (JSON.parse(text) as { outcome: string }).outcome;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
  return { label, sent: queue.length, seconds: (performance.now() - started) / 1000, latenciesMs, outcomes };
}

function expectOutcomes(result: PhaseResult, expected: Record<string, number>): void {
  const actual = Object.fromEntries(result.outcomes);
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${result.label}: outcomes ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  }
}

async function countRows(superuserUrl: string): Promise<{ users: number; audit: Record<string, number> }> {
  const client = new pg.Client({ connectionString: superuserUrl });
  await client.connect();
  try {
    const users = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM users WHERE clerk_id LIKE 'user_bench_%'`,
    );
    const audit = await client.query<{ type: string; n: number }>(
      `SELECT type, count(*)::int AS n FROM audit_events GROUP BY type ORDER BY type`,
    );
    return { users: users.rows[0]!.n, audit: Object.fromEntries(audit.rows.map((row) => [row.type, row.n])) };
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dealbrain-bench-webhooks-'));
  const database = await startEmbeddedDatabase({ dir, port: await freePort(), persistent: false });
  try {
    await migrateUp(database.ownerUrl);
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: '0',
      AUTH_MODE: 'clerk',
      CLERK_SECRET_KEY: 'sk_test_bench',
      CLERK_AUTHORIZED_PARTIES: 'http://localhost:3000',
      CLERK_WEBHOOK_SIGNING_SECRET: SECRET,
    });
    const app = await createApp({ config, databaseUrl: database.url, log: createLogger('silent') });
    app.server.listen(0, '127.0.0.1');
    await once(app.server, 'listening');
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/webhooks/clerk`;
    try {
      const clerkIds = Array.from({ length: USERS }, (_, i) => `user_bench_${i}`);
      // Warm-up: connections, prepared statements, JIT of the handler.
      await runPhase('warm-up', url, [delivery('email.created', {}), delivery('email.created', {})]);

      const created = await runPhase(
        'user.created',
        url,
        clerkIds.map((id) => delivery('user.created', userData(id, 1, 'New'))),
      );
      expectOutcomes(created, { applied: USERS });
      const sessions = await runPhase(
        'session.created',
        url,
        clerkIds.map((id) =>
          delivery('session.created', { object: 'session', id: `sess_${id}`, user_id: id, created_at: Date.now() }),
        ),
      );
      expectOutcomes(sessions, { applied: USERS });
      const updates = clerkIds.map((id) => delivery('user.updated', userData(id, 2, 'Updated')));
      const racing = updates.flatMap((update) => Array<Delivery>(COPIES).fill(update));
      const duplicates = await runPhase(`user.updated ×${COPIES}`, url, racing);
      expectOutcomes(duplicates, { applied: USERS, duplicate: USERS * (COPIES - 1) });

      const rows = await countRows(database.superuserUrl.replace(/\/[^/]*$/, `/${EMBEDDED_DATABASE_NAME}`));
      const expectedAudit = { 'auth.sign_in': USERS, 'user.created': USERS, 'user.updated': USERS };
      if (rows.users !== USERS || JSON.stringify(rows.audit) !== JSON.stringify(expectedAudit)) {
        throw new Error(`exactly-once violated: ${JSON.stringify(rows)}`);
      }

      const rate = (result: PhaseResult) => result.sent / result.seconds;
      const results = [created, sessions, duplicates];
      console.log(`\nClerk webhooks: ${USERS} users, ${CONCURRENCY} concurrent clients, one server process`);
      console.log(
        table(
          ['phase', 'deliveries', 'per second', 'p50 ms', 'p95 ms', 'outcomes', 'vs user.created'],
          results.map((result) => {
            const p = percentiles(result.latenciesMs);
            return [
              result.label,
              String(result.sent),
              rate(result).toFixed(0),
              ms(p.p50),
              ms(p.p95),
              [...result.outcomes].map(([k, v]) => `${k} ${v}`).join(', '),
              (rate(result) / rate(created)).toFixed(2),
            ];
          }),
        ),
      );
      console.log(
        `Exactly once: ${rows.users} users, audit events ${JSON.stringify(rows.audit)}; ` +
          `${USERS * (COPIES - 1)} racing copies all answered 200 "duplicate".`,
      );
    } finally {
      app.server.closeAllConnections();
      await new Promise<void>((resolve) => app.server.close(() => resolve()));
      await app.base.$disconnect();
    }
  } finally {
    await database.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
