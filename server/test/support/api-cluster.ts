// Several API instances as real processes behind one round-robin TCP balancer: how a team runs the API
// when one process is not enough (docs/deployment.md). Used by test/scale-out.test.ts and the soak script.
//
// - Each instance is `node --import tsx src/main.ts` (as test/main.test.ts starts it) on a port of its own,
//   with the given environment. For the scale-out setup pass DATABASE_URL through PgBouncer
//   (support/pgbouncer.ts) and DATABASE_POOL_MODE=transaction.
// - All share one DATA_DIR, so in local identity mode they share the signing key (a token minted by one
//   verifies on all), the webhook signing secret and the identities file. Instances start one after
//   another: the first creates those files, the others read them. What stays per process in local mode:
//   sessions (a session is known only where it started; elsewhere its token is let through as "unknown",
//   as after a restart) and identities created after an instance started (in its memory only until it
//   restarts). The local routes' boot secret is read from the shared file (dev/local-identity/boot-secret.ts).
// - The balancer works at the TCP level, so it adds no forwarding headers (local mode refuses proxied
//   requests). Each new connection goes to the next instance: a client that keeps its connection alive
//   stays on one instance, so a test that must reach a given instance uses `instances[i].url`.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';
import { logEvents } from './log-events.js';
import { socketRelay } from './tcp-proxy.js';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ApiInstance {
  index: number;
  port: number;
  /** http://127.0.0.1:<port>, this instance alone. */
  url: string;
  /** Its stdout (JSON log lines) and stderr so far. */
  output(): { stdout: string; stderr: string };
  /** The `event` field of every JSON log line so far. */
  events(): string[];
  child: ChildProcess;
}

export interface Balancer {
  url: string;
  /** Connections handed to each target so far, by target index. */
  connections: number[];
  close(): Promise<void>;
}

export interface ApiCluster {
  /** The balancer's URL: each new connection goes to the next instance. */
  url: string;
  instances: ApiInstance[];
  balancer: Balancer;
  /** SIGTERM to every instance (SIGKILL after `killAfterMs`), then the balancer closes. */
  stop(): Promise<void>;
}

export interface ApiClusterOptions {
  /** How many instances; default 2. */
  count?: number;
  /** Shared by every instance (created by the caller, removed by the caller). */
  dataDir: string;
  /** The instances' environment on top of NODE_ENV=test, LOG_LEVEL=info, HOST, PORT and DATA_DIR. */
  env: Record<string, string>;
  /** Node options before the entry point (e.g. another --import). */
  nodeOptions?: string[];
  /** How long an instance may take to start; default 60 s (tsx compiles the server at start). */
  startTimeoutMs?: number;
  /** How long stop() waits for an instance to exit before killing it; default 15 s. */
  killAfterMs?: number;
}

function spawnInstance(index: number, port: number, options: ApiClusterOptions): ApiInstance {
  const child = spawn(process.execPath, ['--import', 'tsx', ...(options.nodeOptions ?? []), 'src/main.ts'], {
    cwd: serverDir,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      ...options.env,
      PORT: String(port),
      DATA_DIR: options.dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const events = () => logEvents(stdout).map((event) => event ?? '');
  return { index, port, url: `http://127.0.0.1:${port}`, output: () => ({ stdout, stderr }), events, child };
}

async function waitUntilReady(instance: ApiInstance, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const failed = (why: string) => {
    const { stdout, stderr } = instance.output();
    return new Error(`API instance ${instance.index} ${why}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`);
  };
  // Asked over HTTP rather than read from the log: the caller may have turned info lines off.
  for (;;) {
    if (instance.child.exitCode !== null) throw failed(`exited with ${instance.child.exitCode}`);
    const status = await fetch(`${instance.url}/readyz`).then(
      (response) => response.status,
      () => 0, // not listening yet
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw failed(`did not become ready in time (last /readyz: ${status || 'refused'})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopInstance(instance: ApiInstance, killAfterMs: number): Promise<void> {
  const { child } = instance;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const kill = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  await exited;
  clearTimeout(kill);
}

/** A TCP balancer on a free loopback port: new connections go to `ports` in turn. */
export async function startBalancer(ports: number[]): Promise<Balancer> {
  const relay = socketRelay();
  const { sockets } = relay;
  const connections = ports.map(() => 0);
  let next = 0;
  const server = net.createServer((client) => {
    const target = next;
    next = (next + 1) % ports.length;
    connections[target]! += 1;
    relay.join(client, net.connect(ports[target]!, '127.0.0.1'));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Starts `count` instances one after another (each ready, /readyz 200, before the next starts) and the balancer in
 * front of them. On a failed start everything started so far is stopped again.
 */
export async function startApiCluster(options: ApiClusterOptions): Promise<ApiCluster> {
  const count = options.count ?? 2;
  const killAfterMs = options.killAfterMs ?? 15_000;
  const instances: ApiInstance[] = [];
  let balancer: Balancer | undefined;
  const stop = async () => {
    await Promise.all(instances.map((instance) => stopInstance(instance, killAfterMs)));
    await balancer?.close();
  };
  try {
    for (let index = 0; index < count; index++) {
      const instance = spawnInstance(index, await freePort(), options);
      instances.push(instance);
      await waitUntilReady(instance, options.startTimeoutMs ?? 60_000);
    }
    balancer = await startBalancer(instances.map((instance) => instance.port));
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: balancer.url, instances, balancer, stop };
}
