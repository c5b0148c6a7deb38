// Fail closed: a query that escapes the server's RLS wrapper gets "permission denied" (no role
// switch) or nothing (role switched but no viewer), never everything; and a viewer's context never
// outlives its transaction, so a pooled connection cannot carry one user into another's request.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type pg from 'pg';
import { keyOf } from '../support/datamodel.js';
import {
  PROTECTED_TABLES,
  becomeUser,
  connectAs,
  databaseOf,
  seedWorld,
  sqlError,
  withDatabase,
  withRollback,
  type World,
} from '../support/sql.js';

let client: pg.Client;
let superuser: pg.Client;
let world: World;

beforeAll(async () => {
  const { url, superuserUrl } = inject('database');
  client = await connectAs(url);
  superuser = await connectAs(withDatabase(superuserUrl, databaseOf(url)));
  // Every table holds rows, so "no rows" below means hidden, not empty.
  world = await seedWorld(client);
});

afterAll(async () => {
  await client?.end();
  await superuser?.end();
});

async function context(): Promise<{ user: string; userId: string | null; userRole: string | null }> {
  const { rows } = await client.query<{ user: string; userId: string | null; userRole: string | null }>(
    `SELECT current_user AS "user", current_setting('app.current_user_id', true) AS "userId", current_setting('app.current_user_role', true) AS "userRole"`,
  );
  return rows[0]!;
}

describe('the authenticator role without a role switch', () => {
  it('is who the server connects as, and holds no privileges of its own', async () => {
    expect((await context()).user).toBe('authenticator');
  });

  it.each(PROTECTED_TABLES)('%s: select, insert, update and delete are all "permission denied"', async (table) => {
    const key = keyOf(table);
    const statements = [
      `SELECT * FROM ${table} LIMIT 1`,
      `INSERT INTO ${table} DEFAULT VALUES`,
      `UPDATE ${table} SET ${key} = ${key}`,
      `DELETE FROM ${table}`,
    ];
    for (const statement of statements) {
      const error = await withRollback(client, () => sqlError(client.query(statement)));
      expect(error, statement).toEqual({ code: '42501', message: `permission denied for table ${table}` });
    }
  });

  it('cannot read the migration bookkeeping', async () => {
    const error = await sqlError(client.query(`SELECT * FROM _prisma_migrations`));
    expect(error?.message).toBe('permission denied for table _prisma_migrations');
  });

  it('cannot call the policy helpers, create tables or create temporary tables', async () => {
    expect((await sqlError(client.query(`SELECT app_current_user_id()`)))?.message).toBe(
      'permission denied for function app_current_user_id',
    );
    expect((await sqlError(client.query(`CREATE TABLE public.sneaky (id int)`)))?.message).toBe(
      'permission denied for schema public',
    );
    expect((await sqlError(client.query(`CREATE TEMP TABLE sneaky (id int)`)))?.message).toBe(
      `permission denied to create temporary tables in database "${databaseOf(inject('database').url)}"`,
    );
  });
});

