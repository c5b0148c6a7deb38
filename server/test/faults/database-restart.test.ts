// Issue 14, faults: PostgreSQL stops and starts again while users read and write. Its own cluster
// (support/restartable-database.ts), so the other test files never see the outage. What must hold:
// - during the outage every request is answered fast, 503 SERVICE_UNAVAILABLE with Retry-After, none hangs;
// - after the restart the same server serves again (its pool recovers), with no restart of its own;
// - no answer is ever wrong: each user sees only their own data, and every write acknowledged as done exists
//   (a write applied whose answer could not be read back is a 200 with SERVICE_UNAVAILABLE at its payload:
//   acknowledged too, never 503, so that no client repeats it).
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRestartableDatabase, type RestartableDatabase } from '../support/restartable-database.js';
import { connectAs, databaseOf, withDatabase } from '../support/sql.js';
import { newIdentity, startTestServer, type TestServer } from '../support/server.js';

const USERS = 3;
const WORKERS_PER_USER = 2;
/** How long PostgreSQL stays down once stopped. */
const DOWN_MS = 3_000;
/** Generous: a request answered slower than this during the outage counts as hanging. */
const ANSWER_BOUND_MS = 7_000;
/** After the restart, each worker must see this many 200s in a row. */
const RECOVERED_STREAK = 5;
/** The whole run stops by itself after this long, whatever happens. */
const RUN_LIMIT_MS = 40_000;
/** Load before the database goes (after everyone has been served). */
const WARM_MS = 1_000;

const READ = '{ viewer { id } listings(first: 100) { edges { node { id title } } } }';
const WRITE = 'mutation($i: CreateListingInput!) { createListing(input: $i) { listing { id title } } }';

interface User {
  tag: string;
  clerkId: string;
  token: string;
  viewerId: string;
}

interface Outcome {
  user: string;
  kind: 'read' | 'write';
  startedAt: number;
  endedAt: number;
  status: number | 'no-answer';
  code: string | undefined;
  retryAfter: string | null;
  /** A refusal at a field's path (a resolver's statement failed), not before GraphQL ran (the viewer lookup). */
  atField: boolean;
  /** Why the answer is wrong (another user's data, a claimed write that is not there), if it is. */
  wrong: string | undefined;
  /** Title of a write the API acknowledged. */
  acknowledged: string | undefined;
}

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: unknown[]; extensions?: { code?: string } }[];
}

async function post(server: TestServer, token: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
    // Well past the bound: an answer slower than that is a failure either way, but the run must end.
    signal: AbortSignal.timeout(ANSWER_BOUND_MS * 2),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLBody };
}

/** What is wrong with a 200 read, if anything: every listing must be the user's own. */
function checkRead(user: User, body: GraphQLBody): string | undefined {
  if (body.errors?.length) return `200 with errors ${JSON.stringify(body.errors)}`;
  const data = body.data as { viewer: { id: string }; listings: { edges: { node: { title: string } }[] } };
  if (data.viewer.id !== user.viewerId) return `viewer ${data.viewer.id} is not ${user.viewerId}`;
  const foreign = data.listings.edges.find(({ node }) => !node.title.startsWith(`${user.tag}-`));
  return foreign ? `another user's listing ${foreign.node.title}` : undefined;
}

/**
 * A write applied whose answer could not be read back (the database went between the insert and the read of
 * its payload): SERVICE_UNAVAILABLE below the mutation field, without Retry-After, since a retry would write
 * twice (src/graphql/committed-mutations.ts). Acknowledged all the same: the row must exist.
 */
function appliedButUnread(body: GraphQLBody, retryAfter: string | null): boolean {
  return (
    retryAfter === null &&
    (body.errors ?? []).every(
      (error) =>
        error.extensions?.code === 'SERVICE_UNAVAILABLE' &&
        error.path?.[0] === 'createListing' &&
        error.path.length > 1,
    )
  );
}

