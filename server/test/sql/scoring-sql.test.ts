// Issue 9: app_listing_score(), the SQL mirror of server/src/modules/scoring/score.ts, agrees with
// the TypeScript over a generated corpus (listings × weight sets, nulls and edge values included);
// the planner inlines it; only the request roles may call it; and the table refuses a second
// default and weights that are not an object. Everything runs as the production roles through the
// authenticator, inside transactions that are rolled back.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  cpuSubScore,
  gpuSubScore,
  scoreListing,
  weightsFromJson,
  type Condition,
  type ScorableListing,
} from '#src/modules/scoring/score.js';
import { scoreRanking } from '#src/modules/scoring/score-ranking.js';
import { becomeSync, becomeUser, connectAs, sqlError, withRollback } from '../support/sql.js';

let client: pg.Client;
let owner: pg.Client;

beforeAll(async () => {
  client = await connectAs(inject('database').url);
  owner = await connectAs(inject('database').ownerUrl);
});

afterAll(async () => {
  await client?.end();
  await owner?.end();
});

const SCORE_CALL = `app_listing_score(l.price, l.condition, l.cpu, l.gpu, l.ram_gb, l.storage_gb, $1::jsonb)`;

// ── the corpus ──────────────────────────────────────────────────────────────────────────────

/** mulberry32: a fixed pseudo-random sequence, so a failing case can be replayed. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(20261207);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const randomCase = (word: string) =>
  [...word].map((c) => (random() < 0.3 ? c.toUpperCase() : random() < 0.3 ? c.toLowerCase() : c)).join('');

const CPU_SAMPLES = [
  'Intel Core i9-13900K',
  'AMD Ryzen 9 7940HS',
  'AMD Ryzen AI 9 HX 370',
  'Intel Core Ultra 7 155H',
  'Intel(R) Xeon(R) E5-2680 v4',
  'AMD EPYC 7302',
  'AMD Threadripper PRO 5995WX',
  'Apple M2 Max',
  'Apple M1 Ultra',
  'apple-m4-pro',
  'Apple M3',
  'Intel Core i7-10700T',
  'AMD Ryzen 7 5800X',
  'Intel Core i5-8500T',
  'Ryzen 5 PRO 4650GE',
  'Intel Core i3-10100',
  'AMD Ryzen 3 3200G',
  'Intel Celeron N5105',
  'M2 Max',
  'Core 2 Duo',
  'i9th',
  'ai9',
  'i95',
  'Xeonic',
  'Ryzen\t7',
  'CORE\nI5',
  'İntel i7', // a dotted capital I, not an ASCII letter
  '\u212Aelvin i5', // the Kelvin sign, which some locales fold to k
  'Ryzen 7 — 8 cores',
  '𝐢𝟗 (mathematical letters)',
  '',
  ' ',
  '\t\r\n',
  '\u00a0', // a no-break space is not blank
];
const CPU_WORDS = [
  'intel',
  'core',
  'i3',
  'i5',
  'i7',
  'i9',
  'ryzen',
  'ai',
  '3',
  '5',
  '7',
  '9',
  'ultra',
  'threadripper',
  'xeon',
  'epyc',
  'apple',
  'm1',
  'm2',
  'm3',
  'pro',
  'max',
  'celeron',
  'x',
  '13900k',
  '(r)',
  'ä',
];
const GPU_SAMPLES = [
  'NVIDIA GeForce RTX 4090',
  'RTX 4080 SUPER',
  'rtx4090d',
  'RTX 5090',
  'AMD Radeon RX 7900 XTX',
  'NVIDIA RTX 3070',
  'RTX A2000',
  'Radeon RX 6800 XT',
  'RX 9070 XT',
  'GeForce GTX 1080',
  'Radeon RX 580',
  'RX Vega 56',
  'Intel Arc A770',
  'RTX 40900',
  'Intel UHD Graphics 630',
  'search',
  'rtxa',
  'GTX\n1060',
  '',
  '  ',
];
const GPU_WORDS = [
  'nvidia',
  'geforce',
  'rtx',
  'gtx',
  'rx',
  'arc',
  'radeon',
  '4090',
  '4080',
  '5090',
  '5080',
  '7900',
  '6800',
  '7600',
  '9070',
  '580',
  '3070',
  'vega',
  'xt',
  'xtx',
  'super',
  'a770',
  'd',
  'ti',
];
const SEPARATORS = [' ', ' ', '-', '', '\t', '/', '_'];

function phrase(words: readonly string[]): string {
  const count = 1 + Math.floor(random() * 4);
  let text = '';
  for (let i = 0; i < count; i++) text += (i > 0 ? pick(SEPARATORS) : '') + randomCase(pick(words));
  return text;
}

const CONDITIONS: Condition[] = ['NEW', 'LIKE_NEW', 'USED', 'REFURBISHED', 'FOR_PARTS'];
// No negative prices: the table refuses them (listings_price_non_negative).
const EDGE_PRICES = ['0', '0.01', '499.99', '500', '500.01', '849.00', '9999999999.99', '1.00', '5000.00', '1e3'];
const EDGE_SIZES = [0, 1, 63, 64, 65, 1999, 2000, 2001, -1, -2147483648, 2147483647];

type CorpusListing = Omit<ScorableListing, 'price' | 'condition'> & { price: string; condition: Condition };

function corpusListing(i: number): CorpusListing {
  const size = (cap: number) =>
    random() < 0.15 ? null : random() < 0.3 ? pick(EDGE_SIZES) : Math.floor(random() * cap * 1.5);
  const text = (samples: readonly string[], words: readonly string[]) =>
    random() < 0.1 ? null : random() < 0.4 ? pick(samples) : phrase(words);
  return {
    price: i < EDGE_PRICES.length ? EDGE_PRICES[i]! : (Math.floor(random() * 400_000) / 100).toFixed(2),
    condition: CONDITIONS[i % CONDITIONS.length]!,
    cpu: text(CPU_SAMPLES, CPU_WORDS),
    gpu: text(GPU_SAMPLES, GPU_WORDS),
    ramGb: size(64),
    storageGb: size(2000),
  };
}

const LISTINGS: CorpusListing[] = Array.from({ length: 400 }, (_, i) => corpusListing(i));

/** Weight sets as JSON text: what the API stores, and what older rows or SQL might hold. */
const WEIGHT_SETS: string[] = [
  '{"price":30,"cpu":25,"gpu":15,"ram":15,"storage":5,"condition":10}',
  '{"price":60,"cpu":10,"gpu":5,"ram":10,"storage":5,"condition":10}',
  '{"cpu":0.35,"gpu":0.15,"ram":0.2,"storage":0.1,"price":0.2}', // the old seed's shape: no condition
  '{"price":1}',
  '{"condition":100}',
  '{"price":0,"cpu":0,"gpu":0,"ram":0,"storage":0,"condition":0}',
  '{}',
  '{"price":1000,"cpu":"high","gpu":-5,"ram":0.1,"storage":1e-5,"condition":null}',
  '{"price":1e-400,"cpu":1e400,"gpu":1e-300,"ram":1.0000000000000002,"storage":99.99999999999999999,"condition":3}',
  '{"price":100,"cpu":100,"gpu":100,"ram":100,"storage":100,"condition":100}',
  '{"price":7,"price":9,"cpu":1.5E+1,"gpu":0.1,"ram":0.2,"storage":0.3,"condition":0.7}', // duplicate key: the last wins
  '[1, 2, 3]',
  '"price"',
  ...Array.from({ length: 8 }, () =>
    JSON.stringify({
      price: Math.round(random() * 100_000) / 1000,
      cpu: Math.round(random() * 100_000) / 1000,
      gpu: Math.round(random() * 100) / 7,
      ram: random() * 100,
      storage: random() < 0.3 ? 0 : random() * 100,
      condition: Math.round(random() * 100),
    }),
  ),
];

