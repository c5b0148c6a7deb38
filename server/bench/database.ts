// A throwaway PostgreSQL cluster with three copies of the application database, identical data:
//   dealbrain        the real thing: roles, grants and Row Level Security from the migrations;
//   dealbrain_norls  the same migrations, then RLS disabled on every table (the policy-only
//                    baseline): same roles, same grants, same per-operation transaction and role
//                    switch, no policies;
//   dealbrain_owner  the same migrations, RLS disabled, read by the server through bench_owner, a
//                    login role with BYPASSRLS and plain table privileges (the issue's "owner
//                    connection filtering by owner": no transaction wrapper, no role switch, no
//                    policies). Its own database because each server has its own local identity
//                    provider, so the users rows carry different Clerk ids.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabaseIfMissing, withClient } from '#src/db/bootstrap.js';
import { EMBEDDED_DATABASE_NAME, startEmbeddedDatabase } from '#src/db/embedded.js';
import { migrateUp } from '#src/db/migrations.js';
import { freePort } from '../test/support/free-port.js';

export const BASELINE_DATABASE_NAME = 'dealbrain_norls';
export const OWNER_DATABASE_NAME = 'dealbrain_owner';
/** Benchmark only, in a throwaway cluster: never a role of the application. */
export const BENCH_OWNER_ROLE = 'bench_owner';

/** Connection URLs of one application database. */
export interface DatabaseTarget {
  name: string;
  /** The server's runtime role: authenticator, or bench_owner for the owner-connection baseline. */
  url: string;
  /** The schema owner (migrations). */
  ownerUrl: string;
  /** A superuser on this database: fixtures and checks. */
  superuserUrl: string;
}

export interface BenchDatabase {
  rls: DatabaseTarget;
  baseline: DatabaseTarget;
  owner: DatabaseTarget;
  stop(): Promise<void>;
}

export function withDatabase(url: string, database: string, login?: { user: string; password: string }): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  if (login) {
    u.username = encodeURIComponent(login.user);
    u.password = encodeURIComponent(login.password);
  }
  return u.toString();
}

/** Tables of the public schema with RLS enabled or forced. */
export async function tablesWithRls(client: pg.Client): Promise<string[]> {
  const result = await client.query<{ relname: string }>(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r' AND (c.relrowsecurity OR c.relforcerowsecurity)
     ORDER BY c.relname`,
  );
  return result.rows.map((row) => row.relname);
}

async function disableRls(superuserUrl: string): Promise<void> {
  await withClient(superuserUrl, async (client) => {
    for (const table of await tablesWithRls(client)) {
      const name = client.escapeIdentifier(table);
      await client.query(`ALTER TABLE ${name} NO FORCE ROW LEVEL SECURITY`);
      await client.query(`ALTER TABLE ${name} DISABLE ROW LEVEL SECURITY`);
    }
    const left = await tablesWithRls(client);
    if (left.length > 0) throw new Error(`RLS still enabled on ${left.join(', ')}`);
  });
}

/**
 * bench_owner: logs in, bypasses RLS, reads and writes every table of `database` directly. A
 * member of the roles the server's own statements switch to whatever the resolvers read through: app_auth
 * (the per-request viewer and key lookup), app_sync (provisioning) and app_rate_limit (the shared budgets).
 */
async function createOwnerConnectionRole(superuserUrl: string, database: string): Promise<string> {
  const password = randomBytes(24).toString('base64url');
  await withClient(superuserUrl, async (client) => {
    const role = client.escapeIdentifier(BENCH_OWNER_ROLE);
    await client.query(
      `CREATE ROLE ${role} LOGIN BYPASSRLS NOSUPERUSER NOCREATEDB NOCREATEROLE ` +
        `PASSWORD ${client.escapeLiteral(password)}`,
    );
    await client.query(`GRANT CONNECT ON DATABASE ${client.escapeIdentifier(database)} TO ${role}`);
    await client.query(`GRANT app_auth, app_sync, app_rate_limit TO ${role}`);
  });
  await withClient(withDatabase(superuserUrl, database), async (client) => {
    const role = client.escapeIdentifier(BENCH_OWNER_ROLE);
    await client.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
  });
  return password;
}

export async function startBenchDatabase(dir: string): Promise<BenchDatabase> {
  const cluster = await startEmbeddedDatabase({ dir, port: await freePort(), persistent: false });
  try {
    await migrateUp(cluster.ownerUrl);
    const target = (name: string): DatabaseTarget => ({
      name,
      url: withDatabase(cluster.url, name),
      ownerUrl: withDatabase(cluster.ownerUrl, name),
      superuserUrl: withDatabase(cluster.superuserUrl, name),
    });
    const rls = target(EMBEDDED_DATABASE_NAME);
    const copies = [BASELINE_DATABASE_NAME, OWNER_DATABASE_NAME];
    for (const name of copies) {
      await withClient(cluster.superuserUrl, (client) => createDatabaseIfMissing(client, name));
      const copy = target(name);
      await migrateUp(copy.ownerUrl);
      await disableRls(copy.superuserUrl);
    }
    const baseline = target(BASELINE_DATABASE_NAME);
    const password = await createOwnerConnectionRole(cluster.superuserUrl, OWNER_DATABASE_NAME);
    const owner = {
      ...target(OWNER_DATABASE_NAME),
      url: withDatabase(cluster.superuserUrl, OWNER_DATABASE_NAME, { user: BENCH_OWNER_ROLE, password }),
    };
    return { rls, baseline, owner, stop: () => cluster.stop() };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}
