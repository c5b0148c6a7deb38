import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAs, withDatabase } from '../../test/support/sql.js';
import { freshDatabase, type FreshDatabase } from '../../test/db/support/fresh-database.js';
import { createBasePrisma, type BasePrisma } from './client.js';
import { seedDemoData } from './seed.js';

// A database of its own: the seed writes the fixed demo identities.
let db: FreshDatabase;
let base: BasePrisma;
let witness: pg.Client;

beforeAll(async () => {
  db = await freshDatabase('seed');
  base = createBasePrisma(db.url, 2);
  // The witness reads as the superuser: FORCE ROW LEVEL SECURITY binds even the schema owner.
  witness = await connectAs(withDatabase(db.superuserUrl, db.name));
});

afterAll(async () => {
  await base?.$disconnect();
  await witness?.end();
  await db?.drop();
});

async function summary() {
  const { rows } = await witness.query<Record<string, unknown>>(`
    SELECT u.email, u.role,
      (SELECT count(*)::int FROM listings l WHERE l.owner_id = u.id) AS listings,
      (SELECT count(*)::int FROM scoring_profiles p WHERE p.owner_id = u.id) AS profiles,
      (SELECT count(*)::int FROM valuation_rulesets r WHERE r.owner_id = u.id) AS rulesets,
      (SELECT count(*)::int FROM collections c WHERE c.owner_id = u.id) AS collections,
      (SELECT count(*)::int FROM collection_items i WHERE i.owner_id = u.id) AS items
    FROM users u ORDER BY u.email`);
  return rows;
}

async function shares() {
  const { rows } = await witness.query(`
    SELECT o.email AS owner, g.email AS grantee, s.permission
      FROM collection_shares s JOIN users o ON o.id = s.owner_id JOIN users g ON g.id = s.grantee_id`);
  return rows;
}

const EXPECTED = [
  { email: 'admin@example.com', role: 'ADMIN', listings: 1, profiles: 2, rulesets: 1, collections: 1, items: 1 },
  { email: 'alice@example.com', role: 'USER', listings: 3, profiles: 2, rulesets: 1, collections: 1, items: 3 },
  { email: 'bob@example.com', role: 'USER', listings: 2, profiles: 2, rulesets: 1, collections: 1, items: 2 },
];

describe('seedDemoData', () => {
  it('seeds alice, bob and an admin with their data, and Bob shares a collection with Alice (VIEW)', async () => {
    const result = await seedDemoData(base);
    expect([...result.seededUsers].sort()).toEqual(['admin@example.com', 'alice@example.com', 'bob@example.com']);
    expect(await summary()).toEqual(EXPECTED);
    expect(await shares()).toEqual([{ owner: 'bob@example.com', grantee: 'alice@example.com', permission: 'VIEW' }]);
  });

  it('is idempotent: a second run adds nothing', async () => {
    const result = await seedDemoData(base);
    expect(result.seededUsers).toEqual([]);
    expect(await summary()).toEqual(EXPECTED);
    expect(await shares()).toHaveLength(1);
  });

  it('restores a demo role changed since (the upsert keeps identities as documented)', async () => {
    await witness.query(`UPDATE users SET role = 'USER' WHERE email = 'admin@example.com'`);
    await seedDemoData(base);
    expect((await summary())[0]).toMatchObject({ email: 'admin@example.com', role: 'ADMIN' });
  });
});
