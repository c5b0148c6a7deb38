// Applies and undoes Prisma-format migrations (prisma/migrations/<name>/migration.sql + down.sql)
// with the same bookkeeping as `prisma migrate deploy`: the _prisma_migrations table, a sha256
// checksum of migration.sql, and Prisma's advisory lock. Prisma's CLI needs a schema-engine binary
// that cannot be downloaded here; this runner keeps `prisma migrate deploy` usable where it can.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { migrationsDir as defaultMigrationsDir } from './paths.js';

const PRISMA_MIGRATE_LOCK = 72707369;

const CREATE_BOOKKEEPING = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
  downSql: string | undefined;
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export async function readMigrations(dir = defaultMigrationsDir): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      const downPath = path.join(dir, name, 'down.sql');
      return {
        name,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
        downSql: existsSync(downPath) ? await readFile(downPath, 'utf8') : undefined,
      };
    }),
  );
}

async function withLockedClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(${PRISMA_MIGRATE_LOCK})`);
    await client.query(CREATE_BOOKKEEPING);
    return await fn(client);
  } finally {
    await client.query(`SELECT pg_advisory_unlock(${PRISMA_MIGRATE_LOCK})`).catch(() => {});
    await client.end();
  }
}

async function appliedMigrations(client: pg.Client): Promise<AppliedRow[]> {
  const result = await client.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"
     WHERE rolled_back_at IS NULL ORDER BY started_at, migration_name`,
  );
  return result.rows;
}

function checkHistory(applied: AppliedRow[], migrations: Migration[]): void {
  const byName = new Map(migrations.map((m) => [m.name, m]));
  for (const row of applied) {
    if (row.finished_at === null) {
      throw new MigrationError(`Migration ${row.migration_name} failed earlier; resolve it before migrating`);
    }
    const migration = byName.get(row.migration_name);
    if (!migration) throw new MigrationError(`Applied migration ${row.migration_name} is missing from the repository`);
    if (migration.checksum !== row.checksum) {
      throw new MigrationError(`Migration ${row.migration_name} was edited after it was applied`);
    }
  }
}

/** Applies every pending migration, each in its own transaction. Returns the names applied. */
export async function migrateUp(ownerUrl: string, dir = defaultMigrationsDir): Promise<string[]> {
  const migrations = await readMigrations(dir);
  return withLockedClient(ownerUrl, async (client) => {
    const applied = await appliedMigrations(client);
    checkHistory(applied, migrations);
    const done = new Set(applied.map((row) => row.migration_name));
    const ran: string[] = [];
    for (const migration of migrations.filter((m) => !done.has(m.name))) {
      await client.query('BEGIN');
      try {
        const id = randomUUID();
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())`,
          [id, migration.checksum, migration.name],
        );
        await client.query(migration.sql);
        await client.query(
          `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
          [id],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new MigrationError(`Migration ${migration.name} failed: ${(error as Error).message}`);
      }
      ran.push(migration.name);
    }
    return ran;
  });
}

/** Undoes the newest `steps` applied migrations with their down.sql, newest first. */
export async function migrateDown(
  ownerUrl: string,
  steps: number | 'all' = 1,
  dir = defaultMigrationsDir,
): Promise<string[]> {
  const migrations = await readMigrations(dir);
  const byName = new Map(migrations.map((m) => [m.name, m]));
  return withLockedClient(ownerUrl, async (client) => {
    const applied = await appliedMigrations(client);
    checkHistory(applied, migrations);
    const toUndo = applied.reverse().slice(0, steps === 'all' ? undefined : steps);
    const undone: string[] = [];
    for (const row of toUndo) {
      const downSql = byName.get(row.migration_name)?.downSql;
      if (!downSql) throw new MigrationError(`Migration ${row.migration_name} has no down.sql`);
      await client.query('BEGIN');
      try {
        await client.query(downSql);
        await client.query(`DELETE FROM "_prisma_migrations" WHERE migration_name = $1`, [row.migration_name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new MigrationError(`Rollback of ${row.migration_name} failed: ${(error as Error).message}`);
      }
      undone.push(row.migration_name);
    }
    return undone;
  });
}
