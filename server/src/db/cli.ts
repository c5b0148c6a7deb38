// npm run db:migrate | db:rollback [-- N | --all] | db:seed
// Uses DATABASE_OWNER_URL / DATABASE_URL when set, otherwise the embedded database under .data/.
import { loadConfig } from '#src/config.js';
import { closeBasePrisma, createBasePrisma } from './client.js';
import { openDatabase } from './database.js';
import { migrateDown, migrateUp } from './migrations.js';
import { seedDemoData } from './seed.js';

function requireOwnerUrl(ownerUrl: string | undefined): string {
  if (!ownerUrl) throw new Error('DATABASE_OWNER_URL must be set to migrate a configured database');
  return ownerUrl;
}

function rollbackSteps(arg: string | undefined): number | 'all' {
  if (arg === undefined) return 1;
  if (arg === '--all') return 'all';
  const steps = Number(arg);
  if (!Number.isInteger(steps) || steps < 1)
    throw new Error(`Expected a positive number of steps or --all, got "${arg}"`);
  return steps;
}

async function run(command: string | undefined, arg: string | undefined): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    if (command === 'migrate') {
      const applied = await migrateUp(requireOwnerUrl(database.ownerUrl));
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    } else if (command === 'rollback') {
      const undone = await migrateDown(requireOwnerUrl(database.ownerUrl), rollbackSteps(arg));
      console.log(undone.length ? `rolled back: ${undone.join(', ')}` : 'nothing to roll back');
    } else if (command === 'seed') {
      const base = createBasePrisma(database.url, 2, config.database.timeLimits, config.database.poolMode);
      try {
        const { seededUsers } = await seedDemoData(base);
        console.log(seededUsers.length ? `seeded: ${seededUsers.join(', ')}` : 'demo data already present');
      } finally {
        await closeBasePrisma(base);
      }
    } else {
      throw new Error(`Unknown command "${command ?? ''}": use migrate, rollback or seed`);
    }
  } finally {
    await database.stop();
  }
}

run(process.argv[2], process.argv[3]).catch((error: unknown) => {
  console.error(`db: ${(error as Error).message}`);
  process.exit(1);
});
