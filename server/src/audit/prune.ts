// Audit retention: deletes events older than the configured number of days, through the owner's
// connection (no runtime role may delete audit events). The owner's own policies (migration
// 20261207002100_audit_log) let it read and delete only events older than a day. In batches, each its
// own short transaction, so a large backlog never holds one long lock or one huge transaction.
import pg from 'pg';

export const DEFAULT_PRUNE_BATCH = 5_000;
const DAY_MS = 86_400_000;

export interface PruneOptions {
  retentionDays: number;
  /** Count what would be deleted; delete nothing. */
  dryRun?: boolean;
  batchSize?: number;
  now?: Date;
  /** After each batch: the number deleted so far. */
  onProgress?: (deleted: number) => void;
}

export interface PruneResult {
  /** Events created before this instant are (or would be) deleted. */
  cutoff: Date;
  /** Deleted, or with dryRun the number that would be. */
  count: number;
  dryRun: boolean;
}

export function pruneCutoff(retentionDays: number, now: Date = new Date()): Date {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) {
    throw new Error(`The retention must be a whole number of days, at least 1 (got ${retentionDays})`);
  }
  return new Date(now.getTime() - retentionDays * DAY_MS);
}

export async function pruneAuditEvents(ownerUrl: string, options: PruneOptions): Promise<PruneResult> {
  const cutoff = pruneCutoff(options.retentionDays, options.now);
  const batchSize = options.batchSize ?? DEFAULT_PRUNE_BATCH;
  const dryRun = options.dryRun ?? false;
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    if (dryRun) {
      const { rows } = await client.query<{ count: string }>(
        'SELECT count(*) AS count FROM audit_events WHERE created_at < $1',
        [cutoff],
      );
      return { cutoff, count: Number(rows[0]!.count), dryRun };
    }
    let count = 0;
    for (;;) {
      const { rowCount } = await client.query(
        `DELETE FROM audit_events WHERE id IN (
           SELECT id FROM audit_events WHERE created_at < $1 ORDER BY created_at LIMIT $2)`,
        [cutoff, batchSize],
      );
      count += rowCount ?? 0;
      options.onProgress?.(count);
      if ((rowCount ?? 0) < batchSize) break;
    }
    return { cutoff, count, dryRun };
  } finally {
    await client.end();
  }
}
