// Which PostgreSQL to use: the configured one, or (development only) the embedded one under the
// data directory, started on demand. Only then is the embedded database loaded at all: production
// (DATABASE_URL required) never imports it, nor its development-only package.
import path from 'node:path';
import type { Config } from '#src/config.js';

export interface DatabaseHandle {
  /** Runtime URL, authenticator role. */
  url: string;
  /** Migration URL, owner role; undefined when not configured. */
  ownerUrl: string | undefined;
  embedded: boolean;
  stop(): Promise<void>;
}

export async function openDatabase(config: Config, onLog?: (message: string) => void): Promise<DatabaseHandle> {
  if (config.database.url) {
    return { url: config.database.url, ownerUrl: config.database.ownerUrl, embedded: false, stop: async () => {} };
  }
  const { startEmbeddedDatabase } = await import('./embedded.js');
  const embedded = await startEmbeddedDatabase({
    dir: path.join(config.dataDir, 'postgres'),
    port: config.database.embeddedPort,
    persistent: true,
    ...(onLog ? { onLog } : {}),
  });
  return { url: embedded.url, ownerUrl: embedded.ownerUrl, embedded: true, stop: embedded.stop };
}
