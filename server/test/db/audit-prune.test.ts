// Issue 12, part 3: audit retention. `npm run audit:prune` deletes events older than
// AUDIT_RETENTION_DAYS through the owner connection, in batches; --dry-run only counts. The owner's own
// policies let it read and delete only events older than a day, and no runtime role may delete at all.
// A database of its own: pruning the shared one would delete other test files' events.
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pruneAuditEvents, pruneCutoff } from '#src/audit/prune.js';
import { becomeSync, becomeUser, connectAs, sqlError, withDatabase, withRollback } from '../support/sql.js';
import { freshDatabase, type FreshDatabase } from './support/fresh-database.js';
import { runOwnerCli } from './support/owner-cli.js';

const DAY = 86_400_000;

let database: FreshDatabase;
let superuser: pg.Client;
const now = new Date();
const ago = (days: number) => new Date(now.getTime() - days * DAY);

/** Events of these ages (in days), inserted by the superuser: their types name the age. */
async function seed(ages: number[], copies = 1): Promise<void> {
  for (const age of ages) {
    await superuser.query(
      `INSERT INTO audit_events (type, metadata, created_at)
       SELECT 'test.age_' || $1::text, '{}', $2 FROM generate_series(1, $3)`,
      [String(age).replace('.', '_'), ago(age), copies],
    );
  }
}

async function remaining(): Promise<Record<string, number>> {
  const { rows } = await superuser.query<{ type: string; n: number }>(
    'SELECT type, count(*)::int AS n FROM audit_events GROUP BY type ORDER BY type',
  );
  return Object.fromEntries(rows.map((row) => [row.type, row.n]));
}

beforeAll(async () => {
  database = await freshDatabase('audit_prune');
  superuser = await connectAs(withDatabase(database.superuserUrl, database.name));
});

afterAll(async () => {
  await superuser?.end();
  await database?.drop();
});

beforeEach(async () => {
  await superuser.query('DELETE FROM audit_events');
});

describe('pruneAuditEvents', () => {
  it('deletes events older than the retention, in batches, and keeps the rest', async () => {
    await seed([800, 366], 120);
    await seed([364, 2, 0.5, 0]);
    const progress: number[] = [];
    const result = await pruneAuditEvents(database.ownerUrl, {
      retentionDays: 365,
      batchSize: 50,
      now,
      onProgress: (deleted) => progress.push(deleted),
    });
    expect(result).toEqual({ cutoff: ago(365), count: 240, dryRun: false });
    expect(progress).toEqual([50, 100, 150, 200, 240]);
    expect(await remaining()).toEqual({ 'test.age_0': 1, 'test.age_0_5': 1, 'test.age_2': 1, 'test.age_364': 1 });
  });

  it('--dry-run counts what would go and deletes nothing', async () => {
    await seed([400, 366, 10]);
    const result = await pruneAuditEvents(database.ownerUrl, { retentionDays: 365, dryRun: true, now });
    expect(result).toEqual({ cutoff: ago(365), count: 2, dryRun: true });
    expect(await remaining()).toEqual({ 'test.age_10': 1, 'test.age_366': 1, 'test.age_400': 1 });
  });

  it('with the shortest retention (1 day) keeps the last day', async () => {
    await seed([2, 0.5]);
    expect((await pruneAuditEvents(database.ownerUrl, { retentionDays: 1, now })).count).toBe(1);
    expect(await remaining()).toEqual({ 'test.age_0_5': 1 });
  });

  it('refuses a retention under one day', () => {
    expect(() => pruneCutoff(0)).toThrow(/at least 1/);
    expect(() => pruneCutoff(1.5)).toThrow(/whole number/);
  });
});

describe('who may delete audit events', () => {
  it('the owner only events older than a day, whatever it asks for', async () => {
    await seed([3, 0.5, 0]);
    const owner = await connectAs(database.ownerUrl);
    try {
      const deleted = await owner.query('DELETE FROM audit_events');
      expect(deleted.rowCount).toBe(1);
      // And it reads only those (none left now).
      expect((await owner.query('SELECT id FROM audit_events')).rows).toEqual([]);
    } finally {
      await owner.end();
    }
    expect(await remaining()).toEqual({ 'test.age_0': 1, 'test.age_0_5': 1 });
  });

  it('no runtime role: app_user, app_admin and app_sync get permission denied', async () => {
    await seed([400]);
    const runtime = await connectAs(database.url);
    try {
      for (const become of [
        (c: pg.ClientBase) => becomeUser(c, { userId: '00000000-0000-0000-0000-000000000001', role: 'app_user' }),
        (c: pg.ClientBase) => becomeUser(c, { userId: '00000000-0000-0000-0000-000000000002', role: 'app_admin' }),
        becomeSync,
      ]) {
        const error = await withRollback(runtime, async (c) => {
          await become(c);
          return sqlError(c.query('DELETE FROM audit_events'));
        });
        expect(error?.code).toBe('42501');
      }
    } finally {
      await runtime.end();
    }
    expect(await remaining()).toEqual({ 'test.age_400': 1 });
  });
});

// Each test starts the command (a cold tsx start) two or three times: slow on a loaded machine.
describe('npm run audit:prune', { timeout: 60_000 }, () => {
  const run = (args: string[], env: Record<string, string>) =>
    runOwnerCli('src/audit/prune-cli.ts', database, args, env);

  it('prints the count with --dry-run, then deletes and prints how many', async () => {
    await seed([40, 20, 5]);
    const dry = await run(['--dry-run'], { AUDIT_RETENTION_DAYS: '10' });
    expect(dry.stdout).toMatch(/^audit:prune: would delete 2 events older than 10 days \(before .+\)\n$/);
    expect(Object.keys(await remaining())).toHaveLength(3);
    const wet = await run([], { AUDIT_RETENTION_DAYS: '10' });
    expect(wet.stdout).toMatch(/^audit:prune: deleted 2 events older than 10 days/);
    expect(await remaining()).toEqual({ 'test.age_5': 1 });
  });

  it('refuses an unknown argument and a retention of 0 days, deleting nothing', async () => {
    await seed([400]);
    await expect(run(['--force'], {})).rejects.toMatchObject({
      stderr: expect.stringMatching(/Unknown argument "--force"/) as string,
    });
    await expect(run([], { AUDIT_RETENTION_DAYS: '0' })).rejects.toMatchObject({
      stderr: expect.stringMatching(/AUDIT_RETENTION_DAYS/) as string,
    });
    expect(await remaining()).toEqual({ 'test.age_400': 1 });
  });
});
