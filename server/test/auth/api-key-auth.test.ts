// Issue 11, part 4: a personal API key on /graphql, through HTTP against the real server and
// database. Every outcome of a presented key (its status, code, challenge, the reason counted), a
// revocation that holds on the next request on every instance (there is no key cache), the
// throttled last use, the aggregated api_key.refused events, logs that never carry a secret, and
// the SQL beneath: what app_user may change on a key, and who may call the lookup function.
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateApiKey } from '#src/auth/api-key.js';
import { becomeSync, becomeUser, connectAs, databaseOf, sqlError, withDatabase, withRollback } from '../support/sql.js';
import { gql, newIdentity, startTestServer, type GraphQLResponse, type TestServer } from '../support/server.js';

interface Person {
  email: string;
  token: string;
  userId: string;
}

let server: TestServer;
/** A second instance on the same database: a revocation must hold there too. */
let other: TestServer;
let superuser: pg.Client;
let logText = '';

const rawId = (global: string) => Buffer.from(global, 'base64').toString().split(':')[1]!;
const VIEWER = '{ viewer { id email } }';

async function person(on: TestServer, name = 'keyholder'): Promise<Person> {
  const { email, token } = await newIdentity(on, name);
  const res = await gql<{ viewer: { id: string } }>(on, token, '{ viewer { id } }');
  return { email, token, userId: rawId(res.body.data!.viewer.id) };
}

async function createKey(who: Person, scopes = ['READ']): Promise<{ id: string; secret: string; prefix: string }> {
  const res = await gql<{ createApiKey: { apiKey: { id: string; prefix: string }; secret: string } }>(
    server,
    who.token,
    `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id prefix } secret } }`,
    { input: { name: 'auth test', scopes } },
  );
  const created = res.body.data!.createApiKey;
  return { id: created.apiKey.id, secret: created.secret, prefix: created.apiKey.prefix };
}

async function revoke(who: Person, id: string): Promise<void> {
  const res = await gql(
    server,
    who.token,
    `mutation($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { id } } }`,
    {
      id,
    },
  );
  expect(res.body.errors).toBeUndefined();
}

/** The same prefix with another secret: what a guesser who saw the prefix would send. */
const wrongSecret = (secret: string) => `${secret.slice(0, 13)}${'A'.repeat(43)}`;

async function counterValue(on: TestServer, name: 'authFailures' | 'apiKeyRefusals', reason: string) {
  const metric = await on.app.metrics[name].get();
  return metric.values.find((value) => value.labels.reason === reason)?.value ?? 0;
}

function expectUnauthenticated(res: GraphQLResponse<unknown>): void {
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  // The same answer for every cause: the reason is for logs and metrics only.
  expect(res.body).toEqual({
    errors: [{ message: 'The presented credential is invalid or expired', extensions: { code: 'UNAUTHENTICATED' } }],
  });
}

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logText += chunk.toString('utf8');
      done();
    },
  });
  server = await startTestServer({}, { logDestination: sink });
  other = await startTestServer();
  const { url, superuserUrl } = inject('database');
  superuser = await connectAs(withDatabase(superuserUrl, databaseOf(url)));
});

afterAll(async () => {
  await server?.app.localWebhooks?.idle();
  await other?.app.localWebhooks?.idle();
  await server?.close();
  await other?.close();
  await superuser?.end();
});

describe('a valid key', () => {
  it('authenticates as its owner, on any instance', async () => {
    const me = await person(server);
    const { secret } = await createKey(me);
    for (const on of [server, other]) {
      const res = await gql(on, secret, VIEWER);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: { viewer: { id: expect.any(String), email: me.email } } });
    }
  });

  it('takes the lower-case scheme and extra spaces RFC 7235 and 6750 allow', async () => {
    const me = await person(server);
    const { secret } = await createKey(me);
    const res = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `bearer   ${secret}` },
      body: JSON.stringify({ query: VIEWER }),
    });
    expect(res.status).toBe(200);
  });
});

