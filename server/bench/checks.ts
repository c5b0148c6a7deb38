// What the comparison rests on, checked in SQL: RLS hides other owners' rows in one database and
// not in the others, and the listings queries' plans and in-database times under each.
import type pg from 'pg';
import { withClient } from '#src/db/bootstrap.js';
import { BENCH_OWNER_ROLE, tablesWithRls, type DatabaseTarget } from './database.js';
import { PAGE_SIZE } from './fixtures.js';
import { percentiles } from './stats.js';

/** The two statements behind `listings(first: 20)`, as Prisma sends them (page + count). */
const QUERIES = {
  page: `SELECT id, owner_id, title, price, created_at FROM listings WHERE owner_id = $1
         ORDER BY created_at DESC, id DESC LIMIT ${PAGE_SIZE + 1} OFFSET 0`,
  count: `SELECT COUNT(*) FROM (SELECT id FROM listings WHERE owner_id = $1 OFFSET 0) AS sub`,
} as const;

/** A database session as one of the servers sees it. */
export type Session = <T>(fn: (client: pg.Client) => Promise<T>) => Promise<T>;

/** In a transaction switched to app_user as `userId`, exactly like the RLS server; rolled back. */
export function appUserSession(target: DatabaseTarget, userId: string): Session {
  return (fn) =>
    withClient(target.superuserUrl, async (client) => {
      await client.query('BEGIN');
      try {
        await client.query(
          `SELECT set_config('role', 'app_user', true), set_config('app.current_user_id', $1, true),
                  set_config('app.current_user_role', 'USER', true)`,
          [userId],
        );
        return await fn(client);
      } finally {
        await client.query('ROLLBACK');
      }
    });
}

/** The owner-connection server's own login (bench_owner), no transaction, no role switch. */
export function ownerConnectionSession(target: DatabaseTarget): Session {
  return (fn) => withClient(target.url, fn);
}

/** How many listings a session sees with no filter of its own (RLS: the owner's; otherwise all). */
export function visibleListings(session: Session): Promise<number> {
  return session(async (client) => {
    const result = await client.query<{ count: string }>('SELECT count(*) FROM listings');
    return Number(result.rows[0]?.count);
  });
}

/** Throws unless the owner connection is bench_owner with BYPASSRLS on a database without RLS. */
export async function checkOwnerConnection(target: DatabaseTarget): Promise<void> {
  await withClient(target.url, async (client) => {
    const role = await client.query<{ rolname: string; rolbypassrls: boolean; rolsuper: boolean }>(
      'SELECT rolname, rolbypassrls, rolsuper FROM pg_roles WHERE rolname = current_user',
    );
    const row = role.rows[0];
    if (row?.rolname !== BENCH_OWNER_ROLE || !row.rolbypassrls || row.rolsuper) {
      throw new Error(`owner connection: unexpected role ${JSON.stringify(row)}`);
    }
    const withRls = await tablesWithRls(client);
    if (withRls.length > 0) throw new Error(`owner connection: RLS enabled on ${withRls.join(', ')}`);
  });
}

export interface QueryCost {
  plan: string[];
  /** Planning + execution time reported by EXPLAIN ANALYZE, p50 over the iterations (ms). */
  p50Ms: number;
}

interface ExplainJson {
  'Planning Time': number;
  'Execution Time': number;
}

export async function queryCosts(
  session: Session,
  userId: string,
  iterations: number,
): Promise<Record<keyof typeof QUERIES, QueryCost>> {
  return session(async (client) => {
    const costs = {} as Record<keyof typeof QUERIES, QueryCost>;
    for (const [name, sql] of Object.entries(QUERIES) as [keyof typeof QUERIES, string][]) {
      const plan = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (COSTS OFF) ${sql}`, [userId]);
      const times: number[] = [];
      for (let i = 0; i < iterations; i++) {
        const result = await client.query<{ 'QUERY PLAN': ExplainJson[] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, [
          userId,
        ]);
        const explained = result.rows[0]?.['QUERY PLAN'][0];
        if (!explained) throw new Error('EXPLAIN returned nothing');
        times.push(explained['Planning Time'] + explained['Execution Time']);
      }
      costs[name] = { plan: plan.rows.map((row) => row['QUERY PLAN']), p50Ms: percentiles(times).p50 };
    }
    return costs;
  });
}
