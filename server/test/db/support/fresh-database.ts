// A database of its own in the test run's PostgreSQL cluster, created the way the embedded
// database is (bootstrapCluster), for tests that must not share the main test database.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { bootstrapCluster, type DatabaseUrls } from '#src/db/bootstrap.js';
import { migrateUp } from '#src/db/migrations.js';

const passwordOf = (url: string) => decodeURIComponent(new URL(url).password);

/** The passwords the run's cluster already uses: bootstrapping again must not change them. */
export function clusterPasswords(): { ownerPassword: string; authenticatorPassword: string } {
  const { url, ownerUrl } = inject('database');
  return { ownerPassword: passwordOf(ownerUrl), authenticatorPassword: passwordOf(url) };
}

export function uniqueDatabaseName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

export interface FreshDatabase extends DatabaseUrls {
  name: string;
  drop(): Promise<void>;
}

export async function dropDatabase(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject('database').superuserUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Bootstrapped and, unless told otherwise, migrated. */
export async function freshDatabase(prefix: string, options: { migrate?: boolean } = {}): Promise<FreshDatabase> {
  const name = uniqueDatabaseName(prefix);
  const urls = await bootstrapCluster(inject('database').superuserUrl, { database: name, ...clusterPasswords() });
  if (options.migrate !== false) await migrateUp(urls.ownerUrl);
  return { ...urls, name, drop: () => dropDatabase(name) };
}
