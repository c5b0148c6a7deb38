// The listing page query must stay an index scan under RLS: with ~2,000 listings over 20 owners
// (and every listing in its owner's collection), the plan for one owner's first page, as app_user
// and as app_admin, uses listings_owner_id_created_at_id_idx, with the planner's default settings.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type pg from 'pg';
import {
  PROTECTED_TABLES,
  becomeSync,
  becomeUser,
  connectAs,
  databaseOf,
  withDatabase,
  withRollback,
  type AppRole,
} from '../support/sql.js';

const OWNERS = 20;
const LISTINGS_PER_OWNER = 100;
const OWNER_INDEX = 'listings_owner_id_created_at_id_idx';
const PAGE_QUERY = `SELECT id, title, price, created_at FROM listings WHERE owner_id = $1 ORDER BY created_at DESC, id DESC LIMIT 21`;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

let client: pg.Client;
let superuser: pg.Client;
let ownerIds: string[];
let me: string;

beforeAll(async () => {
  const { url, superuserUrl } = inject('database');
  client = await connectAs(url);
  superuser = await connectAs(withDatabase(superuserUrl, databaseOf(url)));

  // The owners are provisioned as in production (app_sync); their bulk data through the superuser.
  await client.query('BEGIN');
  await becomeSync(client);
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO users (clerk_id, email) SELECT 'user_' || gen_random_uuid(), 'explain-' || g || '@example.com' FROM generate_series(1, $1) g RETURNING id`,
    [OWNERS],
  );
  await client.query('COMMIT');
  ownerIds = rows.map((r) => r.id);
  me = ownerIds[0]!;

  const tag = randomUUID();
  await superuser.query(
    `INSERT INTO listings (owner_id, title, price, created_at)
     SELECT o, 'explain listing ' || g, g, now() - g * interval '1 minute' FROM unnest($1::uuid[]) o, generate_series(1, $2) g`,
    [ownerIds, LISTINGS_PER_OWNER],
  );
  await superuser.query(`INSERT INTO collections (owner_id, name) SELECT o, $2 FROM unnest($1::uuid[]) o`, [
    ownerIds,
    tag,
  ]);
  await superuser.query(
    `INSERT INTO collection_items (collection_id, owner_id, listing_id)
     SELECT c.id, c.owner_id, l.id FROM collections c JOIN listings l ON l.owner_id = c.owner_id WHERE c.name = $1`,
    [tag],
  );
  // Every table of the data model, not only those the page query names: the listings policies read
  // collections, their items and shares, and a policy that starts reading another table is covered too.
  await superuser.query(`ANALYZE ${PROTECTED_TABLES.join(', ')}`);
});

afterAll(async () => {
  await client?.end();
  await superuser?.end();
});

async function explainAs(role: AppRole): Promise<{ nodes: PlanNode[]; enableSeqscan: string }> {
  return withRollback(client, async () => {
    await becomeUser(client, { userId: me, role });
    const { rows: settings } = await client.query<{ enable_seqscan: string }>(
      `SELECT current_setting('enable_seqscan') AS enable_seqscan`,
    );
    const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${PAGE_QUERY}`, [
      me,
    ]);
    return { nodes: nodesOf(rows[0]!['QUERY PLAN'][0].Plan), enableSeqscan: settings[0]!.enable_seqscan };
  });
}

describe.each(['app_user', 'app_admin'] as const)('the first page of one owner’s listings as %s', (role) => {
  it('returns that owner’s 21 newest listings', async () => {
    const page = await withRollback(client, async () => {
      await becomeUser(client, { userId: me, role });
      return (await client.query<{ title: string }>(PAGE_QUERY, [me])).rows;
    });
    expect(page.map((r) => r.title)).toEqual(Array.from({ length: 21 }, (_, i) => `explain listing ${i + 1}`));
  });

  it(`uses ${OWNER_INDEX} with the planner's defaults (no SET enable_seqscan)`, async () => {
    const { nodes, enableSeqscan } = await explainAs(role);
    expect(enableSeqscan).toBe('on');
    // An Index Scan, or a Bitmap Index Scan feeding a Bitmap Heap Scan: either way through the owner index.
    expect(nodes.map((n) => n['Index Name']).filter((name) => name?.startsWith('listings_'))).toEqual([OWNER_INDEX]);
    expect(nodes.filter((n) => n['Relation Name'] === 'listings').map((n) => n['Node Type'])).not.toContain('Seq Scan');
  });
});

describe('the sharing arm of the listings policy (app_user)', () => {
  // Called as `IN (SELECT app_shared_collection_ids())` the function is a target-list SRF the planner
  // cannot inline (estimated 1,000 rows), and every app_user listings query scanned ALL
  // collection_items of all tenants. `SELECT * FROM app_shared_collection_ids()` is inlined.
  it('does not scan collection_items sequentially', async () => {
    const { nodes } = await explainAs('app_user');
    const scanned = nodes.filter((n) => n['Relation Name'] === 'collection_items').map((n) => n['Node Type']);
    expect(scanned.length).toBeGreaterThan(0);
    expect(scanned).not.toContain('Seq Scan');
  });
});
