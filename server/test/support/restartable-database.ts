// A PostgreSQL cluster of one test file's own, which the test may stop and start again on the same port
// and data directory: "the database restarts" without touching the cluster every other test file uses.
// Same roles and migrations as production (startEmbeddedDatabase, migrateUp).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedDatabase, type EmbeddedDatabase, type EmbeddedOptions } from '#src/db/embedded.js';
import type { DatabaseUrls } from '#src/db/bootstrap.js';
import { migrateUp } from '#src/db/migrations.js';
import { freePort } from './free-port.js';

export interface RestartableDatabase extends DatabaseUrls {
  /** A fast shutdown: open connections are terminated, new ones refused until start(). */
  stop(): Promise<void>;
  /**
   * The same cluster again, on the same port and data directory. Retried for a while if another process took
   * the port while the cluster was down; fails saying so if it keeps it.
   */
  start(): Promise<void>;
  /** Stops it (when running) and deletes its files. */
  destroy(): Promise<void>;
}

/** How often, and how far apart, start() tries again while the port is taken. */
const PORT_RETRIES = 10;
const PORT_RETRY_DELAY_MS = 500;

/**
 * Starts the cluster on its port. The port must stay the same (the server under test reconnects to the same
 * URL), but it was free only while stop()ped: a process of a parallel test file may have been given it in the
 * meantime (a client's ephemeral port, say, usually gone again soon). PostgreSQL then exits at once saying
 * "Address already in use": wait and try again, and name the cause if it stays taken.
 */
async function startOnItsPort(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  for (let attempt = 1; ; attempt++) {
    let log = '';
    try {
      return await startEmbeddedDatabase({ ...options, onLog: (message) => (log += message) });
    } catch (error) {
      if (!log.includes('Address already in use')) throw error ?? new Error(`PostgreSQL did not start: ${log}`);
      if (attempt === PORT_RETRIES) {
        throw new Error(
          `the restartable database could not start again: port ${options.port} was taken by another process ` +
            `while it was stopped (tried ${PORT_RETRIES} times, ${PORT_RETRY_DELAY_MS} ms apart)`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, PORT_RETRY_DELAY_MS));
    }
  }
}

export async function startRestartableDatabase(): Promise<RestartableDatabase> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dealbrain-restartable-'));
  // persistent: the files must outlive stop(); destroy() removes them.
  const options = { dir, port: await freePort(), persistent: true };
  let running: EmbeddedDatabase | undefined;
  try {
    running = await startEmbeddedDatabase(options);
    await migrateUp(running.ownerUrl);
  } catch (error) {
    await running?.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  // The credentials live in the directory, so the URLs stay the same across restarts.
  const { url, ownerUrl, superuserUrl } = running;
  const stop = async () => {
    const current = running;
    running = undefined;
    await current?.stop();
  };
  return {
    url,
    ownerUrl,
    superuserUrl,
    stop,
    async start() {
      if (running) return;
      running = await startOnItsPort(options);
    },
    async destroy() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
