// The benchmark's data: OWNER_COUNT users with LISTINGS_PER_OWNER listings each, identical in both
// databases (same user ids, listing ids, values and timestamps); only the Clerk ids differ, because
// each server has its own local identity provider. Loaded in bulk through a superuser connection.
import { createHash } from 'node:crypto';
import { withClient } from '#src/db/bootstrap.js';

export const OWNER_COUNT = 200;
export const LISTINGS_PER_OWNER = 50;
/** `listings(first: 20)`; worker/verify-body.cjs checks the same numbers in every response. */
export const PAGE_SIZE = 20;

export interface Owner {
  /** 1-based. */
  number: number;
  userId: string;
  email: string;
}

export const OWNERS: readonly Owner[] = Array.from({ length: OWNER_COUNT }, (_, i) => ({
  number: i + 1,
  userId: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
  email: `bench-owner-${i + 1}@bench.example.test`,
}));

/** The title of an owner's newest listing: the first edge of `listings(first: 20)`. */
export function newestTitle(owner: Owner): string {
  return `Bench listing ${owner.number}-${LISTINGS_PER_OWNER}`;
}

export async function loadFixtures(superuserUrl: string, clerkIds: readonly string[]): Promise<void> {
  if (clerkIds.length !== OWNERS.length) throw new Error('one Clerk id per owner expected');
  await withClient(superuserUrl, async (client) => {
    await client.query('BEGIN');
    // The local provider's webhooks created these users already, with ids of their own: the
    // benchmark needs the same ids in every database.
    await client.query('DELETE FROM audit_events');
    await client.query('DELETE FROM users WHERE clerk_id = ANY($1::text[])', [clerkIds]);
    await client.query(
      `INSERT INTO users (id, clerk_id, email, first_name, last_name)
       SELECT id, clerk_id, email, 'Bench', 'Owner ' || n
       FROM unnest($1::uuid[], $2::text[], $3::text[]) WITH ORDINALITY AS u(id, clerk_id, email, n)`,
      [OWNERS.map((o) => o.userId), clerkIds, OWNERS.map((o) => o.email)],
    );
    // Deterministic ids and values; created_at strictly increasing per owner, newest = listing LISTINGS_PER_OWNER.
    await client.query(
      `INSERT INTO listings (id, owner_id, title, url, price, condition, cpu, gpu, ram_gb, storage_gb,
                             created_at, updated_at)
       SELECT md5('bench-listing-' || o.n || '-' || g.n)::uuid, o.id,
              'Bench listing ' || o.n || '-' || g.n,
              'https://shop.example.test/listings/' || o.n || '-' || g.n,
              (49.99 + (g.n * 37 + o.n * 11) % 2950)::numeric(12, 2),
              (ARRAY['NEW', 'LIKE_NEW', 'USED', 'REFURBISHED', 'FOR_PARTS'])[1 + g.n % 5]::"ListingCondition",
              'CPU model ' || g.n % 40, 'GPU model ' || g.n % 25, 8 * (1 + g.n % 8), 256 * (1 + g.n % 8),
              ts, ts
       FROM unnest($1::uuid[]) WITH ORDINALITY AS o(id, n)
       CROSS JOIN generate_series(1, $2::int) AS g(n)
       CROSS JOIN LATERAL (SELECT timestamptz '2025-01-01 00:00:00+00'
                                  + ((g.n * $3::int + o.n) * interval '1 minute') AS ts) AS t`,
      [OWNERS.map((o) => o.userId), LISTINGS_PER_OWNER, OWNER_COUNT],
    );
    await client.query('COMMIT');
    await client.query('ANALYZE');
  });
}

/** Items in each owner's bench collection (loadCollections): a whole `items(first: 20)` page. */
export const COLLECTION_SIZE = 20;

/** The listing at `position` of an owner's bench collection: every other one, oldest first (1, 3, 5, …). */
export function collectionListingNumber(position: number): number {
  return 1 + 2 * position;
}

function md5Uuid(text: string): string {
  const hex = createHash('md5').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The id of an owner's bench collection (deterministic, like the listings'). */
export function collectionIdOf(owner: Owner): string {
  return md5Uuid(`bench-collection-${owner.number}`);
}

/**
 * One collection per owner holding COLLECTION_SIZE of their own listings at positions 0…19. Separate from
 * loadFixtures so the other benches' data stays as it was; call it after loadFixtures.
 */
export async function loadCollections(superuserUrl: string): Promise<void> {
  await withClient(superuserUrl, async (client) => {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO collections (id, owner_id, name)
       SELECT c.id, c.owner_id, 'Bench collection ' || c.n
       FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS c(id, owner_id, n)`,
      [OWNERS.map(collectionIdOf), OWNERS.map((o) => o.userId)],
    );
    // Listing ids as loadFixtures derives them: md5('bench-listing-<owner>-<n>').
    await client.query(
      `INSERT INTO collection_items (collection_id, owner_id, listing_id, added_by_id, position)
       SELECT c.id, c.owner_id, md5('bench-listing-' || c.n || '-' || (1 + 2 * p))::uuid, c.owner_id, p
       FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS c(id, owner_id, n)
       CROSS JOIN generate_series(0, $3::int - 1) AS p`,
      [OWNERS.map(collectionIdOf), OWNERS.map((o) => o.userId), COLLECTION_SIZE],
    );
    await client.query('COMMIT');
    await client.query('ANALYZE collections, collection_items');
  });
}
