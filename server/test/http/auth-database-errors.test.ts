// The database failing while a request is authenticated (the viewer lookup, just-in-time provisioning) is
// not the client's mistake and not a bug: 503 with a code the client can act on and Retry-After, no
// stack, nothing changed, and the next request after recovery is served.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TcpProxy } from '../support/tcp-proxy.js';
import { connectAs, databaseOf, withDatabase } from '../support/sql.js';
import { gql, newIdentity, startTestServer, startTestServerBehindProxy, type TestServer } from '../support/server.js';

const VIEWER = '{ viewer { id } }';

let superuser: pg.Client;

beforeAll(async () => {
  const { url, superuserUrl } = inject('database');
  superuser = await connectAs(withDatabase(superuserUrl, databaseOf(url)));
});

afterAll(async () => {
  await superuser?.end();
});

describe('the database cannot be reached while authenticating', () => {
  let proxy: TcpProxy;
  let server: TestServer;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ proxy, server, close } = await startTestServerBehindProxy());
  });

  afterAll(async () => {
    await close?.();
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After, then serves again once it is back', async () => {
    const { token } = await newIdentity(server, 'outage');
    expect((await gql(server, token, VIEWER)).status).toBe(200);

    proxy.cut();
    const refused = await gql(server, token, VIEWER);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.body).toEqual({
      errors: [
        {
          message: 'The service cannot reach its database; try again shortly',
          extensions: { code: 'SERVICE_UNAVAILABLE' },
        },
      ],
    });
    // A new identity's first request (just-in-time provisioning) is refused the same way.
    const newcomer = await newIdentity(server, 'newcomer');
    expect((await gql(server, newcomer.token, VIEWER)).status).toBe(503);
    proxy.restore();

    expect((await gql(server, token, VIEWER)).status).toBe(200);
    expect((await gql(server, newcomer.token, VIEWER)).status).toBe(200);
  });
});

describe('the viewer lookup runs past the statement timeout', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ DB_STATEMENT_TIMEOUT_MS: '200' });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('answers 503 TIMEOUT with Retry-After, and the pool serves the next request', async () => {
    const { token } = await newIdentity(server, 'slow');
    expect((await gql(server, token, VIEWER)).status).toBe(200);

    // An exclusive lock on users makes the lookup wait, and a lock wait counts against statement_timeout.
    // Held well under a second so that other test files sharing the database barely notice.
    await superuser.query('BEGIN');
    try {
      await superuser.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
      const refused = await gql(server, token, VIEWER);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(refused.body).toEqual({
        errors: [
          {
            message: 'Checking the credential took too long; try again shortly',
            extensions: { code: 'TIMEOUT' },
          },
        ],
      });
    } finally {
      await superuser.query('ROLLBACK');
    }

    const served = await gql<{ viewer: { id: string } }>(server, token, VIEWER);
    expect(served.status).toBe(200);
    expect(served.body.data?.viewer.id).toEqual(expect.any(String));
  });
});
