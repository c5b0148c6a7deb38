// Demo data: alice and bob (users) and an admin, each with listings, a scoring profile, a
// valuation ruleset and a collection; Bob shares a collection with Alice (VIEW). Written through
// the production roles (app_sync for users, each user's own RLS context for their data), so the
// seed proves the policies allow what the product needs. Idempotent.
import type { Role } from '#src/generated/prisma/client.js';
import type { Viewer } from '#src/auth/viewer.js';
import { DEMO_IDENTITIES } from '#src/dev/local-identity.js';
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

const ROLES: Record<string, Role> = { 'admin@example.com': 'ADMIN' };

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

async function upsertDemoUsers(base: BasePrisma): Promise<Map<string, Viewer>> {
  return withSync(base, async (tx) => {
    const viewers = new Map<string, Viewer>();
    for (const identity of DEMO_IDENTITIES) {
      const role = ROLES[identity.email] ?? 'USER';
      const profile = {
        email: identity.email,
        firstName: identity.firstName,
        lastName: identity.lastName,
        avatarUrl: identity.imageUrl,
      };
      const user = await tx.user.upsert({
        where: { clerkId: identity.clerkId },
        create: { clerkId: identity.clerkId, role, ...profile },
        update: { role, ...profile },
        select: { id: true, clerkId: true, role: true },
      });
      viewers.set(identity.email, { userId: user.id, clerkId: user.clerkId, role: user.role, sessionId: undefined });
    }
    return viewers;
  });
}

async function seedOwnData(tx: Tx, viewer: Viewer, email: string): Promise<string> {
  const ownerId = viewer.userId;
  const listings = [];
  for (const listing of LISTINGS[email] ?? []) {
    listings.push(await tx.listing.create({ data: { ...listing, ownerId }, select: { id: true } }));
  }
  await tx.scoringProfile.create({
    data: {
      ownerId,
      name: 'Balanced',
      isDefault: true,
      weights: { cpu: 0.35, gpu: 0.15, ram: 0.2, storage: 0.1, price: 0.2 },
    },
  });
  await tx.valuationRuleset.create({
    data: {
      ownerId,
      name: 'Default components',
      rules: [
        { component: 'ram', match: { minGb: 32 }, adjustment: { amount: '40.00' } },
        { component: 'storage', match: { maxGb: 128 }, adjustment: { amount: '-25.00' } },
      ],
    },
  });
  const collection = await tx.collection.create({
    data: { ownerId, name: 'Shortlist', description: 'Deals worth a second look' },
    select: { id: true },
  });
  if (listings.length > 0) {
    await tx.collectionItem.createMany({
      data: listings.map((listing) => ({
        collectionId: collection.id,
        ownerId,
        listingId: listing.id,
        addedById: ownerId,
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
        data: { collectionId: bobsCollection, ownerId: bob.userId, granteeId: alice.userId, permission: 'VIEW' },
      }),
    );
  }
  return { seededUsers };
}
