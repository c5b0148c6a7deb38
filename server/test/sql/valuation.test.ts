// Issue 9, part 3, in SQL: app_listing_valuation_cents is the exact mirror of valueListing()
// (compared over a generated corpus of listings × rulesets: nulls, clamping at both ends,
// rounding halves, whole-word matching around non-ASCII text); who may call it; the one-active
// and JSON-array constraints; and the migration's conversion of the legacy seed rules, both ways.
import { randomUUID } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { migrateDown, migrateUp } from '#src/db/migrations.js';
import { migrationsDir } from '#src/db/paths.js';
import {
  formatCents,
  MAX_VALUE_CENTS,
  valuationRuleSchema,
  valueListing,
  type ValuationRule,
  type ValuedListing,
} from '#src/modules/valuation/valuation-rules.js';
import { Prisma } from '#src/generated/prisma/client.js';
import { valuationCentsSql } from '#src/modules/valuation/valuation-ranking.js';
import { becomeSync, becomeUser, connectAs, sqlError, withDatabase, withRollback } from '../support/sql.js';

const MIGRATION = '20261207000200_valuation';
const SIGNATURE = `app_listing_valuation_cents(numeric, "ListingCondition", text, text, integer, integer, jsonb)`;
const CONDITIONS = ['NEW', 'LIKE_NEW', 'USED', 'REFURBISHED', 'FOR_PARTS'] as const;

let runtime: pg.Client;
let owner: pg.Client;

beforeAll(async () => {
  runtime = await connectAs(inject('database').url);
  owner = await connectAs(inject('database').ownerUrl);
});

afterAll(async () => {
  await runtime?.end();
  await owner?.end();
});

// ── the corpus ──────────────────────────────────────────────────────────────────────────────

/** A small deterministic generator (mulberry32): the same corpus on every run. */
function generator(seed: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}

const random = generator(20261207);

const TEXTS = [
  null,
  'NVIDIA RTX 3070',
  'nvidia geforce-rtx 4090',
  'RTX3070',
  'GTX 1080 Ti',
  'AMD Ryzen 7 5800X',
  'Intel Core i7-10700T',
  'Intel(R) Core(TM) i5-8500T',
  'Apple M2',
  'ÄRTX Ömega',
  'rtxé',
  'İntel Çore',
  'Ａrtx ｉ7',
  'RTX 🚀 edition',
  'amd/radeon_rx 7900',
  '',
  ' ',
  'rtx',
] as const;
const SIZES = [null, 0, 1, 4, 8, 15, 16, 17, 31, 32, 33, 64, 127, 128, 129, 256, 512, 1000, 999_999, 1_000_000];
const WORDS = [
  'rtx',
  'RTX',
  'gtx',
  'i7',
  'i5',
  'intel',
  'amd',
  'ryzen',
  'apple',
  'm2',
  '3070',
  'x',
  'r',
  'ti',
  'omega',
  'edition',
  'rx',
];
const AMOUNTS = ['0.01', '0.05', '0.5', '1', '12.34', '30', '75.00', '999.99', '5000', '1000000'];
const FACTORS = ['0.0001', '0.3', '0.3333', '0.5', '0.9999', '1', '1.0001', '1.1', '1.5', '2.5', '3', '33.3333', '100'];

function randomPriceCents(): number {
  switch (random.int(4)) {
    case 0:
      return random.pick([0, 1, 3, 5, 15, 25, 35, 99, 101, 9_999, 84_900, 1_000_000_000, 999_999_999_999]);
    case 1:
      return random.int(1_000);
    default:
      return random.int(1_000_000_000);
  }
}

function randomListing(): ValuedListing {
  return {
    priceCents: randomPriceCents(),
    condition: random.pick(CONDITIONS),
    cpu: random.pick(TEXTS),
    gpu: random.pick(TEXTS),
    ramGb: random.pick(SIZES),
    storageGb: random.pick(SIZES),
  };
}

