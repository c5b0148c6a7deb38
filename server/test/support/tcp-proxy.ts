// A TCP proxy in front of the test database that a test can cut and restore: "the database is down"
// without stopping the PostgreSQL every other test file is using.
import { once } from 'node:events';
import net from 'node:net';

export interface TcpProxy {
  /** `targetUrl` with its host and port pointing at the proxy. */
  url: string;
  /** Drops every open connection and refuses new ones until restore(). */
  cut(): void;
  restore(): void;
  /** The local port of each connection it opened to the target, oldest first (pg_stat_activity.client_port). */
  upstreamPorts(): number[];
  close(): Promise<void>;
}

/** The open sockets of a relay, and how a client and its upstream are joined: both ways, closing together. */
export function socketRelay() {
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  return {
    sockets,
    track,
    join(client: net.Socket, upstream: net.Socket) {
      track(client);
      track(upstream);
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    },
  };
}

export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const relay = socketRelay();
  const { sockets } = relay;
  const ports: number[] = [];
  let down = false;
  const server = net.createServer((client) => {
    if (down) {
      relay.track(client);
      client.destroy();
      return;
    }
    const upstream = net.connect(Number(target.port), target.hostname, () => ports.push(upstream.localPort!));
    relay.join(client, upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    cut() {
      down = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      down = false;
    },
    upstreamPorts: () => [...ports],
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
