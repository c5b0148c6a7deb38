// Issue 11, part 4: personal API keys through the real server. Creating, listing and revoking with a
// session token; what a key may and may not do once used (its scopes, the session-only fields, an
// admin's key acting as a plain user); and part 7: the example client in examples/api-client,
// generated from schema.graphql, run as a real program against this server with a real key.
// Refused writes are checked with the superuser as the independent witness.
import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { generate } from '@graphql-codegen/cli';
import { getNamedType, isInputObjectType, isNonNullType, type GraphQLField } from 'graphql';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { schema } from '#src/graphql/schema.js';
import codegenConfig from '../../../examples/api-client/codegen.js';
import { ApiError, createClient } from '../../../examples/api-client/src/client.js';
import { RecentListingsDocument } from '../../../examples/api-client/src/documents.js';
import { connectAs, databaseOf, withDatabase } from '../support/sql.js';
import { gql, newIdentity, startTestServer, type GraphQLResponse, type TestServer } from '../support/server.js';

interface Person {
  email: string;
  token: string;
  userId: string;
}

let server: TestServer;
let superuser: pg.Client;

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const rawId = (global: string) => Buffer.from(global, 'base64').toString().split(':')[1]!;
const codeOf = (res: GraphQLResponse<unknown>) => res.body.errors?.[0]?.extensions?.code;
const codesOf = (res: GraphQLResponse<unknown>) => res.body.errors?.map((error) => error.extensions?.code);
const DAY = 24 * 60 * 60 * 1000;

const CREATE = `mutation Create($input: CreateApiKeyInput!) {
  createApiKey(input: $input) {
    apiKey { id name prefix scopes createdAt expiresAt lastUsedAt revokedAt }
    secret
  }
}`;
const REVOKE = `mutation Revoke($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { apiKey { id revokedAt } } }`;
const LIST = `query Keys($first: Int, $after: String) {
  viewer { apiKeys(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id name prefix scopes revokedAt } }
  } }
}`;

interface CreatedKey {
  apiKey: {
    id: string;
    name: string;
    prefix: string;
    scopes: string[];
    createdAt: string;
    expiresAt: string | null;
    lastUsedAt: string | null;
    revokedAt: string | null;
  };
  secret: string;
}

async function person(name = 'keys'): Promise<Person> {
  const { email, token } = await newIdentity(server, name);
  const res = await gql<{ viewer: { id: string } }>(server, token, '{ viewer { id } }');
  // Their sign-up and sign-in webhooks have arrived: no late delivery changes their row in a snapshot.
  await server.app.localWebhooks?.idle();
  return { email, token, userId: rawId(res.body.data!.viewer.id) };
}

async function createKey(who: Person, input: Record<string, unknown> = {}): Promise<CreatedKey> {
  const res = await gql<{ createApiKey: CreatedKey }>(server, who.token, CREATE, {
    input: { name: 'script', scopes: ['READ'], ...input },
  });
  if (!res.body.data?.createApiKey) throw new Error(JSON.stringify(res.body.errors));
  return res.body.data.createApiKey;
}

/**
 * Everything of the user's that a key mutation could touch, read by the superuser. A key's last use
 * is left out: using a key (even in a refused request) records it.
 */
async function snapshot(userId: string) {
  const { rows } = await superuser.query<{ snapshot: unknown }>(
    `SELECT json_build_object(
       'user', (SELECT row_to_json(u) FROM users u WHERE u.id = $1),
       'keys', (SELECT coalesce(json_agg(to_jsonb(k) - 'last_used_at' ORDER BY k.id), '[]')
                FROM api_keys k WHERE k.owner_id = $1),
       'listings', (SELECT coalesce(json_agg(l ORDER BY l.id), '[]') FROM listings l WHERE l.owner_id = $1),
       'audit', (SELECT coalesce(json_agg(a ORDER BY a.id), '[]') FROM audit_events a
                 WHERE a.actor_id = $1 OR a.subject_user_id = $1)) AS snapshot`,
    [userId],
  );
  return rows[0]!.snapshot;
}

async function keyRows(userId: string) {
  const { rows } = await superuser.query<{ id: string; prefix: string; hash: string; name: string; scopes: string[] }>(
    `SELECT id, prefix, hash, name, scopes FROM api_keys WHERE owner_id = $1 ORDER BY created_at`,
    [userId],
  );
  return rows;
}

beforeAll(async () => {
  server = await startTestServer();
  const { url, superuserUrl } = inject('database');
  superuser = await connectAs(withDatabase(superuserUrl, databaseOf(url)));
});

