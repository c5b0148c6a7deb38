// Counts what reaches PostgreSQL: a proxy between the server and the database that reads the
// wire protocol. Tests that promise "a fixed number of statements, none per row" measure with it.
import { once } from 'node:events';
import net from 'node:net';

/**
 * A proxy in front of the database that reads the PostgreSQL protocol the server sends and records
 * every statement it executes (extended protocol Execute, or a simple Query): what reaches the
 * database, whatever the client library batches or pipelines.
 */
export async function startStatementCounter(targetUrl: string) {
  const target = new URL(targetUrl);
  const executed: string[] = [];
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    const statements = new Map<string, string>();
    const portals = new Map<string, string>();
    let buffer = Buffer.alloc(0);
    let started = false;
    const cstring = (data: Buffer, at: number) => {
      const end = data.indexOf(0, at);
      return [data.toString('utf8', at, end), end + 1] as const;
    };
    client.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          if (buffer.length < 8) break;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) break;
          started = buffer.readInt32BE(4) === 196608; // StartupMessage, protocol 3.0 (not an SSLRequest)
          buffer = buffer.subarray(length);
          continue;
        }
        if (buffer.length < 5) break;
        const length = buffer.readInt32BE(1);
        if (buffer.length < length + 1) break;
        const type = String.fromCharCode(buffer[0]!);
        const body = buffer.subarray(5, length + 1);
        if (type === 'P') {
          const [name, next] = cstring(body, 0);
          statements.set(name, cstring(body, next)[0]);
        } else if (type === 'B') {
          const [portal, next] = cstring(body, 0);
          portals.set(portal, statements.get(cstring(body, next)[0]) ?? '?');
        } else if (type === 'E') {
          executed.push(portals.get(cstring(body, 0)[0]) ?? '?');
        } else if (type === 'Q') {
          executed.push(cstring(body, 0)[0]);
        }
        buffer = buffer.subarray(length + 1);
      }
      upstream.write(chunk);
    });
    upstream.pipe(client);
    for (const socket of [client, upstream]) {
      socket.on('error', () => socket.destroy());
      socket.on('close', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String((proxy.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    executed,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}

/**
 * BEGIN, COMMIT, ROLLBACK, the RLS context statement and the rate limiter's counter: the plumbing around
 * the data statements.
 */
export const isPlumbing = (sql: string) =>
  /^(BEGIN|COMMIT|ROLLBACK)$/i.test(sql.trim()) || sql.includes("set_config('role'") || sql.includes('rate_limits');

/** The table a data statement reads first. */
export const tableOf = (sql: string) => /FROM "?(?:public"?\.)?"?(\w+)"?/.exec(sql)?.[1];
