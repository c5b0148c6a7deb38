// npm run bench (last part): what ordering the listings connection by a computed key costs, for one
// user with 5,000 listings. The same server answers `listings(first: 20)` newest first (the owner
// index), by score under the default scoring profile, and by valuation delta under the active
// ruleset, first page and a later page (through a cursor), interleaved round by round; reported as
// each order's median latency over the newest-first order's, measured in the same run.
// Knobs (env): BENCH_ORDER_LISTINGS (5000), BENCH_ORDER_ROUNDS (5), BENCH_ORDER_REQUESTS (40 per order
// and round). Exits non-zero when a page is not what the SQL functions say it must be.
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App } from '#src/app.js';
import { loadConfig } from '#src/config.js';
import { withClient } from '#src/db/bootstrap.js';
import { EMBEDDED_DATABASE_NAME, startEmbeddedDatabase } from '#src/db/embedded.js';
import { migrateUp } from '#src/db/migrations.js';
import { createLogger } from '#src/logging.js';
import { freePort } from '../test/support/free-port.js';
import { median, ms, table } from './stats.js';
import { positiveIntegerSetting } from './settings.js';

const LISTINGS = positiveIntegerSetting('BENCH_ORDER_LISTINGS', 5_000);
const ROUNDS = positiveIntegerSetting('BENCH_ORDER_ROUNDS', 5);
const REQUESTS = positiveIntegerSetting('BENCH_ORDER_REQUESTS', 40);
const EMAIL = 'bench-order@bench.example.test';

const ORDERS = {
  'created (index)': 'null',
  score: '{ field: SCORE }',
  'valuation delta': '{ field: VALUATION_DELTA }',
} as const;
type OrderName = keyof typeof ORDERS;

const pageQuery = (order: string) => `query Page($after: String) {
  listings(first: 20, after: $after, orderBy: ${order}) {
    edges { node { id title price } }
    pageInfo { endCursor hasNextPage }
  }
}`;

interface Page {
  ids: string[];
  endCursor: string | null;
}

