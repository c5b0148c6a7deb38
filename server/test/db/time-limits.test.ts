// Issue 13, finding 2: time limits (ADR 0061). statement_timeout and idle_in_transaction_session_timeout
// travel with the RLS context, transaction-locally; a cancelled statement answers TIMEOUT and leaves its
// pooled connection healthy; a GraphQL request past its deadline is answered 503 TIMEOUT and its open
// transaction rolls back. Pools of ONE connection: the next request must reuse the very connection.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Viewer } from '#src/auth/viewer.js';
import { closeBasePrisma, createBasePrisma, type BasePrisma } from '#src/db/client.js';
import { rlsClient, withRls, withSync } from '#src/db/rls.js';
import { isQueryCanceled, maskErrorsWithTimeouts } from '#src/graphql/time-limits.js';
import { connectAs, databaseOf, withDatabase } from '../support/sql.js';
import { gql, newIdentity, startTestServer, type TestServer } from '../support/server.js';

const LIMITS = { statementTimeoutMs: 500, idleInTransactionTimeoutMs: 1_500 };

let base: BasePrisma;
let superuser: pg.Client;
let viewer: Viewer;

beforeAll(async () => {
  const { url, superuserUrl } = inject('database');
  base = createBasePrisma(url, 1, LIMITS);
  superuser = await connectAs(withDatabase(superuserUrl, databaseOf(url)));
  const clerkId = `user_time_${randomUUID()}`;
  const { rows } = await superuser.query<{ id: string }>(
    'INSERT INTO users (clerk_id, email) VALUES ($1, $2) RETURNING id::text AS id',
    [clerkId, `time+${randomUUID()}@example.test`],
  );
  viewer = {
    userId: rows[0]!.id,
    clerkId,
    role: 'USER',
    sessionId: undefined,
    credential: { kind: 'session', sessionId: undefined },
  };
});

afterAll(async () => {
  if (base) await closeBasePrisma(base);
  await superuser?.end();
});