function randomRule(): ValuationRule {
  const size = () => random.pick(SIZES.filter((s) => s !== null)) ?? 16;
  const when = random.pick([
    () => ({ attribute: 'RAM_GB', operator: random.pick(['BELOW', 'ABOVE']), value: size() }),
    () => ({ attribute: 'STORAGE_GB', operator: 'BELOW', value: size() }),
    () => ({ attribute: 'CONDITION', operator: 'EQUALS', value: random.pick(CONDITIONS) }),
    () => ({ attribute: random.pick(['CPU', 'GPU']), operator: 'CONTAINS', value: random.pick(WORDS) }),
  ])();
  const adjust = random.pick([
    () => ({ kind: 'ADD', amount: random.pick(AMOUNTS) }),
    () => ({ kind: 'SUBTRACT', amount: random.pick(AMOUNTS) }),
    () => ({ kind: 'MULTIPLY', factor: random.pick(FACTORS) }),
  ])();
  // Through the schema, as the API stores rules: lowercased words, canonical decimals.
  return valuationRuleSchema.parse({ when, adjust }) as ValuationRule;
}

const everything = (adjust: ValuationRule['adjust']): ValuationRule[] =>
  CONDITIONS.map((value) => ({ when: { attribute: 'CONDITION', operator: 'EQUALS', value }, adjust }));

const LISTINGS: ValuedListing[] = Array.from({ length: 400 }, randomListing);
const RULESETS: Record<string, ValuationRule[]> = {
  empty: [],
  seed: [
    { when: { attribute: 'RAM_GB', operator: 'BELOW', value: 16 }, adjust: { kind: 'SUBTRACT', amount: '30.00' } },
    { when: { attribute: 'RAM_GB', operator: 'ABOVE', value: 31 }, adjust: { kind: 'ADD', amount: '40.00' } },
    {
      when: { attribute: 'CONDITION', operator: 'EQUALS', value: 'FOR_PARTS' },
      adjust: { kind: 'MULTIPLY', factor: '0.3' },
    },
    { when: { attribute: 'GPU', operator: 'CONTAINS', value: 'rtx' }, adjust: { kind: 'ADD', amount: '75.00' } },
  ],
  // Halves: × 0.5 on odd cents, twice.
  halves: [...everything({ kind: 'MULTIPLY', factor: '0.5' }), ...everything({ kind: 'MULTIPLY', factor: '0.5' })],
  // Down to 0, then back up from 0 (clamping happens after each step, not at the end).
  floor: [
    ...Array.from({ length: 3 }, () => everything({ kind: 'MULTIPLY', factor: '0.0001' })).flat(),
    ...everything({ kind: 'SUBTRACT', amount: '1000000.00' }),
    ...everything({ kind: 'ADD', amount: '0.05' }),
  ],
  // × 100 fifty times: clamped at the ceiling, never an overflow.
  ceiling: Array.from({ length: 10 }, () => everything({ kind: 'MULTIPLY', factor: '100' })).flat(),
  ...Object.fromEntries(
    Array.from({ length: 12 }, (_, i) => [
      `random${i}`,
      Array.from({ length: 1 + random.int(i === 0 ? 50 : 20) }, randomRule),
    ]),
  ),
};

/** The SQL function's values for every listing of LISTINGS under `rules`, as app_user. */
async function sqlValues(rules: unknown): Promise<(number | null)[]> {
  return withRollback(runtime, async () => {
    await becomeUser(runtime, { userId: randomUUID(), role: 'app_user' });
    const result = await runtime.query<{ cents: string | null }>(
      `SELECT app_listing_valuation_cents(l.price, l.condition, l.cpu, l.gpu, l.ram_gb, l.storage_gb, $7::jsonb)::text AS cents
       FROM unnest($1::numeric[], $2::"ListingCondition"[], $3::text[], $4::text[], $5::int[], $6::int[])
            WITH ORDINALITY AS l(price, condition, cpu, gpu, ram_gb, storage_gb, n)
       ORDER BY l.n`,
      [
        LISTINGS.map((l) => formatCents(l.priceCents)),
        LISTINGS.map((l) => l.condition),
        LISTINGS.map((l) => l.cpu),
        LISTINGS.map((l) => l.gpu),
        LISTINGS.map((l) => l.ramGb),
        LISTINGS.map((l) => l.storageGb),
        rules === null ? null : JSON.stringify(rules),
      ],
    );
    return result.rows.map((row) => (row.cents === null ? null : Number(row.cents)));
  });
}

