// Ordering by valuation delta, in SQL. app_listing_valuation_cents (the plpgsql mirror of
// valueListing) walks a ruleset's JSON for every row: about 28 µs a listing, measured, so 140 ms
// for a user with 5,000 listings. Here the viewer's ruleset is compiled once per request into one
// SQL expression over the listing's columns, with every constant a bound parameter: the same
// arithmetic as valueListing and the plpgsql function (test/sql/valuation.test.ts holds all three
// to the same cents), at the cost of plain expressions per row. A CONTAINS rule tests the words of
// the CPU or GPU that each row stores (cpu_words, gpu_words), not a regular expression per row.
import { Prisma } from '#src/generated/prisma/client.js';
import {
  FACTOR_SCALE,
  MAX_VALUE_CENTS,
  asciiLower,
  centsOf,
  scaledFactorOf,
  type RuleCondition,
  type ValuationRule,
} from './valuation-rules.js';

/** Whether the rule's condition holds for listing `l`; NULL (an unknown attribute) counts as no. */
function conditionSql(when: RuleCondition): Prisma.Sql {
  switch (when.attribute) {
    case 'RAM_GB':
      return when.operator === 'BELOW'
        ? Prisma.sql`l.ram_gb < ${when.value}::integer`
        : Prisma.sql`l.ram_gb > ${when.value}::integer`;
    case 'STORAGE_GB':
      return Prisma.sql`l.storage_gb < ${when.value}::integer`;
    case 'CONDITION':
      return Prisma.sql`l.condition = ${when.value}::"ListingCondition"`;
    case 'CPU':
    case 'GPU': {
      // containsWord: a whole word, ASCII case ignored, is one of the maximal runs of ASCII letters
      // and digits of the lower-cased text, which each row stores (cpu_words, gpu_words). A word
      // that is not letters and digits (the schema refuses one) matches nothing.
      const word = asciiLower(when.value);
      if (!/^[a-z0-9]+$/.test(word)) return Prisma.sql`false`;
      const words = when.attribute === 'CPU' ? Prisma.sql`l.cpu_words` : Prisma.sql`l.gpu_words`;
      return Prisma.sql`${word}::text = ANY(${words})`;
    }
  }
}

/**
 * One rule applied to the running value `cents`. Each step names `cents` once, so fifty rules make an
 * expression fifty levels deep, not 2⁵⁰ wide: a rule that does not match adds 0 or multiplies by
 * exactly 1, and clamping a value already in [0, MAX_VALUE_CENTS] changes nothing (prices are never
 * negative: the listings_price_non_negative constraint). Multiplying a non-negative value and
 * adding half before the integer division rounds half away from zero, as multiplyCents does.
 */
function stepSql(cents: Prisma.Sql, { when, adjust }: ValuationRule): Prisma.Sql {
  const matched = conditionSql(when);
  if (adjust.kind === 'MULTIPLY') {
    const factor = scaledFactorOf(adjust.factor);
    return Prisma.sql`least((${cents} * CASE WHEN ${matched} THEN ${factor}::bigint ELSE ${FACTOR_SCALE}::bigint END + ${FACTOR_SCALE / 2}::bigint) / ${FACTOR_SCALE}::bigint, ${MAX_VALUE_CENTS}::bigint)`;
  }
  const amount = adjust.kind === 'ADD' ? centsOf(adjust.amount) : -centsOf(adjust.amount);
  return Prisma.sql`least(greatest(${cents} + CASE WHEN ${matched} THEN ${amount}::bigint ELSE 0 END, 0), ${MAX_VALUE_CENTS}::bigint)`;
}

/** The value in cents of listing `l` under `rules` (valueListing's valueCents). */
export function valuationCentsSql(rules: readonly ValuationRule[]): Prisma.Sql {
  return rules.reduce((cents, rule) => stepSql(cents, rule), Prisma.sql`(l.price * 100)::bigint`);
}

/** The owner's listings with their delta (value − price, in cents) as `k`: best deal highest. */
export function valuationDeltaRanking(ownerId: string, rules: readonly ValuationRule[]): Prisma.Sql {
  return Prisma.sql`SELECT l.id, ${valuationCentsSql(rules)} - (l.price * 100)::bigint AS k
    FROM listings l WHERE l.owner_id = ${ownerId}::uuid`;
}