/** As a fresh user (created as app_sync, like provisioning) inside the open transaction. */
async function becomeFreshUser(): Promise<string> {
  await becomeSync(client);
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO users (clerk_id, email) VALUES ($1, $2) RETURNING id`,
    [`user_${randomUUID()}`, `${randomUUID()}@example.test`],
  );
  const userId = rows[0]!.id;
  await becomeUser(client, { userId, role: 'app_user' });
  return userId;
}

async function insertListings(ownerId: string, listings: CorpusListing[]): Promise<void> {
  await client.query(
    `INSERT INTO listings (owner_id, title, price, condition, cpu, gpu, ram_gb, storage_gb)
     SELECT $1, 'corpus ' || i, p, c::"ListingCondition", cpu, gpu, ram, storage
     FROM unnest($2::numeric[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[]) WITH ORDINALITY
       AS t(p, c, cpu, gpu, ram, storage, i)`,
    [
      ownerId,
      listings.map((l) => l.price),
      listings.map((l) => l.condition),
      listings.map((l) => l.cpu),
      listings.map((l) => l.gpu),
      listings.map((l) => l.ramGb),
      listings.map((l) => l.storageGb),
    ],
  );
}

interface ScoredRow {
  price: string;
  condition: Condition;
  cpu: string | null;
  gpu: string | null;
  ramGb: number | null;
  storageGb: number | null;
  score: number | null;
}

describe('app_listing_score agrees with scoreListing', () => {
  it(`over ${LISTINGS.length} listings × ${WEIGHT_SETS.length} weight sets, within 1e-9, as app_user over the listings table`, async () => {
    const mismatches: unknown[] = [];
    let compared = 0;
    await withRollback(client, async () => {
      const userId = await becomeFreshUser();
      await insertListings(userId, LISTINGS);
      for (const weights of WEIGHT_SETS) {
        const { rows } = await client.query<ScoredRow>(
          `SELECT l.price::text AS price, l.condition, l.cpu, l.gpu, l.ram_gb AS "ramGb", l.storage_gb AS "storageGb",
                  ${SCORE_CALL} AS score
           FROM listings l WHERE l.owner_id = $2`,
          [weights, userId],
        );
        expect(rows).toHaveLength(LISTINGS.length);
        for (const { score, ...listing } of rows) {
          const expected = scoreListing(listing, weightsFromJson(JSON.parse(weights)));
          compared++;
          if (score === null || !(Math.abs(score - expected) <= 1e-9) || expected < 0 || expected > 100) {
            mismatches.push({ weights, listing, sql: score, ts: expected });
          }
        }
      }
    });
    expect(compared).toBe(LISTINGS.length * WEIGHT_SETS.length);
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('computes the worked example of docs/scoring.md', async () => {
    const { rows } = await asUser(
      `SELECT app_listing_score(849.00, 'USED', 'AMD Ryzen 7 5800X', 'NVIDIA RTX 3070', 32, 1000, $1) AS score`,
      ['{"price":30,"cpu":25,"gpu":15,"ram":15,"storage":5,"condition":10}'],
    );
    expect(rows[0]?.score).toBe(59.11934766493699);
  });

  it('is NULL without weights (no profile), 0 when every weight counts as 0, and 0 for a NULL attribute', async () => {
    const { rows } = await asUser(
      `SELECT app_listing_score(1, 'NEW', 'i9', 'rtx 4090', 64, 2000, NULL) AS no_weights,
              app_listing_score(1, 'NEW', 'i9', 'rtx 4090', 64, 2000, '{"price": 0, "cpu": -1}') AS all_zero,
              app_listing_score(NULL, NULL, NULL, NULL, NULL, NULL, '{"price": 1, "condition": 1}') AS all_null`,
    );
    expect(rows[0]).toEqual({ no_weights: null, all_zero: 0, all_null: 0 });
    expect(
      scoreListing(
        { price: null, condition: null, cpu: null, gpu: null, ramGb: null, storageGb: null },
        { price: 1, condition: 1 },
      ),
    ).toBe(0);
  });
});

/** One statement as a fresh app_user viewer, rolled back. */
function asUser(text: string, values: unknown[] = []) {
  return withRollback(client, async () => {
    await becomeUser(client, { userId: randomUUID(), role: 'app_user' });
    return client.query(text, values);
  });
}

describe('the tier words', () => {
  const cpus = [...CPU_SAMPLES, ...Array.from({ length: 300 }, () => phrase(CPU_WORDS))];
  const gpus = [...GPU_SAMPLES, ...Array.from({ length: 300 }, () => phrase(GPU_WORDS))];

  it('give the same CPU tier in SQL as in TypeScript, string by string', async () => {
    const { rows } = await asUser(
      `SELECT app_scoring_cpu(x) AS s FROM unnest($1::text[]) WITH ORDINALITY AS t(x, i) ORDER BY i`,
      [cpus],
    );
    expect(cpus.map((cpu, i) => [cpu, rows[i]?.s])).toEqual(cpus.map((cpu) => [cpu, cpuSubScore(cpu)]));
    // The corpus reaches every tier.
    expect(new Set(rows.map((row) => row.s))).toEqual(new Set([0, 0.2, 0.4, 0.6, 0.8, 1]));
  });

  it('give the same GPU tier in SQL as in TypeScript, string by string', async () => {
    const { rows } = await asUser(
      `SELECT app_scoring_gpu(x) AS s FROM unnest($1::text[]) WITH ORDINALITY AS t(x, i) ORDER BY i`,
      [gpus],
    );
    expect(gpus.map((gpu, i) => [gpu, rows[i]?.s])).toEqual(gpus.map((gpu) => [gpu, gpuSubScore(gpu)]));
    expect(new Set(rows.map((row) => row.s))).toEqual(new Set([0, 0.2, 0.5, 0.8, 1]));
  });
});

describe('the function itself', () => {
  const FUNCTIONS = [
    'app_listing_score',
    'app_listing_score_weighted',
    'app_scoring_weight',
    'app_scoring_cpu',
    'app_scoring_gpu',
  ];

  it('is inlined into the calling query (no function call per row), with a constant or a parameter for the weights', async () => {
    for (const weights of [`'{"price": 1}'::jsonb`, '$1::jsonb']) {
      const plan = await withRollback(client, async () => {
        await becomeUser(client, { userId: randomUUID(), role: 'app_user' });
        await client.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
        const text = `EXPLAIN (VERBOSE, COSTS OFF) SELECT ${SCORE_CALL.replace('$1::jsonb', weights)} FROM listings l`;
        const values = weights.startsWith('$') ? ['{"price": 1}'] : [];
        return (await client.query<{ 'QUERY PLAN': string }>(text, values)).rows.map((r) => r['QUERY PLAN']).join('\n');
      });
      expect(plan).toContain('translate(l.cpu');
      for (const name of FUNCTIONS) expect(plan).not.toContain(`${name}(`);
    }
  });

  it('orders listings from the stored tiers: no regular expression per row, nothing left uninlined', async () => {
    const ranking = scoreRanking(randomUUID(), weightsFromJson({ price: 1, cpu: 2 }));
    const plan = await withRollback(client, async () => {
      await becomeUser(client, { userId: randomUUID(), role: 'app_user' });
      await client.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
      const result = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (VERBOSE, COSTS OFF) ${ranking.text}`,
        ranking.values,
      );
      return result.rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('l.cpu_tier');
    expect(plan).not.toContain('translate(');
    for (const name of FUNCTIONS) expect(plan).not.toContain(`${name}(`);
  });

  it("stores every listing's tiers as app_scoring_cpu and app_scoring_gpu compute them", async () => {
    const rows = await withRollback(client, async () => {
      const userId = await becomeFreshUser();
      await insertListings(userId, LISTINGS.slice(0, 100));
      const result = await client.query<{ same: boolean }>(
        `SELECT cpu_tier IS NOT DISTINCT FROM app_scoring_cpu(cpu) AND gpu_tier IS NOT DISTINCT FROM app_scoring_gpu(gpu) AS same
         FROM listings WHERE owner_id = $1`,
        [userId],
      );
      return result.rows;
    });
    expect(rows).toHaveLength(100);
    expect(rows.every((row) => row.same)).toBe(true);
  });

  it('is IMMUTABLE, PARALLEL SAFE, a SQL-standard body with no SET clause, and never SECURITY DEFINER', async () => {
    const { rows } = await owner.query(
      `SELECT proname, provolatile, proparallel, proconfig, prosecdef, prosqlbody IS NOT NULL AS standard_body
       FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND proname = ANY ($1) ORDER BY proname`,
      [FUNCTIONS],
    );
    expect(rows).toEqual(
      [...FUNCTIONS].sort().map((proname) => ({
        proname,
        provolatile: 'i',
        proparallel: 's',
        proconfig: null,
        prosecdef: false,
        standard_body: true,
      })),
    );
  });

  it('may be called by app_user and app_admin only (not PUBLIC, not app_sync, not authenticator)', async () => {
    const { rows } = await owner.query(
      `SELECT p.proname, r.rolname, has_function_privilege(r.rolname, p.oid, 'EXECUTE') AS allowed
       FROM pg_proc p CROSS JOIN (VALUES ('app_user'), ('app_admin'), ('app_sync'), ('authenticator')) AS r(rolname)
       WHERE p.pronamespace = 'public'::regnamespace AND p.proname = ANY ($1)`,
      [FUNCTIONS],
    );
    expect(rows).toHaveLength(FUNCTIONS.length * 4);
    const allowed = rows.filter((row) => row.allowed).map((row) => `${row.proname}:${row.rolname}`);
    expect(allowed.sort()).toEqual(FUNCTIONS.flatMap((name) => [`${name}:app_admin`, `${name}:app_user`]).sort());

    const refused = await withRollback(client, async () => {
      await becomeSync(client);
      return sqlError(client.query(`SELECT app_listing_score(1, 'NEW', NULL, NULL, NULL, NULL, '{}')`));
    });
    expect(refused?.code).toBe('42501');
  });
});

