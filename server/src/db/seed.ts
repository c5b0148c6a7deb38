// Demo data: alice and bob (users) and an admin, each with listings, a scoring profile, a
// valuation ruleset and a collection (items with notes, in order); Bob shares his ("Bob's picks")
// with Alice (VIEW), and Alice shares hers with someone@example.com, who has no account (the share
// waits for a user with that verified address). Written through
// the production roles (app_sync for users, the demo admin as app_admin for the demo roles, each
// user's own RLS context for their data), so the seed proves the policies allow what the product
// needs. app_sync may not write a role (ADR 0064): only the admin path does. Idempotent.
import type { Role } from '#src/generated/prisma/client.js';
import type { Viewer } from '#src/auth/viewer.js';
import { DEMO_IDENTITIES } from '@deal-brain/shared/demo-identities';
import type { BasePrisma } from './client.js';
import { withRls, withSync, type Tx } from './rls.js';

interface DemoListing {
  title: string;
  price: string;
  condition: 'NEW' | 'LIKE_NEW' | 'USED' | 'REFURBISHED' | 'FOR_PARTS';
  cpu: string;
  gpu?: string;
  ramGb: number;
  storageGb: number;
  url?: string;
}

const LISTINGS: Record<string, DemoListing[]> = {
  'alice@example.com': [
    {
      title: 'Lenovo ThinkCentre M720q Tiny',
      price: '189.00',
      condition: 'USED',
      cpu: 'Intel Core i5-8500T',
      ramGb: 16,
      storageGb: 256,
      url: 'https://example.com/listings/m720q',
    },
    {
      title: 'Dell OptiPlex 7080 Micro',
      price: '279.99',
      condition: 'REFURBISHED',
      cpu: 'Intel Core i7-10700T',
      ramGb: 32,
      storageGb: 512,
    },
    {
      title: 'Gaming tower, RTX 3070',
      price: '849.00',
      condition: 'USED',
      cpu: 'AMD Ryzen 7 5800X',
      gpu: 'NVIDIA RTX 3070',
      ramGb: 32,
      storageGb: 1000,
    },
  ],
  'bob@example.com': [
    {
      title: 'HP EliteDesk 800 G4 Mini',
      price: '159.50',
      condition: 'USED',
      cpu: 'Intel Core i5-8500T',
      ramGb: 8,
      storageGb: 256,
    },
    {
      title: 'Minisforum UM790 Pro',
      price: '499.00',
      condition: 'NEW',
      cpu: 'AMD Ryzen 9 7940HS',
      ramGb: 32,
      storageGb: 1000,
    },
  ],
  'admin@example.com': [
    { title: 'Mac mini M2', price: '529.00', condition: 'LIKE_NEW', cpu: 'Apple M2', ramGb: 16, storageGb: 512 },
  ],
};

/** The demo identities' rows, as app_sync like a webhook would write them: profile only, never the role. */
async function upsertDemoUsers(base: BasePrisma): Promise<Map<string, Viewer>> {
  const rows = await withSync(base, async (tx) => {
    const written = [];
    for (const identity of DEMO_IDENTITIES) {
      // The local identity provider marks its addresses verified, as Clerk's payload does. Raw SQL naming
      // its columns, like the webhook's upsert: app_sync may write only those (Prisma's upsert writes more).
      const [user] = await tx.$queryRaw<{ id: string; clerkId: string }[]>`
        INSERT INTO users (clerk_id, email, email_verified, first_name, last_name, avatar_url)
        VALUES (${identity.clerkId}, ${identity.email}, true, ${identity.firstName}, ${identity.lastName}, NULL)
        ON CONFLICT (clerk_id) DO UPDATE SET
          email = EXCLUDED.email, email_verified = EXCLUDED.email_verified, first_name = EXCLUDED.first_name,
          last_name = EXCLUDED.last_name, avatar_url = EXCLUDED.avatar_url, updated_at = now()
        RETURNING id::text AS id, clerk_id AS "clerkId"`;
      // Typed, so the shared list can only name roles the database has.
      const role: Role = identity.role;
      written.push({ ...user!, email: identity.email, role });
    }
    return written;
  });
  await setDemoRoles(base, rows);
  const viewers = new Map<string, Viewer>();
  for (const { id, clerkId, email, role } of rows) {
    viewers.set(email, {
      userId: id,
      clerkId,
      role,
      sessionId: undefined,
      credential: { kind: 'session', sessionId: undefined },
    });
  }
  return viewers;
}

/**
 * The demo roles, through the admin path: a transaction as app_admin in the demo admin's name (the seed
 * is trusted code that may choose its database role, like the server choosing it from the users table).
 * Restores a demo role changed since; changes nothing when every role is right already.
 */
