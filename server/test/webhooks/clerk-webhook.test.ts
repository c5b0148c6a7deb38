// POST /api/webhooks/clerk end to end: real svix signatures, the real server in Clerk mode, the
// real PostgreSQL with the production roles. What the sync wrote is read back as the superuser.
import { once } from 'node:events';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mint, sessionClaims } from '../auth/support/tokens.js';
import { post, startClerkModeServer, type ClerkModeServer } from '../auth/support/clerk-mode-server.js';
import {
  clerkFixture,
  deliver,
  newClerkUserId,
  postWebhook,
  signDelivery,
  SyncInspector,
  WEBHOOK_SECRET,
  WRONG_SECRET,
} from '../support/webhooks.js';

let server: ClerkModeServer;
let db: SyncInspector;

beforeAll(async () => {
  server = await startClerkModeServer({ env: { CLERK_WEBHOOK_SIGNING_SECRET: WEBHOOK_SECRET } });
  db = await SyncInspector.connect();
});

afterAll(async () => {
  await server?.close();
  await db?.close();
});

const VIEWER = '{ viewer { id email firstName lastName avatarUrl } }';

function tokenFor(clerkId: string, claims: Record<string, unknown> = {}): string {
  return `Bearer ${mint(server.key, sessionClaims(clerkId, claims))}`;
}

async function createdUser(overrides: { updatedAt?: number } = {}) {
  const clerkId = newClerkUserId();
  const response = await deliver(server, clerkFixture('user.created', { userId: clerkId, ...overrides }));
  expect(response).toEqual({ status: 200, body: { received: true, outcome: 'applied' } });
  return clerkId;
}

