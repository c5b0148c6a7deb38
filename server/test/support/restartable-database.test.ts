// The restartable database's start() while another process holds its port (a parallel test file may be
// given it while the cluster is stopped): it waits for the port, or fails saying why.
import { once } from 'node:events';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRestartableDatabase, type RestartableDatabase } from './restartable-database.js';
import { connectAs } from './sql.js';

let database: RestartableDatabase;

beforeAll(async () => {
  database = await startRestartableDatabase();
});

afterAll(async () => {
  await database?.destroy();
});

/** Listens on the database's port, as another process would. */
async function holdPort(): Promise<net.Server> {
  const holder = net.createServer();
  holder.listen(Number(new URL(database.superuserUrl).port), '127.0.0.1');
  await once(holder, 'listening');
  return holder;
}

async function answers(): Promise<boolean> {
  const client = await connectAs(database.superuserUrl);
  try {
    return (await client.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one === 1;
  } finally {
    await client.end();
  }
}

describe('restartable database', () => {
  it('starts again on its port once another process lets go of it', async () => {
    await database.stop();
    const holder = await holdPort();
    const started = database.start();
    setTimeout(() => holder.close(), 1_200);
    await started;
    expect(await answers()).toBe(true);
  }, 30_000);

  it('fails saying the port was taken when it stays taken', async () => {
    await database.stop();
    const holder = await holdPort();
    try {
      await expect(database.start()).rejects.toThrow(/port \d+ was taken by another process while it was stopped/);
    } finally {
      holder.close();
    }
    // Free again: it starts.
    await database.start();
    expect(await answers()).toBe(true);
  }, 30_000);
});
