// Issue #2, parts 9 and 12: the RLS client (src/db/rls.ts) against the real database, through the
// same Prisma client the server uses. Users and listings are fresh per run (files share a database).
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Viewer } from '#src/auth/viewer.js';
import { closeBasePrisma, createBasePrisma, poolOf, type BasePrisma } from '#src/db/client.js';
import { rlsBatch, rlsClient, withRls, withSync } from '#src/db/rls.js';
import { connectAs, databaseOf, withDatabase } from '../support/sql.js';

let base: BasePrisma;
let superuser: pg.Client;
let alice: Viewer;
let bob: Viewer;
let admin: Viewer;
const owned = new Map<string, string[]>();
const tag = randomUUID();

async function createViewer(name: string, role: 'USER' | 'ADMIN'): Promise<Viewer> {
  const user = await withSync(base, (tx) =>
    tx.user.create({
      data: { clerkId: `user_${name}_${randomUUID()}`, email: `${name}+${tag}@example.test`, role },
      select: { id: true, clerkId: true, role: true },
    }),
  );
  return { userId: user.id, clerkId: user.clerkId, role: user.role, sessionId: undefined };
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

describe('rlsBatch', () => {
  it('runs several reads as the viewer in one transaction', async () => {
    const [rows, count, settings] = await rlsBatch(base, alice, (db) => [
      db.listing.findMany({ select: { id: true } }),
      db.listing.count(),
      settingsQuery(db),
    ]);
    expect(rows.map((row) => row.id).sort()).toEqual([...owned.get(alice.userId)!].sort());
    expect(count).toBe(owned.get(alice.userId)!.length);
    expect(settings).toEqual([{ userId: alice.userId, userRole: 'USER', role: 'app_user' }]);
  });

  it('an operation awaited on the handed client itself runs outside the context: permission denied', async () => {
    let escaped: Promise<unknown> | undefined;
    await rlsBatch(base, alice, (db) => {
      escaped = db.listing.findMany();
      return [db.listing.count()];
    });
    await expect(escaped).rejects.toThrow(/permission denied/);
  });
});

describe('round trips on the wire', () => {
  /** Each message the client waits on: a simple query, or an extended query's Sync. */
  async function tracedBase(): Promise<{ traced: BasePrisma; trips: string[] }> {
    const traced = createBasePrisma(inject('database').url, 1);
    const trips: string[] = [];
    poolOf(traced).on('connect', (client) => {
      const connection = (client as unknown as { connection: Record<string, (...args: unknown[]) => unknown> })
        .connection;
      const { query, parse, sync } = connection;
      let lastParsed = '';
      connection.query = (text: unknown) => (trips.push(`simple: ${String(text)}`), query!.call(connection, text));
      connection.parse = (msg: unknown) => (
        (lastParsed = String((msg as { text: string }).text)),
        parse!.call(connection, msg)
      );
      connection.sync = () => (trips.push(`extended: ${lastParsed}`), (lastParsed = ''), sync!.call(connection));
    });
    return { traced, trips };
  }

  it('an RLS batch is four: BEGIN with the context, each read, COMMIT', async () => {
    const { traced, trips } = await tracedBase();
    try {
      await rlsBatch(traced, alice, (db) => [db.listing.findMany({ select: { id: true } }), db.listing.count()]);
      expect(trips).toHaveLength(4);
      expect(trips[0]).toMatch(/^simple: BEGIN; SELECT set_config\('role', 'app_user', true\)/);
      expect(trips.at(-1)).toMatch(/COMMIT|^extended: $/);
      // A second batch reuses the prepared statements: still four messages, no new parsing needed.
      trips.length = 0;
      await rlsBatch(traced, bob, (db) => [db.listing.findMany({ select: { id: true } }), db.listing.count()]);
      expect(trips).toHaveLength(4);
    } finally {
      await closeBasePrisma(traced);
    }
  });

  it('an interactive withRls transaction also sends BEGIN with its context', async () => {
    const { traced, trips } = await tracedBase();
    try {
      await withRls(traced, alice, (tx) => tx.listing.count());
      expect(trips).toHaveLength(3);
      expect(trips[0]).toMatch(/^simple: BEGIN; SELECT set_config\('role', 'app_user', true\)/);
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
