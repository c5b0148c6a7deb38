// openDatabase and the embedded PostgreSQL it falls back to: a second, persistent cluster of its
// own under a temporary data directory (about two seconds).
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '#src/config.js';
import { freePort } from '../../test/support/free-port.js';
import { openDatabase, type DatabaseHandle } from './database.js';
import { EMBEDDED_DATABASE_NAME, startEmbeddedDatabase } from './embedded.js';

async function whoAmI(url: string): Promise<{ who: string; db: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ who: string; db: string }>(`SELECT current_user AS who, current_database() AS db`))
      .rows[0]!;
  } finally {
    await client.end();
  }
}

describe('openDatabase with DATABASE_URL set', () => {
  it('uses the configured server and starts nothing', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: 'postgres://authenticator:pw@db.example.test:5432/app',
      DATABASE_OWNER_URL: 'postgres://owner:pw@db.example.test:5432/app',
    });
    const handle = await openDatabase(config);
    expect(handle).toMatchObject({
      url: 'postgres://authenticator:pw@db.example.test:5432/app',
      ownerUrl: 'postgres://owner:pw@db.example.test:5432/app',
      embedded: false,
    });
    await handle.stop();
  });
});

describe('openDatabase without DATABASE_URL (embedded PostgreSQL)', () => {
  let dataDir: string;
  let port: number;
  let handle: DatabaseHandle | undefined;
  const logs: string[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'dealbrain-embedded-test-'));
    // As root the server runs as "postgres", which must be able to reach the data directory.
    await chmod(dataDir, 0o755);
    port = await freePort();
  });

  afterAll(async () => {
    await handle?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const config = () => loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, EMBEDDED_POSTGRES_PORT: String(port) });

  it('initialises a cluster under the data directory, bootstraps it and connects as the runtime roles', async () => {
    handle = await openDatabase(config(), (message) => logs.push(message));
    expect(handle.embedded).toBe(true);
    expect(await whoAmI(handle.url)).toEqual({ who: 'authenticator', db: EMBEDDED_DATABASE_NAME });
    expect(await whoAmI(handle.ownerUrl!)).toEqual({ who: 'app_owner', db: EMBEDDED_DATABASE_NAME });
    expect(handle.url).toContain(`127.0.0.1:${port}`);
    expect(logs.length).toBeGreaterThan(0);
    const credentials = path.join(dataDir, 'postgres', 'credentials.json');
    expect(Object.keys(JSON.parse(await readFile(credentials, 'utf8')))).toEqual([
      'superuser',
      'owner',
      'authenticator',
    ]);
    await handle.stop();
    handle = undefined;
  });

  it('reopens the persistent cluster with the same credentials', async () => {
    handle = await openDatabase(config());
    expect(await whoAmI(handle.url)).toEqual({ who: 'authenticator', db: EMBEDDED_DATABASE_NAME });
    await handle.stop();
    handle = undefined;
  });

  it('stops the server again when bootstrapping fails', async () => {
    const dir = path.join(dataDir, 'postgres');
    const file = path.join(dir, 'credentials.json');
    const saved = await readFile(file, 'utf8');
    await writeFile(file, JSON.stringify({ ...JSON.parse(saved), superuser: 'not-the-password' }));
    try {
      await expect(startEmbeddedDatabase({ dir, port, persistent: true })).rejects.toThrow(
        /password authentication failed/,
      );
      // Stopped: the port is free again, so a correct start succeeds.
    } finally {
      await writeFile(file, saved);
    }
    handle = await openDatabase(config());
    expect((await whoAmI(handle.url)).who).toBe('authenticator');
  });
});
