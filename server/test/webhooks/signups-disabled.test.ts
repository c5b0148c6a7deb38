// Issue 12: while sign-ups are off (tenant setting signupsEnabled), Clerk mode: a new identity gets no row,
// neither from its first request (403 SIGNUPS_DISABLED, before any Backend API call) nor from its
// user.created, user.updated or session.created webhooks (acknowledged, recorded SKIPPED). Existing users
// and their events are unaffected. On a database of its own: the setting is global to a database.
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mint, sessionClaims } from '../auth/support/tokens.js';
import { post, startClerkModeServer, type ClerkModeServer } from '../auth/support/clerk-mode-server.js';
import { createOwnDatabase, type OwnDatabase } from '../support/own-database.js';
import { connectAs } from '../support/sql.js';
import { clerkFixture, deliver, newClerkUserId, newSvixId, WEBHOOK_SECRET } from '../support/webhooks.js';

let database: OwnDatabase;
let server: ClerkModeServer;
let superuser: pg.Client;

const VIEWER = '{ viewer { id } }';
const bearer = (clerkId: string, claims: Record<string, unknown> = {}) =>
  `Bearer ${mint(server.key, sessionClaims(clerkId, claims))}`;

const setSignups = (enabled: boolean) =>
  superuser.query(
    `INSERT INTO tenant_settings (key, value) VALUES ('signupsEnabled', $1::jsonb)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [JSON.stringify(enabled)],
  );

async function usersWith(clerkId: string) {
  return (await superuser.query('SELECT id FROM users WHERE clerk_id = $1', [clerkId])).rows;
}

async function delivery(svixId: string) {
  const { rows } = await superuser.query<{ status: string; error: string | null }>(
    'SELECT status::text, error FROM webhook_events WHERE svix_id = $1',
    [svixId],
  );
  return rows[0];
}

async function refusals(clerkId: string) {
  const { rows } = await superuser.query(
    `SELECT actor_id, subject_user_id, metadata FROM audit_events
     WHERE type = 'user.signup_refused' AND metadata->>'clerkId' = $1`,
    [clerkId],
  );
  return rows;
}

beforeAll(async () => {
  database = await createOwnDatabase('signups_test');
  server = await startClerkModeServer({
    env: { CLERK_WEBHOOK_SIGNING_SECRET: WEBHOOK_SECRET },
    databaseUrl: database.url,
  });
  superuser = await connectAs(database.superuserUrl);
});

afterAll(async () => {
  await server?.close();
  await superuser?.end();
  await database?.drop();
});

beforeEach(async () => {
  await setSignups(false);
});

describe('sign-ups off, Clerk mode', () => {
  it('refuses the first request of a new identity with 403 SIGNUPS_DISABLED, without asking Clerk, audited once', async () => {
    const clerkId = newClerkUserId();
    const calls = server.clerk.requests.length;
    for (let i = 0; i < 3; i++) {
      // No email claim: provisioning would ask the Backend API for the profile.
      const res = await post(server, bearer(clerkId), VIEWER);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        errors: [{ message: 'Sign-ups are closed', extensions: { code: 'SIGNUPS_DISABLED' } }],
      });
    }
    expect(server.clerk.requests.length).toBe(calls);
    expect(await usersWith(clerkId)).toEqual([]);
    expect(await refusals(clerkId)).toEqual([
      { actor_id: null, subject_user_id: null, metadata: { clerkId, source: 'session-token' } },
    ]);
    expect(server.logLines()).toContainEqual(expect.objectContaining({ event: 'auth.signup_refused', clerkId }));
  });

  it('refuses a new identity whose token carries its profile', async () => {
    const clerkId = newClerkUserId();
    const res = await post(server, bearer(clerkId, { email: 'claims@example.test' }), VIEWER);
    expect(res.status).toBe(403);
    expect(await usersWith(clerkId)).toEqual([]);
  });

  it.each(['user.created', 'user.updated', 'session.created'] as const)(
    '%s of a new identity creates no row; the delivery is acknowledged and recorded SKIPPED',
    async (type) => {
      const clerkId = newClerkUserId();
      const svixId = newSvixId();
      const res = await deliver(server, clerkFixture(type, { userId: clerkId }), { svixId });
      expect(res).toEqual({ status: 200, body: { received: true, outcome: 'stale' } });
      expect(await usersWith(clerkId)).toEqual([]);
      expect(await delivery(svixId)).toEqual({
        status: 'SKIPPED',
        error: 'sign-ups are disabled: no row for a new identity',
      });
      expect(await refusals(clerkId)).toEqual([
        { actor_id: null, subject_user_id: null, metadata: { clerkId, source: 'clerk-webhook' } },
      ]);
      const { rows: signIns } = await superuser.query(
        `SELECT 1 FROM audit_events WHERE type = 'auth.sign_in' AND metadata->>'clerkUserId' = $1`,
        [clerkId],
      );
      expect(signIns).toEqual([]);
    },
  );

  it('leaves existing users alone: their requests, updates and sign-ins all work', async () => {
    await setSignups(true);
    const clerkId = newClerkUserId();
    expect((await post(server, bearer(clerkId, { email: 'existing@example.test' }), VIEWER)).status).toBe(200);
    await setSignups(false);

    expect((await post(server, bearer(clerkId), VIEWER)).status).toBe(200);
    const updated = await deliver(server, clerkFixture('user.updated', { userId: clerkId, firstName: 'Still' }));
    expect(updated.body.outcome).toBe('applied');
    const signedIn = await deliver(server, clerkFixture('session.created', { userId: clerkId }));
    expect(signedIn.body.outcome).toBe('applied');
    const { rows } = await superuser.query<{ first_name: string; signed_in: boolean }>(
      'SELECT first_name, last_sign_in_at IS NOT NULL AS signed_in FROM users WHERE clerk_id = $1',
      [clerkId],
    );
    expect(rows).toEqual([{ first_name: 'Still', signed_in: true }]);
    expect(await refusals(clerkId)).toEqual([]);
  });

  it('turned on again: the refused identity signs up on its next request or event', async () => {
    const clerkId = newClerkUserId();
    expect((await post(server, bearer(clerkId, { email: 'later@example.test' }), VIEWER)).status).toBe(403);
    await setSignups(true);
    expect((await post(server, bearer(clerkId, { email: 'later@example.test' }), VIEWER)).status).toBe(200);
    expect(await usersWith(clerkId)).toHaveLength(1);

    const other = newClerkUserId();
    const created = await deliver(server, clerkFixture('user.created', { userId: other }));
    expect(created.body.outcome).toBe('applied');
    expect(await usersWith(other)).toHaveLength(1);
  });
});

describe('a refusal whose transaction rolls back holds no later one back', () => {
  /** Runs `fn` while every user.signup_refused event fails its transaction at COMMIT (the insert itself succeeds). */
  async function refusalsFailAtCommit<T>(fn: () => Promise<T>): Promise<T> {
    await superuser.query(`
      CREATE FUNCTION signups_test_fail_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'refused at commit by signups test';
      END $$;
      CREATE CONSTRAINT TRIGGER signups_test_fail_commit AFTER INSERT ON audit_events
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.type = 'user.signup_refused')
        EXECUTE FUNCTION signups_test_fail_commit();`);
    try {
      return await fn();
    } finally {
      await superuser.query(
        'DROP TRIGGER signups_test_fail_commit ON audit_events; DROP FUNCTION signups_test_fail_commit();',
      );
    }
  }

  it('first request: rolled back, no row and no event; the next request within the minute is audited', async () => {
    const clerkId = newClerkUserId();
    const failed = await refusalsFailAtCommit(() => post(server, bearer(clerkId), VIEWER));
    expect(failed.status).not.toBe(403);
    expect(JSON.stringify(failed.body)).not.toMatch(/refused at commit/);
    expect(await usersWith(clerkId)).toEqual([]);
    expect(await refusals(clerkId)).toEqual([]);

    for (let i = 0; i < 2; i++) expect((await post(server, bearer(clerkId), VIEWER)).status).toBe(403);
    expect(await refusals(clerkId)).toEqual([
      { actor_id: null, subject_user_id: null, metadata: { clerkId, source: 'session-token' } },
    ]);
  });

  it('webhook: a delivery rolled back leaves no event; the identity’s next event within the minute is audited', async () => {
    const clerkId = newClerkUserId();
    const failed = await refusalsFailAtCommit(() => deliver(server, clerkFixture('user.created', { userId: clerkId })));
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(await refusals(clerkId)).toEqual([]);

    const svixId = newSvixId();
    const again = await deliver(server, clerkFixture('session.created', { userId: clerkId }), { svixId });
    expect(again.body).toEqual({ received: true, outcome: 'stale' });
    expect(await delivery(svixId)).toMatchObject({ status: 'SKIPPED' });
    expect(await usersWith(clerkId)).toEqual([]);
    expect(await refusals(clerkId)).toEqual([
      { actor_id: null, subject_user_id: null, metadata: { clerkId, source: 'clerk-webhook' } },
    ]);
  });
});
