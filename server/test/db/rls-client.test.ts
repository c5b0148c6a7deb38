// Issue #2, parts 9 and 12: the RLS client (src/db/rls.ts) against the real database, through the
// same Prisma client the server uses. Users and listings are fresh per run (files share a database).
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Viewer } from '#src/auth/viewer.js';
import { closeBasePrisma, createBasePrisma, poolOf, type BasePrisma } from '#src/db/client.js';
import { rlsClient, withRls, withSync, type RlsClient } from '#src/db/rls.js';
import { connectAs, databaseOf, withDatabase } from '../support/sql.js';

let base: BasePrisma;
let superuser: pg.Client;
let alice: Viewer;
let bob: Viewer;
let admin: Viewer;
const owned = new Map<string, string[]>();
const tag = randomUUID();

/** As the superuser: app_sync may not write a role (ADR 0064). */
async function createViewer(name: string, role: 'USER' | 'ADMIN'): Promise<Viewer> {
  const { rows } = await superuser.query<{ id: string; clerkId: string }>(
    `INSERT INTO users (clerk_id, email, role) VALUES ($1, $2, $3) RETURNING id::text, clerk_id AS "clerkId"`,
    [`user_${name}_${randomUUID()}`, `${name}+${tag}@example.test`, role],
  );
  const user = rows[0]!;
  return {
    userId: user.id,
    clerkId: user.clerkId,
    role,
    sessionId: undefined,
    credential: { kind: 'session', sessionId: undefined },
  };
}

async function seedListings(viewer: Viewer, count: number): Promise<void> {
  const ids = await withRls(base, viewer, async (tx) => {
    const created: string[] = [];
    for (let i = 0; i < count; i++) {
      const row = await tx.listing.create({
        data: { ownerId: viewer.userId, title: `${tag} ${i}`, price: '10.00' },
        select: { id: true },
      });
      created.push(row.id);
    }
    return created;
  });
  owned.set(viewer.userId, ids);
}

async function listingTitles(title: string): Promise<string[]> {
  const { rows } = await superuser.query<{ title: string }>(`SELECT title FROM listings WHERE title = $1`, [title]);
  return rows.map((row) => row.title);
}

/** Who the connection is and which viewer it carries; an unset setting reads as ''. */
function settingsQuery(client: Pick<BasePrisma, '$queryRaw'>) {
  return client.$queryRaw<{ userId: string; userRole: string; role: string }[]>`
    SELECT coalesce(current_setting('app.current_user_id', true), '') AS "userId",
           coalesce(current_setting('app.current_user_role', true), '') AS "userRole",
           current_user::text AS role`;
}

beforeAll(async () => {
  const { url, superuserUrl } = inject('database');
  // A pool of ONE connection: every operation below shares it, so any context that outlived its
  // transaction would show up in the next user's results.
  base = createBasePrisma(url, 1);
  superuser = await connectAs(withDatabase(superuserUrl, databaseOf(url)));
  alice = await createViewer('alice', 'USER');
  bob = await createViewer('bob', 'USER');
  admin = await createViewer('admin', 'ADMIN');
  await seedListings(alice, 3);
  await seedListings(bob, 2);
});

afterAll(async () => {
  await base?.$disconnect();
  await superuser?.end();
});

