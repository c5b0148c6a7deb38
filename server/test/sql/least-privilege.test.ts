// Least privilege (issue 13, finding 5; ADR 0064): app_sync writes users only through the columns its
// paths write, never `role`; the per-request viewer lookup runs as app_auth, which reads five columns of
// users and the API key lookup function and writes nothing. Refused writes are checked with an
// independent superuser read.
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type pg from 'pg';
import { createApiKeyFinder } from '#src/auth/api-key.js';
import { closeBasePrisma, createBasePrisma, type BasePrisma } from '#src/db/client.js';
import { findUserByClerkId } from '#src/users/provision.js';
import { PROTECTED_TABLES } from '../support/datamodel.js';
import {
  becomeSync,
  connectAs,
  databaseOf,
  newApiKeyPrefix,
  sqlError,
  withDatabase,
  withRollback,
} from '../support/sql.js';

let runtime: pg.Client;
let superuser: pg.Client;
let base: BasePrisma;
let user: { id: string; clerkId: string };

async function becomeAuth(client: pg.ClientBase): Promise<void> {
  // As readAsAuth does (rls.ts): the role, no viewer.
  await client.query(
    `SELECT set_config('role', 'app_auth', true), set_config('app.current_user_id', '', true), set_config('app.current_user_role', 'AUTH', true)`,
  );
}

/** The user's row as the superuser sees it: the witness of every refused write. */
async function stored(id: string) {
  const { rows } = await superuser.query<Record<string, unknown>>(
    `SELECT role::text, clerk_id, email, preferences, active FROM users WHERE id = $1`,
    [id],
  );
  return rows[0];
}

beforeAll(async () => {
  const database = inject('database');
  runtime = await connectAs(database.url);
  superuser = await connectAs(withDatabase(database.superuserUrl, databaseOf(database.url)));
  base = createBasePrisma(database.url, 1);
  const clerkId = `user_${randomUUID().replaceAll('-', '')}`;
  const { rows } = await superuser.query<{ id: string }>(
    `INSERT INTO users (clerk_id, email, first_name) VALUES ($1, $2, 'Lea') RETURNING id::text`,
    [clerkId, `lea-${randomUUID()}@example.test`],
  );
  user = { id: rows[0]!.id, clerkId };
});

afterAll(async () => {
  await runtime?.end();
  await superuser?.end();
  if (base) await closeBasePrisma(base);
});

describe('app_sync on users', () => {
  it('cannot update role: permission denied, and the row is unchanged', async () => {
    const before = await stored(user.id);
    const error = await withRollback(runtime, async () => {
      await becomeSync(runtime);
      return sqlError(runtime.query(`UPDATE users SET role = 'ADMIN' WHERE id = $1`, [user.id]));
    });
    expect(error).toEqual({ code: '42501', message: 'permission denied for table users' });
    expect(await stored(user.id)).toEqual(before);
    expect(before).toMatchObject({ role: 'USER' });
  });

  it('cannot create a user with a role, nor upsert one onto an existing row', async () => {
    const clerkId = `user_${randomUUID().replaceAll('-', '')}`;
    for (const text of [
      `INSERT INTO users (clerk_id, role) VALUES ($1, 'ADMIN')`,
      `INSERT INTO users (clerk_id) VALUES ($1) ON CONFLICT (clerk_id) DO UPDATE SET role = 'ADMIN'`,
    ]) {
      const error = await withRollback(runtime, async () => {
        await becomeSync(runtime);
        return sqlError(runtime.query(text, [text.includes('CONFLICT') ? user.clerkId : clerkId]));
      });
      expect(error?.message, text).toBe('permission denied for table users');
    }
    const { rows } = await superuser.query(`SELECT 1 FROM users WHERE clerk_id = $1`, [clerkId]);
    expect(rows).toEqual([]);
    expect(await stored(user.id)).toMatchObject({ role: 'USER' });
  });

  it.each(['clerk_id', 'preferences', 'created_at', 'id'])('cannot update %s', async (column) => {
    const before = await stored(user.id);
    const error = await withRollback(runtime, async () => {
      await becomeSync(runtime);
      return sqlError(runtime.query(`UPDATE users SET ${column} = ${column} WHERE id = $1`, [user.id]));
    });
    expect(error?.message).toBe('permission denied for table users');
    expect(await stored(user.id)).toEqual(before);
  });

  it('writes exactly the columns the webhook, provisioning and profile paths write', async () => {
    const privileges = await superuser.query<{ privilege: string; columns: string[] }>(
      `SELECT p.privilege, array_agg(a.attname::text ORDER BY a.attname) AS columns
       FROM pg_attribute a, (VALUES ('INSERT'), ('UPDATE')) AS p(privilege)
       WHERE a.attrelid = 'public.users'::regclass AND a.attnum > 0 AND NOT a.attisdropped
         AND has_column_privilege('app_sync', a.attrelid, a.attnum, p.privilege)
       GROUP BY p.privilege ORDER BY p.privilege`,
    );
    const profile = ['avatar_url', 'email', 'email_verified', 'first_name', 'last_name'];
    const status = ['active', 'clerk_updated_at', 'deleted_at', 'last_sign_in_at', 'updated_at'];
    expect(privileges.rows).toEqual([
      { privilege: 'INSERT', columns: [...profile, ...status, 'clerk_id'].sort() },
      { privilege: 'UPDATE', columns: [...profile, ...status].sort() },
    ]);
  });

  it('still applies a Clerk user update (the guarded upsert of storeClerkUser)', async () => {
    const updated = await withRollback(runtime, async () => {
      await becomeSync(runtime);
      const { rows } = await runtime.query<{ id: string }>(
        `INSERT INTO users (clerk_id, email, email_verified, first_name, last_name, avatar_url, clerk_updated_at)
         VALUES ($1, 'new@example.test', true, 'Lena', 'L', NULL, now())
         ON CONFLICT (clerk_id) DO UPDATE SET email = EXCLUDED.email, email_verified = EXCLUDED.email_verified,
           first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name, avatar_url = EXCLUDED.avatar_url,
           clerk_updated_at = EXCLUDED.clerk_updated_at, updated_at = now()
         WHERE users.deleted_at IS NULL
         RETURNING id::text`,
        [user.clerkId],
      );
      return rows;
    });
    expect(updated).toEqual([{ id: user.id }]);
  });
});