describe('a key that is not acceptable', () => {
  let me: Person;
  let live: { id: string; secret: string; prefix: string };
  let revoked: { id: string; secret: string; prefix: string };
  let expired: { id: string; secret: string; prefix: string };

  beforeAll(async () => {
    me = await person(server);
    live = await createKey(me);
    revoked = await createKey(me);
    await revoke(me, revoked.id);
    expired = await createKey(me);
    await superuser.query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      rawId(expired.id),
    ]);
  });

  // [case, the key, the reason counted]. Each gets `{ __typename }`, which an anonymous caller may
  // run: a 401 proves the request was refused, not downgraded to anonymous.
  const cases: [string, () => string, string][] = [
    ['an unknown prefix', () => generateApiKey().key, 'api-key-unknown'],
    ['a wrong secret for a real prefix', () => wrongSecret(live.secret), 'api-key-mismatch'],
    ['a revoked key', () => revoked.secret, 'api-key-revoked'],
    ['an expired key', () => expired.secret, 'api-key-expired'],
    ['a malformed key (too short)', () => live.secret.slice(0, -1), 'api-key-malformed'],
    ['a malformed key (bad prefix)', () => `dbk_ABCDEFGH_${'a'.repeat(43)}`, 'api-key-malformed'],
  ];

  it.each(cases)('%s: 401 UNAUTHENTICATED, counted by its reason', async (_name, key, reason) => {
    const failures = await counterValue(server, 'authFailures', reason);
    const refusals = await counterValue(server, 'apiKeyRefusals', reason);
    expectUnauthenticated(await gql(server, key(), '{ __typename }'));
    expect(await counterValue(server, 'authFailures', reason)).toBe(failures + 1);
    expect(await counterValue(server, 'apiKeyRefusals', reason)).toBe(refusals + 1);
  });

  it('a revocation holds on the very next request, on every instance (nothing is cached)', async () => {
    const key = await createKey(me);
    // Both instances have just accepted it.
    expect((await gql(server, key.secret, VIEWER)).status).toBe(200);
    expect((await gql(other, key.secret, VIEWER)).status).toBe(200);
    await revoke(me, key.id);
    expectUnauthenticated(await gql(other, key.secret, VIEWER));
    expectUnauthenticated(await gql(server, key.secret, VIEWER));
  });

  it('an expiry holds on the next request too', async () => {
    const key = await createKey(me);
    expect((await gql(other, key.secret, VIEWER)).status).toBe(200);
    await superuser.query(`UPDATE api_keys SET expires_at = now() WHERE id = $1`, [rawId(key.id)]);
    expectUnauthenticated(await gql(other, key.secret, VIEWER));
  });
});

describe('a key whose owner may not act', () => {
  it.each([
    ['deactivated', `UPDATE users SET active = false WHERE id = $1`],
    ['deleted', `UPDATE users SET deleted_at = now() WHERE id = $1`],
  ])('%s: 403 ACCOUNT_DISABLED, counted', async (_name, change) => {
    const owner = await person(server);
    const { secret } = await createKey(owner);
    await server.app.localWebhooks?.idle();
    await superuser.query(change, [owner.userId]);
    const before = await counterValue(server, 'apiKeyRefusals', 'api-key-owner-disabled');
    const res = await gql(server, secret, '{ __typename }');
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      errors: [{ message: 'This account is disabled', extensions: { code: 'ACCOUNT_DISABLED' } }],
    });
    expect(await counterValue(server, 'apiKeyRefusals', 'api-key-owner-disabled')).toBe(before + 1);
  });
});