describe('each event type', () => {
  it('user.created creates the user from Clerk data: primary email, names, image, updated_at', async () => {
    const clerkId = newClerkUserId();
    const delivery = signDelivery(clerkFixture('user.created', { userId: clerkId }));
    expect(await postWebhook(server, delivery)).toEqual({ status: 200, body: { received: true, outcome: 'applied' } });

    const user = await db.user(clerkId);
    expect(user).toMatchObject({
      email: 'example@example.org', // the primary address, not the first one listed
      first_name: 'Example',
      last_name: 'Example',
      avatar_url: 'https://img.clerk.com/eyJ0eXBlIjoiZGVmYXVsdCJ9',
      active: true,
      deleted_at: null,
    });
    expect(user.clerk_updated_at?.getTime()).toBe(1654012591835);
    expect(await db.delivery(delivery.svixId)).toMatchObject({
      type: 'user.created',
      status: 'PROCESSED',
      attempts: 1,
      error: null,
    });
    const audit = await db.audit(clerkId);
    expect(audit).toEqual([
      expect.objectContaining({
        type: 'user.created',
        subject_user_id: user.id,
        metadata: expect.objectContaining({ source: 'clerk-webhook', svixId: delivery.svixId }),
      }),
    ]);
  });

  it('a user without names, image or email address is stored with nulls', async () => {
    const clerkId = newClerkUserId();
    const event = clerkFixture('user.created', { userId: clerkId });
    Object.assign(event.data as Record<string, unknown>, {
      first_name: null,
      image_url: '',
      email_addresses: [],
      primary_email_address_id: null,
    });
    delete (event.data as Record<string, unknown>).last_name;
    expect((await deliver(server, event)).body.outcome).toBe('applied');
    expect(await db.user(clerkId)).toMatchObject({ email: null, first_name: null, last_name: null, avatar_url: null });
  });

  it('user.updated applies a newer profile', async () => {
    const clerkId = await createdUser();
    const response = await deliver(server, clerkFixture('user.updated', { userId: clerkId }));
    expect(response.body.outcome).toBe('applied');
    const user = await db.user(clerkId);
    expect(user).toMatchObject({
      email: 'renamed@example.org',
      first_name: 'Renamed',
      last_name: 'Person',
      avatar_url: 'https://img.clerk.com/eyJ0eXBlIjoicHJveHkifQ',
    });
    expect(user.clerk_updated_at?.getTime()).toBe(1654012700000);
    expect((await db.audit(clerkId)).map((event) => event.type)).toEqual(['user.created', 'user.updated']);
  });

  it('user.deleted soft-deletes: inactive, deleted_at set, personal data cleared; the token then gets 403', async () => {
    const clerkId = await createdUser();
    const token = tokenFor(clerkId);
    expect((await post(server, token, VIEWER)).status).toBe(200);

    const response = await deliver(server, clerkFixture('user.deleted', { userId: clerkId }));
    expect(response.body.outcome).toBe('applied');
    const user = await db.user(clerkId);
    expect(user.active).toBe(false);
    expect(user.deleted_at).toBeInstanceOf(Date);
    expect(user).toMatchObject({ email: null, first_name: null, last_name: null, avatar_url: null });

    const refused = await post(server, token, VIEWER);
    expect(refused.status).toBe(403);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('ACCOUNT_DISABLED');
    expect((await db.audit(clerkId)).map((event) => event.type)).toEqual(['user.created', 'user.deleted']);
  });

  it('session.created audits auth.sign_in and records the sign-in time', async () => {
    const clerkId = await createdUser();
    const response = await deliver(server, clerkFixture('session.created', { userId: clerkId }));
    expect(response.body.outcome).toBe('applied');
    const user = await db.user(clerkId);
    expect(user.last_sign_in_at?.getTime()).toBe(1654012600000);
    const signIn = (await db.audit(clerkId)).find((event) => event.type === 'auth.sign_in');
    expect(signIn).toMatchObject({
      actor_id: user.id,
      subject_user_id: user.id,
      metadata: expect.objectContaining({ sessionId: 'sess_29w83xS9uJpTMuQr3jHhWZ4cZC1' }),
    });
  });

  it('never moves the sign-in time back when an older session.created arrives late', async () => {
    const clerkId = await createdUser();
    const newer = clerkFixture('session.created', { userId: clerkId });
    (newer.data as { created_at: number }).created_at = 1654099999000;
    await deliver(server, newer);
    await deliver(server, clerkFixture('session.created', { userId: clerkId }));
    expect((await db.user(clerkId)).last_sign_in_at?.getTime()).toBe(1654099999000);
  });

  it.each(['session.ended', 'session.removed', 'session.revoked'] as const)(
    '%s audits auth.sign_out with the reason',
    async (type) => {
      const clerkId = await createdUser();
      const response = await deliver(server, clerkFixture(type, { userId: clerkId }));
      expect(response.body.outcome).toBe('applied');
      const user = await db.user(clerkId);
      const signOut = (await db.audit(clerkId)).find((event) => event.type === 'auth.sign_out');
      expect(signOut).toMatchObject({ actor_id: user.id, metadata: expect.objectContaining({ reason: type }) });
    },
  );

  it('a session of a user not seen yet creates the bare row; user.created then fills it in', async () => {
    const clerkId = newClerkUserId();
    const response = await deliver(server, clerkFixture('session.created', { userId: clerkId }));
    expect(response.body.outcome).toBe('applied');
    const bare = await db.user(clerkId);
    expect(bare).toMatchObject({ email: null, clerk_updated_at: null });
    expect(bare.last_sign_in_at?.getTime()).toBe(1654012600000);
    expect((await deliver(server, clerkFixture('user.created', { userId: clerkId }))).body.outcome).toBe('applied');
    const user = await db.user(clerkId);
    expect(user).toMatchObject({ id: bare.id, email: 'example@example.org', first_name: 'Example' });
    expect(user.last_sign_in_at?.getTime()).toBe(1654012600000);
    expect((await db.audit(clerkId)).map((event) => [event.type, event.actor_id])).toEqual([
      ['auth.sign_in', bare.id],
      ['user.created', null],
    ]);
  });

  it('a late sign-in of a deleted user is audited but leaves the tombstone alone', async () => {
    const clerkId = await createdUser();
    await deliver(server, clerkFixture('user.deleted', { userId: clerkId }));
    expect((await deliver(server, clerkFixture('session.created', { userId: clerkId }))).body.outcome).toBe('applied');
    const user = await db.user(clerkId);
    expect(user.last_sign_in_at).toBeNull();
    expect(user.active).toBe(false);
    expect((await db.audit(clerkId)).map((event) => event.type)).toEqual([
      'user.created',
      'user.deleted',
      'auth.sign_in',
    ]);
  });

  it('audits a session ending for a user not seen yet under its Clerk id', async () => {
    const clerkId = newClerkUserId();
    const response = await deliver(server, clerkFixture('session.ended', { userId: clerkId }));
    expect(response.body.outcome).toBe('applied');
    expect(await db.users(clerkId)).toEqual([]);
    expect(await db.audit(clerkId)).toEqual([
      expect.objectContaining({
        type: 'auth.sign_out',
        actor_id: null,
        metadata: expect.objectContaining({ clerkUserId: clerkId }),
      }),
    ]);
  });

  it('an event type we do not handle is answered 200, recorded as ignored and logged', async () => {
    const delivery = signDelivery(clerkFixture('email.created'));
    expect(await postWebhook(server, delivery)).toEqual({ status: 200, body: { received: true, outcome: 'ignored' } });
    expect(await db.delivery(delivery.svixId)).toMatchObject({ type: 'email.created', status: 'IGNORED' });
    const line = server.logLines().find((entry) => entry.svixId === delivery.svixId);
    expect(line).toMatchObject({ event: 'webhook.delivery', outcome: 'ignored', type: 'email.created' });
  });
});