describe('no context leak over a pool of one connection', () => {
  type Op = 'findMany' | 'count' | 'setting';
  const OPS: Op[] = ['findMany', 'count', 'setting'];

  /** Runs `op` as `viewer` and fails unless the answer is exactly the viewer's. */
  async function checkedOp(viewer: Viewer, op: Op, label: string): Promise<void> {
    const db = rlsClient(base, viewer);
    const mine = owned.get(viewer.userId)!;
    if (op === 'findMany') {
      const rows = await db.listing.findMany({ select: { id: true, ownerId: true } });
      expect(rows.map((r) => r.id).sort(), label).toEqual([...mine].sort());
    } else if (op === 'count') {
      expect(await db.listing.count(), label).toBe(mine.length);
    } else {
      expect(await settingsQuery(db), label).toEqual([{ userId: viewer.userId, userRole: 'USER', role: 'app_user' }]);
    }
  }

  it('200 sequential operations alternating Alice and Bob each see only their own', async () => {
    for (let i = 0; i < 200; i++) {
      const viewer = i % 2 === 0 ? alice : bob;
      await checkedOp(viewer, OPS[i % OPS.length]!, `#${i}`);
    }
    // And the connection is back to the bare authenticator with no viewer.
    expect(await settingsQuery(base)).toEqual([{ userId: '', userRole: '', role: 'authenticator' }]);
  });

  it('interleaved concurrent operations of different users (Promise.all) stay isolated', async () => {
    await Promise.all(
      Array.from({ length: 60 }, (_, i) => checkedOp(i % 3 === 0 ? bob : alice, OPS[(i * 7) % OPS.length]!, `#${i}`)),
    );
  });

  it('same-tick operations of two users on the same model are not batched together', async () => {
    const [a, b] = await Promise.all([
      rlsClient(base, alice).listing.findMany({ select: { ownerId: true } }),
      rlsClient(base, bob).listing.findMany({ select: { ownerId: true } }),
    ]);
    expect(new Set(a.map((r) => r.ownerId))).toEqual(new Set([alice.userId]));
    expect(new Set(b.map((r) => r.ownerId))).toEqual(new Set([bob.userId]));
  });
});

