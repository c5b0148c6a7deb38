// Issue 14, scale-out: two API instances (real processes, test/support/api-cluster.ts) on one PostgreSQL
// through Debian's PgBouncer in transaction pooling mode (support/pgbouncer.ts, DATABASE_POOL_MODE=
// transaction, ADR 0069), on a database of this file's own. What one process keeps in memory must not be
// what correctness rests on: isolation, webhook de-duplication, rate limits and an API key's last-use
// throttling all hold with the users' requests spread over both instances.
import { randomInt, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LOCAL_AUTH_PREFIX, LOCAL_AUTH_SECRET_HEADER, LOCAL_AUTH_STATE_DIR } from '@deal-brain/shared/local-auth';
import { parse } from 'graphql';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBootSecret } from '#src/dev/local-identity/boot-secret.js';
import { loadOrCreateWebhookSecret } from '#src/dev/local-webhooks.js';
import { schema } from '#src/graphql/schema.js';
import { operationCost } from '#src/rate-limit/operation-cost.js';
import { startApiCluster, type ApiCluster, type ApiInstance } from './support/api-cluster.js';
import { freePort } from './support/free-port.js';
import { createOwnDatabase, type OwnDatabase } from './support/own-database.js';
import { startPgBouncer, type PgBouncer } from './support/pgbouncer.js';
import { connectAs } from './support/sql.js';
import { clerkFixture, newClerkUserId, newSvixId, postWebhook, signDelivery } from './support/webhooks.js';
import { startWebApp, type WebApp } from './support/web-app.js';

/**
 * The rate-limit test's query: three pages of 100 in one, just under the cost limit of one operation. Its
 * API key's budget is six of these; the other key of this file spends a dozen cheap requests. (Users' own
 * budgets stay out of reach: the web app's pages spend them quickly.)
 */
const EXPENSIVE = `{ ${Array.from({ length: 3 }, (_, i) => `p${i}: listings(first: 100) { edges { node { id } } }`).join(' ')} }`;
const API_KEY_POINTS = operationCost(schema, parse(EXPENSIVE)) * 6;

let own: OwnDatabase;
let bouncer: PgBouncer;
let cluster: ApiCluster;
let dataDir: string;
let superuser: pg.Client;
let a: ApiInstance;
let b: ApiInstance;
/** The web app's origin, known before it starts: the instances accept tokens minted for it. */
let webUrl: string;

interface Reply<T> {
  status: number;
  body: { data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] };
}

