// Cluster-level setup that needs a privileged connection: the roles of prisma/bootstrap/roles.sql,
// an owner role for migrations, and a database it owns. Used for embedded and test databases; on
// hosted PostgreSQL an operator does the same once (docs/development/database.md).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { prismaDir } from './paths.js';

export interface DatabaseUrls {
  /** The migration role, owner of the schema. */
  ownerUrl: string;
  /** The runtime role of the request path. */
  url: string;
  /** A superuser connection to the cluster's maintenance database. */
  superuserUrl: string;
}

export const OWNER_ROLE = 'app_owner';

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function withDatabase(url: string, user: string, password: string, database: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function bootstrapRoles(client: pg.Client): Promise<void> {
  const sql = await readFile(path.join(prismaDir, 'bootstrap', 'roles.sql'), 'utf8');
  // Roles are cluster-wide: concurrent bootstraps (parallel test workers) must not race.
  await client.query('SELECT pg_advisory_lock(72707370)');
  try {
    await client.query(sql);
  } finally {
    await client.query('SELECT pg_advisory_unlock(72707370)');
  }
}

export interface BootstrapOptions {
  database: string;
  ownerPassword: string;
  authenticatorPassword: string;
}

/** Creates roles, the owner and the database if missing, and sets the login passwords. */
export async function bootstrapCluster(superuserUrl: string, options: BootstrapOptions): Promise<DatabaseUrls> {
  await withClient(superuserUrl, async (client) => {
    await bootstrapRoles(client);
    const owner = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [OWNER_ROLE]);
    if (owner.rowCount === 0) {
      await client.query(`CREATE ROLE ${OWNER_ROLE} LOGIN NOSUPERUSER NOCREATEROLE NOBYPASSRLS`);
    }
    await client.query(`ALTER ROLE ${OWNER_ROLE} PASSWORD ${client.escapeLiteral(options.ownerPassword)}`);
    await client.query(`ALTER ROLE authenticator PASSWORD ${client.escapeLiteral(options.authenticatorPassword)}`);
    await createDatabaseIfMissing(client, options.database);
  });
  return {
    superuserUrl,
    ownerUrl: withDatabase(superuserUrl, OWNER_ROLE, options.ownerPassword, options.database),
    url: withDatabase(superuserUrl, 'authenticator', options.authenticatorPassword, options.database),
  };
}

export async function createDatabaseIfMissing(client: pg.Client, database: string): Promise<void> {
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (exists.rowCount === 0) {
    await client.query(`CREATE DATABASE ${quoteIdent(database)} OWNER ${OWNER_ROLE}`);
  }
  await client.query(`REVOKE ALL ON DATABASE ${quoteIdent(database)} FROM PUBLIC`);
  await client.query(`GRANT CONNECT ON DATABASE ${quoteIdent(database)} TO authenticator`);
}