/** The server process behind the pool's one connection. */
async function backendPid(): Promise<number> {
  const [row] = await rlsClient(base, viewer).$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
  return row!.pid;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('statement_timeout with the RLS context', () => {
  it('is set transaction-locally with the viewer, and gone after the transaction', async () => {
    const [settings] = await rlsClient(base, viewer).$queryRaw<{ statement: string; idle: string }[]>`
      SELECT current_setting('statement_timeout') AS statement,
             current_setting('idle_in_transaction_session_timeout') AS idle`;
    expect(settings).toEqual({ statement: '500ms', idle: '1500ms' });
    // The bare connection (no RLS context) is back to the server's defaults.
    const [bare] = await base.$queryRaw<
      { statement: string }[]
    >`SELECT current_setting('statement_timeout') AS statement`;
    expect(bare!.statement).toBe('0');
  });

  it('cancels a pg_sleep past the limit, as TIMEOUT, and the same connection serves the next request', async () => {
    const before = await backendPid();
    const started = Date.now();
    const error = await rejection(rlsClient(base, viewer).$queryRaw`SELECT pg_sleep(5)`);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(isQueryCanceled(error)).toBe(true);
    // What the client sees: TIMEOUT, without the statement or a stack.
    const masked = maskErrorsWithTimeouts(error, 'Unexpected error.', false) as GraphQLError;
    expect(masked.extensions).toEqual({ code: 'TIMEOUT' });
    expect(masked.message).not.toMatch(/pg_sleep|statement timeout/i);
    expect(await backendPid()).toBe(before);
  });

  it('cancels it inside withRls and withSync too, rolling their writes back', async () => {
    const before = await backendPid();
    const title = `timed-out ${randomUUID()}`;
    const inRls = await rejection(
      withRls(base, viewer, async (tx) => {
        await tx.listing.create({ data: { ownerId: viewer.userId, title, price: '1.00' }, select: { id: true } });
        await tx.$queryRaw`SELECT pg_sleep(5)`;
      }),
    );
    expect(isQueryCanceled(inRls)).toBe(true);
    const inSync = await rejection(withSync(base, (tx) => tx.$queryRaw`SELECT pg_sleep(5)`));
    expect(isQueryCanceled(inSync)).toBe(true);
    const { rowCount } = await superuser.query('SELECT 1 FROM listings WHERE title = $1', [title]);
    expect(rowCount).toBe(0);
    expect(await backendPid()).toBe(before);
  });

  it('is not what a role-level setting would give: SET ROLE does not apply the role’s settings', async () => {
    // ALTER ROLE … SET applies at login, to the login role (authenticator); switching roles skips it.
    await superuser.query(`ALTER ROLE app_user SET statement_timeout = '123s'`);
    try {
      const fresh = createBasePrisma(inject('database').url, 1, LIMITS);
      try {
        await fresh.$transaction(async (tx) => {
          await tx.$executeRaw`SELECT set_config('role', 'app_user', true)`;
          const [row] = await tx.$queryRaw<
            { statement: string }[]
          >`SELECT current_setting('statement_timeout') AS statement`;
          expect(row!.statement).toBe('0');
        });
        const [row] = await rlsClient(fresh, viewer).$queryRaw<{ statement: string }[]>`
          SELECT current_setting('statement_timeout') AS statement`;
        expect(row!.statement).toBe('500ms');
      } finally {
        await closeBasePrisma(fresh);
      }
    } finally {
      await superuser.query('ALTER ROLE app_user RESET statement_timeout');
    }
  });
});

describe('idle_in_transaction_session_timeout with the RLS context', () => {
  it('ends a transaction left idle past the limit, and the pool opens a healthy connection', async () => {
    const error = await rejection(
      withRls(base, viewer, async (tx) => {
        await tx.$queryRaw`SELECT 1`;
        await sleep(LIMITS.idleInTransactionTimeoutMs + 1_000);
        await tx.$queryRaw`SELECT 1`;
      }),
    );
    expect(error).toBeInstanceOf(Error);
    // The server closed that session; the next request gets a new connection and works.
    expect(await backendPid()).toEqual(expect.any(Number));
  });

  it('lets a transaction that declares a longer timeout (an admin action waiting on Clerk) sit idle that long', async () => {
    const idle = await withRls(
      base,
      viewer,
      async (tx) => {
        await tx.$queryRaw`SELECT 1`;
        await sleep(LIMITS.idleInTransactionTimeoutMs + 1_000);
        const [row] = await tx.$queryRaw<{ idle: string }[]>`
          SELECT current_setting('idle_in_transaction_session_timeout') AS idle`;
        return row!.idle;
      },
      { timeout: 6_000 },
    );
    expect(idle).toBe('6s');
  });
});

describe('through the GraphQL server', () => {
  let server: TestServer;
  let token: string;

  /** A collection of the signed-in user, and its row id. */
  async function newCollection(name: string): Promise<{ id: string; rowId: string }> {
    const created = await gql<{ createCollection: { collection: { id: string } } }>(
      server,
      token,
      'mutation($input: CreateCollectionInput!) { createCollection(input: $input) { collection { id } } }',
      { input: { name } },
    );
    expect(created.body.errors).toBeUndefined();
    const id = created.body.data!.createCollection.collection.id;
    return { id, rowId: decodeGlobalID(id).id };
  }

  const RENAME = 'mutation($input: UpdateCollectionInput!) { updateCollection(input: $input) { collection { name } } }';

  /** Holds the collection's row locked from another session until the returned function is called. */
  async function lockRow(rowId: string): Promise<() => Promise<void>> {
    const holder = await connectAs(withDatabase(inject('database').superuserUrl, databaseOf(inject('database').url)));
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM collections WHERE id = $1 FOR UPDATE', [rowId]);
    return async () => {
      await holder.query('ROLLBACK');
      await holder.end();
    };
  }

  async function storedName(rowId: string): Promise<string> {
    const { rows } = await superuser.query<{ name: string }>('SELECT name FROM collections WHERE id = $1', [rowId]);
    return rows[0]!.name;
  }

  afterAll(async () => {
    await server?.close();
  });

  it('answers a statement past DB_STATEMENT_TIMEOUT_MS with TIMEOUT, changes nothing, and the pool of one serves on', async () => {
    server = await startTestServer({
      DATABASE_POOL_SIZE: '1',
      DB_STATEMENT_TIMEOUT_MS: '1000',
      GRAPHQL_REQUEST_TIMEOUT_MS: '10000',
    });
    ({ token } = await newIdentity(server, 'timeout'));
    const { id, rowId } = await newCollection('before');
    const release = await lockRow(rowId);
    try {
      const response = await gql(server, token, RENAME, { input: { id, name: 'after' } });
      expect(response.status).toBe(200);
      expect(response.body.errors).toHaveLength(1);
      const [error] = response.body.errors!;
      expect(error!.extensions).toEqual({ code: 'TIMEOUT' });
      expect(error!.path).toEqual(['updateCollection']);
      expect(error!.message).toMatch(/time limit/);
      expect(JSON.stringify(response.body)).not.toMatch(/stack|statement timeout|UPDATE/);
    } finally {
      await release();
    }
    expect(await storedName(rowId)).toBe('before');
    // The one connection went back to the pool healthy.
    const next = await gql<{ updateCollection: { collection: { name: string } } }>(server, token, RENAME, {
      input: { id, name: 'after' },
    });
    expect(next.body.errors).toBeUndefined();
    expect(next.body.data?.updateCollection.collection.name).toBe('after');
    await server.close();
  });

  it('answers a request past GRAPHQL_REQUEST_TIMEOUT_MS with 503 TIMEOUT and rolls its transaction back', async () => {
    server = await startTestServer({
      DATABASE_POOL_SIZE: '1',
      DB_STATEMENT_TIMEOUT_MS: '5000',
      GRAPHQL_REQUEST_TIMEOUT_MS: '3000',
    });
    let clerkId: string;
    ({ token, clerkId } = await newIdentity(server, 'deadline'));
    // Set up without GraphQL, so that only the request under test runs under the short deadline (the
    // user row appears while authenticating, before the deadline starts).
    await gql(server, token, '{ viewer { id } }');
    const { rows } = await superuser.query<{ id: string }>(
      `INSERT INTO collections (owner_id, name) SELECT id, 'before' FROM users WHERE clerk_id = $1 RETURNING id::text AS id`,
      [clerkId],
    );
    const rowId = rows[0]!.id;
    const id = encodeGlobalID('Collection', rowId);
    const release = await lockRow(rowId);
    let response: Awaited<ReturnType<typeof gql>>;
    const started = Date.now();
    try {
      response = await gql(server, token, RENAME, { input: { id, name: 'after' } });
      expect(Date.now() - started).toBeLessThan(8_000);
    } finally {
      // The blocked UPDATE now goes through; the transaction must still roll back, not commit.
      await release();
    }
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.body).toEqual({
      errors: [{ message: expect.stringMatching(/time limit of 3000 ms/), extensions: { code: 'TIMEOUT' } }],
    });
    // The request's work ends shortly after the lock goes: wait for the connection to come back.
    const next = await gql<{ viewer: { id: string } | null }>(server, token, '{ viewer { id } }');
    expect(next.status).toBe(200);
    expect(next.body.errors).toBeUndefined();
    expect(await storedName(rowId)).toBe('before');
    await server.close();
  });
});
