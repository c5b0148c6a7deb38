// Issue 12: `npm run admin:grant -- <email>`, the first admin, through the real owner role (app_owner: not a
// superuser, subject to FORCE ROW LEVEL SECURITY) on the test database. Every outcome of the command, the
// audit event committed with the change, a failure after the change leaving neither, and the command run
// as a program. The superuser is the independent witness.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { grantAdmin, runAdminGrant } from '#src/admin-grant/grant-admin.js';
import { connectAs, databaseOf, withDatabase } from '../support/sql.js';

let owner: pg.Client;
let superuser: pg.Client;

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Made {
  id: string;
  clerkId: string;
  email: string;
}

async function makeUser(
  email: string,
  fields: { role?: 'USER' | 'ADMIN'; active?: boolean; deleted?: boolean } = {},
): Promise<Made> {
  const clerkId = `user_${randomUUID().replaceAll('-', '')}`;
  const { rows } = await superuser.query<{ id: string }>(
    `INSERT INTO users (clerk_id, email, role, active, deleted_at) VALUES ($1, $2, $3, $4, $5) RETURNING id::text`,
    [clerkId, email, fields.role ?? 'USER', fields.active ?? true, fields.deleted ? new Date() : null],
  );
  return { id: rows[0]!.id, clerkId, email };
}

const uniqueEmail = (name: string) => `${name}-${randomUUID()}@Example.test`;

async function roleOf(id: string): Promise<string> {
  const { rows } = await superuser.query<{ role: string }>('SELECT role::text FROM users WHERE id = $1', [id]);
  return rows[0]!.role;
}

async function grantEvents(id: string) {
  const { rows } = await superuser.query(
    `SELECT type, actor_id, metadata FROM audit_events WHERE subject_user_id = $1 AND type = 'user.role_changed'`,
    [id],
  );
  return rows;
}

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAdminGrant(owner, args, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}

beforeAll(async () => {
  const { ownerUrl, superuserUrl, url } = inject('database');
  owner = await connectAs(ownerUrl);
  superuser = await connectAs(withDatabase(superuserUrl, databaseOf(url)));
});

afterAll(async () => {
  await owner?.end();
  await superuser?.end();
});

// Each test starts the command (a cold tsx start) two or three times: slow on a loaded machine.
describe('admin:grant through the owner role', { timeout: 60_000 }, () => {
  it('connects as the owner, which is no superuser and does not bypass RLS', async () => {
    const { rows } = await owner.query<{ user: string; rolsuper: boolean; rolbypassrls: boolean }>(
      'SELECT current_user AS user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user',
    );
    expect(rows).toEqual([{ user: 'app_owner', rolsuper: false, rolbypassrls: false }]);
  });

  it('grants ADMIN to the user with that address, whatever its case, with a user.role_changed event', async () => {
    const user = await makeUser(uniqueEmail('first-admin'));
    const result = await run([`  ${user.email.toUpperCase()} `]);
    expect(result).toEqual({
      code: 0,
      out: [`${user.email.toUpperCase()} (${user.clerkId}) is now an admin, from their next request.`],
      err: [],
    });
    expect(await roleOf(user.id)).toBe('ADMIN');
    expect(await grantEvents(user.id)).toEqual([
      {
        type: 'user.role_changed',
        actor_id: null,
        metadata: { source: 'admin:grant', before: { role: 'USER' }, after: { role: 'ADMIN' } },
      },
    ]);
  });

  it('says so, changes nothing and succeeds when the user is an admin already', async () => {
    const user = await makeUser(uniqueEmail('already'), { role: 'ADMIN' });
    const result = await run([user.email]);
    expect(result.code).toBe(0);
    expect(result.out).toEqual([`${user.email} (${user.clerkId}) is already an admin; nothing changed.`]);
    expect(await grantEvents(user.id)).toEqual([]);
  });

  it('grants a deactivated user, with a warning', async () => {
    const user = await makeUser(uniqueEmail('inactive'), { active: false });
    const result = await run([user.email]);
    expect(result.code).toBe(0);
    expect(result.err).toEqual([expect.stringMatching(/^Warning: the account of .* is deactivated/)]);
    expect(await roleOf(user.id)).toBe('ADMIN');
  });

  it('fails (exit 1) when no live user has the address: deleted ones do not count', async () => {
    const email = uniqueEmail('nobody');
    const deleted = await makeUser(email, { deleted: true });
    const result = await run([email]);
    expect(result).toEqual({
      code: 1,
      out: [],
      err: [`No user with email ${email} has signed in yet: sign in once, then run this again.`],
    });
    expect(await roleOf(deleted.id)).toBe('USER');
    expect(await grantEvents(deleted.id)).toEqual([]);
  });

  it('fails (exit 1) listing their Clerk ids when several live users have the address, changing nothing', async () => {
    const email = uniqueEmail('twice');
    const one = await makeUser(email);
    const two = await makeUser(email.toLowerCase());
    const result = await run([email]);
    expect(result.code).toBe(1);
    // created_at has millisecond precision, so two rows made back to back may tie: the order is not the point.
    expect(result.err).toEqual([
      expect.stringMatching(/^Several users have the email .* \(Clerk ids: user_\w+, user_\w+\); nothing changed\./),
    ]);
    expect(result.err[0]).toContain(one.clerkId);
    expect(result.err[0]).toContain(two.clerkId);
    expect([await roleOf(one.id), await roleOf(two.id)]).toEqual(['USER', 'USER']);
  });

  it('prints its usage (exit 1) without exactly one address', async () => {
    for (const args of [[], ['  '], ['a@example.test', 'b@example.test']]) {
      expect(await run(args)).toEqual({ code: 1, out: [], err: ['Usage: npm run admin:grant -- <email>'] });
    }
  });

  it('keeps the change and its event together: a failure after the change leaves neither', async () => {
    const user = await makeUser(uniqueEmail('atomic'));
    const fn = `admin_grant_test_fail_${randomUUID().replaceAll('-', '')}`;
    await superuser.query(
      `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.subject_user_id = '${user.id}' THEN RAISE EXCEPTION 'forced failure'; END IF;
         RETURN NEW;
       END $$`,
    );
    await superuser.query(`CREATE TRIGGER ${fn} BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
    try {
      await expect(grantAdmin(owner, user.email)).rejects.toThrow('forced failure');
    } finally {
      await superuser.query(`DROP TRIGGER ${fn} ON audit_events`);
      await superuser.query(`DROP FUNCTION ${fn}()`);
    }
    expect(await roleOf(user.id)).toBe('USER');
    expect(await grantEvents(user.id)).toEqual([]);
    // The connection is usable again after the rollback.
    expect((await grantAdmin(owner, user.email)).kind).toBe('granted');
  });

  it('runs as a program: npm run admin:grant -- <email> with DATABASE_OWNER_URL', async () => {
    const user = await makeUser(uniqueEmail('program'));
    const { url, ownerUrl } = inject('database');
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: url,
      DATABASE_OWNER_URL: ownerUrl,
    };
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'src/admin-grant/admin-grant-cli.ts', user.email], {
      cwd: serverDir,
      env,
    });
    expect(stdout).toContain(`${user.email} (${user.clerkId}) is now an admin`);
    expect(await roleOf(user.id)).toBe('ADMIN');

    const missing = await promisify(execFile)(
      'npx',
      ['tsx', 'src/admin-grant/admin-grant-cli.ts', uniqueEmail('none')],
      {
        cwd: serverDir,
        env,
      },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('has signed in yet') });
  }, 60_000);
});