/** POST /graphql to one instance, on a connection of its own. */
async function gqlAt<T = Record<string, unknown>>(
  instance: { url: string },
  token: string | null,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Reply<T>> {
  const response = await fetch(`${instance.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as Reply<T>['body'] };
}

/** A local route of one instance, as the web app calls it (with the boot secret from the shared DATA_DIR). */
async function localAuth<T>(instance: ApiInstance, route: string, body: unknown): Promise<T> {
  const secret = await readBootSecret(path.join(dataDir, LOCAL_AUTH_STATE_DIR));
  const response = await fetch(`${instance.url}${LOCAL_AUTH_PREFIX}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [LOCAL_AUTH_SECRET_HEADER]: secret ?? '' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`${route}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

interface Person {
  token: string;
  email: string;
}

/**
 * A new identity and session, both on `home` (an identity created after the others started lives in
 * their memory only at their next start, api-cluster.ts); its token verifies on every instance.
 */
async function person(home: ApiInstance, name: string): Promise<Person> {
  const email = `${name}-${randomUUID()}@example.test`;
  await localAuth(home, '/identities', { email, firstName: name, lastName: 'Scale' });
  const { token } = await localAuth<{ token: string }>(home, '/sessions', { email, ttlSeconds: 3600 });
  const viewer = await gqlAt(home, token, '{ viewer { id } }');
  expect(viewer.status, JSON.stringify(viewer.body)).toBe(200);
  return { token, email };
}

/** A READ key of `owner`'s, made through instance A. */
async function createKey(owner: Person): Promise<{ apiKey: { id: string }; secret: string }> {
  const created = await gqlAt<{ createApiKey: { apiKey: { id: string }; secret: string } }>(
    a,
    owner.token,
    `mutation { createApiKey(input: { name: "scale", scopes: [READ] }) { apiKey { id } secret } }`,
  );
  expect(created.body.errors, JSON.stringify(created.body)).toBeUndefined();
  return created.body.data!.createApiKey;
}

const rawId = (global: string) => Buffer.from(global, 'base64').toString().split(':')[1]!;

const CREATE = `mutation Create($input: CreateListingInput!) { createListing(input: $input) { listing { id title } } }`;
const LIST = `{ listings(first: 20) { edges { node { id title } } } }`;
const ONE = `query One($id: ID!) { listing(id: $id) { id title } }`;
const UPDATE = `mutation Update($id: ID!, $input: UpdateListingInput!) { updateListing(id: $id, input: $input) { listing { id } } }`;

beforeAll(async () => {
  own = await createOwnDatabase('scale_out');
  bouncer = await startPgBouncer(own.url, { poolSize: 3 });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'dealbrain-scale-out-'));
  webUrl = `http://localhost:${await freePort()}`;
  cluster = await startApiCluster({
    count: 2,
    dataDir,
    env: {
      LOG_LEVEL: 'warn',
      DATABASE_URL: bouncer.url,
      DATABASE_POOL_MODE: 'transaction',
      // The identity caches' LISTEN connection, straight to PostgreSQL as a deployment sets it (ADR 0071).
      DATABASE_LISTEN_URL: own.url,
      DATABASE_POOL_SIZE: '4',
      CLERK_AUTHORIZED_PARTIES: webUrl,
      RATE_LIMIT_USER_POINTS: '1000000000',
      RATE_LIMIT_ADDRESS_POINTS: '100000000',
      RATE_LIMIT_API_KEY_POINTS: String(API_KEY_POINTS),
    },
  });
  [a, b] = cluster.instances as [ApiInstance, ApiInstance];
  superuser = await connectAs(own.superuserUrl);
}, 180_000);

afterAll(async () => {
  await superuser?.end();
  await cluster?.stop();
  await bouncer?.stop();
  await own?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 60_000);

// Each test makes dozens of requests to processes that share two cores with the rest of the suite.
describe('two instances behind PgBouncer (transaction pooling)', { timeout: 60_000 }, () => {
  it('isolation holds for four users whose requests alternate between the instances, concurrently', async () => {
    const users = await Promise.all(['ann', 'ben', 'cai', 'dee'].map((name, i) => person(i % 2 ? b : a, name)));
    const owned = await Promise.all(
      users.map(async (user, u) => {
        const created = await Promise.all(
          [0, 1, 2, 3].map(async (i) => {
            const res = await gqlAt<{ createListing: { listing: { id: string } } }>(i % 2 ? b : a, user.token, CREATE, {
              input: { title: `user ${u} listing ${i}`, price: '10.00' },
            });
            expect(res.body.errors, JSON.stringify(res.body)).toBeUndefined();
            return res.body.data!.createListing.listing.id;
          }),
        );
        return created.sort();
      }),
    );
    await Promise.all(
      users.flatMap((user, u) =>
        [a, b].map(async (instance) => {
          const res = await gqlAt<{ listings: { edges: { node: { id: string } }[] } }>(instance, user.token, LIST);
          expect(res.body.data!.listings.edges.map((edge) => edge.node.id).sort()).toEqual(owned[u]);
          // Another user's listing does not exist for this one, on either instance: null to read, NOT_FOUND to change.
          const other = owned[(u + 1) % users.length]![0]!;
          expect((await gqlAt(instance, user.token, ONE, { id: other })).body).toEqual({ data: { listing: null } });
          const input = { title: 'not yours', price: '1.00' };
          const update = await gqlAt(instance, user.token, UPDATE, { id: other, input });
          expect(update.body.errors?.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
        }),
      ),
    );
  });

  it('20 duplicate webhook deliveries, 10 to each instance at once, are applied once', async () => {
    // Every instance verifies with the secret the first one generated under the shared DATA_DIR.
    const secret = await loadOrCreateWebhookSecret(path.join(dataDir, LOCAL_AUTH_STATE_DIR));
    const clerkId = newClerkUserId();
    const delivery = signDelivery(clerkFixture('user.created', { userId: clerkId, email: `${clerkId}@example.test` }), {
      secret,
      svixId: newSvixId(),
    });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => postWebhook(i % 2 ? b : a, delivery)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    const outcomes = answers.map((answer) => answer.body.outcome).sort();
    expect(outcomes).toEqual(['applied', ...Array(19).fill('duplicate')]);
    const users = await superuser.query('SELECT 1 FROM users WHERE clerk_id = $1', [clerkId]);
    expect(users.rowCount).toBe(1);
    const events = await superuser.query('SELECT attempts FROM webhook_events WHERE svix_id = $1', [delivery.svixId]);
    expect(events.rows).toEqual([{ attempts: expect.any(Number) }]);
  });

  it("rate limits are shared: an API key's budget is spent across both instances together", async () => {
    const { secret } = await createKey(await person(a, 'limited'));
    // The budget fits six; on each instance alone three would have been spent.
    for (let i = 0; i < 6; i++) {
      const res = await gqlAt(i % 2 ? b : a, secret, EXPENSIVE);
      expect([res.status, res.body.errors]).toEqual([200, undefined]);
    }
    for (const instance of [a, b]) {
      const refused = await gqlAt(instance, secret, EXPENSIVE);
      expect(refused.status).toBe(429);
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    }
  });

  it('a key revoked through one instance is refused by the other at its next use, though that one had it cached', async () => {
    const owner = await person(a, 'revoke');
    const { secret, apiKey } = await createKey(owner);
    // B learns the key (a miss), then answers from its identity cache.
    for (let i = 0; i < 2; i++) expect((await gqlAt(b, secret, '{ viewer { id } }')).status).toBe(200);
    const revoked = await gqlAt(
      a,
      owner.token,
      `mutation($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { id } } }`,
      {
        id: apiKey.id,
      },
    );
    expect(revoked.body.errors, JSON.stringify(revoked.body)).toBeUndefined();
    // The revocation reaches B by NOTIFY when it commits: a few milliseconds at most, allowed for here.
    const deadline = Date.now() + 2_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) status = (await gqlAt(b, secret, '{ viewer { id } }')).status;
    expect(status).toBe(401);
  });

  it("an API key's last use is written once per interval, however many instances it is used on", async () => {
    const { secret, apiKey } = await createKey(await person(b, 'keys'));
    // Recorded by triggers that run as their owner (the superuser): every UPDATE of api_keys.last_used_at
    // (a statement-level trigger fires also when no row matched) and every row it changed.
    const log = `last_used_log_${randomInt(1e9)}`;
    await superuser.query(`CREATE TABLE ${log} (kind text)`);
    await superuser.query(`
      CREATE FUNCTION ${log}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      BEGIN INSERT INTO ${log} VALUES (TG_LEVEL); RETURN NULL; END $$`);
    await superuser.query(`CREATE TRIGGER ${log}_s AFTER UPDATE OF last_used_at ON api_keys
      FOR EACH STATEMENT EXECUTE FUNCTION ${log}()`);
    await superuser.query(`CREATE TRIGGER ${log}_r AFTER UPDATE OF last_used_at ON api_keys
      FOR EACH ROW WHEN (OLD.last_used_at IS DISTINCT FROM NEW.last_used_at) EXECUTE FUNCTION ${log}()`);
    const counts = async () => {
      const { rows } = await superuser.query<{ kind: string; count: number }>(
        `SELECT kind, count(*)::int AS count FROM ${log} GROUP BY kind`,
      );
      return Object.fromEntries(rows.map((row) => [row.kind, row.count])) as { STATEMENT?: number; ROW?: number };
    };
    // Twelve uses, six on each instance, four at a time: each instance's own throttle lets one write through.
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all([a, b, a, b].map((instance) => gqlAt(instance, secret, '{ viewer { id } }')));
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    }
    // The writes follow the answers: wait (bounded) until both instances have sent theirs.
    const deadline = Date.now() + 10_000;
    while ((await counts()).STATEMENT !== 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await counts()).toEqual({ STATEMENT: 2, ROW: 1 });
    const { rows } = await superuser.query(`SELECT last_used_at FROM api_keys WHERE id = $1::uuid`, [rawId(apiKey.id)]);
    expect(rows[0].last_used_at).toBeInstanceOf(Date);
    await superuser.query(`DROP TABLE ${log}; DROP TRIGGER ${log}_s ON api_keys; DROP TRIGGER ${log}_r ON api_keys`);
  });
});

describe('the web app in front of both instances', { timeout: 60_000 }, () => {
  let web: WebApp;

  beforeAll(async () => {
    web = await startWebApp({ url: webUrl, apiUrl: cluster.url, dataDir, startTimeoutMs: 150_000 });
  }, 180_000);

  afterAll(() => web?.stop(), 30_000);

  it('signs in with its local form, shows the user their own listings over page loads on both instances, signs out', async () => {
    const browser = web.browser();
    // A demo identity: every instance knows it from its start (identities created later live where created).
    const signIn = await browser.post('/sign-in', { email: 'alice@example.com', redirect_url: '/app' });
    expect(signIn.status, signIn.text.slice(0, 500)).toBe(200);
    expect(signIn.url).toBe(`${webUrl}/app`);
    const token = browser.cookie('__session');
    expect(token).toBeTruthy();

    // Alice's listing (through instance B) and someone else's (through A): only hers is on her page.
    const mine = `alice scale-out ${randomUUID()}`;
    const theirs = `other scale-out ${randomUUID()}`;
    const other = await person(a, 'other');
    for (const [instance, who, title] of [
      [b, token!, mine],
      [a, other.token, theirs],
    ] as const) {
      const res = await gqlAt(instance, who, CREATE, { input: { title, price: '5.00' } });
      expect(res.body.errors, JSON.stringify(res.body)).toBeUndefined();
    }

    const before = [...cluster.balancer.connections];
    // Loads at the same time open connections of their own, which the balancer hands out in turn.
    const pages = await Promise.all(Array.from({ length: 10 }, () => browser.get('/app')));
    for (const page of pages) {
      expect(page.status).toBe(200);
      expect(page.url).toBe(`${webUrl}/app`);
      expect(page.text).toContain(mine);
      expect(page.text).not.toContain(theirs);
    }
    const served = cluster.balancer.connections.map((count, i) => count - before[i]!);
    expect(
      served.every((count) => count > 0),
      `connections per instance: ${served.join(', ')}`,
    ).toBe(true);

    const signOut = await browser.post('/sign-out', {});
    expect(signOut.url).toBe(`${webUrl}/sign-in`);
    expect(browser.cookie('__session')).toBeFalsy();
    const after = await browser.get('/app');
    expect(after.url).toMatch(new RegExp(`^${webUrl}/sign-in`));
    expect(after.text).not.toContain(mine);
  });
});
