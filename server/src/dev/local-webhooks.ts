// The local identity provider's webhooks: every change it makes is posted to the server's own
// /api/webhooks/clerk, signed with svix exactly as Clerk's deliveries are, and retried with backoff
// when the server does not take it, so local mode runs the production verification and sync code.
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { Webhook } from 'svix';
import { createFileExclusively, LocalStateError, readOptionalFile, restrictFileMode } from './state-files.js';
import { sessionEvent, userCreatedOrUpdatedEvent, userDeletedEvent } from './clerk-payloads.js';
import type { LocalIdentity } from './local-identity/identities.js';
import type { LocalAuthEvent } from './local-identity/index.js';

const SECRET_FILE = 'webhook-secret';
const SECRET = /^whsec_[A-Za-z0-9+/]+={0,2}$/;

/** A Svix-format signing secret: whsec_ and 24 random bytes in base64, like Clerk's. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** The secret under `stateDir` (created on first use, private to the owner), or a fresh one in memory. */
export async function loadOrCreateWebhookSecret(stateDir: string | null): Promise<string> {
  if (stateDir === null) return generateWebhookSecret();
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const file = path.join(stateDir, SECRET_FILE);
  // Created once; when another process (the web app starting alongside) wins the race, its secret is used.
  if ((await readOptionalFile(file)) === undefined) await createFileExclusively(file, `${generateWebhookSecret()}\n`);
  await restrictFileMode(file);
  const secret = ((await readOptionalFile(file)) ?? '').trim();
  if (!SECRET.test(secret))
    throw new LocalStateError(`${file} does not hold a whsec_ secret; delete it to generate a new one`);
  return secret;
}

export interface LocalWebhookSenderOptions {
  secret: string;
  /** Where to post; undefined while the server is not listening yet (the attempt counts as failed). */
  endpoint: () => string | undefined;
  log: Logger;
  /** Attempts per delivery before it is given up (default 6: about 8 s of retrying). */
  maxAttempts?: number;
  /** Delay before the second attempt; each later one doubles it (default 250 ms). */
  baseDelayMs?: number;
  /** Looks up the identity a session belongs to, for the session events' `user` field. */
  identityOf?: (clerkId: string) => LocalIdentity | undefined;
}

export interface LocalWebhookSender {
  /** Queues the Clerk webhook for a change; deliveries go out one at a time, in order. */
  send(event: LocalAuthEvent): void;
  /** Resolves once every queued delivery has been delivered or given up. */
  idle(): Promise<void>;
  /** Stops sending: queued deliveries are dropped (and logged). */
  close(): void;
}

const REQUEST_TIMEOUT_MS = 10_000;

function clerkPayload(event: LocalAuthEvent, identityOf: (clerkId: string) => LocalIdentity | undefined) {
  const now = Date.now();
  switch (event.type) {
    case 'user.created':
    case 'user.updated':
      return userCreatedOrUpdatedEvent(event.type, event.identity, now);
    case 'user.deleted':
      return userDeletedEvent(event.identity, now);
    case 'session.created':
    case 'session.ended':
      return sessionEvent(event.type, event.session, identityOf(event.session.userId), now);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

export function createLocalWebhookSender(options: LocalWebhookSenderOptions): LocalWebhookSender {
  const webhook = new Webhook(options.secret);
  const maxAttempts = options.maxAttempts ?? 6;
  const baseDelayMs = options.baseDelayMs ?? 250;
  const identityOf = options.identityOf ?? (() => undefined);
  let queue: Promise<void> = Promise.resolve();
  let closed = false;

  /** One POST; true when the server took it (2xx). Re-signed per attempt, as Svix does. */
  async function attempt(url: string, svixId: string, body: string): Promise<{ ok: boolean; status: number }> {
    const signedAt = new Date();
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'svix-id': svixId,
        'svix-timestamp': String(Math.floor(signedAt.getTime() / 1000)),
        'svix-signature': webhook.sign(svixId, signedAt, body),
      },
      body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    await response.arrayBuffer();
    return { ok: response.ok, status: response.status };
  }

  async function deliver(type: string, svixId: string, body: string): Promise<void> {
    const log = options.log.child({ event: 'local_webhook.delivery', svixId, type });
    // Why the last attempt failed, for the final line (a 4xx gives up without a warning of its own).
    let status: number | string | undefined;
    for (let n = 1; n <= maxAttempts && !closed; n++) {
      status = 'not listening';
      try {
        // Inside the try: a throwing endpoint() is one failed attempt, not a rejected queue that would
        // silently drop every later delivery.
        const url = options.endpoint();
        if (url) {
          const result = await attempt(url, svixId, body);
          if (result.ok) return;
          status = result.status;
          // Our own payload refused as malformed: retrying cannot help.
          if (result.status >= 400 && result.status < 500 && result.status !== 429) break;
        }
      } catch (error) {
        status = (error as Error).message;
      }
      if (n < maxAttempts) {
        log.warn({ attempt: n, status }, 'local webhook not accepted; retrying');
        await delay(baseDelayMs * 2 ** (n - 1));
      }
    }
    log.error({ status }, closed ? 'local webhook dropped at shutdown' : 'local webhook given up');
  }

  return {
    send(event) {
      if (closed) return;
      const payload = clerkPayload(event, identityOf);
      const svixId = `msg_local_${randomBytes(12).toString('hex')}`;
      const body = JSON.stringify(payload);
      queue = queue.then(() => deliver(payload.type, svixId, body));
    },
    idle: () => queue,
    close() {
      closed = true;
    },
  };
}