describe('app_listing_valuation_cents mirrors valueListing', () => {
  it('the corpus exercises what it should: matches, clamps at both ends, odd cents under × 0.5', () => {
    const applied = (name: string) => LISTINGS.filter((l) => valueListing(l, RULESETS[name]!).applied.length > 0);
    expect(applied('seed').length).toBeGreaterThan(100);
    expect(LISTINGS.filter((l) => l.priceCents % 2 === 1).length).toBeGreaterThan(50);
    expect(LISTINGS.some((l) => valueListing(l, RULESETS.ceiling!).valueCents === MAX_VALUE_CENTS)).toBe(true);
    expect(LISTINGS.every((l) => valueListing(l, RULESETS.floor!).valueCents === 5)).toBe(true);
    // Whole-word matching both ways: texts that contain a rule's word and texts that do not.
    const wordRules = Object.values(RULESETS)
      .flat()
      .filter((r) => r.when.operator === 'CONTAINS');
    const outcomes = LISTINGS.flatMap((l) => wordRules.map((r) => valueListing(l, [r]).applied.length > 0));
    expect(outcomes.filter(Boolean).length).toBeGreaterThan(50);
    expect(outcomes.filter((o) => !o).length).toBeGreaterThan(50);
  });

  it.each(Object.keys(RULESETS))('ruleset %s: the same value in cents for all 400 listings', async (name) => {
    const rules = RULESETS[name]!;
    const expected = LISTINGS.map((listing) => valueListing(listing, rules).valueCents);
    expect(await sqlValues(rules)).toEqual(expected);
  });

  it('NULL rules value a listing at its price; a NULL price has no value', async () => {
    expect(await sqlValues(null)).toEqual(LISTINGS.map((l) => l.priceCents));
    const result = await withRollback(runtime, async () => {
      await becomeUser(runtime, { userId: randomUUID(), role: 'app_user' });
      return runtime.query(`SELECT app_listing_valuation_cents(NULL, 'NEW', NULL, NULL, NULL, NULL, '[]') AS v`);
    });
    expect(result.rows).toEqual([{ v: null }]);
  });

  it('is what the lead orders by: value minus price in cents, the best deal first', async () => {
    const seed = RULESETS.seed!;
    const deltas = LISTINGS.map((l, i) => ({ i, delta: valueListing(l, seed).deltaCents }));
    const sqlDeltas = (await sqlValues(seed)).map((cents, i) => ({ i, delta: cents! - LISTINGS[i]!.priceCents }));
    expect(sqlDeltas).toEqual(deltas);
  });
});