afterAll(async () => {
  await server?.app.localWebhooks?.idle();
  await server?.close();
  await superuser?.end();
});

describe('createApiKey', () => {
  it('answers the secret once, stores only its SHA-256, and records the event in the same transaction', async () => {
    const me = await person();
    const expiresAt = new Date(Date.now() + 30 * DAY).toISOString();
    const { apiKey, secret } = await createKey(me, {
      name: '  nightly import  ',
      scopes: ['WRITE', 'READ', 'WRITE'],
      expiresAt,
    });
    expect(secret).toMatch(/^dbk_[a-z2-7]{8}_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toEqual({
      id: expect.any(String),
      name: 'nightly import',
      prefix: secret.slice(0, 12),
      scopes: ['READ', 'WRITE'],
      createdAt: expect.any(String),
      expiresAt,
      lastUsedAt: null,
      revokedAt: null,
    });

    const [row, ...others] = await keyRows(me.userId);
    expect(others).toEqual([]);
    expect(row).toEqual({
      id: rawId(apiKey.id),
      prefix: apiKey.prefix,
      hash: createHash('sha256').update(secret).digest('hex'),
      name: 'nightly import',
      scopes: ['READ', 'WRITE'],
    });
    // The secret is nowhere in the database: not in the row, not in the audit event.
    const { rows: leaks } = await superuser.query(
      `SELECT 1 FROM api_keys k WHERE row_to_json(k)::text LIKE '%' || $1 || '%'
       UNION ALL SELECT 1 FROM audit_events a WHERE a.metadata::text LIKE '%' || $1 || '%'`,
      [secret.slice(13)],
    );
    expect(leaks).toEqual([]);

    const { rows: events } = await superuser.query(
      `SELECT type, actor_id, subject_user_id, metadata FROM audit_events WHERE subject_user_id = $1 AND type LIKE 'api_key.%'`,
      [me.userId],
    );
    expect(events).toEqual([
      {
        type: 'api_key.created',
        actor_id: me.userId,
        subject_user_id: me.userId,
        metadata: { keyId: rawId(apiKey.id), prefix: apiKey.prefix, name: 'nightly import', scopes: ['READ', 'WRITE'] },
      },
    ]);
  });

  it('makes keys that work at once as their owner', async () => {
    const me = await person();
    const { secret } = await createKey(me);
    const res = await gql<{ viewer: { email: string } }>(server, secret, '{ viewer { email } }');
    expect(res.body).toEqual({ data: { viewer: { email: me.email } } });
  });

  it.each([
    ['an empty name', { name: '' }, 'input.name', 'Name is required'],
    ['a blank name', { name: '   ' }, 'input.name', 'Name is required'],
    ['a name of 101 characters', { name: 'n'.repeat(101) }, 'input.name', 'Name must be at most 100 characters'],
    ['no scopes', { scopes: [] }, 'input.scopes', 'Choose at least one scope'],
    [
      'an expiry in the past',
      { expiresAt: new Date(Date.now() - 60_000).toISOString() },
      'input.expiresAt',
      'The expiry must be in the future',
    ],
    [
      'an expiry more than 365 days ahead',
      { expiresAt: new Date(Date.now() + 366 * DAY).toISOString() },
      'input.expiresAt',
      'The expiry must be at most 365 days ahead',
    ],
  ])('refuses %s with BAD_USER_INPUT at its path, and writes nothing', async (_name, input, path, message) => {
    const me = await person();
    const before = await snapshot(me.userId);
    const res = await gql(server, me.token, CREATE, { input: { name: 'ok', scopes: ['READ'], ...input } });
    expect(res.body.data).toBeNull();
    expect(res.body.errors).toEqual([
      expect.objectContaining({ message, extensions: { code: 'BAD_USER_INPUT', issues: [{ path, message }] } }),
    ]);
    expect(await snapshot(me.userId)).toEqual(before);
  });

  it('refuses an unknown scope with BAD_USER_INPUT before anything runs, and writes nothing', async () => {
    const me = await person();
    const before = await snapshot(me.userId);
    const res = await gql(server, me.token, CREATE, { input: { name: 'ok', scopes: ['ADMIN'] } });
    expect(res.status).toBeLessThan(500);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors?.[0]?.message).toContain('"ADMIN" does not exist in "ApiKeyScope" enum');
    expect(res.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      issues: [{ path: 'input.scopes.0', message: expect.any(String) }],
    });
    expect(await snapshot(me.userId)).toEqual(before);
  });

  it('refuses an expiry that is not a date with BAD_USER_INPUT, and writes nothing', async () => {
    const me = await person();
    const before = await snapshot(me.userId);
    const res = await gql(server, me.token, CREATE, {
      input: { name: 'ok', scopes: ['READ'], expiresAt: 'next week' },
    });
    expect(res.body.data ?? null).toBeNull();
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(await snapshot(me.userId)).toEqual(before);
  });

  it('allows at most 10 live keys; revoked and expired ones do not count', async () => {
    const me = await person();
    const keys: CreatedKey[] = [];
    for (let i = 0; i < 10; i++) keys.push(await createKey(me, { name: `key ${i}` }));
    const before = await snapshot(me.userId);
    const refused = await gql(server, me.token, CREATE, { input: { name: 'eleventh', scopes: ['READ'] } });
    expect(refused.body.errors).toEqual([
      expect.objectContaining({
        message: 'You can have at most 10 active API keys: revoke one first',
        extensions: { code: 'BAD_USER_INPUT' },
      }),
    ]);
    expect(await snapshot(me.userId)).toEqual(before);

    await gql(server, me.token, REVOKE, { input: { id: keys[0]!.apiKey.id } });
    await createKey(me, { name: 'after a revocation' });
    await superuser.query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      rawId(keys[1]!.apiKey.id),
    ]);
    await createKey(me, { name: 'after an expiry' });
    const again = await gql(server, me.token, CREATE, { input: { name: 'too many', scopes: ['READ'] } });
    expect(codeOf(again)).toBe('BAD_USER_INPUT');
    expect(await keyRows(me.userId)).toHaveLength(12);
  });

  it('holds the cap under concurrent creates: 15 at once make exactly 10 keys', async () => {
    const me = await person();
    const answers = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        gql(server, me.token, CREATE, { input: { name: `racing ${i}`, scopes: ['READ'] } }),
      ),
    );
    expect(answers.filter((res) => res.body.data?.createApiKey).length).toBe(10);
    expect(answers.filter((res) => codeOf(res) === 'BAD_USER_INPUT').length).toBe(5);
    expect(await keyRows(me.userId)).toHaveLength(10);
  });
});

