// Rate limits (issue 13, ADR 0060) against the real PostgreSQL store: hammering with bad tokens gets
// 429 while another address is served; an IPv6 client is counted by its /64; two instances on one
// database share the counters; a user over their GraphQL budget gets 429 with Retry-After (and their
// operation does nothing) while another user is served; invalid documents, variable page sizes and
// trivial operations are charged too. Each test's traffic comes from loopback addresses of its own
// (127.x.y.z as the socket's local address), or from addresses of its own named in X-Forwarded-For
// (the servers trust loopback as their proxy), so no other test server's traffic counts against them.
import http from 'node:http';
import { randomInt, randomUUID } from 'node:crypto';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type pg from 'pg';
import { schema } from '#src/graphql/schema.js';
import { operationCost } from '#src/rate-limit/operation-cost.js';
import { addressKey } from '#src/rate-limit/address-key.js';
import { hashedKey, MIN_OPERATION_COST } from '#src/rate-limit/limits.js';
import { newIdentity, startTestServer, type TestServer } from '../support/server.js';
import { connectAs, databaseOf, sqlError, withDatabase, withRollback } from '../support/sql.js';

const WINDOW_SECONDS = 120;
/** Five refused credentials fit (5 × 10 = 50); the sixth is refused. */
const LIMITS = {
  RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
  RATE_LIMIT_ADDRESS_POINTS: '50',
  RATE_LIMIT_AUTH_FAILURE_COST: '10',
};
/** What a request costs its viewer: its operation's cost, at least the minimum. */
const charge = (cost: number) => Math.max(MIN_OPERATION_COST, cost);
const LISTINGS = '{ listings(first: 50) { edges { node { id title } } } }';
const LISTINGS_COST = operationCost(schema, parse(LISTINGS));
/** The same page, its size a variable. */
const LISTINGS_BY_VARIABLE = 'query Page($n: Int) { listings(first: $n) { edges { node { id title } } } }';
/** Exactly three LISTINGS queries per window. */
const USER_POINTS = LISTINGS_COST * 3;

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };
}

/** A loopback address no other test uses: 127.0.0.1 is everyone's. */
function freshLoopback(): string {
  return `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(2, 255)}`;
}

interface PostOptions {
  variables?: Record<string, unknown>;
  /** Sent as it is instead of `{ query, variables }`. */
  body?: string;
  /** Content-Type, application/json unless given. */
  contentType?: string;
  /** The client a trusted proxy names (X-Forwarded-For). */
  forwardedFor?: string;
}