describe('the compiled ruleset that orders listings by delta (valuation-ranking.ts)', () => {
  /** valuationCentsSql's values for every listing of LISTINGS under `rules`, as app_user. */
  async function compiledValues(rules: ValuationRule[]): Promise<number[]> {
    // The rows as the listings table holds them: with the stored words of their CPU and GPU.
    const query = Prisma.sql`SELECT (${valuationCentsSql(rules)})::text AS cents
      FROM (SELECT u.*, app_valuation_words(u.cpu) AS cpu_words, app_valuation_words(u.gpu) AS gpu_words
      FROM unnest(${LISTINGS.map((l) => formatCents(l.priceCents))}::numeric[],
                  ${LISTINGS.map((l) => l.condition)}::"ListingCondition"[], ${LISTINGS.map((l) => l.cpu)}::text[],
                  ${LISTINGS.map((l) => l.gpu)}::text[], ${LISTINGS.map((l) => l.ramGb)}::int[],
                  ${LISTINGS.map((l) => l.storageGb)}::int[])
           WITH ORDINALITY AS u(price, condition, cpu, gpu, ram_gb, storage_gb, n)) l
      ORDER BY l.n`;
    return withRollback(runtime, async () => {
      await becomeUser(runtime, { userId: randomUUID(), role: 'app_user' });
      const result = await runtime.query<{ cents: string }>(query.text, query.values);
      return result.rows.map((row) => Number(row.cents));
    });
  }

  it.each(Object.keys(RULESETS))('ruleset %s: the same cents as valueListing and the SQL function', async (name) => {
    const rules = RULESETS[name]!;
    const compiled = await compiledValues(rules);
    expect(compiled).toEqual(LISTINGS.map((listing) => valueListing(listing, rules).valueCents));
    expect(compiled).toEqual(await sqlValues(rules));
  });

  it('stores the words of every listing as the listings table computes them on write', async () => {
    const rows = await withRollback(runtime, async () => {
      await becomeUser(runtime, { userId: randomUUID(), role: 'app_user' });
      const result = await runtime.query<{ words: string[] | null }>(
        `SELECT app_valuation_words(t) AS words FROM unnest($1::text[]) AS t`,
        [['NVIDIA GeForce-RTX 3070', 'RTX3070', '  Ryzen 7 5800X ', 'Café i7', null]],
      );
      return result.rows.map((row) => row.words);
    });
    expect(rows).toEqual([
      ['nvidia', 'geforce', 'rtx', '3070'],
      ['rtx3070'],
      ['', 'ryzen', '7', '5800x', ''],
      ['caf', 'i7'],
      null,
    ]);
  });

  it('stays one expression per rule: fifty rules do not grow the statement beyond linear size', () => {
    const fifty =
      RULESETS.random0!.length === 50 ? RULESETS.random0! : Array.from({ length: 50 }, () => RULESETS.seed![0]!);
    const one = valuationCentsSql(fifty.slice(0, 1)).text.length;
    expect(valuationCentsSql(fifty).text.length).toBeLessThan(one * 60);
  });
});

describe('app_listing_valuation_cents as a database object', () => {
  it('is IMMUTABLE, PARALLEL SAFE, pins its search_path, and is not SECURITY DEFINER', async () => {
    const { rows } = await owner.query(
      `SELECT provolatile, proparallel, prosecdef, proconfig FROM pg_proc WHERE oid = $1::regprocedure`,
      [SIGNATURE],
    );
    expect(rows).toEqual([
      { provolatile: 'i', proparallel: 's', prosecdef: false, proconfig: ['search_path=pg_catalog, public'] },
    ]);
  });

  it('app_user and app_admin may call it; PUBLIC, app_sync and authenticator may not', async () => {
    const { rows } = await owner.query<{ role: string; allowed: boolean }>(
      `SELECT r AS role, has_function_privilege(r, $1::regprocedure, 'EXECUTE') AS allowed
       FROM unnest(ARRAY['app_user', 'app_admin', 'app_sync', 'authenticator']) AS r ORDER BY r`,
      [SIGNATURE],
    );
    expect(rows).toEqual([
      { role: 'app_admin', allowed: true },
      { role: 'app_sync', allowed: false },
      { role: 'app_user', allowed: true },
      { role: 'authenticator', allowed: false },
    ]);
    const publicGrant = await owner.query(
      `SELECT 1 FROM pg_proc, aclexplode(proacl) a WHERE oid = $1::regprocedure AND a.grantee = 0`,
      [SIGNATURE],
    );
    expect(publicGrant.rows).toEqual([]);
    const sync = await withRollback(runtime, async () => {
      await becomeSync(runtime);
      return sqlError(runtime.query(`SELECT app_listing_valuation_cents(1, 'NEW', NULL, NULL, NULL, NULL, '[]')`));
    });
    expect(sync?.message).toBe('permission denied for function app_listing_valuation_cents');
  });
});