describe('every kind of operation, concurrently, as two users on one connection', () => {
  // Prisma merges same-tick findUnique calls of different callers into one query, dispatched
  // from whichever came first: rls.ts sends those with their context in-band. Every other kind
  // carries its context in a scope. Both must hold when the kinds are mixed in one tick.
  function attempts(viewer: Viewer, other: Viewer) {
    const db = rlsClient(base, viewer);
    const mine = [...owned.get(viewer.userId)!].sort();
    const theirs = owned.get(other.userId)![0]!;
    const own = mine[0]!;
    const idsOf = (rows: { id: string }[]) => rows.map((row) => row.id).sort();
    return [
      async () => expect(idsOf(await db.listing.findMany({ select: { id: true } }))).toEqual(mine),
      async () => expect(await db.listing.findFirst({ where: { id: theirs } })).toBeNull(),
      async () => expect((await db.listing.findFirst({ where: { id: own }, select: { id: true } }))?.id).toBe(own),
      async () => await expect(db.listing.findFirstOrThrow({ where: { id: theirs } })).rejects.toThrow(),
      async () => expect(await db.listing.findUnique({ where: { id: theirs } })).toBeNull(),
      async () => expect((await db.listing.findUnique({ where: { id: own }, select: { id: true } }))?.id).toBe(own),
      async () => await expect(db.listing.findUniqueOrThrow({ where: { id: theirs } })).rejects.toThrow(),
      async () => expect(await db.listing.count()).toBe(mine.length),
      async () => expect((await db.listing.aggregate({ _count: { _all: true } }))._count._all).toBe(mine.length),
      async () =>
        expect(await db.listing.groupBy({ by: ['ownerId'], _count: { _all: true } })).toEqual([
          { ownerId: viewer.userId, _count: { _all: mine.length } },
        ]),
      async () =>
        expect(await db.listing.updateMany({ where: { id: theirs }, data: { notes: 'x' } })).toEqual({ count: 0 }),
      async () => expect(await db.listing.deleteMany({ where: { id: theirs } })).toEqual({ count: 0 }),
      async () => await expect(db.listing.update({ where: { id: theirs }, data: { notes: 'x' } })).rejects.toThrow(),
      async () => await expect(db.listing.delete({ where: { id: theirs } })).rejects.toThrow(),
      async () =>
        expect(await settingsQuery(db)).toEqual([{ userId: viewer.userId, userRole: 'USER', role: 'app_user' }]),
      async () =>
        expect(await db.$queryRawUnsafe<{ n: number }[]>('SELECT count(*)::int AS n FROM listings')).toEqual([
          { n: mine.length },
        ]),
      async () => expect(await db.$executeRaw`UPDATE listings SET notes = notes WHERE id = ${theirs}::uuid`).toBe(0),
      async () =>
        expect(await db.$executeRawUnsafe('UPDATE listings SET notes = notes WHERE id = $1::uuid', own)).toBe(1),
    ];
  }

  it('each answer is exactly what its viewer may see, 20 rounds', async () => {
    for (let round = 0; round < 20; round++) {
      // All of them started in the same tick, Alice's and Bob's interleaved.
      const a = attempts(alice, bob);
      const b = attempts(bob, alice);
      await Promise.all(a.flatMap((attempt, i) => [attempt(), b[i]!()]));
    }
    expect(await settingsQuery(base)).toEqual([{ userId: '', userRole: '', role: 'authenticator' }]);
  });

  it('also over a pool of several connections', async () => {
    const wide = createBasePrisma(inject('database').url, 4);
    try {
      const as = (viewer: Viewer) => rlsClient(wide, viewer);
      for (let round = 0; round < 10; round++) {
        const results = await Promise.all(
          [alice, bob, alice, bob, admin].map(async (viewer) => ({
            viewer,
            rows: await as(viewer).listing.findMany({
              where: { title: { startsWith: tag } },
              select: { ownerId: true },
            }),
            unique: await as(viewer).listing.findUnique({ where: { id: owned.get(bob.userId)![0]! } }),
          })),
        );
        for (const { viewer, rows, unique } of results) {
          const owners = new Set(rows.map((row) => row.ownerId));
          expect(owners).toEqual(viewer === admin ? new Set([alice.userId, bob.userId]) : new Set([viewer.userId]));
          expect(unique === null).toBe(viewer === alice);
        }
      }
    } finally {
      await closeBasePrisma(wide);
    }
  });

  it('a write of several statements is one transaction as the viewer, atomic', async () => {
    const db = rlsClient(base, alice);
    const name = `${tag} nested`;
    const created = await db.collection.create({
      data: { ownerId: alice.userId, name, items: { create: [{ listingId: owned.get(alice.userId)![0]! }] } },
      select: { id: true, items: { select: { listingId: true } } },
    });
    expect(created.items).toEqual([{ listingId: owned.get(alice.userId)![0]! }]);
    // The same with an item another user's row refuses: nothing of it is left.
    const refused = `${tag} nested refused`;
    await expect(
      db.collection.create({
        data: { ownerId: alice.userId, name: refused, items: { create: [{ listingId: owned.get(bob.userId)![0]! }] } },
      }),
    ).rejects.toThrow();
    const { rows } = await superuser.query(`SELECT name FROM collections WHERE name IN ($1, $2)`, [name, refused]);
    expect(rows).toEqual([{ name }]);
  });
});

describe('transactions around RLS client operations', () => {
  // Prisma queues an operation that joins a $transaction and dispatches every caller's queue from
  // one shared tick. Started inside a viewer's scope, that tick would run other callers' queued
  // operations as this viewer: the RLS client refuses to join, whichever way it is asked.
  it.each([
    ['a batch $transaction on it', (db: RlsClient) => db.$transaction([db.listing.findMany()])],
    ['an interactive $transaction on it', (db: RlsClient) => db.$transaction((tx) => tx.listing.findMany())],
    ['a batch $transaction of the base client', (db: RlsClient) => base.$transaction([db.listing.count()])],
  ])('refuses %s', async (_name, run) => {
    await expect(run(rlsClient(base, alice))).rejects.toThrow(/does not join transactions; use withRls/);
  });

  it('so same-tick transactions of two users cannot carry one context to the other', async () => {
    const asAlice = rlsClient(base, alice);
    const asBob = rlsClient(base, bob);
    const results = await Promise.allSettled([
      asAlice.$transaction([asAlice.listing.findMany()]),
      asBob.$transaction([asBob.listing.findMany()]),
      base.$transaction([base.listing.findMany()]),
      base.user.findUnique({ where: { id: alice.userId } }),
    ]);
    const reasons = results.map((result) => (result.status === 'rejected' ? String(result.reason) : 'answered'));
    expect(reasons[0]).toMatch(/does not join transactions/);
    expect(reasons[1]).toMatch(/does not join transactions/);
    expect(reasons[2]).toMatch(/permission denied for table listings/);
    expect(reasons[3]).toMatch(/permission denied for table users/);
  });
});