/** POST /graphql from `from` (the socket's local address). */
function post(
  server: TestServer,
  from: string,
  token: string | null,
  query: string,
  options: PostOptions = {},
): Promise<Reply> {
  const body = options.body ?? JSON.stringify({ query, variables: options.variables });
  return new Promise((resolve, reject) => {
    const req = http.request(
      server.graphqlUrl,
      {
        method: 'POST',
        localAddress: from,
        agent: false,
        headers: {
          'content-type': options.contentType ?? 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(options.forwardedFor ? { 'x-forwarded-for': options.forwardedFor } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          // A 415 has no body.
          resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(text || '{}') as Reply['body'] }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function expectRateLimited(reply: Reply): void {
  expect(reply.status).toBe(429);
  expect(reply.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  const retryAfter = Number(reply.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
}

async function refusals(server: TestServer, limiter: string): Promise<number> {
  const metric = await server.app.metrics.rateLimitRefusals.get();
  return metric.values.find((v) => v.labels.limiter === limiter)?.value ?? 0;
}

const badToken = () => `not-a-token-${randomUUID()}`;

/** A /64 no other test uses (2001:db8::/32 is the documentation prefix), as `2001:db8:x:y:`. */
function freshIpv6Network(): string {
  return `2001:db8:${randomInt(0, 0x10000).toString(16)}:${randomInt(0, 0x10000).toString(16)}:`;
}

let one: TestServer;
let two: TestServer;
let superuser: pg.Client;

beforeAll(async () => {
  const env = {
    ...LIMITS,
    // The tests' own sockets (loopback) play a proxy: X-Forwarded-For names the client when a test sends it.
    TRUSTED_PROXIES: 'loopback',
    RATE_LIMIT_USER_POINTS: String(USER_POINTS),
    RATE_LIMIT_API_KEY_POINTS: String(USER_POINTS),
  };
  [one, two] = await Promise.all([startTestServer(env), startTestServer(env)]);
  const { superuserUrl, url } = inject('database');
  superuser = await connectAs(withDatabase(superuserUrl, databaseOf(url)));
});

afterAll(async () => {
  await Promise.all([one?.close(), two?.close()]);
  await superuser?.end();
});

describe('per client address', () => {
  it('hammering with bad tokens gets 429 with Retry-After; good traffic from another address does not', async () => {
    const attacker = freshLoopback();
    const bystander = freshLoopback();
    const good = await newIdentity(one, 'good');
    const before = await refusals(one, 'address');

    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await post(one, attacker, badToken(), LISTINGS)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    expectRateLimited(await post(one, attacker, badToken(), LISTINGS));
    // Refused before its credential is looked at: the blocked address gets to try nothing more, good tokens included.
    expectRateLimited(await post(one, attacker, good.token, LISTINGS));
    expect(await refusals(one, 'address')).toBe(before + 5);

    // Another address: its good traffic, anonymous requests and even a bad token of its own are answered.
    expect((await post(one, bystander, good.token, LISTINGS)).status).toBe(200);
    expect((await post(one, bystander, null, '{ __typename }')).status).toBe(200);
    expect((await post(one, bystander, badToken(), LISTINGS)).status).toBe(401);
  });

  it('anonymous requests cost 1 point each, a refused credential 10', async () => {
    const address = freshLoopback();
    for (let i = 0; i < 40; i++) expect((await post(one, address, null, '{ __typename }')).status).toBe(200);
    // 40 spent: one refused credential fits (50), the next anonymous request does not.
    expect((await post(one, address, badToken(), LISTINGS)).status).toBe(401);
    expectRateLimited(await post(one, address, null, '{ __typename }'));
  });

  it('the counters are shared by two server instances on one database', async () => {
    const address = freshLoopback();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await post(i % 2 ? two : one, address, badToken(), LISTINGS)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expectRateLimited(await post(one, address, badToken(), LISTINGS));
    expectRateLimited(await post(two, address, badToken(), LISTINGS));
  });

  it('an IPv6 client is counted by its /64: a fresh address per request gets no fresh budget', async () => {
    const proxy = freshLoopback();
    const network = freshIpv6Network();
    const statuses: number[] = [];
    for (let i = 1; i <= 6; i++) {
      const client = `${network}${i.toString(16)}:0:0:${randomInt(1, 0x10000).toString(16)}`;
      statuses.push((await post(one, proxy, badToken(), LISTINGS, { forwardedFor: client })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expectRateLimited(
      await post(one, proxy, null, '{ __typename }', { forwardedFor: `${network}ffff:ffff:ffff:ffff` }),
    );
    // Another /64 behind the same proxy is another client.
    expect((await post(one, proxy, badToken(), LISTINGS, { forwardedFor: `${freshIpv6Network()}:1` })).status).toBe(
      401,
    );
    // What is stored is the hash of the /64.
    const { rows } = await superuser.query<{ points: number }>(`SELECT points FROM rate_limits WHERE key = $1`, [
      `address:${hashedKey(addressKey(`${network}:1`))}`,
    ]);
    expect(rows).toEqual([{ points: 60 }]);
  });

  it('an IPv4-mapped IPv6 address is counted as the IPv4 address', async () => {
    const proxy = freshLoopback();
    const client = `198.51.100.${randomInt(1, 255)}`;
    const forms = [client, `::ffff:${client}`, client, `::ffff:${client}`, client, `::ffff:${client}`];
    const statuses: number[] = [];
    for (const form of forms)
      statuses.push((await post(one, proxy, badToken(), LISTINGS, { forwardedFor: form })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('stores a hash, never the address', async () => {
    const address = freshLoopback();
    await post(one, address, badToken(), LISTINGS);
    const { rows } = await superuser.query<{ key: string; points: number }>(
      `SELECT key, points FROM rate_limits WHERE key = $1 OR key LIKE $2`,
      [`address:${hashedKey(address)}`, `%${address}%`],
    );
    expect(rows).toEqual([{ key: `address:${hashedKey(address)}`, points: 10 }]);
  });
});

describe('per user and per API key, weighted by cost', () => {
  it('a user over their GraphQL budget gets 429 with Retry-After while another user does not', async () => {
    const from = freshLoopback();
    const heavy = await newIdentity(one, 'heavy');
    const light = await newIdentity(one, 'light');
    const before = await refusals(one, 'user');

    for (let i = 0; i < 3; i++) expect((await post(one, from, heavy.token, LISTINGS)).status).toBe(200);
    const refused = await post(one, from, heavy.token, LISTINGS);
    expectRateLimited(refused);
    expect(refused.body.data ?? null).toBeNull();
    expect(await refusals(one, 'user')).toBe(before + 1);

    // Same address, another user: served.
    expect((await post(one, from, light.token, LISTINGS)).status).toBe(200);
  });

  it('an operation over the budget does nothing', async () => {
    const writer = await newIdentity(one, 'writer');
    const from = freshLoopback();
    const title = `rate-limited ${randomUUID()}`;
    const create = `mutation { createListing(input: { title: "${title}", price: "1.00" }) { listing { id title cpu gpu notes url ramGb storageGb condition } } }`;
    const spent = LISTINGS_COST * 3;
    expect(spent + charge(operationCost(schema, parse(create)))).toBeGreaterThan(USER_POINTS);
    for (let i = 0; i < 3; i++) expect((await post(one, from, writer.token, LISTINGS)).status).toBe(200);
    expectRateLimited(await post(one, from, writer.token, create));
    const { rows } = await superuser.query(`SELECT 1 FROM listings WHERE title = $1`, [title]);
    expect(rows).toEqual([]);
  });

  it('an API key has a budget of its own, shared by both instances', async () => {
    const owner = await newIdentity(one, 'key-owner');
    const from = freshLoopback();
    const created = await post(
      one,
      from,
      owner.token,
      'mutation { createApiKey(input: { name: "rate", scopes: [READ] }) { secret } }',
    );
    expect(created.status).toBe(200);
    const secret = (created.body.data as { createApiKey: { secret: string } }).createApiKey.secret;

    expect((await post(one, from, secret, LISTINGS)).status).toBe(200);
    expect((await post(two, from, secret, LISTINGS)).status).toBe(200);
    expect((await post(one, from, secret, LISTINGS)).status).toBe(200);
    expectRateLimited(await post(two, from, secret, LISTINGS));
    expect(await refusals(two, 'api_key')).toBeGreaterThanOrEqual(1);
    // The key's owner, signed in, has a budget apart from the key's.
    expect((await post(one, from, owner.token, LISTINGS)).status).toBe(200);
  });
});

describe('what a signed-in request costs', () => {
  it('the fixtures: LISTINGS costs more than the minimum, and a budget holds three of it', () => {
    expect(LISTINGS_COST).toBeGreaterThan(MIN_OPERATION_COST);
    expect(Math.floor(USER_POINTS / MIN_OPERATION_COST)).toBe(4);
  });

  it('a document that fails to parse or validate, or a body that is not GraphQL, costs the minimum', async () => {
    const sender = await newIdentity(one, 'invalid');
    const from = freshLoopback();
    const before = await refusals(one, 'user');
    const invalid: [string, PostOptions, string][] = [
      ['{ listings(', {}, 'GRAPHQL_PARSE_FAILED'],
      ['{ noSuchField }', {}, 'GRAPHQL_VALIDATION_FAILED'],
      ['', { body: '{"query": ' }, 'BAD_REQUEST'],
      ['', { body: LISTINGS, contentType: 'text/plain' }, 'UNSUPPORTED_MEDIA_TYPE'],
    ];
    // Four minimums fit the budget; the fifth request is refused, whatever it is.
    for (const [query, options, code] of invalid) {
      const reply = await post(one, from, sender.token, query, options);
      expect(reply.status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : reply.body.errors?.[0]?.extensions?.code).toBe(code);
    }
    const refused = await post(one, from, sender.token, '{ listings(');
    expectRateLimited(refused);
    expect(refused.body.errors).toEqual([
      {
        message: expect.stringMatching(/^Too many requests: retry after \d+ s$/),
        extensions: { code: 'RATE_LIMITED' },
      },
    ]);
    expectRateLimited(await post(one, from, sender.token, '{ __typename }'));
    expect(await refusals(one, 'user')).toBe(before + 2);
    // Another user on the same address is served.
    const other = await newIdentity(one, 'valid');
    expect((await post(one, from, other.token, LISTINGS)).status).toBe(200);
  });

  it('a page size sent as a variable costs what the same literal costs', async () => {
    const reader = await newIdentity(one, 'variable-page');
    const from = freshLoopback();
    expect(operationCost(schema, parse(LISTINGS_BY_VARIABLE), { n: 50 })).toBe(LISTINGS_COST);
    for (let i = 0; i < 3; i++) {
      expect((await post(one, from, reader.token, LISTINGS_BY_VARIABLE, { variables: { n: 50 } })).status).toBe(200);
    }
    expectRateLimited(await post(one, from, reader.token, LISTINGS_BY_VARIABLE, { variables: { n: 50 } }));
  });

  it('a trivial operation costs the minimum', async () => {
    const caller = await newIdentity(one, 'trivial');
    const from = freshLoopback();
    expect(operationCost(schema, parse('{ __typename }'))).toBeLessThan(MIN_OPERATION_COST);
    for (let i = 0; i < 4; i++) expect((await post(one, from, caller.token, '{ __typename }')).status).toBe(200);
    expectRateLimited(await post(one, from, caller.token, '{ __typename }'));
  });
});

describe('app_rate_limit', () => {
  it('is what the limiter runs as: it reads and writes rate_limits, and nothing else', async () => {
    const client = await connectAs(inject('database').url);
    try {
      await withRollback(client, async (tx) => {
        await tx.query(`SELECT set_config('role', 'app_rate_limit', true)`);
        await tx.query(`INSERT INTO rate_limits (key, points, expire) VALUES ($1, 1, NULL)`, [`test:${randomUUID()}`]);
        expect(await sqlError(tx.query('SELECT 1 FROM users LIMIT 1'))).toMatchObject({
          message: 'permission denied for table users',
        });
      });
    } finally {
      await client.end();
    }
  });
});