function checkWrite(title: string, body: GraphQLBody, retryAfter: string | null): string | undefined {
  if (body.errors?.length) {
    return appliedButUnread(body, retryAfter) ? undefined : `200 with errors ${JSON.stringify(body.errors)}`;
  }
  const listing = (body.data as { createListing: { listing: { title: string } } }).createListing.listing;
  return listing.title === title ? undefined : `wrote ${listing.title}, asked for ${title}`;
}

/** One request of a worker, never throwing: its outcome, checked. */
async function request(server: TestServer, user: User, kind: 'read' | 'write', n: number): Promise<Outcome> {
  const title = `${user.tag}-${n}-${crypto.randomUUID().slice(0, 8)}`;
  const startedAt = performance.now();
  const outcome: Outcome = {
    user: user.tag,
    kind,
    startedAt,
    endedAt: startedAt,
    status: 'no-answer',
    code: undefined,
    retryAfter: null,
    atField: false,
    wrong: undefined,
    acknowledged: undefined,
  };
  try {
    const res =
      kind === 'read'
        ? await post(server, user.token, READ)
        : await post(server, user.token, WRITE, { i: { title, price: '100' } });
    outcome.status = res.status;
    outcome.code = res.body.errors?.[0]?.extensions?.code;
    outcome.retryAfter = res.headers.get('retry-after');
    outcome.atField = Boolean(res.body.errors?.[0]?.path);
    if (res.status === 200) {
      outcome.wrong = kind === 'read' ? checkRead(user, res.body) : checkWrite(title, res.body, outcome.retryAfter);
      if (kind === 'write' && !outcome.wrong) outcome.acknowledged = title;
    }
  } catch (error) {
    outcome.wrong = `no answer: ${(error as Error).message}`;
  }
  outcome.endedAt = performance.now();
  return outcome;
}

/** A steady load from every user until `stop()` says so; reads and writes alternate. */
function startLoad(server: TestServer, users: User[]) {
  const outcomes: Outcome[] = [];
  let stopped = false;
  const deadline = performance.now() + RUN_LIMIT_MS;
  const workers = users.flatMap((user) =>
    Array.from({ length: WORKERS_PER_USER }, async (_, worker) => {
      for (let n = 0; !stopped && performance.now() < deadline; n++) {
        const outcome = await request(server, user, (n + worker) % 2 === 0 ? 'read' : 'write', n);
        outcomes.push(outcome);
        // A refused client waits a little before trying again, as a real one would (Retry-After is longer).
        if (outcome.status !== 200) await sleep(25);
      }
    }),
  );
  return {
    outcomes,
    async stop() {
      stopped = true;
      await Promise.all(workers);
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > until) return false;
    await sleep(50);
  }
  return true;
}

/** Every user's last RECOVERED_STREAK answers, after `since`, were 200s. */
function recovered(outcomes: Outcome[], users: User[], since: number): boolean {
  return users.every((user) => {
    const after = outcomes.filter((o) => o.user === user.tag && o.startedAt > since);
    return after.length >= RECOVERED_STREAK && after.slice(-RECOVERED_STREAK).every((o) => o.status === 200);
  });
}

