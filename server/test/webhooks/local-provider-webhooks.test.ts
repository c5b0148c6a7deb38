// Local mode runs the production sync: the local identity provider's changes reach the database
// only through signed webhooks to the server's own /api/webhooks/clerk.
import { LOCAL_AUTH_SECRET_HEADER } from '@deal-brain/shared/local-auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, startTestServer, type TestServer } from '../support/server.js';
import { SyncInspector, WEBHOOK_SECRET } from '../support/webhooks.js';

let server: TestServer;
let db: SyncInspector;

beforeAll(async () => {
  server = await startTestServer({ CLERK_WEBHOOK_SIGNING_SECRET: WEBHOOK_SECRET });
  db = await SyncInspector.connect();
});

afterAll(async () => {
  await server?.close();
  await db?.close();
});

const settled = () => server.app.localWebhooks!.idle();

async function localAuth(method: string, path: string, body?: unknown) {
  // The Backend API stand-in (/v1) wants the provider's secret key, as Clerk's wants CLERK_SECRET_KEY.
  // The provider's own routes want this boot's secret, as the web app sends it.
  const key: Record<string, string> = path.startsWith('/v1/')
    ? { authorization: `Bearer ${server.identity.secretKey}` }
    : { [LOCAL_AUTH_SECRET_HEADER]: server.identity.bootSecret };
  const response = await fetch(`${server.url}/__local-auth${path}`, {
    method,
    headers: { ...key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

async function createIdentity(name: string) {
  const email = `${name}-${crypto.randomUUID()}@example.test`;
  const created = await localAuth('POST', '/identities', { email, firstName: name, lastName: 'Local' });
  expect(created.status).toBe(201);
  return { email, clerkId: created.body!.clerkId as string };
}

describe('local identity provider webhooks', () => {
  it('creating an identity creates the user through user.created', async () => {
    const { email, clerkId } = await createIdentity('creator');
    await settled();
    expect(await db.user(clerkId)).toMatchObject({ email, first_name: 'creator', last_name: 'Local', active: true });
    expect((await db.audit(clerkId)).map((event) => event.type)).toEqual(['user.created']);
  });

  it('a session start and end are audited as sign-in and sign-out', async () => {
    const { email, clerkId } = await createIdentity('session');
    const session = await localAuth('POST', '/sessions', { email });
    expect(session.status).toBe(201);
    const sessionId = session.body!.sessionId as string;
    expect((await localAuth('POST', `/sessions/${sessionId}/end`)).status).toBe(204);
    await settled();
    const audit = await db.audit(clerkId);
    expect(audit.map((event) => event.type)).toEqual(['user.created', 'auth.sign_in', 'auth.sign_out']);
    expect(audit[2]!.metadata).toMatchObject({ sessionId, reason: 'session.ended' });
    expect((await db.user(clerkId)).last_sign_in_at).toBeInstanceOf(Date);
  });

  it('a refreshed token keeps working; an ended session cannot be refreshed', async () => {
    const { email } = await createIdentity('refresh');
    const session = await localAuth('POST', '/sessions', { email, ttlSeconds: 60 });
    const sessionId = session.body!.sessionId as string;
    const refreshed = await localAuth('POST', `/sessions/${sessionId}/tokens`, { ttlSeconds: 8 * 3600 });
    expect(refreshed.status).toBe(201);
    expect(refreshed.body).toMatchObject({ sessionId });
    expect((refreshed.body!.expiresAt as number) - Date.now()).toBeGreaterThan(7 * 3600 * 1000);
    const viewer = await gql<{ viewer: { email: string } }>(
      server,
      refreshed.body!.token as string,
      '{ viewer { email } }',
    );
    expect(viewer.body.data?.viewer.email).toBe(email);

    // Like Clerk's POST /v1/sessions/:id/tokens, a request without a body is fine.
    expect((await localAuth('POST', `/sessions/${sessionId}/tokens`)).status).toBe(201);

    await localAuth('POST', `/sessions/${sessionId}/end`);
    const again = await localAuth('POST', `/sessions/${sessionId}/tokens`, {});
    expect(again).toMatchObject({ status: 404, body: { error: 'session_not_found' } });
  });

  it('a profile change through the Backend API stand-in reaches the user row', async () => {
    const { clerkId } = await createIdentity('renamer');
    const patched = await localAuth('PATCH', `/v1/users/${clerkId}`, { first_name: 'Renamed', last_name: null });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ object: 'user', id: clerkId, first_name: 'Renamed', last_name: null });
    await settled();
    expect(await db.user(clerkId)).toMatchObject({ first_name: 'Renamed', last_name: null });
    expect((await localAuth('GET', `/v1/users/${clerkId}`)).body).toMatchObject({ first_name: 'Renamed' });
  });

  it('deleting an identity soft-deletes the user; its token is then refused with 403', async () => {
    const { email, clerkId } = await createIdentity('leaver');
    const session = await localAuth('POST', '/sessions', { email });
    const token = session.body!.token as string;
    expect((await gql(server, token, '{ viewer { id } }')).status).toBe(200);

    expect(await localAuth('DELETE', `/identities/${clerkId}`)).toEqual({
      status: 200,
      body: { object: 'user', id: clerkId, deleted: true },
    });
    await settled();
    const user = await db.user(clerkId);
    expect(user.active).toBe(false);
    expect(user.deleted_at).toBeInstanceOf(Date);
    // The tombstone keeps no personal data, and the stand-in forgets the identity (docs/privacy.md).
    expect(user).toMatchObject({ email: null, first_name: null, last_name: null, avatar_url: null });
    expect(server.identity.findIdentityByClerkId(clerkId)).toBeUndefined();
    const refused = await gql(server, token, '{ viewer { id } }');
    expect(refused.status).toBe(403);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('ACCOUNT_DISABLED');
    // Clerk ends a deleted user's sessions too.
    expect((await db.audit(clerkId)).map((event) => event.type)).toEqual([
      'user.created',
      'auth.sign_in',
      'user.deleted',
      'auth.sign_out',
    ]);
  });

  it('demo identities cannot be deleted', async () => {
    expect(await localAuth('DELETE', '/identities/user_local_alice')).toMatchObject({
      status: 409,
      body: { error: 'identity_protected' },
    });
  });
});