describe('refused deliveries change nothing', () => {
  async function expectRefused(
    delivery: { svixId: string; body: string; headers: Record<string, string> },
    status: number,
    error: string,
    clerkId?: string,
  ) {
    const response = await postWebhook(server, delivery);
    expect(response.status).toBe(status);
    expect(response.body.error).toBe(error);
    expect(response.body.message).toEqual(expect.any(String));
    if (error === 'invalid_event') {
      // Signed, so kept for operators: recorded as a failed delivery after the answer.
      await vi.waitFor(async () =>
        expect(await db.delivery(delivery.svixId)).toMatchObject({ type: 'invalid', status: 'FAILED' }),
      );
    } else {
      expect(await db.delivery(delivery.svixId)).toBeUndefined();
    }
    if (clerkId) expect(await db.users(clerkId)).toEqual([]);
    return response;
  }

  it('a tampered body', async () => {
    const clerkId = newClerkUserId();
    const delivery = signDelivery(clerkFixture('user.created', { userId: clerkId }));
    const tampered = { ...delivery, body: delivery.body.replace('Example', 'Mallory') };
    await expectRefused(tampered, 400, 'invalid_signature', clerkId);
  });

  it('a signature made with another secret', async () => {
    const clerkId = newClerkUserId();
    const delivery = signDelivery(clerkFixture('user.created', { userId: clerkId }), { secret: WRONG_SECRET });
    await expectRefused(delivery, 400, 'invalid_signature', clerkId);
  });

  it.each(['svix-id', 'svix-timestamp', 'svix-signature'])('a missing %s header', async (header) => {
    const clerkId = newClerkUserId();
    const delivery = signDelivery(clerkFixture('user.created', { userId: clerkId }));
    const headers = Object.fromEntries(Object.entries(delivery.headers).filter(([name]) => name !== header));
    const response = await expectRefused({ ...delivery, headers }, 400, 'missing_headers', clerkId);
    expect(response.body.message).toContain(header);
  });

  it('a timestamp 6 minutes old', async () => {
    const clerkId = newClerkUserId();
    const signedAt = new Date(Date.now() - 6 * 60_000);
    const delivery = signDelivery(clerkFixture('user.created', { userId: clerkId }), { signedAt });
    await expectRefused(delivery, 400, 'timestamp_too_old', clerkId);
  });

  it('a timestamp 6 minutes ahead', async () => {
    const clerkId = newClerkUserId();
    const signedAt = new Date(Date.now() + 6 * 60_000);
    const delivery = signDelivery(clerkFixture('user.created', { userId: clerkId }), { signedAt });
    await expectRefused(delivery, 400, 'timestamp_too_new', clerkId);
  });

  it('a timestamp that is not a number', async () => {
    const delivery = signDelivery(clerkFixture('user.created'));
    await expectRefused(
      { ...delivery, headers: { ...delivery.headers, 'svix-timestamp': 'soon' } },
      400,
      'invalid_timestamp',
    );
  });

  it('malformed JSON behind a valid signature', async () => {
    await expectRefused(signDelivery('{"type": "user.created", "data": '), 400, 'invalid_event');
  });

  it('a known event type without the data it needs', async () => {
    const clerkId = newClerkUserId();
    const event = clerkFixture('user.created', { userId: clerkId });
    delete (event.data as Record<string, unknown>).updated_at;
    const response = await expectRefused(signDelivery(event), 400, 'invalid_event', clerkId);
    expect(response.body.message).toContain('updated_at');
  });

  it('a NUL character, which PostgreSQL text cannot hold', async () => {
    const clerkId = newClerkUserId();
    const response = await expectRefused(
      signDelivery(clerkFixture('user.created', { userId: clerkId, firstName: 'Nul\u0000Byte' })),
      400,
      'invalid_event',
      clerkId,
    );
    expect(response.body.message).toContain('first_name');
  });

  it('a body over 256 KiB', async () => {
    const event = clerkFixture('user.created');
    (event.data as Record<string, unknown>).padding = 'x'.repeat(300 * 1024);
    await expectRefused(signDelivery(event), 413, 'invalid_body');
  });

  it('a svix-id that is not a message id, even when signed', async () => {
    const delivery = signDelivery(clerkFixture('user.created'), { svixId: 'msg with spaces' });
    await expectRefused(delivery, 400, 'invalid_headers');
  });

  it('a client that goes away mid-body is counted as rejected, not as our failure', async () => {
    const counter = server.app.metrics.webhookDeliveries;
    const rejected = async () => (await counter.get()).values.find((v) => v.labels.outcome === 'rejected')?.value ?? 0;
    const before = await rejected();
    const delivery = signDelivery(clerkFixture('user.created'));
    const socket = net.connect(Number(new URL(server.url).port), '127.0.0.1');
    await once(socket, 'connect');
    const head = Object.entries({ ...delivery.headers, host: 'localhost', 'content-length': '5000' })
      .map(([name, value]) => `${name}: ${value}`)
      .join('\r\n');
    socket.write(`POST /api/webhooks/clerk HTTP/1.1\r\n${head}\r\n\r\n${delivery.body.slice(0, 100)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    await vi.waitFor(async () => expect(await rejected()).toBe(before + 1));
    const line = server.logLines().find((entry) => entry.svixId === delivery.svixId);
    expect(line).toMatchObject({ outcome: 'rejected', reason: 'invalid_body' });
    expect(server.logLines().some((entry) => entry.event === 'http.unhandled')).toBe(false);
  });

  it('a method other than POST', async () => {
    const response = await fetch(`${server.url}/api/webhooks/clerk`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('a server without a signing secret answers 503, so Svix keeps the delivery', async () => {
    const unconfigured = await startClerkModeServer();
    try {
      const delivery = signDelivery(clerkFixture('user.created'));
      const response = await postWebhook(unconfigured, delivery);
      expect(response).toMatchObject({ status: 503, body: { error: 'not_configured' } });
      expect(await db.delivery(delivery.svixId)).toBeUndefined();
    } finally {
      await unconfigured.close();
    }
  });
});

describe('idempotency', () => {
  it('a repeated svix-id is answered 200 and not applied again', async () => {
    const clerkId = newClerkUserId();
    const delivery = signDelivery(clerkFixture('user.created', { userId: clerkId }));
    expect((await postWebhook(server, delivery)).body.outcome).toBe('applied');
    // Svix re-signs a retry with a new timestamp; the id stays.
    const again = signDelivery(delivery.body, { svixId: delivery.svixId });
    expect(await postWebhook(server, again)).toEqual({ status: 200, body: { received: true, outcome: 'duplicate' } });
    expect(await db.audit(clerkId)).toHaveLength(1);
    expect(await db.delivery(delivery.svixId)).toMatchObject({ status: 'PROCESSED', attempts: 1 });
  });

  it('20 identical deliveries at the same moment apply exactly once', async () => {
    const clerkId = newClerkUserId();
    const delivery = signDelivery(clerkFixture('user.created', { userId: clerkId }));
    const responses = await Promise.all(Array.from({ length: 20 }, () => postWebhook(server, delivery)));
    expect(responses.every((response) => response.status === 200)).toBe(true);
    const outcomes = responses.map((response) => response.body.outcome).sort();
    expect(outcomes).toEqual(['applied', ...Array<string>(19).fill('duplicate')]);
    expect(await db.users(clerkId)).toHaveLength(1);
    expect(await db.audit(clerkId)).toHaveLength(1);
  });
});

describe('order-proof sync', () => {
  it('an update that arrives before the create wins; the late create is recorded as stale', async () => {
    const clerkId = newClerkUserId();
    expect((await deliver(server, clerkFixture('user.updated', { userId: clerkId }))).body.outcome).toBe('applied');
    const late = signDelivery(clerkFixture('user.created', { userId: clerkId }));
    expect((await postWebhook(server, late)).body.outcome).toBe('stale');
    expect(await db.user(clerkId)).toMatchObject({ first_name: 'Renamed', email: 'renamed@example.org' });
    expect(await db.delivery(late.svixId)).toMatchObject({
      status: 'SKIPPED',
      error: expect.stringContaining('stale'),
    });
  });

  it('an update with the same updated_at as the stored one is not applied twice', async () => {
    const clerkId = await createdUser();
    const same = clerkFixture('user.updated', { userId: clerkId, updatedAt: 1654012591835 });
    expect((await deliver(server, same)).body.outcome).toBe('stale');
    expect((await db.user(clerkId)).first_name).toBe('Example');
  });

  it('a deletion is a tombstone: a late update or create does not bring the user back', async () => {
    const clerkId = await createdUser();
    await deliver(server, clerkFixture('user.deleted', { userId: clerkId }));
    const update = signDelivery(clerkFixture('user.updated', { userId: clerkId, updatedAt: Date.now() }));
    expect((await postWebhook(server, update)).body.outcome).toBe('stale');
    expect((await deliver(server, clerkFixture('user.created', { userId: clerkId }))).body.outcome).toBe('stale');
    const user = await db.user(clerkId);
    expect(user).toMatchObject({ active: false, first_name: null });
    expect(user.deleted_at).toBeInstanceOf(Date);
    expect(await db.delivery(update.svixId)).toMatchObject({ status: 'SKIPPED', error: 'user is deleted' });
  });

  it('a deletion of a user never seen leaves a tombstone that a late create cannot undo', async () => {
    const clerkId = newClerkUserId();
    expect((await deliver(server, clerkFixture('user.deleted', { userId: clerkId }))).body.outcome).toBe('applied');
    expect((await deliver(server, clerkFixture('user.created', { userId: clerkId }))).body.outcome).toBe('stale');
    expect(await db.user(clerkId)).toMatchObject({ active: false, email: null });
    expect((await post(server, tokenFor(clerkId, { email: 'late@example.org' }), VIEWER)).status).toBe(403);
  });

  it('a repeated deletion is recorded as stale', async () => {
    const clerkId = await createdUser();
    await deliver(server, clerkFixture('user.deleted', { userId: clerkId }));
    expect((await deliver(server, clerkFixture('user.deleted', { userId: clerkId }))).body.outcome).toBe('stale');
  });

  it('just-in-time first, then user.created: one row, and the webhook fills what the token lacked', async () => {
    const clerkId = newClerkUserId();
    const first = await post(server, tokenFor(clerkId, { email: 'example@example.org' }), VIEWER);
    expect(first.status).toBe(200);
    const provisioned = await db.user(clerkId);
    expect(provisioned).toMatchObject({ first_name: null, avatar_url: null, clerk_updated_at: null });

    expect((await deliver(server, clerkFixture('user.created', { userId: clerkId }))).body.outcome).toBe('applied');
    const user = await db.user(clerkId);
    expect(user.id).toBe(provisioned.id);
    expect(user).toMatchObject({ first_name: 'Example', avatar_url: 'https://img.clerk.com/eyJ0eXBlIjoiZGVmYXVsdCJ9' });
    expect((await db.audit(clerkId)).map((event) => event.type)).toEqual(['user.provisioned', 'user.created']);
  });

  it('user.created first, then just-in-time: the request finds the row and provisions nothing', async () => {
    const clerkId = await createdUser();
    const created = await db.user(clerkId);
    const response = await post(server, tokenFor(clerkId, { email: 'other@example.org', first_name: 'Token' }), VIEWER);
    expect(response.status).toBe(200);
    expect((response.body.data as { viewer: { email: string; firstName: string } }).viewer).toMatchObject({
      email: 'example@example.org',
      firstName: 'Example',
    });
    expect(await db.users(clerkId)).toEqual([created]);
    expect((await db.audit(clerkId)).map((event) => event.type)).toEqual(['user.created']);
  });

  it('just-in-time and user.created at the same moment converge on one row', async () => {
    const clerkId = newClerkUserId();
    const token = tokenFor(clerkId, { email: 'example@example.org' });
    const [requests, webhook] = await Promise.all([
      Promise.all(Array.from({ length: 5 }, () => post(server, token, VIEWER))),
      deliver(server, clerkFixture('user.created', { userId: clerkId })),
    ]);
    expect(requests.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    expect(webhook.body.outcome).toBe('applied');
    expect(await db.user(clerkId)).toMatchObject({ first_name: 'Example' });
  });
});

describe('observability', () => {
  it('logs one line per delivery with svix id and type, never the secret or the payload', async () => {
    const clerkId = newClerkUserId();
    const email = `private-${clerkId}@example.org`;
    const delivery = signDelivery(clerkFixture('user.created', { userId: clerkId, email }));
    await postWebhook(server, delivery);
    await postWebhook(server, delivery);
    const lines = server.logLines().filter((line) => line.svixId === delivery.svixId);
    expect(lines.map((line) => [line.event, line.outcome, line.type])).toEqual([
      ['webhook.delivery', 'applied', 'user.created'],
      ['webhook.delivery', 'duplicate', 'user.created'],
    ]);
    const text = server.logText();
    expect(text).not.toContain(WEBHOOK_SECRET);
    expect(text).not.toContain(WEBHOOK_SECRET.slice('whsec_'.length));
    expect(text).not.toContain(email);
    expect(text).not.toContain(delivery.headers['svix-signature']);
  });

  it('counts deliveries by outcome and type', async () => {
    const counter = server.app.metrics.webhookDeliveries;
    const value = async (outcome: string, type: string) =>
      (await counter.get()).values.find((v) => v.labels.outcome === outcome && v.labels.type === type)?.value ?? 0;
    const before = { applied: await value('applied', 'user.created'), rejected: await value('rejected', 'unknown') };
    const delivery = signDelivery(clerkFixture('user.created', { userId: newClerkUserId() }));
    await postWebhook(server, delivery);
    await postWebhook(server, { ...delivery, body: `${delivery.body} ` });
    expect(await value('applied', 'user.created')).toBe(before.applied + 1);
    expect(await value('rejected', 'unknown')).toBe(before.rejected + 1);
  });
});