describe('PostgreSQL stopped and restarted under load', () => {
  let database: RestartableDatabase;
  let server: TestServer;
  let superuser: pg.Client;
  const users: User[] = [];

  beforeAll(async () => {
    database = await startRestartableDatabase();
    server = await startTestServer({ DATABASE_POOL_SIZE: '4' }, { databaseUrl: database.url });
    for (let i = 0; i < USERS; i++) {
      const tag = `u${i}${crypto.randomUUID().slice(0, 6)}`;
      const identity = await newIdentity(server, tag);
      const first = await post(server, identity.token, '{ viewer { id } }');
      const viewerId = (first.body.data as { viewer: { id: string } }).viewer.id;
      users.push({ tag, clerkId: identity.clerkId, token: identity.token, viewerId });
    }
  });

  afterAll(async () => {
    await superuser?.end().catch(() => undefined);
    await server?.close();
    await database?.destroy();
  });

  it('answers 503 fast during the outage, serves again after it, and never answers wrongly', async () => {
    const load = startLoad(server, users);
    let outcomes: Outcome[];
    let stopBegan: number;
    let startEnded: number;
    let stopTook: number;
    try {
      // Warm: everyone is served before the database goes.
      expect(await waitFor(() => recovered(load.outcomes, users, 0), 10_000)).toBe(true);
      await sleep(WARM_MS);

      stopBegan = performance.now();
      await database.stop();
      stopTook = performance.now() - stopBegan;
      await sleep(DOWN_MS);
      await database.start();
      startEnded = performance.now();

      expect(await waitFor(() => recovered(load.outcomes, users, startEnded), 20_000)).toBe(true);
    } finally {
      await load.stop();
      outcomes = load.outcomes;
    }

    // No wrong answer, ever: every one was checked as it came.
    expect(outcomes.filter((o) => o.wrong)).toEqual([]);
    // Only two kinds of answer: served, or 503 SERVICE_UNAVAILABLE with Retry-After.
    const refused = outcomes.filter((o) => o.status !== 200);
    expect(refused.length).toBeGreaterThan(0);
    for (const o of refused) {
      expect({ status: o.status, code: o.code, retryAfter: o.retryAfter }).toEqual({
        status: 503,
        code: 'SERVICE_UNAVAILABLE',
        retryAfter: expect.stringMatching(/^\d+$/),
      });
    }
    // None hung.
    const slowest = Math.max(...outcomes.map((o) => o.endedAt - o.startedAt));
    expect(slowest).toBeLessThan(ANSWER_BOUND_MS);

    // Every write acknowledged exists, owned by the user who made it.
    superuser = await connectAs(withDatabase(database.superuserUrl, databaseOf(database.url)));
    const acknowledged = outcomes.filter((o) => o.acknowledged);
    expect(acknowledged.length).toBeGreaterThan(0);
    const stored = await superuser.query<{ title: string; clerk_id: string }>(
      'SELECT l.title, u.clerk_id FROM listings l JOIN users u ON u.id = l.owner_id WHERE l.title = ANY($1)',
      [acknowledged.map((o) => o.acknowledged)],
    );
    const ownerOf = new Map(stored.rows.map((row) => [row.title, row.clerk_id]));
    const clerkIdOf = new Map(users.map((user) => [user.tag, user.clerkId]));
    const missing = acknowledged.filter((o) => ownerOf.get(o.acknowledged!) !== clerkIdOf.get(o.user));
    expect(missing).toEqual([]);

    // The outage as clients saw it: from the first refusal to the first answer served after it.
    const firstRefusal = Math.min(...refused.map((o) => o.endedAt));
    const firstServedAfter = Math.min(
      ...outcomes.filter((o) => o.status === 200 && o.endedAt > firstRefusal).map((o) => o.endedAt),
    );
    const servedDuring = outcomes.filter((o) => o.status === 200).length;
    console.log(
      `fault: outage window ${Math.round(firstServedAfter - firstRefusal)} ms as clients saw it ` +
        `(database down ${Math.round(startEnded - stopBegan)} ms: stop ${Math.round(stopTook)} ms, ` +
        `down ${DOWN_MS} ms, start ${Math.round(startEnded - stopBegan - stopTook - DOWN_MS)} ms); ` +
        `${outcomes.length} requests from ${USERS * WORKERS_PER_USER} workers: ${servedDuring} served, ` +
        `${refused.length} refused 503 (${refused.filter((o) => o.atField).length} of them by a resolver), slowest ${Math.round(slowest)} ms, ` +
        `${acknowledged.length} acknowledged writes all present ` +
        `(${outcomes.filter((o) => o.status === 200 && o.code === 'SERVICE_UNAVAILABLE').length} of them applied but not read back)`,
    );
  }, 90_000);
});
