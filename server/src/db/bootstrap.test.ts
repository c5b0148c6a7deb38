import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { clusterPasswords, dropDatabase, uniqueDatabaseName } from '../../test/db/support/fresh-database.js';
import { bootstrapCluster, OWNER_ROLE } from './bootstrap.js';

const created: string[] = [];
afterAll(async () => {
  for (const name of created) await dropDatabase(name);
});

async function query<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

describe('bootstrapCluster', () => {
  it('creates a database owned by the owner role, connectable by the authenticator only, and is idempotent', async () => {
    const database = uniqueDatabaseName('boot');
    created.push(database);
    const { superuserUrl } = inject('database');
    const first = await bootstrapCluster(superuserUrl, { database, ...clusterPasswords() });
    const again = await bootstrapCluster(superuserUrl, { database, ...clusterPasswords() });
    expect(again).toEqual(first);

    const [db] = await query<{ owner: string; acl: string }>(
      superuserUrl,
      `SELECT pg_get_userbyid(datdba) AS owner, datacl::text AS acl FROM pg_database WHERE datname = $1`,
      [database],
    );
    expect(db?.owner).toBe(OWNER_ROLE);
    // PUBLIC ("=...") has nothing; the authenticator may connect (c).
    expect(db?.acl).not.toMatch(/[{,]=/);
    expect(db?.acl).toMatch(/authenticator=c\//);

    // The returned URLs log in as who they say, on the new database.
    expect(await query(first.url, `SELECT current_user AS who, current_database() AS db`)).toEqual([
      { who: 'authenticator', db: database },
    ]);
    expect(await query(first.ownerUrl, `SELECT current_user AS who`)).toEqual([{ who: OWNER_ROLE }]);
    expect(first.superuserUrl).toBe(superuserUrl);
  });

  it('creates the request-path roles without dangerous attributes', async () => {
    const roles = await query<Record<string, unknown>>(
      inject('database').superuserUrl,
      `SELECT rolname, rolcanlogin, rolinherit, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb
         FROM pg_roles WHERE rolname IN ('authenticator', 'app_user', 'app_admin', 'app_sync', 'app_rate_limit', 'app_auth', $1) ORDER BY rolname`,
      [OWNER_ROLE],
    );
    const safe = { rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false };
    expect(roles).toEqual([
      { rolname: 'app_admin', rolcanlogin: false, rolinherit: true, ...safe },
      { rolname: 'app_auth', rolcanlogin: false, rolinherit: true, ...safe },
      { rolname: OWNER_ROLE, rolcanlogin: true, rolinherit: true, ...safe },
      { rolname: 'app_rate_limit', rolcanlogin: false, rolinherit: true, ...safe },
      { rolname: 'app_sync', rolcanlogin: false, rolinherit: true, ...safe },
      { rolname: 'app_user', rolcanlogin: false, rolinherit: true, ...safe },
      { rolname: 'authenticator', rolcanlogin: true, rolinherit: false, ...safe },
    ]);
  });

  it('quotes a database name that needs it', async () => {
    const database = `${uniqueDatabaseName('odd')} "name"`;
    created.push(database);
    const urls = await bootstrapCluster(inject('database').superuserUrl, { database, ...clusterPasswords() });
    expect(await query(urls.url, `SELECT current_database() AS db`)).toEqual([{ db: database }]);
  });
});
