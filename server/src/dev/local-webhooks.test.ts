// The local identity provider's webhook sender and its secret: deliveries to a real node:http endpoint,
// verified there with svix as the server verifies Clerk's, and the retry, ordering and shutdown rules.
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import path from 'node:path';
import { pino } from 'pino';
import { Webhook } from 'svix';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseClerkEvent, primaryEmailOf } from '../webhooks/clerk-events.js';
import type { LocalIdentity } from './local-identity/identities.js';
import type { LocalAuthEvent } from './local-identity/index.js';
import type { LocalSessionRecord } from './local-identity/sessions.js';
import {
  createLocalWebhookSender,
  generateWebhookSecret,
  loadOrCreateWebhookSecret,
  type LocalWebhookSenderOptions,
} from './local-webhooks.js';
import { tempDirs } from '../../test/support/temp-dirs.js';

/** Made at run time: no secret-shaped string is committed, not even a test's. */
const HAND_WRITTEN_SECRET = generateWebhookSecret();
const SECRET_FORMAT = /^whsec_[A-Za-z0-9+/]{32}$/;

// ---------------------------------------------------------------------------------------------------------
// Secrets

const stateDirs = tempDirs('local-webhooks-');
const makeStateDir = () => stateDirs.make();
afterAll(() => stateDirs.removeAll());

describe('generateWebhookSecret', () => {
  it('makes a Svix-format secret from 24 random bytes, a new one each time', () => {
    const secrets = new Set(Array.from({ length: 20 }, () => generateWebhookSecret()));
    expect(secrets.size).toBe(20);
    for (const secret of secrets) {
      expect(secret).toMatch(SECRET_FORMAT);
      expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(24);
    }
  });

  it('is usable by svix for signing and verifying', () => {
    const secret = generateWebhookSecret();
    const date = new Date();
    const headers = {
      'svix-id': 'msg_1',
      'svix-timestamp': String(Math.floor(date.getTime() / 1000)),
      'svix-signature': new Webhook(secret).sign('msg_1', date, '{"a":1}'),
    };
    expect(() => new Webhook(secret).verify('{"a":1}', headers)).not.toThrow();
    expect(() => new Webhook(secret).verify('{"a":2}', headers)).toThrow(/signature/);
    expect(() => new Webhook(generateWebhookSecret()).verify('{"a":1}', headers)).toThrow(/signature/);
  });
});

describe('loadOrCreateWebhookSecret', () => {
  it('without a state directory: a fresh secret in memory each time', async () => {
    const [first, second] = await Promise.all([loadOrCreateWebhookSecret(null), loadOrCreateWebhookSecret(null)]);
    expect(first).toMatch(SECRET_FORMAT);
    expect(second).toMatch(SECRET_FORMAT);
    expect(first).not.toBe(second);
  });

  it('creates webhook-secret (mode 0600) on first use and reuses it', async () => {
    const stateDir = await makeStateDir();
    const secret = await loadOrCreateWebhookSecret(stateDir);
    expect(secret).toMatch(SECRET_FORMAT);
    const file = path.join(stateDir, 'webhook-secret');
    expect(await readFile(file, 'utf8')).toBe(`${secret}\n`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateWebhookSecret(stateDir)).toBe(secret);
    expect(await loadOrCreateWebhookSecret(stateDir)).toBe(secret);
  });

  it('gives callers racing on a fresh directory the same secret', async () => {
    const stateDir = await makeStateDir();
    const secrets = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateWebhookSecret(stateDir)));
    expect(new Set(secrets).size).toBe(1);
    expect(await readFile(path.join(stateDir, 'webhook-secret'), 'utf8')).toBe(`${secrets[0]}\n`);
  });

  it('uses a secret written by hand, trimmed, and makes its file private', async () => {
    const stateDir = await makeStateDir();
    const file = path.join(stateDir, 'webhook-secret');
    const secret = HAND_WRITTEN_SECRET;
    await writeFile(file, `  ${secret}\r\n\n`);
    await chmod(file, 0o644);
    expect(await loadOrCreateWebhookSecret(stateDir)).toBe(secret);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it.each([
    ['empty', ''],
    ['without the prefix', HAND_WRITTEN_SECRET.slice('whsec_'.length)],
    ['a bare prefix', 'whsec_'],
    ['not base64', 'whsec_not base64!'],
    ['two lines', `${HAND_WRITTEN_SECRET}\n${HAND_WRITTEN_SECRET}`],
    ['JSON', JSON.stringify({ secret: HAND_WRITTEN_SECRET })],
  ])('refuses a file that is %s, naming the file but not its content', async (_label, content) => {
    const stateDir = await makeStateDir();
    const file = path.join(stateDir, 'webhook-secret');
    await writeFile(file, content);
    const error = await loadOrCreateWebhookSecret(stateDir).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toBe(`${file} does not hold a whsec_ secret; delete it to generate a new one`);
    // The file is left for the developer to look at, not replaced.
    expect(await readFile(file, 'utf8')).toBe(content);
  });
});