describe('User.apiKeys', () => {
  it('lists the viewer’s keys newest first, revoked ones included, page by page', async () => {
    const me = await person();
    const stranger = await person('stranger');
    await createKey(stranger, { name: 'not mine' });
    const made = [];
    for (const name of ['first', 'second', 'third']) made.push(await createKey(me, { name }));
    await gql(server, me.token, REVOKE, { input: { id: made[1]!.apiKey.id } });

    type Page = {
      viewer: {
        apiKeys: {
          totalCount: number;
          pageInfo: { hasNextPage: boolean; endCursor: string };
          edges: { node: { name: string; revokedAt: string | null; prefix: string; scopes: string[] } }[];
        };
      };
    };
    const first = await gql<Page>(server, me.token, LIST, { first: 2 });
    const { apiKeys } = first.body.data!.viewer;
    expect(apiKeys.totalCount).toBe(3);
    expect(apiKeys.pageInfo.hasNextPage).toBe(true);
    expect(apiKeys.edges.map((edge) => [edge.node.name, edge.node.revokedAt !== null])).toEqual([
      ['third', false],
      ['second', true],
    ]);
    const rest = await gql<Page>(server, me.token, LIST, { first: 2, after: apiKeys.pageInfo.endCursor });
    expect(rest.body.data!.viewer.apiKeys.edges.map((edge) => edge.node)).toEqual([
      { id: made[0]!.apiKey.id, name: 'first', prefix: made[0]!.apiKey.prefix, scopes: ['READ'], revokedAt: null },
    ]);
  });

  it('shows no secret and no hash: the type has no such field', () => {
    const type = schema.getType('ApiKey') as unknown as { getFields(): Record<string, unknown> };
    expect(Object.keys(type.getFields()).sort()).toEqual(
      ['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt', 'scopes'].sort(),
    );
  });

  it('is empty on another user’s User, even for an admin who reads that user', async () => {
    const owner = await person('owner');
    await createKey(owner);
    const admin = await person('admin');
    await superuser.query(`UPDATE users SET role = 'ADMIN' WHERE id = $1`, [admin.userId]);
    const res = await gql<{ node: { apiKeys: { totalCount: number } } }>(
      server,
      admin.token,
      `query($id: ID!) { node(id: $id) { ... on User { email apiKeys(first: 10) { totalCount edges { node { id } } } } } }`,
      { id: globalId('User', owner.userId) },
    );
    expect(res.body).toEqual({ data: { node: { email: owner.email, apiKeys: { totalCount: 0, edges: [] } } } });
  });
});