async function fetchPage(url: string, token: string, order: string, after: string | null): Promise<Page> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: pageQuery(order), variables: { after } }),
  });
  const body = (await response.json()) as {
    data?: { listings: { edges: { node: { id: string } }[]; pageInfo: { endCursor: string | null } } };
    errors?: unknown[];
  };
  if (response.status !== 200 || body.errors || !body.data) {
    throw new Error(`listings ${order}: HTTP ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
  }
  const { edges, pageInfo } = body.data.listings;
  return {
    ids: edges.map((edge) => Buffer.from(edge.node.id, 'base64').toString().split(':')[1]!),
    endCursor: pageInfo.endCursor,
  };
}

/** 5,000 listings with varied specs, a default profile and an active ruleset, as the owner would have. */
async function loadFixtures(superuserUrl: string, userId: string): Promise<void> {
  await withClient(superuserUrl, async (client) => {
    await client.query(
      `INSERT INTO listings (owner_id, title, price, condition, cpu, gpu, ram_gb, storage_gb, created_at)
       SELECT $1::uuid, 'Order bench ' || g.n, (49.99 + (g.n * 37) % 2950)::numeric(12, 2),
              (ARRAY['NEW', 'LIKE_NEW', 'USED', 'REFURBISHED', 'FOR_PARTS'])[1 + g.n % 5]::"ListingCondition",
              (ARRAY['Intel Core i5-8500T', 'AMD Ryzen 7 5800X', 'Intel Core i9-13900K', 'Apple M2 Pro', NULL])[1 + g.n % 5],
              (ARRAY['NVIDIA RTX 3070', 'NVIDIA GTX 1660', 'AMD RX 7900 XT', NULL])[1 + g.n % 4],
              (ARRAY[8, 16, 32, 64, NULL])[1 + g.n % 5], (ARRAY[128, 256, 512, 1000, 2000])[1 + g.n % 5],
              timestamptz '2025-01-01' + g.n * interval '1 minute'
       FROM generate_series(1, $2::int) AS g(n)`,
      [userId, LISTINGS],
    );
    await client.query(
      `INSERT INTO scoring_profiles (owner_id, name, is_default, weights)
       VALUES ($1, 'Balanced', true, '{"price": 30, "cpu": 25, "gpu": 15, "ram": 15, "storage": 5, "condition": 10}')`,
      [userId],
    );
    await client.query(
      `INSERT INTO valuation_rulesets (owner_id, name, is_active, rules) VALUES ($1, 'Components', true, $2::jsonb)`,
      [
        userId,
        JSON.stringify([
          {
            when: { attribute: 'RAM_GB', operator: 'BELOW', value: 16 },
            adjust: { kind: 'SUBTRACT', amount: '30.00' },
          },
          { when: { attribute: 'RAM_GB', operator: 'ABOVE', value: 31 }, adjust: { kind: 'ADD', amount: '40.00' } },
          { when: { attribute: 'GPU', operator: 'CONTAINS', value: 'rtx' }, adjust: { kind: 'ADD', amount: '75.00' } },
          {
            when: { attribute: 'CONDITION', operator: 'EQUALS', value: 'FOR_PARTS' },
            adjust: { kind: 'MULTIPLY', factor: '0.3' },
          },
        ]),
      ],
    );
    await client.query('ANALYZE');
  });
}

/** The ids the SQL functions put on the first two pages: the independent check of the server's. */
async function expectedPages(superuserUrl: string, userId: string): Promise<Record<OrderName, string[]>> {
  return withClient(superuserUrl, async (client) => {
    const ids = async (key: string) =>
      (
        await client.query<{ id: string }>(
          `SELECT l.id::text AS id FROM listings l
           CROSS JOIN (SELECT weights FROM scoring_profiles WHERE owner_id = $1 AND is_default) p
           CROSS JOIN (SELECT rules FROM valuation_rulesets WHERE owner_id = $1 AND is_active) r
           WHERE l.owner_id = $1 ORDER BY ${key} DESC, l.id DESC LIMIT 40`,
          [userId],
        )
      ).rows.map((row) => row.id);
    const columns = 'l.price, l.condition, l.cpu, l.gpu, l.ram_gb, l.storage_gb';
    return {
      'created (index)': await ids('l.created_at'),
      score: await ids(`app_listing_score(${columns}, p.weights)`),
      'valuation delta': await ids(`app_listing_valuation_cents(${columns}, r.rules) - (l.price * 100)::bigint`),
    };
  });
}

async function timeRequests(run: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

async function closeApp(app: App): Promise<void> {
  app.server.closeAllConnections();
  await new Promise<void>((resolve) => app.server.close(() => resolve()));
  await app.base.$disconnect();
}

export async function benchListingOrder(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dealbrain-bench-order-'));
  const database = await startEmbeddedDatabase({ dir, port: await freePort(), persistent: false });
  let app: App | undefined;
  try {
    await migrateUp(database.ownerUrl);
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PORT: '0' });
    app = await createApp({
      config,
      databaseUrl: database.url,
      log: createLogger('silent'),
      ephemeralLocalIdentity: true,
    });
    const provider = app.localIdentity!;
    app.server.listen(0, '127.0.0.1');
    await once(app.server, 'listening');
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    await provider.createIdentity({ email: EMAIL, firstName: 'Order', lastName: 'Bench' });
    const { token } = await provider.startSession(EMAIL, { ttlSeconds: 3600 });
    await app.localWebhooks?.idle();
    const viewer = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    const viewerId = ((await viewer.json()) as { data: { viewer: { id: string } } }).data.viewer.id;
    const userId = Buffer.from(viewerId, 'base64').toString().split(':')[1]!;
    // The superuser URL names the maintenance database; the application's is beside it.
    const superuserUrl = new URL(database.superuserUrl);
    superuserUrl.pathname = `/${EMBEDDED_DATABASE_NAME}`;
    await loadFixtures(superuserUrl.toString(), userId);

    // Correctness first: two pages of each order are exactly what the SQL says.
    const expected = await expectedPages(superuserUrl.toString(), userId);
    const cursors = {} as Record<OrderName, string>;
    for (const [name, order] of Object.entries(ORDERS) as [OrderName, string][]) {
      const first = await fetchPage(url, token, order, null);
      const second = await fetchPage(url, token, order, first.endCursor);
      if ([...first.ids, ...second.ids].join() !== expected[name].join()) {
        throw new Error(`${name}: the first two pages are not the expected 40 listings in order`);
      }
      cursors[name] = first.endCursor!;
    }

    const results = new Map<string, number[]>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, order] of Object.entries(ORDERS) as [OrderName, string][]) {
        for (const [label, after] of [
          ['page 1', null],
          ['page 2', cursors[name]],
        ] as const) {
          const key = `${name}, ${label}`;
          const value = await timeRequests(() => fetchPage(url, token, order, after));
          results.set(key, [...(results.get(key) ?? []), value]);
        }
      }
    }
    const base = {
      'page 1': median(results.get('created (index), page 1')!),
      'page 2': median(results.get('created (index), page 2')!),
    };
    console.log(
      `\nlistings(first: 20) for one user with ${LISTINGS} listings: median of ${ROUNDS} interleaved rounds of ${REQUESTS} serial requests\n`,
    );
    console.log(
      table(
        ['order', 'p50 ms', 'ratio to created'],
        [...results].map(([key, values]) => {
          const page = key.endsWith('page 2') ? 'page 2' : 'page 1';
          const value = median(values);
          return [key, ms(value), `${(value / base[page]).toFixed(2)}×`];
        }),
      ),
    );
  } finally {
    if (app) await closeApp(app);
    await database.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchListingOrder().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
