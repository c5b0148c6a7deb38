// One throwaway PostgreSQL per test run: the real server with the production roles, policies
// and migrations.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '#src/db/embedded.js';
import { migrateUp } from '#src/db/migrations.js';
import { freePort } from './free-port.js';

let database: EmbeddedDatabase | undefined;
let dir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  try {
    dir = await mkdtemp(path.join(os.tmpdir(), 'dealbrain-test-'));
    database = await startEmbeddedDatabase({ dir, port: await freePort(), persistent: false });
    await migrateUp(database.ownerUrl);
  } catch (error) {
    await teardown();
    throw error;
  }
  project.provide('database', {
    url: database.url,
    ownerUrl: database.ownerUrl,
    superuserUrl: database.superuserUrl,
  });
}

export async function teardown(): Promise<void> {
  await database?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
}
