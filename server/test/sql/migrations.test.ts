// The migration runner on a brand-new database: all forward, all back, all forward again, with
// Prisma-compatible bookkeeping; it refuses an edited history and rolls back a failing migration.
// The steps build on each other, so they run in order against one database, dropped at the end.
import { createHash, randomUUID } from 'node:crypto';
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type pg from 'pg';
import { migrateDown, migrateUp, MigrationError } from '#src/db/migrations.js';
import { migrationsDir } from '#src/db/paths.js';
import { becomeUser, connectAs, sqlError, withDatabase, withRollback } from '../support/sql.js';

const database = `migrations_test_${randomUUID().replaceAll('-', '')}`;
let superuser: pg.Client;
let url: string;
let scratch: string;
let migrationNames: string[];

beforeAll(async () => {
  const provided = inject('database');
  superuser = await connectAs(provided.superuserUrl);
  await superuser.query(`CREATE DATABASE ${database} OWNER app_owner`);
  await superuser.query(`REVOKE ALL ON DATABASE ${database} FROM PUBLIC`);
  await superuser.query(`GRANT CONNECT ON DATABASE ${database} TO authenticator`);
  url = withDatabase(provided.ownerUrl, database);
  scratch = await mkdtemp(path.join(os.tmpdir(), 'dealbrain-migrations-'));
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  migrationNames = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
});