describe('app_auth, the viewer lookup', () => {
  it('holds no write privilege on any table or column, and no table privilege at all', async () => {
    const { rows } = await superuser.query<{ table: string; privilege: string }>(
      `SELECT c.relname AS table, p.privilege
       FROM pg_class c, (VALUES ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE'), ('REFERENCES'), ('TRIGGER')) AS p(privilege)
       WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'S')
         AND has_table_privilege('app_auth', c.oid, p.privilege)
       UNION ALL
       SELECT c.relname, p.privilege || ' (' || a.attname || ')'
       FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped,
            (VALUES ('INSERT'), ('UPDATE'), ('REFERENCES')) AS p(privilege)
       WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
         AND has_column_privilege('app_auth', c.oid, a.attnum, p.privilege)`,
    );
    expect(rows).toEqual([]);
  });

  it('reads only the five columns that say who the caller is, of users only', async () => {
    const { rows } = await superuser.query<{ table: string; column: string }>(
      `SELECT c.relname AS table, a.attname AS column
       FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
         AND has_column_privilege('app_auth', c.oid, a.attnum, 'SELECT')
       ORDER BY 1, 2`,
    );
    expect(rows).toEqual(
      ['active', 'clerk_id', 'deleted_at', 'id', 'role'].map((column) => ({ table: 'users', column })),
    );
  });

  it('executes only the API key lookup function', async () => {
    const { rows } = await superuser.query<{ proname: string }>(
      `SELECT proname FROM pg_proc
       WHERE pronamespace = 'public'::regnamespace AND has_function_privilege('app_auth', oid, 'EXECUTE')
       ORDER BY 1`,
    );
    expect(rows).toEqual([{ proname: 'app_api_key_for_prefix' }]);
  });

  it.each([
    ['updates a user', `UPDATE users SET active = active WHERE id = $1`],
    ['promotes a user', `UPDATE users SET role = 'ADMIN' WHERE id = $1`],
    ['deletes a user', `DELETE FROM users WHERE id = $1`],
    ['inserts a user', `INSERT INTO users (clerk_id) VALUES ('user_' || $1::text)`],
    ['reads personal data', `SELECT email, first_name FROM users WHERE id = $1`],
    ['writes an audit event', `INSERT INTO audit_events (type, subject_user_id) VALUES ('user.updated', $1)`],
  ])('is refused when it %s, and nothing changes', async (_what, text) => {
    const before = await stored(user.id);
    const error = await withRollback(runtime, async () => {
      await becomeAuth(runtime);
      return sqlError(runtime.query(text, [user.id]));
    });
    expect(error?.code).toBe('42501');
    expect(error?.message).toMatch(/^permission denied for table (users|audit_events)$/);
    expect(await stored(user.id)).toEqual(before);
  });

  it.each(PROTECTED_TABLES.filter((table) => table !== 'users'))('cannot read %s', async (table) => {
    const error = await withRollback(runtime, async () => {
      await becomeAuth(runtime);
      return sqlError(runtime.query(`SELECT 1 FROM ${table} LIMIT 1`));
    });
    expect(error?.message).toBe(`permission denied for table ${table}`);
  });

  it('is what findUserByClerkId and the API key finder run as, and it is enough for both', async () => {
    expect(await findUserByClerkId(base, user.clerkId)).toEqual({
      id: user.id,
      clerkId: user.clerkId,
      role: 'USER',
      active: true,
      deletedAt: null,
    });
    const prefix = newApiKeyPrefix();
    const hash = createHash('sha256').update(randomUUID()).digest('hex');
    await superuser.query(
      `INSERT INTO api_keys (owner_id, name, prefix, hash, scopes) VALUES ($1, 'lookup', $2, $3, '{READ}')`,
      [user.id, prefix, hash],
    );
    expect(await createApiKeyFinder(base)(prefix)).toMatchObject({ prefix, hash, owner: { id: user.id } });
    // app_sync may no longer run the key lookup.
    const error = await withRollback(runtime, async () => {
      await becomeSync(runtime);
      return sqlError(runtime.query(`SELECT * FROM app_api_key_for_prefix($1)`, [prefix]));
    });
    expect(error?.message).toBe('permission denied for function app_api_key_for_prefix');
  });
});