async function setDemoRoles(base: BasePrisma, rows: { id: string; clerkId: string; role: Role }[]): Promise<void> {
  const admin = rows.find((row) => row.role === 'ADMIN');
  if (!admin) return;
  const actor: Viewer = {
    userId: admin.id,
    clerkId: admin.clerkId,
    role: 'ADMIN',
    sessionId: undefined,
    credential: { kind: 'session', sessionId: undefined },
  };
  await withRls(base, actor, async (tx) => {
    for (const role of ['USER', 'ADMIN'] as const) {
      const ids = rows.filter((row) => row.role === role).map((row) => row.id);
      await tx.user.updateMany({ where: { id: { in: ids }, role: { not: role } }, data: { role } });
    }
  });
}

const COLLECTION_NAMES: Record<string, string> = { 'bob@example.com': "Bob's picks" };
/** The notes of each demo collection's items, by position. */
const ITEM_NOTES = ['Best value so far', 'Ask whether the charger is included'];

async function seedOwnData(tx: Tx, viewer: Viewer, email: string): Promise<string> {
  const ownerId = viewer.userId;
  const listings = [];
  for (const listing of LISTINGS[email] ?? []) {
    listings.push(await tx.listing.create({ data: { ...listing, ownerId }, select: { id: true } }));
  }
  // Weights 0..100 for price, cpu, gpu, ram, storage, condition (docs/scoring.md); one default.
  await tx.scoringProfile.createMany({
    data: [
      {
        ownerId,
        name: 'Balanced',
        isDefault: true,
        weights: { price: 30, cpu: 25, gpu: 15, ram: 15, storage: 5, condition: 10 },
      },
      {
        ownerId,
        name: 'Budget first',
        isDefault: false,
        weights: { price: 60, cpu: 10, gpu: 5, ram: 10, storage: 5, condition: 10 },
      },
    ],
  });
  // Typed rules (server/src/modules/valuation/valuation-rules.ts); the user's only, so active.
  await tx.valuationRuleset.create({
    data: {
      ownerId,
      name: 'Default components',
      isActive: true,
      rules: [
        { when: { attribute: 'RAM_GB', operator: 'BELOW', value: 16 }, adjust: { kind: 'SUBTRACT', amount: '30.00' } },
        { when: { attribute: 'RAM_GB', operator: 'ABOVE', value: 31 }, adjust: { kind: 'ADD', amount: '40.00' } },
        {
          when: { attribute: 'CONDITION', operator: 'EQUALS', value: 'FOR_PARTS' },
          adjust: { kind: 'MULTIPLY', factor: '0.3' },
        },
        { when: { attribute: 'GPU', operator: 'CONTAINS', value: 'rtx' }, adjust: { kind: 'ADD', amount: '75.00' } },
      ],
    },
  });
  const collection = await tx.collection.create({
    data: { ownerId, name: COLLECTION_NAMES[email] ?? 'Shortlist', description: 'Deals worth a second look' },
    select: { id: true },
  });
  if (listings.length > 0) {
    await tx.collectionItem.createMany({
      data: listings.map((listing, position) => ({
        collectionId: collection.id,
        ownerId,
        listingId: listing.id,
        addedById: ownerId,
        position,
        note: ITEM_NOTES[position] ?? null,
      })),
    });
  }
  return collection.id;
}

export interface SeedResult {
  seededUsers: string[];
}

export async function seedDemoData(base: BasePrisma): Promise<SeedResult> {
  const viewers = await upsertDemoUsers(base);
  const seededUsers: string[] = [];
  const collections = new Map<string, string>();
  for (const [email, viewer] of viewers) {
    const seeded = await withRls(base, viewer, async (tx) => {
      if ((await tx.listing.count({ where: { ownerId: viewer.userId } })) > 0) return undefined;
      return seedOwnData(tx, viewer, email);
    });
    if (seeded) {
      seededUsers.push(email);
      collections.set(email, seeded);
    }
  }
  const bob = viewers.get('bob@example.com');
  const alice = viewers.get('alice@example.com');
  const bobsCollection = collections.get('bob@example.com');
  if (bob && alice && bobsCollection) {
    await withRls(base, bob, (tx) =>
      tx.collectionShare.create({
        data: {
          collectionId: bobsCollection,
          ownerId: bob.userId,
          granteeEmail: 'alice@example.com',
          granteeId: alice.userId,
          permission: 'VIEW',
        },
      }),
    );
  }
  const alicesCollection = collections.get('alice@example.com');
  if (alice && alicesCollection) {
    // No account has this address: the share waits, unbound, and grants nothing until one does.
    await withRls(base, alice, (tx) =>
      tx.collectionShare.create({
        data: {
          collectionId: alicesCollection,
          ownerId: alice.userId,
          granteeEmail: 'someone@example.com',
          granteeId: null,
          permission: 'VIEW',
        },
      }),
    );
  }
  return { seededUsers };
}