describe('scoring_profiles constraints', () => {
  it('refuse a second default for one owner (23505), and allow one per owner and any number of others', async () => {
    await withRollback(client, async () => {
      const userId = await becomeFreshUser();
      const insert = (name: string, isDefault: boolean) =>
        client.query(`INSERT INTO scoring_profiles (owner_id, name, is_default) VALUES ($1, $2, $3)`, [
          userId,
          name,
          isDefault,
        ]);
      await insert('a', true);
      await insert('b', false);
      await insert('c', false);
      await client.query('SAVEPOINT second_default');
      expect((await sqlError(insert('d', true)))?.code).toBe('23505');
      await client.query('ROLLBACK TO SAVEPOINT second_default');
      expect(
        (await sqlError(client.query(`UPDATE scoring_profiles SET is_default = true WHERE name = 'b'`)))?.code,
      ).toBe('23505');
      await client.query('ROLLBACK TO SAVEPOINT second_default');
      // Another owner's default does not collide.
      await becomeFreshUser();
      const other = await client.query<{ id: string }>(`SELECT app_current_user_id() AS id`);
      await client.query(`INSERT INTO scoring_profiles (owner_id, name, is_default) VALUES ($1, 'x', true)`, [
        other.rows[0]!.id,
      ]);
    });
  });

  it.each(['[]', '"x"', '1', 'null', 'true'])('refuse weights %s (not an object) with 23514', async (weights) => {
    await withRollback(client, async () => {
      const userId = await becomeFreshUser();
      const error = await sqlError(
        client.query(`INSERT INTO scoring_profiles (owner_id, name, weights) VALUES ($1, 'x', $2::jsonb)`, [
          userId,
          weights,
        ]),
      );
      expect(error?.code).toBe('23514');
    });
  });
});