describe('app_user without a viewer', () => {
  it('ground truth (superuser): every protected table has rows', async () => {
    for (const table of PROTECTED_TABLES) {
      const { rows } = await superuser.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      expect(rows[0]!.n, table).toBeGreaterThan(0);
    }
  });

  // webhook_events is the sync role's alone, rate_limits the limiter's: app_user is refused outright,
  // which is closed too.
  const outcomeFor = (table: string) =>
    table === 'webhook_events' || table === 'rate_limits' ? 'permission denied' : 'no rows';

  describe.each([
    ['no app.current_user_id at all', null],
    ['an empty app.current_user_id', ''],
  ])('with %s', (_name, userId) => {
    for (const table of PROTECTED_TABLES) {
      it(`${table}: ${outcomeFor(table)}`, async () => {
        const result = await countAsNoUser(table, userId);
        if (outcomeFor(table) === 'no rows') expect(result).toBe(0);
        else expect(result).toEqual({ code: '42501', message: `permission denied for table ${table}` });
      });
    }
  });

  describe('with an app.current_user_id that is nobody', () => {
    const nobody = '00000000-0000-4000-8000-000000000000';
    // tenant_settings are global: any viewer id reads them (the database does not look the id up).
    for (const table of PROTECTED_TABLES.filter((t) => t !== 'tenant_settings')) {
      it(`${table}: ${outcomeFor(table)}`, async () => {
        const result = await countAsNoUser(table, nobody);
        if (outcomeFor(table) === 'no rows') expect(result).toBe(0);
        else expect(result).toEqual({ code: '42501', message: `permission denied for table ${table}` });
      });
    }
  });

  it('an app.current_user_id that is not a uuid is an error, not a match', async () => {
    const error = await withRollback(client, async () => {
      await becomeUser(client, { userId: 'alice', role: 'app_user' });
      return sqlError(client.query(`SELECT count(*) FROM listings`));
    });
    expect(error).toEqual({ code: '22P02', message: 'invalid input syntax for type uuid: "alice"' });
  });
});

/** count(*) of `table` as app_user with `userId` (null: never set), or the error. */
async function countAsNoUser(
  table: string,
  userId: string | null,
): Promise<number | { code: string; message: string }> {
  return withRollback(client, async () => {
    await client.query(`SELECT set_config('role', 'app_user', true)`);
    if (userId !== null) await client.query(`SELECT set_config('app.current_user_id', $1, true)`, [userId]);
    const count = client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`).then((r) => r.rows[0]!.n);
    return (await sqlError(count)) ?? count;
  });
}

describe('the context is transaction-local', () => {
  async function asAlice(end: 'COMMIT' | 'ROLLBACK', fail = false): Promise<string> {
    await client.query('BEGIN');
    await becomeUser(client, { userId: world.alice.id, role: 'app_user', claimedRole: 'ADMIN' });
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM listings WHERE owner_id = $1`, [
      world.alice.id,
    ]);
    expect(rows[0]!.n).toBe(2);
    if (fail) expect(await sqlError(client.query('SELECT 1/0'))).toMatchObject({ message: 'division by zero' });
    await client.query(end);
    return (await context()).user;
  }

  it('a fresh connection has no viewer', async () => {
    const fresh = await connectAs(inject('database').url);
    try {
      const { rows } = await fresh.query(
        `SELECT current_user AS "user", current_setting('app.current_user_id', true) AS "userId"`,
      );
      expect(rows[0]).toEqual({ user: 'authenticator', userId: null });
    } finally {
      await fresh.end();
    }
  });

  it.each([
    ['COMMIT', false],
    ['ROLLBACK', false],
    ['ROLLBACK', true],
  ] as const)(
    'after %s (failed transaction: %s) the connection is the authenticator again, with no viewer',
    async (end, fail) => {
      expect(await asAlice(end, fail)).toBe('authenticator');
      expect(await context()).toEqual({ user: 'authenticator', userId: '', userRole: '' });
    },
  );

  it('the next query on the same connection gets permission denied, not the previous viewer’s rows', async () => {
    await asAlice('COMMIT');
    const error = await sqlError(client.query(`SELECT id FROM listings WHERE owner_id = $1`, [world.alice.id]));
    expect(error?.message).toBe('permission denied for table listings');
  });

  it('the next transaction that switches role without a viewer sees none of the previous viewer’s rows', async () => {
    await asAlice('COMMIT');
    expect(await countAsNoUser('listings', null)).toBe(0);
  });

  it('a context set outside a transaction lasts only its own statement', async () => {
    await client.query(`SELECT set_config('role', 'app_user', true), set_config('app.current_user_id', $1, true)`, [
      world.alice.id,
    ]);
    expect(await context()).toMatchObject({ user: 'authenticator', userId: '' });
    expect((await sqlError(client.query(`SELECT 1 FROM listings LIMIT 1`)))?.message).toBe(
      'permission denied for table listings',
    );
  });
});