afterAll(async () => {
  if (superuser) {
    await superuser.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await superuser.end();
  }
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** Runs `fn` on a fresh owner connection to `databaseUrl` (the runner uses its own connections). */
async function onDatabase<T>(databaseUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connectAs(databaseUrl);
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

interface Bookkeeping {
  id: string;
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  started_at: Date;
  rolled_back_at: Date | null;
  logs: string | null;
  applied_steps_count: number;
}

const bookkeeping = (databaseUrl = url) =>
  onDatabase(
    databaseUrl,
    async (c) => (await c.query<Bookkeeping>(`SELECT * FROM _prisma_migrations ORDER BY migration_name`)).rows,
  );

/** What is left in schema public besides the bookkeeping. */
const leftovers = () =>
  onDatabase(url, async (c) => {
    const list = async (text: string) => (await c.query<{ name: string }>(text)).rows.map((r) => r.name).sort();
    return {
      tables: await list(
        `SELECT relname AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p', 'v', 'm', 'S')`,
      ),
      policies: await list(`SELECT policyname AS name FROM pg_policies WHERE schemaname = 'public'`),
      functions: await list(`SELECT proname AS name FROM pg_proc WHERE pronamespace = 'public'::regnamespace`),
      types: await list(
        `SELECT typname AS name FROM pg_type WHERE typnamespace = 'public'::regnamespace AND typrelid = 0 AND typelem = 0`,
      ),
      schemaGrants: await list(
        `SELECT a.grantee::regrole::text AS name FROM pg_namespace n, aclexplode(n.nspacl) a WHERE n.nspname = 'public' AND a.grantee <> 0 AND a.grantee <> n.nspowner`,
      ),
    };
  });

/** Grants other than the owner's own, as "grantee:privilege" (PUBLIC is "-"); NULL ACLs mean the defaults. */
const grantsOf = (acl: string, kind: string, owner: string) =>
  `(SELECT coalesce(array_agg(a.grantee::regrole::text || ':' || a.privilege_type ORDER BY 1), '{}')::text
    FROM aclexplode(coalesce(${acl}, acldefault('${kind}', ${owner}))) a WHERE a.grantee <> ${owner})`;

/** The schema as the catalog describes it, for comparing two databases. */
const fingerprint = (databaseUrl: string) =>
  onDatabase(databaseUrl, async (c) => {
    const q = async (text: string) => (await c.query(text)).rows;
    return {
      columns: await q(
        `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2`,
      ),
      constraints: await q(
        `SELECT conrelid::regclass::text AS rel, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`,
      ),
      indexes: await q(
        `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2`,
      ),
      tables: await q(
        `SELECT relname, relpersistence, relrowsecurity, relforcerowsecurity, ${grantsOf('relacl', 'r', 'relowner')} AS grants FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY 1`,
      ),
      columnGrants: await q(
        `SELECT c.relname, att.attname, a.grantee::regrole::text AS grantee, a.privilege_type FROM pg_attribute att JOIN pg_class c ON c.oid = att.attrelid, aclexplode(att.attacl) a WHERE c.relnamespace = 'public'::regnamespace ORDER BY 1, 2, 3, 4`,
      ),
      schema: await q(
        `SELECT ${grantsOf('nspacl', 'n', 'nspowner')} AS grants FROM pg_namespace WHERE nspname = 'public'`,
      ),
      policies: await q(
        `SELECT tablename, policyname, permissive, roles::text AS roles, cmd, qual, with_check FROM pg_policies WHERE schemaname = 'public' ORDER BY 1, 2`,
      ),
      functions: await q(
        `SELECT proname, pg_get_function_identity_arguments(oid) AS args, prosrc, ${grantsOf('proacl', 'f', 'proowner')} AS grants FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1, 2`,
      ),
      triggers: await q(
        `SELECT tgrelid::regclass::text AS rel, tgname, pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2`,
      ),
      enums: await q(
        `SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text AS labels FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid WHERE t.typnamespace = 'public'::regnamespace GROUP BY 1 ORDER BY 1`,
      ),
    };
  });

/** A copy of the repository's migrations directory holding only the first `count` migrations. */
async function firstMigrations(count: number): Promise<string> {
  const dir = path.join(scratch, `first-${count}`);
  await mkdir(dir, { recursive: true });
  for (const name of migrationNames.slice(0, count))
    await cp(path.join(migrationsDir, name), path.join(dir, name), { recursive: true });
  return dir;
}

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

describe('migrations on an empty database', () => {
  it('there is something to migrate: at least the init and the roles-and-RLS migrations', () => {
    expect(migrationNames).toEqual(
      expect.arrayContaining([expect.stringMatching(/_init$/), expect.stringMatching(/_roles_and_rls$/)]),
    );
  });

  it('migrateUp applies every migration, oldest first', async () => {
    expect(await migrateUp(url)).toEqual(migrationNames);
  });

  it('bookkeeping: one finished row per migration with the sha256 of its migration.sql, as Prisma writes it', async () => {
    const rows = await bookkeeping();
    const expected = await Promise.all(
      migrationNames.map(async (name) => ({
        migration_name: name,
        checksum: await sha256(path.join(migrationsDir, name, 'migration.sql')),
        finished_at: expect.any(Date),
        rolled_back_at: null,
        logs: null,
        applied_steps_count: 1,
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        started_at: expect.any(Date),
      })),
    );
    expect(rows).toEqual(expected);
  });

  it('the schema is identical to the test database’s (same tables, constraints, indexes, grants, policies, functions)', async () => {
    expect(await fingerprint(url)).toEqual(await fingerprint(inject('database').ownerUrl));
  });

  it('migrateUp again is a no-op', async () => {
    const before = await bookkeeping();
    expect(await migrateUp(url)).toEqual([]);
    expect(await bookkeeping()).toEqual(before);
  });

  it('migrateDown undoes only the newest migration by default', async () => {
    const newest = migrationNames.at(-1)!;
    expect(await migrateDown(url)).toEqual([newest]);
    expect((await bookkeeping()).map((r) => r.migration_name)).toEqual(migrationNames.slice(0, -1));
    expect(await migrateUp(url)).toEqual([newest]);
  });

  it('migrateDown all undoes every migration, newest first, leaving only the bookkeeping table', async () => {
    expect(await migrateDown(url, 'all')).toEqual([...migrationNames].reverse());
    expect(await bookkeeping()).toEqual([]);
    expect(await leftovers()).toEqual({
      tables: ['_prisma_migrations'],
      policies: [],
      functions: [],
      types: [],
      schemaGrants: [],
    });
  });

  it('each down.sql restores exactly the schema before its migration.sql, and all forward again matches the test database', async () => {
    for (let count = 1; count <= migrationNames.length; count++) {
      const name = migrationNames[count - 1]!;
      const dir = await firstMigrations(count);
      const before = await fingerprint(url);
      expect(await migrateUp(url, dir)).toEqual([name]);
      const after = await fingerprint(url);
      expect(after, `${name} changes the schema`).not.toEqual(before);
      expect(await migrateDown(url, 1, dir)).toEqual([name]);
      expect(await fingerprint(url), `${name}/down.sql restores the schema before it`).toEqual(before);
      expect(await migrateUp(url, dir)).toEqual([name]);
    }
    expect((await bookkeeping()).map((r) => r.migration_name)).toEqual(migrationNames);
    expect(await fingerprint(url)).toEqual(await fingerprint(inject('database').ownerUrl));
  });

  it('the runtime roles work on the re-created schema', async () => {
    const runtime = await connectAs(withDatabase(inject('database').url, database));
    try {
      expect((await sqlError(runtime.query(`SELECT 1 FROM listings`)))?.message).toBe(
        'permission denied for table listings',
      );
      const visible = await withRollback(runtime, async () => {
        await becomeUser(runtime, { userId: randomUUID(), role: 'app_user' });
        return (await runtime.query<{ n: number }>(`SELECT count(*)::int AS n FROM listings`)).rows[0]!.n;
      });
      expect(visible).toBe(0);
    } finally {
      await runtime.end();
    }
  });

  it('refuses to run when an applied migration was edited, in either direction', async () => {
    const edited = path.join(scratch, 'edited');
    await cp(migrationsDir, edited, { recursive: true });
    await appendFile(path.join(edited, migrationNames[0]!, 'migration.sql'), '\n-- edited after it was applied\n');
    const before = await bookkeeping();

    for (const run of [() => migrateUp(url, edited), () => migrateDown(url, 1, edited)]) {
      const error = await run().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as Error).message).toBe(`Migration ${migrationNames[0]} was edited after it was applied`);
    }
    expect(await bookkeeping()).toEqual(before);
  });

  it('a failing migration is rolled back entirely and reported, and the ones after it do not run', async () => {
    const broken = path.join(scratch, 'broken');
    await cp(migrationsDir, broken, { recursive: true });
    await mkdir(path.join(broken, '99990101000000_broken'));
    await writeFile(
      path.join(broken, '99990101000000_broken', 'migration.sql'),
      'CREATE TABLE "broken_probe" (id int);\nSELECT 1/0;\n',
    );
    await mkdir(path.join(broken, '99990102000000_after'));
    await writeFile(
      path.join(broken, '99990102000000_after', 'migration.sql'),
      'CREATE TABLE "after_probe" (id int);\n',
    );
    const before = await bookkeeping();

    const error = await migrateUp(url, broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toBe('Migration 99990101000000_broken failed: division by zero');

    expect(await bookkeeping()).toEqual(before);
    const { tables } = await leftovers();
    expect(tables).not.toContain('broken_probe');
    expect(tables).not.toContain('after_probe');
    // The repository's migrations are still all applied.
    expect(await migrateUp(url)).toEqual([]);
  });
});