describe('revokeApiKey', () => {
  it('ends the key, records the event once, and a second revocation returns it unchanged', async () => {
    const me = await person();
    const { apiKey, secret } = await createKey(me);
    const res = await gql<{ revokeApiKey: { apiKey: { id: string; revokedAt: string } } }>(server, me.token, REVOKE, {
      input: { id: apiKey.id },
    });
    const revokedAt = res.body.data!.revokeApiKey.apiKey.revokedAt;
    expect(res.body.data).toEqual({ revokeApiKey: { apiKey: { id: apiKey.id, revokedAt: expect.any(String) } } });
    expect(Math.abs(Date.parse(revokedAt) - Date.now())).toBeLessThan(60_000);
    expect((await gql(server, secret, '{ viewer { id } }')).status).toBe(401);

    const again = await gql(server, me.token, REVOKE, { input: { id: apiKey.id } });
    expect(again.body).toEqual({ data: { revokeApiKey: { apiKey: { id: apiKey.id, revokedAt } } } });
    const { rows } = await superuser.query(
      `SELECT metadata FROM audit_events WHERE subject_user_id = $1 AND type = 'api_key.revoked'`,
      [me.userId],
    );
    expect(rows).toEqual([
      { metadata: { keyId: rawId(apiKey.id), prefix: apiKey.prefix, name: 'script', scopes: ['READ'] } },
    ]);
  });

  it('is NOT_FOUND for another user’s key (an admin’s too), exactly as for a made-up id, and changes nothing', async () => {
    const owner = await person('owner');
    const { apiKey, secret } = await createKey(owner);
    const stranger = await person('stranger');
    const admin = await person('admin');
    await superuser.query(`UPDATE users SET role = 'ADMIN' WHERE id = $1`, [admin.userId]);
    const before = await snapshot(owner.userId);
    const madeUp = await gql(server, stranger.token, REVOKE, { input: { id: globalId('ApiKey', randomUUID()) } });
    expect(codeOf(madeUp)).toBe('NOT_FOUND');
    for (const caller of [stranger, admin]) {
      const res = await gql(server, caller.token, REVOKE, { input: { id: apiKey.id } });
      expect(res.body).toEqual(madeUp.body);
    }
    expect(await snapshot(owner.userId)).toEqual(before);
    expect((await gql(server, secret, '{ viewer { id } }')).status).toBe(200);
  });

  it('refuses an id of another type as BAD_USER_INPUT', async () => {
    const me = await person();
    const res = await gql(server, me.token, REVOKE, { input: { id: globalId('Listing', randomUUID()) } });
    expect(res.body.errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      issues: [{ path: 'input.id', message: 'Expected an ApiKey id' }],
    });
  });
});

/** A document that calls `field` with every argument as a variable; no variables are sent. */
function documentFor(field: GraphQLField<unknown, unknown>): string {
  const declared = field.args.map((arg) => `$${arg.name}: ${arg.type.toString()}`).join(', ');
  const passed = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  return `mutation ${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''} { __typename } }`;
}