describe('last use', () => {
  const lastUsed = async (id: string) =>
    (
      await superuser.query<{ last_used_at: Date | null }>(`SELECT last_used_at FROM api_keys WHERE id = $1`, [
        rawId(id),
      ])
    ).rows[0]!.last_used_at;

  it('is recorded after the first request, then at most once a minute per key', async () => {
    const me = await person(server);
    const key = await createKey(me);
    expect(await lastUsed(key.id)).toBeNull();
    const started = Date.now();
    expect((await gql(server, key.secret, VIEWER)).status).toBe(200);
    await server.app.apiKeyActivity.flush();
    const first = await lastUsed(key.id);
    expect(first).not.toBeNull();
    expect(first!.getTime()).toBeGreaterThanOrEqual(started - 5);

    for (let i = 0; i < 5; i++) expect((await gql(server, key.secret, VIEWER)).status).toBe(200);
    await server.app.apiKeyActivity.flush();
    expect(await lastUsed(key.id)).toEqual(first);
  });

  it("is written again only once the row's last use is a minute old by the database's clock", async () => {
    // A fresh key per case: this instance's own throttle lets its first use through, so the row decides.
    const me = await person(server);
    const cases = [
      { age: '59 seconds', written: false },
      { age: '61 seconds', written: true },
    ];
    for (const { age, written } of cases) {
      const key = await createKey(me);
      const { rows } = await superuser.query<{ previous: Date; clock: Date }>(
        `UPDATE api_keys SET last_used_at = now() - $2::interval WHERE id = $1
         RETURNING last_used_at AS previous, now() AS clock`,
        [rawId(key.id), age],
      );
      const { previous, clock } = rows[0]!;
      expect((await gql(server, key.secret, VIEWER)).status).toBe(200);
      await server.app.apiKeyActivity.flush();
      const after = await lastUsed(key.id);
      if (written) expect(after!.getTime(), age).toBeGreaterThanOrEqual(clock.getTime());
      else expect(after, age).toEqual(previous);
    }
  });

  it('is shown on the key', async () => {
    const me = await person(server);
    const key = await createKey(me);
    await gql(server, key.secret, VIEWER);
    await server.app.apiKeyActivity.flush();
    const res = await gql<{ viewer: { apiKeys: { edges: { node: { lastUsedAt: string | null } }[] } } }>(
      server,
      me.token,
      `{ viewer { apiKeys(first: 1) { edges { node { lastUsedAt } } } } }`,
    );
    expect(res.body.data!.viewer.apiKeys.edges[0]!.node.lastUsedAt).toEqual(expect.any(String));
  });
});

describe('api_key.refused audit events', () => {
  const refusedEvents = async (prefix: string) =>
    (
      await superuser.query<{
        actor_id: string | null;
        subject_user_id: string | null;
        metadata: Record<string, unknown>;
      }>(
        `SELECT actor_id, subject_user_id, metadata FROM audit_events
         WHERE type = 'api_key.refused' AND metadata->>'prefix' = $1 ORDER BY created_at`,
        [prefix],
      )
    ).rows;

  it('are aggregated: one row per prefix and reason per window, with the count, about the key’s owner', async () => {
    const me = await person(server);
    const key = await createKey(me);
    await server.app.apiKeyActivity.flush();
    for (let i = 0; i < 25; i++) expectUnauthenticated(await gql(server, wrongSecret(key.secret), VIEWER));
    await server.app.apiKeyActivity.flush();
    expect(await refusedEvents(key.prefix)).toEqual([
      {
        actor_id: null,
        subject_user_id: me.userId,
        metadata: {
          prefix: key.prefix,
          reason: 'api-key-mismatch',
          count: 25,
          windowStart: expect.any(String),
          windowEnd: expect.any(String),
        },
      },
    ]);
    // The owner can read what was tried with their key.
    const own = await withRollback(superuser, async (client) => {
      await becomeUser(client, { userId: me.userId, role: 'app_user' });
      return (await client.query(`SELECT count(*)::int AS n FROM audit_events WHERE type = 'api_key.refused'`)).rows[0];
    });
    expect(own).toEqual({ n: 1 });
  });

  it('of an unknown prefix are about no one', async () => {
    const { key, prefix } = generateApiKey();
    for (let i = 0; i < 3; i++) await gql(server, key, VIEWER);
    await server.app.apiKeyActivity.flush();
    expect(await refusedEvents(prefix)).toEqual([
      expect.objectContaining({
        subject_user_id: null,
        metadata: expect.objectContaining({ reason: 'api-key-unknown', count: 3 }),
      }),
    ]);
  });
});

describe('logs', () => {
  it('carry a refused key’s reason and at most its prefix, never a secret (the presented one or the real one)', async () => {
    const me = await person(server);
    const key = await createKey(me);
    const wrong = wrongSecret(key.secret);
    logText = '';
    expectUnauthenticated(await gql(server, wrong, VIEWER));
    expect((await gql(server, key.secret, VIEWER)).status).toBe(200);
    await server.app.apiKeyActivity.flush();
    expect(logText).toContain('"reason":"api-key-mismatch"');
    for (const secret of [wrong, key.secret]) {
      expect(logText).not.toContain(secret);
      expect(logText).not.toContain(secret.slice(13));
      expect(logText).not.toContain(secret.slice(13, 29));
    }
  });
});

