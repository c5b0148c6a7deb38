// The purge of deleted users' data: once a user has been deleted for longer than USER_PURGE_AFTER_DAYS,
// everything they owned goes (listings, scoring profiles, valuation rulesets, collections with their items,
// the shares they granted or received, their listings in other people's collections, API keys), through
// the owner's connection, in one transaction per user, with a `user.purged` audit event in the same
// transaction. The owner's own policies (migration 20261207003200_user_privacy) let it read and delete only
// the rows of users deleted more than a day ago. The tombstone row stays (docs/privacy.md, ADR 0065).
import pg from 'pg';

const DAY_MS = 86_400_000;

/** What one user owned, per kind (deleted, or with dryRun what would be). */
export interface PurgeCounts {
  collectionShares: number;
  collectionItems: number;
  collections: number;
  listings: number;
  scoringProfiles: number;
  valuationRulesets: number;
  apiKeys: number;
}

type Kind = keyof PurgeCounts;

/**
 * In delete order: shares and items first, so deleting collections and listings cascades nothing more and
 * the counts of a dry run (read before anything goes) equal the real ones. `$1` is the user's id.
 */
const OWNED: readonly { kind: Kind; table: string; where: string }[] = [
  { kind: 'collectionShares', table: 'collection_shares', where: 'owner_id = $1 OR grantee_id = $1' },
  {
    kind: 'collectionItems',
    table: 'collection_items',
    // Items of their collections, and their listings in other people's collections (EDIT contributions).
    where: 'owner_id = $1 OR listing_id IN (SELECT l.id FROM listings l WHERE l.owner_id = $1)',
  },
  { kind: 'collections', table: 'collections', where: 'owner_id = $1' },
  { kind: 'listings', table: 'listings', where: 'owner_id = $1' },
  { kind: 'scoringProfiles', table: 'scoring_profiles', where: 'owner_id = $1' },
  { kind: 'valuationRulesets', table: 'valuation_rulesets', where: 'owner_id = $1' },
  { kind: 'apiKeys', table: 'api_keys', where: 'owner_id = $1' },
];

/** How each kind reads in the command's output. */
export const KIND_LABELS: Record<Kind, string> = {
  listings: 'listings',
  scoringProfiles: 'scoring profiles',
  valuationRulesets: 'valuation rulesets',
  collections: 'collections',
  collectionItems: 'collection items',
  collectionShares: 'shares',
  apiKeys: 'API keys',
};

export interface PurgedUser {
  userId: string;
  deletedAt: Date;
  counts: PurgeCounts;
}

export interface PurgeOptions {
  afterDays: number;
  /** Count what would be deleted; delete nothing. */
  dryRun?: boolean;
  now?: Date;
  /** After each user's transaction committed (or was counted). */
  onUser?: (user: PurgedUser) => void;
}

export interface PurgeResult {
  /** Users deleted before this instant are purged. */
  cutoff: Date;
  dryRun: boolean;
  /** The users who owned anything, oldest deletion first. */
  users: PurgedUser[];
  totals: PurgeCounts;
}

export function purgeCutoff(afterDays: number, now: Date = new Date()): Date {
  if (!Number.isInteger(afterDays) || afterDays < 1) {
    throw new Error(`The purge delay must be a whole number of days, at least 1 (got ${afterDays})`);
  }
  return new Date(now.getTime() - afterDays * DAY_MS);
}

function zeroCounts(): PurgeCounts {
  return {
    collectionShares: 0,
    collectionItems: 0,
    collections: 0,
    listings: 0,
    scoringProfiles: 0,
    valuationRulesets: 0,
    apiKeys: 0,
  };
}

/** Users deleted before the cutoff who still own something: tombstones already purged are not revisited. */
async function candidates(client: pg.ClientBase, cutoff: Date): Promise<{ id: string; deleted_at: Date }[]> {
  const { rows } = await client.query<{ id: string; deleted_at: Date }>(
    `SELECT u.id::text, u.deleted_at FROM users u
     WHERE u.deleted_at < $1 AND (
       EXISTS (SELECT 1 FROM listings x WHERE x.owner_id = u.id)
       OR EXISTS (SELECT 1 FROM scoring_profiles x WHERE x.owner_id = u.id)
       OR EXISTS (SELECT 1 FROM valuation_rulesets x WHERE x.owner_id = u.id)
       OR EXISTS (SELECT 1 FROM collections x WHERE x.owner_id = u.id)
       OR EXISTS (SELECT 1 FROM collection_shares x WHERE x.owner_id = u.id OR x.grantee_id = u.id)
       OR EXISTS (SELECT 1 FROM api_keys x WHERE x.owner_id = u.id))
     ORDER BY u.deleted_at, u.id`,
    [cutoff],
  );
  return rows;
}

async function countOwned(client: pg.ClientBase, userId: string): Promise<PurgeCounts> {
  const counts = zeroCounts();
  for (const { kind, table, where } of OWNED) {
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, [
      userId,
    ]);
    counts[kind] = rows[0]!.n;
  }
  return counts;
}

/** One user's purge, in the open transaction: locks and re-checks the tombstone, deletes, audits. */
async function purgeUser(client: pg.ClientBase, userId: string, cutoff: Date): Promise<PurgeCounts | null> {
  const { rowCount } = await client.query('SELECT 1 FROM users WHERE id = $1 AND deleted_at < $2 FOR UPDATE', [
    userId,
    cutoff,
  ]);
  if (rowCount !== 1) return null;
  const counts = zeroCounts();
  for (const { kind, table, where } of OWNED) {
    counts[kind] = (await client.query(`DELETE FROM ${table} WHERE ${where}`, [userId])).rowCount ?? 0;
  }
  await client.query(`INSERT INTO audit_events (type, subject_user_id, metadata) VALUES ('user.purged', $1, $2)`, [
    userId,
    { source: 'users:purge', counts },
  ]);
  return counts;
}

async function inTransaction<T>(client: pg.ClientBase, readOnly: boolean, fn: () => Promise<T>): Promise<T> {
  await client.query(readOnly ? 'BEGIN READ ONLY' : 'BEGIN');
  try {
    const result = await fn();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/** Purges (or with dryRun counts) what users deleted before the cutoff owned, one transaction per user. */
export async function purgeDeletedUsers(ownerUrl: string, options: PurgeOptions): Promise<PurgeResult> {
  const cutoff = purgeCutoff(options.afterDays, options.now);
  const dryRun = options.dryRun ?? false;
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const users: PurgedUser[] = [];
    const totals = zeroCounts();
    for (const { id, deleted_at } of await candidates(client, cutoff)) {
      const counts = await inTransaction(client, dryRun, () =>
        dryRun ? countOwned(client, id) : purgeUser(client, id, cutoff),
      );
      if (!counts) continue;
      const purged = { userId: id, deletedAt: deleted_at, counts };
      for (const kind of Object.keys(totals) as Kind[]) totals[kind] += counts[kind];
      users.push(purged);
      options.onUser?.(purged);
    }
    return { cutoff, dryRun, users, totals };
  } finally {
    await client.end();
  }
}

/** "3 listings, 1 scoring profiles, …" in a fixed order. */
export function describeCounts(counts: PurgeCounts): string {
  return (Object.keys(KIND_LABELS) as Kind[]).map((kind) => `${counts[kind]} ${KIND_LABELS[kind]}`).join(', ');
}