describe('a request with an API key', () => {
  let owner: Person;
  let readKey: string;
  let writeKey: string;

  beforeAll(async () => {
    owner = await person('owner');
    readKey = (await createKey(owner, { name: 'read', scopes: ['READ'] })).secret;
    writeKey = (await createKey(owner, { name: 'write', scopes: ['READ', 'WRITE'] })).secret;
  });

  const mutations = Object.values(schema.getMutationType()!.getFields());

  it('walks a schema with mutations that take input objects', () => {
    expect(mutations.length).toBeGreaterThan(15);
    expect(
      mutations.some((field) =>
        field.args.some((arg) => isNonNullType(arg.type) && isInputObjectType(getNamedType(arg.type))),
      ),
    ).toBe(true);
  });

  it.each(mutations.map((field) => [field.name, field] as const))(
    'with the READ scope only, cannot run %s: FORBIDDEN before anything runs, nothing changed',
    async (_name, field) => {
      const before = await snapshot(owner.userId);
      const res = await gql(server, readKey, documentFor(field));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        errors: [
          {
            message: 'This API key is read-only: mutations need the WRITE scope',
            extensions: { code: 'FORBIDDEN' },
          },
        ],
      });
      expect(await snapshot(owner.userId)).toEqual(before);
    },
  );

  it('the same documents reach execution with a WRITE key (the refusal is the scope’s, not the document’s)', async () => {
    const field = schema.getMutationType()!.getFields().createListing!;
    const res = await gql(server, writeKey, documentFor(field));
    expect(codesOf(res)).not.toContain('FORBIDDEN');
  });

  it('reads with the READ scope, and writes with the WRITE scope', async () => {
    const created = await gql<{ createListing: { listing: { id: string } } }>(
      server,
      writeKey,
      `mutation { createListing(input: { title: "via a key", price: "10.00" }) { listing { id } } }`,
    );
    const id = created.body.data!.createListing.listing.id;
    const read = await gql(server, readKey, `query($id: ID!) { listing(id: $id) { title } }`, { id });
    expect(read.body).toEqual({ data: { listing: { title: 'via a key' } } });
    const { rows } = await superuser.query(`SELECT owner_id FROM listings WHERE id = $1`, [rawId(id)]);
    expect(rows).toEqual([{ owner_id: owner.userId }]);
  });

  // The contract: a leaked key must not mint keys, lock its owner out, or change who they are. Each
  // with a valid input, so the refusal is the scope's (sessionCredential), and nothing changes.
  const SESSION_ONLY: [string, string, (key: CreatedKey) => Record<string, unknown>][] = [
    [
      'createApiKey',
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
      () => ({ input: { name: 'minted by a key', scopes: ['READ', 'WRITE'] } }),
    ],
    [
      'revokeApiKey',
      `mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { apiKey { id } } }`,
      (key) => ({ input: { id: key.apiKey.id } }),
    ],
    [
      'updateProfile',
      `mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { user { firstName } } }`,
      () => ({ input: { firstName: 'Mallory', lastName: 'Key' } }),
    ],
    [
      'updateProfileImage',
      `mutation($input: UpdateProfileImageInput!) { updateProfileImage(input: $input) { user { id } } }`,
      () => ({ input: { contentType: 'image/gif', data: 'R0lGODlhAQABAAAAACw=' } }),
    ],
    ['removeProfileImage', `mutation { removeProfileImage { user { id } } }`, () => ({})],
    [
      'updatePreferences',
      `mutation($input: UpdatePreferencesInput!) { updatePreferences(input: $input) { user { id } } }`,
      () => ({ input: { notifications: { securityAlerts: false } } }),
    ],
    [
      'revokeSession',
      `mutation($input: RevokeSessionInput!) { revokeSession(input: $input) { sessionId } }`,
      () => ({ input: { sessionId: 'sess_0000000000000000000000000000' } }),
    ],
  ];

  it.each(SESSION_ONLY)(
    'with the WRITE scope, still cannot run %s: FORBIDDEN, nothing changed',
    async (name, document, variables) => {
      const mutation = schema.getMutationType()!.getFields()[name];
      expect(mutation, `Mutation.${name} exists`).toBeDefined();
      const victim = await createKey(owner, { name: `target of ${name}` });
      const before = await snapshot(owner.userId);
      const res = await gql(server, writeKey, document, variables(victim));
      expect(codesOf(res)).toEqual(['FORBIDDEN']);
      expect(res.body.data ?? null).toBeNull();
      expect(await snapshot(owner.userId)).toEqual(before);
      await gql(server, owner.token, REVOKE, { input: { id: victim.apiKey.id } });
    },
  );

  it('cannot read the viewer’s sessions (FORBIDDEN), but can list its owner’s keys', async () => {
    const sessions = await gql(server, readKey, `{ viewer { sessions { id } } }`);
    expect(codesOf(sessions)).toEqual(['FORBIDDEN']);
    const keys = await gql<{ viewer: { apiKeys: { totalCount: number } } }>(
      server,
      readKey,
      `{ viewer { apiKeys(first: 1) { totalCount } } }`,
    );
    expect(keys.body.data!.viewer.apiKeys.totalCount).toBeGreaterThanOrEqual(2);
  });

  it('of an admin acts as a plain user: no admin-only field, and only the owner’s own rows', async () => {
    const admin = await person('admin');
    await superuser.query(`UPDATE users SET role = 'ADMIN' WHERE id = $1`, [admin.userId]);
    const adminKey = (await createKey(admin, { name: 'admin key', scopes: ['READ', 'WRITE'] })).secret;
    const someone = await person('someone');
    const listing = await gql<{ createListing: { listing: { id: string } } }>(
      server,
      someone.token,
      `mutation { createListing(input: { title: "someone's", price: "1.00" }) { listing { id } } }`,
    );
    const id = listing.body.data!.createListing.listing.id;
    const read = `query($id: ID!) { listing(id: $id) { id } }`;

    // The admin's session reaches both; the admin's key neither.
    expect((await gql(server, admin.token, `{ users(first: 1) { totalCount } }`)).body.errors).toBeUndefined();
    expect((await gql(server, admin.token, read, { id })).body).toEqual({ data: { listing: { id } } });
    const users = await gql(server, adminKey, `{ users(first: 1) { totalCount } }`);
    expect(codesOf(users)).toEqual(['FORBIDDEN']);
    expect((await gql(server, adminKey, read, { id })).body).toEqual({ data: { listing: null } });
  });
});

