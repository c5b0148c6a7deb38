// npm run admin:grant -- <email>: grant-admin.ts through the owner connection (DATABASE_OWNER_URL when
// DATABASE_URL is set, otherwise the embedded database's owner, like db:migrate).
import pg from 'pg';
import { loadConfig } from '#src/config.js';
import { openDatabase } from '#src/db/database.js';
import { runAdminGrant } from './grant-admin.js';

async function main(): Promise<number> {
  const database = await openDatabase(loadConfig());
  try {
    if (!database.ownerUrl) throw new Error('DATABASE_OWNER_URL must be set (the owner role, as for db:migrate)');
    const client = new pg.Client({ connectionString: database.ownerUrl });
    await client.connect();
    try {
      return await runAdminGrant(client, process.argv.slice(2), {
        out: (line) => console.log(line),
        err: (line) => console.error(line),
      });
    } finally {
      await client.end();
    }
  } finally {
    await database.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`admin:grant: ${(error as Error).message}`);
    process.exit(1);
  },
);
