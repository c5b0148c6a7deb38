// The migration runner's refusals, on throwaway migration folders and a database of their own
// (the real migrations are exercised by test/sql/migrations.test.ts).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDatabase } from '../../test/db/support/fresh-database.js';
import { connectAs, withDatabase } from '../../test/support/sql.js';
import { migrateDown, migrateUp, MigrationError } from './migrations.js';

let db: FreshDatabase;
let dir: string;
let superuser: pg.Client;

async function migration(name: string, sql: string, downSql?: string): Promise<void> {
  await mkdir(path.join(dir, name), { recursive: true });
  await writeFile(path.join(dir, name, 'migration.sql'), sql);
  if (downSql !== undefined) await writeFile(path.join(dir, name, 'down.sql'), downSql);
}

async function bookkeeping(): Promise<{ migration_name: string; finished: boolean }[]> {
  const { rows } = await superuser.query<{ migration_name: string; finished: boolean }>(
    `SELECT migration_name, finished_at IS NOT NULL AS finished FROM "_prisma_migrations" ORDER BY migration_name`,
  );
  return rows;
}

beforeAll(async () => {
  db = await freshDatabase('migrations', { migrate: false });
  superuser = await connectAs(withDatabase(db.superuserUrl, db.name));
});

afterAll(async () => {
  await superuser?.end();
  await db?.drop();
});

beforeEach(async () => {
  // Each test starts from an empty folder and an empty schema.
  dir = await mkdtemp(path.join(os.tmpdir(), 'dealbrain-migrations-'));
  await superuser.query(`DROP TABLE IF EXISTS "_prisma_migrations", t1, t2 CASCADE`);
  return () => rm(dir, { recursive: true, force: true });
});

describe('migrateUp', () => {
  it('applies pending migrations in order and nothing twice', async () => {
    await migration('001_a', 'CREATE TABLE t1 (id int)', 'DROP TABLE t1');
    await migration('002_b', 'CREATE TABLE t2 (id int)', 'DROP TABLE t2');
    expect(await migrateUp(db.ownerUrl, dir)).toEqual(['001_a', '002_b']);
    expect(await migrateUp(db.ownerUrl, dir)).toEqual([]);
  });

  it('rolls back a failing migration entirely and records nothing for it', async () => {
    await migration('001_a', 'CREATE TABLE t1 (id int); SELECT no_such_function()');
    await expect(migrateUp(db.ownerUrl, dir)).rejects.toThrow(/Migration 001_a failed: .*no_such_function/);
    expect(await bookkeeping()).toEqual([]);
    expect((await superuser.query(`SELECT to_regclass('t1') AS t`)).rows).toEqual([{ t: null }]);
  });

  it('refuses to continue past a migration recorded as started but never finished', async () => {
    await migration('001_a', 'CREATE TABLE t1 (id int)');
    await migrateUp(db.ownerUrl, dir);
    await superuser.query(`UPDATE "_prisma_migrations" SET finished_at = NULL`);
    await expect(migrateUp(db.ownerUrl, dir)).rejects.toThrow(
      new MigrationError('Migration 001_a failed earlier; resolve it before migrating'),
    );
  });

  it('refuses an applied migration that was edited or removed since', async () => {
    await migration('001_a', 'CREATE TABLE t1 (id int)');
    await migrateUp(db.ownerUrl, dir);
    await writeFile(path.join(dir, '001_a', 'migration.sql'), 'CREATE TABLE t1 (id bigint)');
    await expect(migrateUp(db.ownerUrl, dir)).rejects.toThrow('Migration 001_a was edited after it was applied');
    await rm(path.join(dir, '001_a'), { recursive: true });
    await expect(migrateUp(db.ownerUrl, dir)).rejects.toThrow('Applied migration 001_a is missing from the repository');
  });
});

describe('migrateDown', () => {
  it('undoes the newest migration by default, and all of them when asked', async () => {
    await migration('001_a', 'CREATE TABLE t1 (id int)', 'DROP TABLE t1');
    await migration('002_b', 'CREATE TABLE t2 (id int)', 'DROP TABLE t2');
    await migrateUp(db.ownerUrl, dir);
    expect(await migrateDown(db.ownerUrl, undefined, dir)).toEqual(['002_b']);
    await migrateUp(db.ownerUrl, dir);
    expect(await migrateDown(db.ownerUrl, 'all', dir)).toEqual(['002_b', '001_a']);
    expect(await bookkeeping()).toEqual([]);
  });

  it('refuses a migration without down.sql', async () => {
    await migration('001_a', 'CREATE TABLE t1 (id int)');
    await migrateUp(db.ownerUrl, dir);
    await expect(migrateDown(db.ownerUrl, 1, dir)).rejects.toThrow('Migration 001_a has no down.sql');
  });

  it('keeps a migration applied when its down.sql fails', async () => {
    await migration('001_a', 'CREATE TABLE t1 (id int)', 'DROP TABLE t1; SELECT no_such_function()');
    await migrateUp(db.ownerUrl, dir);
    await expect(migrateDown(db.ownerUrl, 1, dir)).rejects.toThrow(/Rollback of 001_a failed: .*no_such_function/);
    expect(await bookkeeping()).toEqual([{ migration_name: '001_a', finished: true }]);
    expect((await superuser.query(`SELECT to_regclass('t1')::text AS t`)).rows).toEqual([{ t: 't1' }]);
  });
});