describe('a connection that breaks under an operation', () => {
  it('fails that operation only; the process and the pool carry on', async () => {
    const wide = createBasePrisma(inject('database').url, 2);
    try {
      const marker = `rls-break-${randomUUID()}`;
      // Started now (Prisma's operations are lazy), settled below.
      const sleeping = Promise.resolve(rlsClient(wide, alice).$queryRawUnsafe(`SELECT pg_sleep(5), '${marker}'`));
      sleeping.catch(() => {});
      // Terminate that backend once its statement is running.
      for (let attempt = 0; ; attempt++) {
        const { rowCount } = await superuser.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE $1 AND pid <> pg_backend_pid()`,
          [`%${marker}%`],
        );
        if (rowCount) break;
        if (attempt > 200) throw new Error('the statement never started');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await expect(sleeping).rejects.toThrow();
      expect(await rlsClient(wide, alice).listing.count()).toBe(owned.get(alice.userId)!.length);
    } finally {
      await closeBasePrisma(wide);
    }
  });
});

describe('an operation outside any scope or transaction (the bare base client)', () => {
  it('still fails closed while other operations run in scopes at the same moment', async () => {
    const results = await Promise.allSettled([
      rlsClient(base, alice).listing.findMany(),
      base.listing.findMany(),
      rlsClient(base, bob).listing.count(),
      base.listing.findUnique({ where: { id: owned.get(alice.userId)![0]! } }),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    for (const failed of [results[1], results[3]]) {
      expect(String((failed as PromiseRejectedResult).reason)).toMatch(/permission denied for table listings/);
    }
  });
});

describe('round trips on the wire', () => {
  /**
   * The statements sent and the server's ReadyForQuery answers ("<ready>"), in order. A round trip
   * is a wait: statements sent after an answer came back start another one.
   */
  async function tracedBase(): Promise<{ traced: BasePrisma; log: string[]; trips: () => number }> {
    const traced = createBasePrisma(inject('database').url, 1);
    const log: string[] = [];
    poolOf(traced).on('connect', (client) => {
      const connection = (client as unknown as { connection: Record<string, (...args: unknown[]) => unknown> })
        .connection;
      const { query, bind } = connection;
      connection.query = (text: unknown) => (log.push(String(text)), query!.call(connection, text));
      connection.bind = (msg: unknown) => (log.push('(bound)'), bind!.call(connection, msg));
      (connection as unknown as pg.Connection).on('readyForQuery', () => log.push('<ready>'));
    });
    const trips = () => log.filter((entry, i) => entry !== '<ready>' && (i === 0 || log[i - 1] === '<ready>')).length;
    return { traced, log, trips };
  }

  it('a read as the viewer is one: BEGIN, context, the query and COMMIT go together', async () => {
    const { traced, log, trips } = await tracedBase();
    try {
      await rlsClient(traced, alice).listing.findMany({ select: { id: true } });
      expect(trips()).toBe(1);
      expect(log).toEqual(['BEGIN', '(bound)', '(bound)', 'COMMIT', '<ready>', '<ready>', '<ready>', '<ready>']);
      // A page and its count side by side (the listings resolver) are two at once, not in turn.
      log.length = 0;
      const db = rlsClient(traced, bob);
      await Promise.all([db.listing.findMany({ select: { id: true } }), db.listing.count()]);
      expect(trips()).toBeLessThanOrEqual(2);
    } finally {
      await closeBasePrisma(traced);
    }
  });

  it('a findUnique (context in-band) is two: BEGIN, context and the query together, then COMMIT', async () => {
    const { traced, log, trips } = await tracedBase();
    try {
      await rlsClient(traced, alice).listing.findUnique({ where: { id: owned.get(alice.userId)![0]! } });
      expect(trips()).toBe(2);
      // Prisma's own COMMIT goes as a prepared statement: bound, then answered.
      expect(log).toEqual(['BEGIN', '(bound)', '(bound)', '<ready>', '<ready>', '<ready>', '(bound)', '<ready>']);
    } finally {
      await closeBasePrisma(traced);
    }
  });

  it('an interactive withRls transaction sends BEGIN and its context with its first statement', async () => {
    const { traced, log, trips } = await tracedBase();
    try {
      await withRls(traced, alice, async (tx) => {
        await tx.listing.count();
        await tx.listing.count();
      });
      expect(trips()).toBe(3);
      expect(log.slice(0, 3)).toEqual(['BEGIN', '(bound)', '(bound)']);
    } finally {
      await closeBasePrisma(traced);
    }
  });
});

describe('prepared statements and roles', () => {
  it('a cached generic plan never carries rows across roles or viewers', async () => {
    // The server names its statements, so PostgreSQL caches their plans per connection. Force
    // generic plans on the one pooled connection: the same statement then runs as app_user,
    // app_admin and app_user again, and each must see exactly what its role and viewer may see.
    await poolOf(base).query('SET plan_cache_mode = force_generic_plan');
    try {
      const everyone = [...owned.get(alice.userId)!, ...owned.get(bob.userId)!].sort();
      const expected = new Map([
        [alice, [...owned.get(alice.userId)!].sort()],
        [admin, everyone],
        [bob, [...owned.get(bob.userId)!].sort()],
      ]);
      for (let i = 0; i < 30; i++) {
        for (const [viewer, ids] of expected) {
          const rows = await rlsClient(base, viewer).listing.findMany({
            where: { title: { startsWith: tag } },
            select: { id: true },
          });
          expect(rows.map((row) => row.id).sort(), `round ${i} as ${viewer.role}`).toEqual(ids);
        }
      }
    } finally {
      await poolOf(base).query('RESET plan_cache_mode');
    }
  });
});

describe('outside the wrapper (the bare authenticator role)', () => {
  it.each([
    ['a model query', () => base.listing.findMany()],
    ['a raw query', () => base.$queryRaw`SELECT * FROM listings`],
    ['a raw write', () => base.$executeRaw`DELETE FROM listings`],
    ['the users table', () => base.user.count()],
  ])('%s fails with permission denied', async (_name, run) => {
    await expect(run()).rejects.toThrow(/permission denied for table (listings|users)/);
  });
});

describe('rlsClient', () => {
  it('wraps raw queries too: they run as the viewer', async () => {
    expect(await settingsQuery(rlsClient(base, bob))).toEqual([
      { userId: bob.userId, userRole: 'USER', role: 'app_user' },
    ]);
    const rows = await rlsClient(base, alice).$queryRaw<{ owner_id: string }[]>`SELECT owner_id::text FROM listings`;
    expect(new Set(rows.map((r) => r.owner_id))).toEqual(new Set([alice.userId]));
  });

  it("switches an admin to app_admin, which reads everyone's rows", async () => {
    const db = rlsClient(base, admin);
    expect(await settingsQuery(db)).toEqual([{ userId: admin.userId, userRole: 'ADMIN', role: 'app_admin' }]);
    const ids = await db.listing.findMany({ where: { title: { startsWith: tag } }, select: { id: true } });
    expect(ids.map((r) => r.id).sort()).toEqual([...owned.get(alice.userId)!, ...owned.get(bob.userId)!].sort());
  });

  it('cannot create a row owned by another user (RLS violation) and writes nothing', async () => {
    const title = `${tag} forged`;
    await expect(
      rlsClient(base, alice).listing.create({ data: { ownerId: bob.userId, title, price: '1.00' } }),
    ).rejects.toThrow(/row-level security/);
    expect(await listingTitles(title)).toEqual([]);
  });

  it("cannot update or delete another user's rows: they are invisible", async () => {
    const db = rlsClient(base, alice);
    const target = owned.get(bob.userId)![0]!;
    expect(await db.listing.updateMany({ where: { id: target }, data: { title: 'pwned' } })).toEqual({ count: 0 });
    expect(await db.listing.deleteMany({ where: { id: target } })).toEqual({ count: 0 });
    expect(await db.listing.findUnique({ where: { id: target } })).toBeNull();
    const { rows } = await superuser.query(`SELECT title FROM listings WHERE id = $1`, [target]);
    expect(rows).toEqual([{ title: `${tag} 0` }]);
  });
});

describe('withRls', () => {
  it('runs every statement as the viewer, in one transaction', async () => {
    const seen = await withRls(base, bob, async (tx) => {
      const [setting] = await settingsQuery(tx);
      const first = await tx.$queryRaw<{ txid: bigint }[]>`SELECT txid_current() AS txid`;
      const second = await tx.$queryRaw<{ txid: bigint }[]>`SELECT txid_current() AS txid`;
      return { setting, sameTransaction: first[0]?.txid !== undefined && first[0]?.txid === second[0]?.txid };
    });
    expect(seen).toEqual({
      setting: { userId: bob.userId, userRole: 'USER', role: 'app_user' },
      sameTransaction: true,
    });
  });

  it('is atomic: a throw after a write leaves nothing behind', async () => {
    const title = `${tag} rolled back`;
    await expect(
      withRls(base, alice, async (tx) => {
        await tx.listing.create({ data: { ownerId: alice.userId, title, price: '1.00' } });
        expect(await tx.listing.count({ where: { title } })).toBe(1);
        throw new Error('boom after the write');
      }),
    ).rejects.toThrow('boom after the write');
    expect(await listingTitles(title)).toEqual([]);
  });

  it('writes a change and its audit event together', async () => {
    const target = owned.get(alice.userId)![1]!;
    const title = `${tag} renamed`;
    const eventId = await withRls(base, alice, async (tx) => {
      await tx.listing.update({ where: { id: target }, data: { title } });
      const event = await tx.auditEvent.create({
        data: { type: 'listing.renamed', actorId: alice.userId, subjectUserId: alice.userId, metadata: { target } },
        select: { id: true },
      });
      return event.id;
    });
    const { rows } = await superuser.query(
      `SELECT l.title, a.type FROM listings l, audit_events a WHERE l.id = $1 AND a.id = $2`,
      [target, eventId],
    );
    expect(rows).toEqual([{ title, type: 'listing.renamed' }]);
  });

  it('rolls the change back when its audit event is refused by a policy', async () => {
    const target = owned.get(alice.userId)![2]!;
    const title = `${tag} half done`;
    await expect(
      withRls(base, alice, async (tx) => {
        await tx.listing.update({ where: { id: target }, data: { title } });
        // A user may not record events in someone else's name.
        await tx.auditEvent.create({ data: { type: 'forged', actorId: bob.userId, subjectUserId: bob.userId } });
      }),
    ).rejects.toThrow(/row-level security/);
    expect(await listingTitles(title)).toEqual([]);
  });

  it('honours a timeout', async () => {
    await expect(withRls(base, alice, (tx) => tx.$executeRaw`SELECT pg_sleep(0.5)`, { timeout: 100 })).rejects.toThrow(
      /timeout|expired|closed/i,
    );
    // The connection is usable (and context-free) afterwards.
    expect(await settingsQuery(base)).toEqual([{ userId: '', userRole: '', role: 'authenticator' }]);
  });
});

describe('withSync', () => {
  it('runs as app_sync with no viewer', async () => {
    const [setting] = await withSync(base, (tx) => settingsQuery(tx));
    expect(setting).toEqual({ userId: '', userRole: 'SYNC', role: 'app_sync' });
  });

  it('may read users but no deal data', async () => {
    expect(await withSync(base, (tx) => tx.user.count({ where: { id: alice.userId } }))).toBe(1);
    await expect(withSync(base, (tx) => tx.listing.count(), { timeout: 5_000 })).rejects.toThrow(
      /permission denied for table listings/,
    );
  });
});