describe('in SQL', () => {
  it('app_user may change a key’s name, revocation and last use; never its owner, prefix, hash, scopes or expiry', async () => {
    const me = await person(server);
    const key = await createKey(me);
    const id = rawId(key.id);
    const as = async (set: string) =>
      withRollback(superuser, async (client) => {
        await becomeUser(client, { userId: me.userId, role: 'app_user' });
        return sqlError(client.query(`UPDATE api_keys SET ${set} WHERE id = $1`, [id]));
      });
    for (const set of ["name = 'renamed'", 'revoked_at = now()', 'last_used_at = now()']) {
      expect(await as(set), set).toBeNull();
    }
    for (const set of [
      `hash = '${createHash('sha256').update('x').digest('hex')}'`,
      "prefix = 'dbk_zzzzzzzz'",
      "scopes = '{READ,WRITE}'",
      "expires_at = now() + interval '1 day'",
      `owner_id = '${me.userId}'`,
    ]) {
      expect((await as(set))?.message, set).toBe('permission denied for table api_keys');
    }
  });

  it('app_admin may revoke a key and change nothing else about it', async () => {
    const me = await person(server);
    const key = await createKey(me);
    const id = rawId(key.id);
    const asAdmin = async (sql: string) =>
      withRollback(superuser, async (client) => {
        await becomeUser(client, { userId: me.userId, role: 'app_admin' });
        return sqlError(client.query(sql, [id]));
      });
    expect(await asAdmin('UPDATE api_keys SET revoked_at = now() WHERE id = $1')).toBeNull();
    for (const set of [
      "name = 'renamed'",
      "scopes = '{READ,WRITE}'",
      'expires_at = NULL',
      `hash = '${'0'.repeat(64)}'`,
      `owner_id = '${me.userId}'`,
    ]) {
      expect((await asAdmin(`UPDATE api_keys SET ${set} WHERE id = $1`))?.message, set).toBe(
        'permission denied for table api_keys',
      );
    }
  });

  it('rows keep their shape whoever writes them', async () => {
    const me = await person(server);
    const insert = (values: string) =>
      withRollback(superuser, async (client) => {
        await becomeUser(client, { userId: me.userId, role: 'app_user' });
        return (
          await sqlError(client.query(`INSERT INTO api_keys (owner_id, name, prefix, hash, scopes) VALUES ${values}`))
        )?.message;
      });
    const hash = '0'.repeat(64);
    const ok = `('${me.userId}', 'n', 'dbk_abcdefgh', '${hash}', '{READ}')`;
    expect(await insert(ok)).toBeUndefined();
    expect(await insert(`('${me.userId}', ' n', 'dbk_abcdefgh', '${hash}', '{READ}')`)).toMatch(/api_keys_name_length/);
    expect(await insert(`('${me.userId}', 'n', 'dbk_abcdefgh', '${hash}', '{}')`)).toMatch(/api_keys_scopes_valid/);
    expect(await insert(`('${me.userId}', 'n', 'dbk_abcdefgh', '${hash}', '{ADMIN}')`)).toMatch(
      /api_keys_scopes_valid/,
    );
    expect(await insert(`('${me.userId}', 'n', 'db_abcdefgh', '${hash}', '{READ}')`)).toMatch(/api_keys_prefix_format/);
    expect(await insert(`('${me.userId}', 'n', 'dbk_abcdefgh', 'secret', '{READ}')`)).toMatch(/api_keys_hash_format/);
  });

  it('the lookup by prefix is app_auth’s alone (ADR 0064), and app_auth reads no api_keys itself', async () => {
    const me = await person(server);
    const key = await createKey(me);
    const lookup = `SELECT key_id, owner_id, hash FROM app_api_key_for_prefix($1)`;
    const asAuth = await withRollback(superuser, async (client) => {
      await client.query(`SELECT set_config('role', 'app_auth', true)`);
      return {
        lookup: (await client.query(lookup, [key.prefix])).rows,
        table: (await sqlError(client.query(`SELECT 1 FROM api_keys`)))?.message,
      };
    });
    expect(asAuth).toEqual({
      lookup: [
        { key_id: rawId(key.id), owner_id: me.userId, hash: createHash('sha256').update(key.secret).digest('hex') },
      ],
      table: 'permission denied for table api_keys',
    });
    for (const role of ['app_user', 'app_admin', 'app_sync'] as const) {
      const refused = await withRollback(superuser, async (client) => {
        if (role === 'app_sync') await becomeSync(client);
        else await becomeUser(client, { userId: me.userId, role });
        return (await sqlError(client.query(lookup, [key.prefix])))?.message;
      });
      expect(refused, role).toBe('permission denied for function app_api_key_for_prefix');
    }
  });
});