describe('valuation_rulesets constraints', () => {
  /** As a fresh user of app_user: their own row, so only the constraint under test can refuse it. */
  async function asNewUser<T>(fn: (userId: string) => Promise<T>): Promise<T> {
    return withRollback(runtime, async () => {
      await becomeSync(runtime);
      const userId = (
        await runtime.query<{ id: string }>(`INSERT INTO users (clerk_id, email) VALUES ($1, $2) RETURNING id`, [
          `user_${randomUUID()}`,
          `${randomUUID()}@example.test`,
        ])
      ).rows[0]!.id;
      await becomeUser(runtime, { userId, role: 'app_user' });
      return fn(userId);
    });
  }

  it('one active ruleset per owner; any number inactive', async () => {
    const error = await asNewUser(async (userId) => {
      const insert = (active: boolean) =>
        runtime.query(`INSERT INTO valuation_rulesets (owner_id, name, is_active) VALUES ($1, 'r', $2)`, [
          userId,
          active,
        ]);
      await insert(false);
      await insert(false);
      await insert(true);
      return sqlError(insert(true));
    });
    expect(error?.code).toBe('23505');
    expect(error?.message).toMatch(/valuation_rulesets_one_active_per_owner/);
  });

  it.each([['{}'], ['"rules"'], ['null'], ['1']])('rules must be a JSON array, not %s', async (json) => {
    const error = await asNewUser((userId) =>
      sqlError(
        runtime.query(`INSERT INTO valuation_rulesets (owner_id, name, rules) VALUES ($1, 'r', $2::jsonb)`, [
          userId,
          json,
        ]),
      ),
    );
    expect(error?.code).toBe('23514');
  });
});

// ── the migration ───────────────────────────────────────────────────────────────────────────

