// Transient failure: the database goes away under a running server. Svix must get a 5xx (so it
// retries), nothing half-applied may remain, and a later redelivery of the same svix-id applies.
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { startClerkModeServer, type ClerkModeServer } from '../auth/support/clerk-mode-server.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import {
  clerkFixture,
  newClerkUserId,
  postWebhook,
  signDelivery,
  SyncInspector,
  WEBHOOK_SECRET,
} from '../support/webhooks.js';

let proxy: TcpProxy;
let server: ClerkModeServer;
let db: SyncInspector;

beforeAll(async () => {
  proxy = await startTcpProxy(inject('database').url);
  server = await startClerkModeServer({
    env: { CLERK_WEBHOOK_SIGNING_SECRET: WEBHOOK_SECRET },
    databaseUrl: proxy.url,
  });
  db = await SyncInspector.connect();
});

afterAll(async () => {
  await server?.close();
  await proxy?.close();
  await db?.close();
});

describe('database unavailable', () => {
  it('answers 503, keeps nothing, and applies the redelivery once the database is back', async () => {
    const clerkId = newClerkUserId();
    const delivery = signDelivery(clerkFixture('user.created', { userId: clerkId }));

    proxy.cut();
    const refused = await postWebhook(server, delivery);
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({ error: 'unavailable', message: expect.any(String) });
    proxy.restore();
    expect(await db.users(clerkId)).toEqual([]);
    expect(await db.delivery(delivery.svixId)).toBeUndefined();

    const retry = signDelivery(delivery.body, { svixId: delivery.svixId });
    expect(await postWebhook(server, retry)).toEqual({ status: 200, body: { received: true, outcome: 'applied' } });
    expect(await db.user(clerkId)).toMatchObject({ first_name: 'Example' });
    expect(await db.delivery(delivery.svixId)).toMatchObject({ status: 'PROCESSED' });
    expect(await db.audit(clerkId)).toHaveLength(1);

    const failed = server.logLines().find((line) => line.svixId === delivery.svixId && line.outcome === 'failed');
    expect(failed).toMatchObject({ event: 'webhook.delivery', type: 'user.created', transient: true });
  });
});

describe('a transaction that fails while the database is up', () => {
  // A trigger that fails the claim of chosen svix ids only, so parallel test files are unaffected:
  // msg_transient_* with a serialization failure (retryable), msg_broken_* with an internal error.
  beforeAll(async () => {
    await db.exec(`
      CREATE FUNCTION test_fail_webhook_claim() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.svix_id LIKE 'msg_transient_%' THEN
          RAISE EXCEPTION 'could not serialize access' USING ERRCODE = '40001';
        END IF;
        RAISE EXCEPTION 'simulated bug' USING ERRCODE = 'XX000';
      END $$;
      CREATE TRIGGER test_fail_webhook_claim BEFORE INSERT ON webhook_events FOR EACH ROW
        WHEN (NEW.status = 'RECEIVED' AND (NEW.svix_id LIKE 'msg_transient_%' OR NEW.svix_id LIKE 'msg_broken_%'))
        EXECUTE FUNCTION test_fail_webhook_claim();`);
  });

  afterAll(async () => {
    await db.exec(`
      DROP TRIGGER IF EXISTS test_fail_webhook_claim ON webhook_events;
      DROP FUNCTION IF EXISTS test_fail_webhook_claim();`);
  });

  it('an unexpected failure answers 500 without details and records the attempt as failed', async () => {
    const clerkId = newClerkUserId();
    const delivery = signDelivery(clerkFixture('user.created', { userId: clerkId }), {
      svixId: `msg_broken_${clerkId}`,
    });
    const response = await postWebhook(server, delivery);
    expect(response).toEqual({
      status: 500,
      body: { error: 'internal', message: 'The event could not be applied; retry later' },
    });
    await vi.waitFor(async () =>
      expect(await db.delivery(delivery.svixId)).toMatchObject({ status: 'FAILED', attempts: 1 }),
    );
    expect(await db.users(clerkId)).toEqual([]);
    const failed = server.logLines().find((line) => line.svixId === delivery.svixId);
    expect(failed).toMatchObject({ outcome: 'failed', transient: false });
  });

  it('a retryable failure answers 503 and records the failed attempt; the retry applies it', async () => {
    const clerkId = newClerkUserId();
    const delivery = signDelivery(clerkFixture('user.created', { userId: clerkId }), {
      svixId: `msg_transient_${clerkId}`,
    });
    expect(await postWebhook(server, delivery)).toMatchObject({ status: 503, body: { error: 'unavailable' } });
    // Recorded after the answer (Svix should not wait for our bookkeeping).
    await vi.waitFor(async () =>
      expect(await db.delivery(delivery.svixId)).toMatchObject({
        status: 'FAILED',
        attempts: 1,
        error: 'database unavailable',
      }),
    );
    expect(await db.users(clerkId)).toEqual([]);

    await db.exec('DROP TRIGGER test_fail_webhook_claim ON webhook_events');
    expect((await postWebhook(server, delivery)).body.outcome).toBe('applied');
    expect(await db.delivery(delivery.svixId)).toMatchObject({ status: 'PROCESSED', attempts: 2, error: null });
    expect(await db.audit(clerkId)).toHaveLength(1);
  });
});
