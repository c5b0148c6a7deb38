// Issue 14: the RLS path through Debian's PgBouncer 1.18 in transaction pooling mode (ADR 0069). Few
// server connections carry many clients' transactions, each on whichever connection is free: a named
// prepared statement made on one is missing on the next (pool mode `session` fails, which is why the
// mode exists); with pool mode `transaction` every user still sees exactly their own rows and no
// context outlives its transaction.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Viewer } from '#src/auth/viewer.js';
import { DEFAULT_TIME_LIMITS } from '#src/db/context-scope.js';
import { closeBasePrisma, createBasePrisma, type BasePrisma } from '#src/db/client.js';
import type { PoolMode } from '#src/db/pool-mode.js';
import { rlsClient, withRls } from '#src/db/rls.js';
import { postgresLimiter, rateLimitStoreClient } from '#src/rate-limit/pg-store.js';
import { startPgBouncer, type PgBouncer } from '../support/pgbouncer.js';
import { connectAs, databaseOf, withDatabase } from '../support/sql.js';

let bouncer: PgBouncer;
let superuser: pg.Client;
const tag = randomUUID();
const clients: BasePrisma[] = [];

/** A request path's client through PgBouncer, closed after the file. */
function clientThroughBouncer(poolSize: number, mode: PoolMode): BasePrisma {
  const base = createBasePrisma(bouncer.url, poolSize, DEFAULT_TIME_LIMITS, mode);
  clients.push(base);
  return base;
}

/** As the superuser: app_sync may not write a role (ADR 0064). */
async function createViewer(name: string): Promise<Viewer> {
  const { rows } = await superuser.query<{ userId: string; clerkId: string }>(
    `INSERT INTO users (clerk_id, email, role) VALUES ($1, $2, 'USER')
     RETURNING id::text AS "userId", clerk_id AS "clerkId"`,
    [`user_${name}_${randomUUID()}`, `${name}+${tag}@example.test`],
  );
  const user = rows[0]!;
  return { ...user, role: 'USER', sessionId: undefined, credential: { kind: 'session', sessionId: undefined } };
}

function settingsQuery(client: Pick<BasePrisma, '$queryRaw'>) {
  return client.$queryRaw<{ userId: string; role: string }[]>`
    SELECT coalesce(current_setting('app.current_user_id', true), '') AS "userId", current_user::text AS role`;
}

beforeAll(async () => {
  const { url, superuserUrl } = inject('database');
  // Two server connections: transactions of different clients must take turns on them.
  bouncer = await startPgBouncer(url, { poolSize: 2 });
  superuser = await connectAs(withDatabase(superuserUrl, databaseOf(url)));
});

afterAll(async () => {
  await Promise.all(clients.map((base) => closeBasePrisma(base)));
  await superuser?.end();
  await bouncer?.stop();
});

describe('pool mode session (named statements) through transaction pooling', () => {
  it('fails once a transaction lands on a server connection that never prepared the statement', async () => {
    const viewer = await createViewer('named');
    const base = clientThroughBouncer(1, 'session');
    const db = rlsClient(base, viewer);
    expect(await db.listing.count()).toBe(0); // prepared on the one server connection PgBouncer had
    // Another client's open transaction now holds that server connection: ours gets the other one.
    const holder = await connectAs(bouncer.url);
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1');
      await expect(db.listing.count()).rejects.toThrow(/prepared statement .* does not exist/);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
  });
});

describe('pool mode transaction through transaction pooling', () => {
  it('runs where named statements failed: the same sequence succeeds', async () => {
    const viewer = await createViewer('unnamed');
    const db = rlsClient(clientThroughBouncer(1, 'transaction'), viewer);
    expect(await db.listing.count()).toBe(0);
    const holder = await connectAs(bouncer.url);
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1');
      expect(await db.listing.count()).toBe(0);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
  });

  it('240 interleaved transactions of four users over two server connections each see only their own', async () => {
    const users = await Promise.all(['ann', 'ben', 'cai', 'dee'].map((name) => createViewer(name)));
    // Three "instances" with pools of four: twelve client connections on two server connections.
    const bases = [0, 1, 2].map(() => clientThroughBouncer(4, 'transaction'));
    const owned = new Map<string, string[]>(users.map((user) => [user.userId, []]));
    await Promise.all(
      users.map(async (user, u) => {
        await withRls(bases[u % bases.length]!, user, async (tx) => {
          for (let i = 0; i < 3; i++) {
            const row = await tx.listing.create({
              data: { ownerId: user.userId, title: `${tag} ${i}`, price: '1.00' },
            });
            owned.get(user.userId)!.push(row.id);
          }
        });
      }),
    );

    const checks = Array.from({ length: 240 }, async (_, i) => {
      const user = users[(i * 7) % users.length]!;
      const base = bases[i % bases.length]!;
      const mine = [...owned.get(user.userId)!].sort();
      const label = `#${i} ${user.userId}`;
      switch (i % 4) {
        case 0: {
          const rows = await rlsClient(base, user).listing.findMany({ select: { id: true } });
          expect(rows.map((row) => row.id).sort(), label).toEqual(mine);
          break;
        }
        case 1:
          expect(await rlsClient(base, user).listing.count(), label).toBe(mine.length);
          break;
        case 2:
          expect(await settingsQuery(rlsClient(base, user)), label).toEqual([
            { userId: user.userId, role: 'app_user' },
          ]);
          break;
        default: {
          // Several statements in one transaction, on whichever server connection PgBouncer gives it.
          const [count, rows] = await withRls(base, user, async (tx) => [
            await tx.listing.count(),
            await tx.listing.findMany({ select: { ownerId: true } }),
          ]);
          expect(count, label).toBe(mine.length);
          expect(new Set(rows.map((row) => row.ownerId)), label).toEqual(new Set([user.userId]));
        }
      }
    });
    await Promise.all(checks);

    // A bare statement afterwards, on any server connection: no user, no role; the data stays shut.
    for (const base of bases) {
      expect(await settingsQuery(base)).toEqual([{ userId: '', role: 'authenticator' }]);
      await expect(base.listing.count()).rejects.toThrow(/permission denied/);
    }
  });

  it('the rate limiter (which names its statements) works through it', async () => {
    const limiter = postgresLimiter(rateLimitStoreClient(clientThroughBouncer(2, 'transaction')), {
      keyPrefix: `pgbouncer-${tag}`,
      points: 5,
      durationSeconds: 60,
    });
    const key = randomUUID();
    for (let i = 0; i < 4; i++) await limiter.consume(key, 1);
    // Its statements go out unnamed: one prepared by name would be missing on the other server connection.
    const holder = await connectAs(bouncer.url);
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1');
      await limiter.consume(key, 1);
      await expect(limiter.consume(key, 1)).rejects.toMatchObject({ remainingPoints: 0 });
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
  });
});