describe('the example client (examples/api-client)', () => {
  const exampleDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../examples/api-client');
  const run = promisify(execFile);

  /** Runs the example as a program: its stdout, or its exit code and stderr. */
  async function runExample(apiKey: string, args: string[] = []) {
    try {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
        cwd: exampleDir,
        env: { ...process.env, DEALBRAIN_API_URL: server.graphqlUrl, DEALBRAIN_API_KEY: apiKey },
        timeout: 30_000,
      });
      return { code: 0, stdout: JSON.parse(stdout) as unknown, stderr: '' };
    } catch (error) {
      const failed = error as { code: number; stderr: string };
      return { code: failed.code, stdout: null, stderr: failed.stderr };
    }
  }

  it('has typed documents generated from the current schema.graphql (run `npm run codegen` there if not)', async () => {
    // The config's paths are relative to the working directory it was loaded in, as are the outputs'.
    const outputs = (await generate({ ...codegenConfig, silent: true }, false)) as {
      filename: string;
      content: string;
    }[];
    expect(outputs.map((output) => path.relative(exampleDir, path.resolve(output.filename))).sort()).toEqual([
      'src/generated/gql.ts',
      'src/generated/graphql.ts',
      'src/generated/index.ts',
    ]);
    for (const output of outputs) {
      const onDisk = await readFile(path.resolve(output.filename), 'utf8').catch(() => '(missing)');
      expect(onDisk, `${output.filename} is stale`).toBe(output.content);
    }
  }, 60_000);

  it('adds a listing and lists the newest with a WRITE key, as the key’s owner', async () => {
    const me = await person('script');
    const { secret } = await createKey(me, { name: 'example', scopes: ['READ', 'WRITE'] });
    const result = await runExample(secret, ['--add', 'ThinkPad T14', '450.00']);
    expect(result).toEqual({
      code: 0,
      stderr: '',
      stdout: {
        viewer: me.email,
        added: { id: expect.any(String), title: 'ThinkPad T14', price: '450.00' },
        listings: { totalCount: 1, newest: [{ title: 'ThinkPad T14', price: '450.00' }] },
      },
    });
  }, 60_000);

  it('reports FORBIDDEN for a write with a READ key, and UNAUTHENTICATED once the key is revoked', async () => {
    const me = await person('script');
    const { apiKey, secret } = await createKey(me, { name: 'example', scopes: ['READ'] });
    const write = await runExample(secret, ['--add', 'nope', '1.00']);
    expect(write).toMatchObject({ code: 1, stderr: expect.stringContaining('API error FORBIDDEN (HTTP 200)') });
    await gql(server, me.token, REVOKE, { input: { id: apiKey.id } });
    const revoked = await runExample(secret);
    expect(revoked).toMatchObject({ code: 1, stderr: expect.stringContaining('API error UNAUTHENTICATED (HTTP 401)') });
    // The program never echoes the key.
    expect(`${write.stderr}${revoked.stderr}`).not.toContain(secret.slice(13));
  }, 60_000);

  it('types its answers from the schema (the client in-process)', async () => {
    const me = await person('script');
    const { secret } = await createKey(me);
    const client = createClient({ url: server.graphqlUrl, apiKey: secret });
    const { listings } = await client.request(RecentListingsDocument, { first: 1 });
    expect(listings.totalCount).toBe(0);
    const wrong = createClient({ url: server.graphqlUrl, apiKey: `${secret.slice(0, 13)}${'x'.repeat(43)}` });
    const refused = await wrong.request(RecentListingsDocument, { first: 1 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({
      message: 'The presented credential is invalid or expired',
      code: 'UNAUTHENTICATED',
      status: 401,
    });
  });
});
