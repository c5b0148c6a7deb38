// A database of a test file's own, in the test run's cluster, migrated from scratch: for tests that change
// what is global to a database (tenant settings), which would otherwise reach the test files running in
// parallel on the shared one. Same roles, same migrations; dropped by drop().
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { migrateUp } from '#src/db/migrations.js';
import { connectAs, withDatabase } from './sql.js';

export interface OwnDatabase {
  /** The authenticator's URL (the server's). */
  url: string;
  /** The owner's URL (migrations, admin:grant). */
  ownerUrl: string;
  /** A superuser's URL, for independent reads. */
  superuserUrl: string;
  drop(): Promise<void>;
}

export async function createOwnDatabase(prefix: string): Promise<OwnDatabase> {
  const provided = inject('database');
  const name = `${prefix}_${randomUUID().replaceAll('-', '')}`;
  const superuser = await connectAs(provided.superuserUrl);
  try {
    await superuser.query(`CREATE DATABASE ${name} OWNER app_owner`);
    await superuser.query(`REVOKE ALL ON DATABASE ${name} FROM PUBLIC`);
    await superuser.query(`GRANT CONNECT ON DATABASE ${name} TO authenticator`);
  } finally {
    await superuser.end();
  }
  const own = {
    url: withDatabase(provided.url, name),
    ownerUrl: withDatabase(provided.ownerUrl, name),
    superuserUrl: withDatabase(provided.superuserUrl, name),
    drop: async () => {
      const client = await connectAs(provided.superuserUrl);
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
  await migrateUp(own.ownerUrl);
  return own;
}