// ---------------------------------------------------------------------------------------------------------
// A receiving endpoint

interface Delivery {
  svixId: string;
  headers: IncomingHttpHeaders;
  body: string;
  method: string;
  path: string;
}

/** What the endpoint answers for the nth request (0-based): a status, possibly later. */
type Responder = (delivery: Delivery, index: number) => number | Promise<number>;

interface Receiver {
  url: string;
  deliveries: Delivery[];
  /** The most requests the endpoint was ever handling at once. */
  maxInFlight: number;
  respond: Responder;
  close(): Promise<void>;
}

async function startReceiver(respond: Responder = () => 200): Promise<Receiver> {
  let inFlight = 0;
  const receiver: Receiver = {
    url: '',
    deliveries: [],
    maxInFlight: 0,
    respond,
    close: () => Promise.resolve(),
  };
  const server: Server = createServer((req, res) => {
    inFlight++;
    receiver.maxInFlight = Math.max(receiver.maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const delivery: Delivery = {
        svixId: String(req.headers['svix-id']),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        method: req.method ?? '',
        path: req.url ?? '',
      };
      const index = receiver.deliveries.push(delivery) - 1;
      void Promise.resolve(receiver.respond(delivery, index)).then((status) => {
        // Answer on a later turn, so overlapping deliveries (if any) would be seen in flight together.
        setImmediate(() => {
          inFlight--;
          res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ status }));
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  receiver.url = `http://127.0.0.1:${port}/api/webhooks/clerk`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

/** A URL nothing listens on: connections to it are refused. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/api/webhooks/clerk`;
}

// ---------------------------------------------------------------------------------------------------------
// Logs: every line of every sender in this file is kept, and checked for secrets and payloads.

interface LogRecord {
  level: number;
  msg: string;
  event?: string;
  svixId?: string;
  type?: string;
  attempt?: number;
  attempts?: number;
  status?: number | string;
}

const WARN = 40;
const ERROR = 50;
const secretsUsed: string[] = [];
const allLogLines: string[] = [];

function captureLog() {
  const lines: string[] = [];
  const log = pino(
    { level: 'trace' },
    {
      write(line: string) {
        lines.push(line);
        allLogLines.push(line);
      },
    },
  );
  return { log, records: () => lines.map((line) => JSON.parse(line) as LogRecord) };
}

afterAll(() => {
  expect(secretsUsed.length).toBeGreaterThan(0);
  expect(allLogLines.length).toBeGreaterThan(0);
  for (const line of allLogLines) {
    for (const secret of secretsUsed) {
      expect(line).not.toContain(secret);
      expect(line).not.toContain(secret.slice('whsec_'.length));
    }
    // Payloads carry emails and names; the log carries ids and types only.
    expect(line).not.toMatch(/@example\.com|email_addresses|first_name/);
  }
});

// ---------------------------------------------------------------------------------------------------------
// Events

const NOW = Date.UTC(2030, 0, 1);

function identity(n: number): LocalIdentity {
  return {
    clerkId: `user_local_${String(n).padStart(20, '0')}`,
    email: `person${n}@example.com`,
    firstName: `Person${n}`,
    lastName: null,
    imageUrl: null,
    createdAt: NOW,
    updatedAt: NOW + n,
  };
}

function session(n: number, user: LocalIdentity, endedAt: number | null = null): LocalSessionRecord {
  return {
    sessionId: `sess_local_${String(n).padStart(24, '0')}`,
    userId: user.clerkId,
    expiresAt: NOW + 3_600_000,
    endedAt,
    createdAt: NOW,
  };
}

function userEvent(n: number, type: 'user.created' | 'user.updated' | 'user.deleted' = 'user.created'): LocalAuthEvent {
  return { type, identity: identity(n) };
}

interface SenderHarness {
  secret: string;
  records: () => LogRecord[];
  sender: ReturnType<typeof createLocalWebhookSender>;
}

const senders: SenderHarness['sender'][] = [];
afterEach(() => {
  for (const sender of senders.splice(0)) sender.close();
  vi.restoreAllMocks();
});

function sender(options: Partial<LocalWebhookSenderOptions> & Pick<LocalWebhookSenderOptions, 'endpoint'>) {
  const secret = generateWebhookSecret();
  secretsUsed.push(secret);
  const { log, records } = captureLog();
  const created = createLocalWebhookSender({ secret, log, baseDelayMs: 5, maxAttempts: 4, ...options });
  senders.push(created);
  return { secret, records, sender: created };
}

/** Verifies a delivery as the server does; throws when the signature or timestamp is wrong. */
function verified(secret: string, delivery: Delivery): void {
  new Webhook(secret).verify(delivery.body, {
    'svix-id': String(delivery.headers['svix-id']),
    'svix-timestamp': String(delivery.headers['svix-timestamp']),
    'svix-signature': String(delivery.headers['svix-signature']),
  });
}

function warnings(records: LogRecord[]): LogRecord[] {
  return records.filter((record) => record.level === WARN);
}

function errors(records: LogRecord[]): LogRecord[] {
  return records.filter((record) => record.level === ERROR);
}

// ---------------------------------------------------------------------------------------------------------
// The sender

describe('createLocalWebhookSender', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterEach(() => {
    receiver.deliveries.length = 0;
    receiver.maxInFlight = 0;
    receiver.respond = () => 200;
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('posts each event as a svix-signed Clerk payload, in order, each with its own svix-id', async () => {
    const alice = identity(1);
    const events: LocalAuthEvent[] = [
      { type: 'user.created', identity: alice },
      { type: 'session.created', session: session(1, alice) },
      { type: 'user.updated', identity: { ...alice, lastName: 'Later', updatedAt: NOW + 100 } },
      { type: 'session.ended', session: session(1, alice, NOW + 200) },
      { type: 'user.deleted', identity: alice },
    ];
    const {
      secret,
      records,
      sender: webhooks,
    } = sender({
      endpoint: () => receiver.url,
      identityOf: (clerkId) => (clerkId === alice.clerkId ? alice : undefined),
    });
    for (const event of events) webhooks.send(event);
    await webhooks.idle();

    expect(receiver.deliveries).toHaveLength(5);
    for (const delivery of receiver.deliveries) {
      expect(delivery.method).toBe('POST');
      expect(delivery.path).toBe('/api/webhooks/clerk');
      expect(delivery.headers['content-type']).toBe('application/json');
      expect(delivery.svixId).toMatch(/^msg_local_[0-9a-f]{24}$/);
      expect(delivery.headers['svix-timestamp']).toMatch(/^\d+$/);
      expect(() => verified(secret, delivery)).not.toThrow();
    }
    expect(new Set(receiver.deliveries.map((delivery) => delivery.svixId)).size).toBe(5);

    // What production parsing makes of them.
    const parsed = receiver.deliveries.map((delivery) => parseClerkEvent(delivery.body));
    expect(parsed.map((event) => event.type)).toEqual(events.map((event) => event.type));
    const [created, sessionCreated, updated, sessionEnded, deleted] = parsed;
    if (created?.type !== 'user.created' || updated?.type !== 'user.updated') throw new Error('user events expected');
    expect(primaryEmailOf(created.data)).toBe('person1@example.com');
    expect(created.data).toMatchObject({ id: alice.clerkId, first_name: 'Person1', updated_at: NOW + 1 });
    expect(updated.data).toMatchObject({ id: alice.clerkId, last_name: 'Later', updated_at: NOW + 100 });
    expect(sessionCreated).toMatchObject({ data: { id: session(1, alice).sessionId, user_id: alice.clerkId } });
    expect(sessionEnded).toMatchObject({ data: { user_id: alice.clerkId, updated_at: NOW + 200 } });
    expect(deleted).toMatchObject({ type: 'user.deleted', data: { id: alice.clerkId } });

    // Session events carry the user identityOf found.
    expect(JSON.parse(receiver.deliveries[1]!.body)).toMatchObject({ data: { user: { id: alice.clerkId } } });
    expect(records()).toEqual([]);
  });

  it('is refused by a receiver with another secret', async () => {
    const { sender: webhooks } = sender({ endpoint: () => receiver.url });
    webhooks.send(userEvent(2));
    await webhooks.idle();
    expect(() => verified(generateWebhookSecret(), receiver.deliveries[0]!)).toThrow(/No matching signature/);
  });

  it('sends session events with user null when identityOf does not know the user, or is absent', async () => {
    const ghost = identity(3);
    const withLookup = sender({ endpoint: () => receiver.url, identityOf: () => undefined }).sender;
    withLookup.send({ type: 'session.ended', session: session(3, ghost, NOW + 1) });
    await withLookup.idle();
    const withoutLookup = sender({ endpoint: () => receiver.url }).sender;
    withoutLookup.send({ type: 'session.created', session: session(4, ghost) });
    await withoutLookup.idle();

    expect(receiver.deliveries.map((delivery) => JSON.parse(delivery.body).data.user)).toEqual([null, null]);
  });

  it('idle() resolves at once with nothing queued, and after the last delivery otherwise', async () => {
    const { sender: webhooks } = sender({ endpoint: () => receiver.url });
    await webhooks.idle();
    expect(receiver.deliveries).toHaveLength(0);
    for (let n = 10; n < 13; n++) webhooks.send(userEvent(n));
    await webhooks.idle();
    expect(receiver.deliveries).toHaveLength(3);
  });

  it('delivers one at a time, holding later events back while an earlier one is retried', async () => {
    receiver.respond = (_delivery, index) => (index < 2 ? 503 : 200);
    const { sender: webhooks, records } = sender({ endpoint: () => receiver.url, maxAttempts: 5 });
    const events = [20, 21, 22, 23, 24].map((n) => userEvent(n));
    for (const event of events) webhooks.send(event);
    await webhooks.idle();

    const ids = receiver.deliveries.map((delivery) => JSON.parse(delivery.body).data.id as string);
    const clerkIds = events.map((event) => ('identity' in event ? event.identity.clerkId : ''));
    expect(ids).toEqual([clerkIds[0], clerkIds[0], clerkIds[0], ...clerkIds.slice(1)]);
    expect(receiver.maxInFlight).toBe(1);
    expect(warnings(records()).map((record) => record.attempt)).toEqual([1, 2]);
    expect(errors(records())).toEqual([]);
  });

  it.each([500, 502, 503, 504, 429])('retries after %i with the same svix-id, re-signed', async (status) => {
    receiver.respond = (_delivery, index) => (index === 0 ? status : 200);
    const { secret, records, sender: webhooks } = sender({ endpoint: () => receiver.url });
    webhooks.send(userEvent(30));
    webhooks.send(userEvent(31));
    await webhooks.idle();

    expect(receiver.deliveries).toHaveLength(3);
    const [first, retry, next] = receiver.deliveries;
    expect(retry!.svixId).toBe(first!.svixId);
    expect(retry!.body).toBe(first!.body);
    expect(next!.svixId).not.toBe(first!.svixId);
    for (const delivery of receiver.deliveries) expect(() => verified(secret, delivery)).not.toThrow();

    const warned = warnings(records());
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({
      event: 'local_webhook.delivery',
      svixId: first!.svixId,
      type: 'user.created',
      attempt: 1,
      status,
    });
    expect(errors(records())).toEqual([]);
  });

  it.each([201, 202, 204])('takes %i as delivered', async (status) => {
    receiver.respond = () => status;
    const { records, sender: webhooks } = sender({ endpoint: () => receiver.url });
    webhooks.send(userEvent(35));
    await webhooks.idle();
    expect(receiver.deliveries).toHaveLength(1);
    expect(records()).toEqual([]);
  });

  it.each([400, 401, 403, 404, 405, 409, 410, 413, 415, 422])(
    'gives up at once on %i, logs why, and goes on with the next event',
    async (status) => {
      receiver.respond = (_delivery, index) => (index === 0 ? status : 200);
      const { records, sender: webhooks } = sender({ endpoint: () => receiver.url, maxAttempts: 5 });
      webhooks.send(userEvent(40, 'user.updated'));
      webhooks.send(userEvent(41));
      await webhooks.idle();

      expect(receiver.deliveries).toHaveLength(2);
      expect(receiver.deliveries[1]!.svixId).not.toBe(receiver.deliveries[0]!.svixId);
      expect(warnings(records())).toEqual([]);
      const failed = errors(records());
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({
        msg: 'local webhook given up',
        svixId: receiver.deliveries[0]!.svixId,
        type: 'user.updated',
        status,
      });
    },
  );

  it('gives up after maxAttempts failures, with the same svix-id throughout, and goes on', async () => {
    receiver.respond = (delivery) => (JSON.parse(delivery.body).data.id === identity(50).clerkId ? 503 : 200);
    const { records, sender: webhooks } = sender({ endpoint: () => receiver.url, maxAttempts: 3 });
    webhooks.send(userEvent(50));
    webhooks.send(userEvent(51));
    await webhooks.idle();

    const [a, b, c, next] = receiver.deliveries;
    expect(receiver.deliveries).toHaveLength(4);
    expect(new Set([a!.svixId, b!.svixId, c!.svixId]).size).toBe(1);
    expect(next!.svixId).not.toBe(a!.svixId);
    expect(JSON.parse(next!.body).data.id).toBe(identity(51).clerkId);
    const failed = errors(records());
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ msg: 'local webhook given up', svixId: a!.svixId, status: 503 });
  });

  it('waits before each retry, doubling the delay, and not after the last attempt', async () => {
    receiver.respond = () => 503;
    const spy = vi.spyOn(globalThis, 'setTimeout');
    const { sender: webhooks } = sender({ endpoint: () => receiver.url, maxAttempts: 4, baseDelayMs: 13 });
    webhooks.send(userEvent(55));
    await webhooks.idle();

    expect(receiver.deliveries).toHaveLength(4);
    // Only the sender's backoff uses these odd values; the HTTP stack's own timers are filtered out.
    const backoffs = spy.mock.calls
      .map((call) => call[1])
      .filter((ms) => ms === 13 || ms === 26 || ms === 52 || ms === 104);
    expect(backoffs).toEqual([13, 26, 52]);
  });

  it('counts a refused connection as a failed attempt and retries', async () => {
    const dead = await deadUrl();
    let calls = 0;
    const { records, sender: webhooks } = sender({ endpoint: () => (calls++ < 2 ? dead : receiver.url) });
    webhooks.send(userEvent(60));
    await webhooks.idle();

    expect(receiver.deliveries).toHaveLength(1);
    const warned = warnings(records());
    expect(warned.map((record) => record.attempt)).toEqual([1, 2]);
    for (const record of warned) expect(record.status).toEqual(expect.any(String));
    expect(errors(records())).toEqual([]);
  });

  it('gives up on an endpoint that never answers, logging the last error', async () => {
    const dead = await deadUrl();
    let calls = 0;
    const { records, sender: webhooks } = sender({
      endpoint: () => {
        calls++;
        return dead;
      },
      maxAttempts: 3,
    });
    webhooks.send(userEvent(61));
    await webhooks.idle();
    expect(calls).toBe(3);
    expect(warnings(records()).map((record) => record.attempt)).toEqual(expect.arrayContaining([1, 2]));
    const failed = errors(records());
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ msg: 'local webhook given up', status: expect.any(String) });
  });

  it('counts "not listening yet" (endpoint undefined) as a failed attempt and retries', async () => {
    let calls = 0;
    const { records, sender: webhooks } = sender({ endpoint: () => (calls++ < 2 ? undefined : receiver.url) });
    webhooks.send(userEvent(62));
    await webhooks.idle();

    expect(calls).toBe(3);
    expect(receiver.deliveries).toHaveLength(1);
    expect(warnings(records()).map((record) => [record.attempt, record.status])).toEqual([
      [1, 'not listening'],
      [2, 'not listening'],
    ]);
  });

  it('counts an endpoint() that throws as a failed attempt, and keeps the queue alive', async () => {
    let calls = 0;
    const { records, sender: webhooks } = sender({
      endpoint: () => {
        if (calls++ === 0) throw new Error('server address unavailable');
        return receiver.url;
      },
    });
    webhooks.send(userEvent(63));
    webhooks.send(userEvent(64));
    await webhooks.idle();

    expect(receiver.deliveries.map((delivery) => JSON.parse(delivery.body).data.id)).toEqual([
      identity(63).clerkId,
      identity(64).clerkId,
    ]);
    expect(warnings(records())).toHaveLength(1);
  });

  it('close() drops queued deliveries (logging each) and lets the one in flight finish', async () => {
    let release: (status: number) => void = () => undefined;
    let arrived: () => void = () => undefined;
    const firstArrived = new Promise<void>((resolve) => (arrived = resolve));
    receiver.respond = (_delivery, index) => {
      if (index > 0) return 200;
      arrived();
      return new Promise<number>((resolve) => (release = resolve));
    };
    const { records, sender: webhooks } = sender({ endpoint: () => receiver.url });
    for (const n of [70, 71, 72]) webhooks.send(userEvent(n));
    await firstArrived;
    webhooks.close();
    webhooks.send(userEvent(73));
    release(200);
    await webhooks.idle();

    expect(receiver.deliveries).toHaveLength(1);
    expect(JSON.parse(receiver.deliveries[0]!.body).data.id).toBe(identity(70).clerkId);
    const dropped = errors(records());
    expect(dropped.map((record) => record.msg)).toEqual([
      'local webhook dropped at shutdown',
      'local webhook dropped at shutdown',
    ]);
    expect(dropped.map((record) => record.svixId)).not.toContain(receiver.deliveries[0]!.svixId);
  });

  it('close() stops the retries of the delivery in flight', async () => {
    let arrived: () => void = () => undefined;
    const firstArrived = new Promise<void>((resolve) => (arrived = resolve));
    let release: (status: number) => void = () => undefined;
    receiver.respond = (_delivery, index) => {
      if (index > 0) return 200;
      arrived();
      return new Promise<number>((resolve) => (release = resolve));
    };
    const { records, sender: webhooks } = sender({ endpoint: () => receiver.url, maxAttempts: 5 });
    webhooks.send(userEvent(80));
    await firstArrived;
    webhooks.close();
    release(503);
    await webhooks.idle();

    expect(receiver.deliveries).toHaveLength(1);
    const dropped = errors(records());
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatchObject({ msg: 'local webhook dropped at shutdown', status: 503 });
  });

  it('sends nothing after close()', async () => {
    const { records, sender: webhooks } = sender({ endpoint: () => receiver.url });
    webhooks.close();
    webhooks.send(userEvent(90));
    await webhooks.idle();
    expect(receiver.deliveries).toEqual([]);
    expect(records()).toEqual([]);
  });
});
