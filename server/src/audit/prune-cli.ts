// npm run audit:prune [-- --dry-run]
// Deletes audit events older than AUDIT_RETENTION_DAYS (default 365) through the owner connection
// (DATABASE_OWNER_URL, or the embedded database's owner), printing how many; --dry-run only counts.
import { loadConfig } from '#src/config.js';
import { openDatabase } from '#src/db/database.js';
import { dryRunFlag } from '#src/db/dry-run-flag.js';
import { pruneAuditEvents } from './prune.js';

async function run(args: string[]): Promise<void> {
  const dryRun = dryRunFlag(args);
  const config = loadConfig();
  const days = config.audit.retentionDays;
  const database = await openDatabase(config);
  try {
    if (!database.ownerUrl) throw new Error('DATABASE_OWNER_URL must be set to prune a configured database');
    const result = await pruneAuditEvents(database.ownerUrl, { retentionDays: days, dryRun });
    const older = `older than ${days} days (before ${result.cutoff.toISOString()})`;
    console.log(
      dryRun
        ? `audit:prune: would delete ${result.count} events ${older}`
        : `audit:prune: deleted ${result.count} events ${older}`,
    );
  } finally {
    await database.stop();
  }
}

run(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`audit:prune: ${(error as Error).message}`);
  process.exit(1);
});