describe(`migration ${MIGRATION} on legacy data`, () => {
  const database = `valuation_migration_${randomUUID().replaceAll('-', '')}`;
  let superuser: pg.Client;
  let admin: pg.Client;
  let scratch: string;
  let before: string;
  let through: string;

  /** A migrations directory holding the repository's migrations up to `last` (inclusive or not). */
  async function migrationsUpTo(inclusive: boolean): Promise<string> {
    const names = (await readdir(migrationsDir, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && (inclusive ? e.name <= MIGRATION : e.name < MIGRATION))
      .map((e) => e.name);
    const dir = path.join(scratch, inclusive ? 'through' : 'before');
    await mkdir(dir, { recursive: true });
    for (const name of names) await cp(path.join(migrationsDir, name), path.join(dir, name), { recursive: true });
    return dir;
  }

  const ownerUrl = () => withDatabase(inject('database').ownerUrl, database);

  beforeAll(async () => {
    superuser = await connectAs(inject('database').superuserUrl);
    await superuser.query(`CREATE DATABASE ${database} OWNER app_owner`);
    admin = await connectAs(withDatabase(inject('database').superuserUrl, database));
    scratch = await mkdtemp(path.join(os.tmpdir(), 'dealbrain-valuation-'));
    before = await migrationsUpTo(false);
    through = await migrationsUpTo(true);
    await migrateUp(ownerUrl(), before);
  });

  afterAll(async () => {
    await admin?.end();
    if (superuser) {
      await superuser.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await superuser.end();
    }
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  const LEGACY = [
    { component: 'ram', match: { minGb: 32 }, adjustment: { amount: '40.00' } },
    { component: 'storage', match: { maxGb: 128 }, adjustment: { amount: '-25.00' } },
  ];
  const TYPED = [
    { when: { attribute: 'RAM_GB', operator: 'ABOVE', value: 31 }, adjust: { kind: 'ADD', amount: '40.00' } },
    { when: { attribute: 'STORAGE_GB', operator: 'BELOW', value: 129 }, adjust: { kind: 'SUBTRACT', amount: '25.00' } },
  ];

  /** Two users: one with the seed's legacy ruleset and a younger empty one, one with none. */
  async function seedLegacy(): Promise<{ alice: string; older: string; younger: string }> {
    const user = async (name: string) =>
      (
        await admin.query<{ id: string }>(`INSERT INTO users (clerk_id, email) VALUES ($1, $2) RETURNING id`, [
          `user_${name}_${randomUUID()}`,
          `${name}@example.test`,
        ])
      ).rows[0]!.id;
    const alice = await user('alice');
    await user('bob');
    const ruleset = async (name: string, rules: unknown, createdAt: string) =>
      (
        await admin.query<{ id: string }>(
          `INSERT INTO valuation_rulesets (owner_id, name, rules, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
          [alice, name, JSON.stringify(rules), createdAt],
        )
      ).rows[0]!.id;
    return {
      alice,
      older: await ruleset('Default components', LEGACY, '2026-01-01T00:00:00Z'),
      younger: await ruleset('later', [], '2026-02-01T00:00:00Z'),
    };
  }

  const rulesets = async () =>
    (
      await admin.query<{ name: string; rules: unknown; is_active?: boolean }>(
        `SELECT * FROM valuation_rulesets ORDER BY created_at`,
      )
    ).rows.map(({ name, rules, is_active }) => ({ name, rules, is_active }));

  it('converts the legacy rules to typed rules that value alike, and activates each owner’s oldest ruleset', async () => {
    await seedLegacy();
    expect(await migrateUp(ownerUrl(), through)).toEqual([MIGRATION]);
    expect(await rulesets()).toEqual([
      { name: 'Default components', rules: TYPED, is_active: true },
      { name: 'later', rules: [], is_active: false },
    ]);
    // What the legacy rules meant (≥ 32 GB RAM: +40; ≤ 128 GB storage: −25) is what they now do.
    const rules = TYPED as ValuationRule[];
    const value = (ramGb: number, storageGb: number) =>
      valueListing({ priceCents: 10_000, condition: 'USED', cpu: null, gpu: null, ramGb, storageGb }, rules).valueCents;
    expect([value(32, 129), value(31, 128), value(32, 128), value(31, 129)]).toEqual([14_000, 7_500, 11_500, 10_000]);
  });

  it('down turns them back into the legacy shape and drops what the migration added', async () => {
    expect(await migrateDown(ownerUrl(), 1, through)).toEqual([MIGRATION]);
    expect(await rulesets()).toEqual([
      { name: 'Default components', rules: LEGACY, is_active: undefined },
      { name: 'later', rules: [], is_active: undefined },
    ]);
    const fn = await admin.query(`SELECT 1 FROM pg_proc WHERE proname = 'app_listing_valuation_cents'`);
    expect(fn.rows).toEqual([]);
    const forced = await admin.query(`SELECT relforcerowsecurity FROM pg_class WHERE relname = 'valuation_rulesets'`);
    expect(forced.rows).toEqual([{ relforcerowsecurity: true }]);
  });

  it('refuses a legacy rule it cannot express, and changes nothing', async () => {
    await admin.query(`DELETE FROM valuation_rulesets`);
    const { alice } = await seedLegacy();
    await admin.query(
      `INSERT INTO valuation_rulesets (owner_id, name, rules) VALUES ($1, 'odd', '[{"component":"storage","match":{"minGb":512},"adjustment":{"amount":"10"}}]')`,
      [alice],
    );
    const snapshot = await rulesets();
    await expect(migrateUp(ownerUrl(), through)).rejects.toThrow(/cannot convert rule .*storage.*\(condition\)/);
    expect(await rulesets()).toEqual(snapshot);
  });
});
