// A throwaway PostgreSQL cluster with two copies of the application database:
//   dealbrain        the real thing: roles, grants and Row Level Security from the migrations;
//   dealbrain_norls  the same migrations, then RLS disabled on every table (the baseline): same
//                    roles, same grants, same per-operation transaction and role switch, no policies.
import pg from 'pg';
import { createDatabaseIfMissing, withClient } from '#src/db/bootstrap.js';
import { EMBEDDED_DATABASE_NAME, startEmbeddedDatabase } from '#src/db/embedded.js';
import { migrateUp } from '#src/db/migrations.js';
import { freePort } from '../test/support/free-port.js';

export const BASELINE_DATABASE_NAME = 'dealbrain_norls';

/** Connection URLs of one application database. */
export interface DatabaseTarget {
  name: string;
  /** The server's runtime role (authenticator). */
  url: string;
  /** The schema owner (migrations). */
  ownerUrl: string;
  /** A superuser on this database: fixtures and checks. */
  superuserUrl: string;
}

export interface BenchDatabase {
  rls: DatabaseTarget;
  baseline: DatabaseTarget;
  stop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Tables of the public schema with RLS enabled or forced. */
async function tablesWithRls(client: pg.Client): Promise<string[]> {
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

export async function startBenchDatabase(dir: string): Promise<BenchDatabase> {
  const cluster = await startEmbeddedDatabase({ dir, port: await freePort(), persistent: false });
  try {
    await migrateUp(cluster.ownerUrl);
    await withClient(cluster.superuserUrl, (client) => createDatabaseIfMissing(client, BASELINE_DATABASE_NAME));
    const target = (name: string): DatabaseTarget => ({
      name,
      url: withDatabase(cluster.url, name),
      ownerUrl: withDatabase(cluster.ownerUrl, name),
      superuserUrl: withDatabase(cluster.superuserUrl, name),
    });
    const rls = target(EMBEDDED_DATABASE_NAME);
    const baseline = target(BASELINE_DATABASE_NAME);
    await migrateUp(baseline.ownerUrl);
    await disableRls(baseline.superuserUrl);
    return { rls, baseline, stop: () => cluster.stop() };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}
