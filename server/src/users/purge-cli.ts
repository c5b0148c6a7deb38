// npm run users:purge [-- --dry-run]
// Deletes everything users deleted longer than USER_PURGE_AFTER_DAYS (default 30) ago owned, through the
// owner connection (DATABASE_OWNER_URL, or the embedded database's owner), one transaction per user,
// printing the counts; --dry-run only counts. See docs/privacy.md.
import { loadConfig } from '#src/config.js';
import { openDatabase } from '#src/db/database.js';
import { dryRunFlag } from '#src/db/dry-run-flag.js';
import { describeCounts, purgeDeletedUsers } from './purge.js';

async function run(args: string[]): Promise<void> {
  const dryRun = dryRunFlag(args);
  const config = loadConfig();
  const days = config.users.purgeAfterDays;
  const database = await openDatabase(config);
  try {
    if (!database.ownerUrl) throw new Error('DATABASE_OWNER_URL must be set to purge a configured database');
    const verb = dryRun ? 'would delete' : 'deleted';
    const result = await purgeDeletedUsers(database.ownerUrl, {
      afterDays: days,
      dryRun,
      onUser: (user) =>
        console.log(
          `users:purge: user ${user.userId} (deleted ${user.deletedAt.toISOString()}): ${verb} ${describeCounts(user.counts)}`,
        ),
    });
    const who = `${result.users.length} users deleted more than ${days} days ago (before ${result.cutoff.toISOString()})`;
    console.log(
      result.users.length === 0
        ? `users:purge: nothing to purge: no user deleted before ${result.cutoff.toISOString()} owns anything`
        : `users:purge: ${verb} ${describeCounts(result.totals)} of ${who}`,
    );
  } finally {
    await database.stop();
  }
}

run(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`users:purge: ${(error as Error).message}`);
  process.exit(1);
});
