// Valuation rules: what a deal is worth to its viewer. Pure domain, no GraphQL and no database.
//
// A ruleset is an ordered list of rules stored as JSON (valuation_rulesets.rules). Each rule has a
// condition on one listing attribute and an adjustment of the running value. The SQL function
// app_listing_valuation_cents (migration 20261207000200_valuation) mirrors valueListing exactly,
// so listings can be ordered by delta in SQL; a test compares the two over a generated corpus.
// Money is integer cents and factors are integers scaled by 10,000: no floating point anywhere.
import { VALUATION_LIMITS } from '@deal-brain/shared/field-limits';
import { z } from 'zod';
import { ListingCondition } from '#src/generated/prisma/enums.js';

export const RULE_ATTRIBUTES = ['RAM_GB', 'STORAGE_GB', 'CONDITION', 'CPU', 'GPU'] as const;
export const RULE_OPERATORS = ['BELOW', 'ABOVE', 'EQUALS', 'CONTAINS'] as const;
export const ADJUSTMENT_KINDS = ['ADD', 'SUBTRACT', 'MULTIPLY'] as const;

export type RuleAttribute = (typeof RULE_ATTRIBUTES)[number];
export type RuleOperator = (typeof RULE_OPERATORS)[number];
export type AdjustmentKind = (typeof ADJUSTMENT_KINDS)[number];

export const MAX_THRESHOLD_GB = 1_000_000;
/** 1,000,000.00: the largest amount a rule adds or subtracts. */
export const MAX_AMOUNT_CENTS = 100_000_000;
/** Factors are stored with at most four decimals and computed as integers: factor × 10,000. */
export const FACTOR_SCALE = 10_000;
/** 100: the largest factor, scaled. */
export const MAX_SCALED_FACTOR = 100 * FACTOR_SCALE;
/**
 * The running value stays within [0, 10,000,000,000.00]. The upper bound keeps value × factor
 * (≤ 10^12 × 10^6) inside a bigint in SQL and exact in JavaScript's BigInt: fifty rules that each
 * multiply by 100 would otherwise overflow. It is 1,000 times the largest price a listing may have.
 */
export const MAX_VALUE_CENTS = 1_000_000_000_000;

export type RuleCondition =
  | { attribute: 'RAM_GB'; operator: 'BELOW' | 'ABOVE'; value: number }
  | { attribute: 'STORAGE_GB'; operator: 'BELOW'; value: number }
  | { attribute: 'CONDITION'; operator: 'EQUALS'; value: ListingCondition }
  | { attribute: 'CPU' | 'GPU'; operator: 'CONTAINS'; value: string };

export type RuleAdjustment = { kind: 'ADD' | 'SUBTRACT'; amount: string } | { kind: 'MULTIPLY'; factor: string };

/** One stored rule: `{ when, adjust, label? }`. */
export interface ValuationRule {
  when: RuleCondition;
  adjust: RuleAdjustment;
  label?: string | undefined;
}

// ── decimals ────────────────────────────────────────────────────────────────────────────────

/** A non-negative decimal with at most `decimals` fractional digits, as an integer × 10^decimals; else null. */
export function parseScaled(text: string, decimals: number): number | null {
  const match = new RegExp(`^(\\d{1,12})(?:\\.(\\d{1,${decimals}}))?$`).exec(text);
  if (!match) return null;
  const [, whole = '0', fraction = ''] = match;
  return Number(whole) * 10 ** decimals + Number(fraction.padEnd(decimals, '0'));
}

/** Cents as a decimal string with two fractional digits: -1230 → "-12.30". */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** A scaled factor as its shortest decimal: 11000 → "1.1", 20000 → "2". */
export function formatFactor(scaled: number): string {
  const whole = Math.floor(scaled / FACTOR_SCALE);
  const fraction = String(scaled % FACTOR_SCALE)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}

/** Cents of a stored or listed decimal ("189.00", "-25.5"); throws on anything else (a bug, not input). */
export function centsOf(decimal: string): number {
  const negative = decimal.startsWith('-');
  const cents = parseScaled(negative ? decimal.slice(1) : decimal, 2);
  if (cents === null) throw new Error(`not a two-decimal amount: ${decimal}`);
  return negative ? -cents : cents;
}

export function scaledFactorOf(factor: string): number {
  const scaled = parseScaled(factor, 4);
  if (scaled === null) throw new Error(`not a factor: ${factor}`);
  return scaled;
}

// ── validation ──────────────────────────────────────────────────────────────────────────────

const required = (message: string, otherwise: string) => (issue: { input: unknown }) =>
  issue.input === undefined || issue.input === null ? message : otherwise;

type Subject = 'RAM' | 'Storage';

/** A size threshold in whole GB. */
export const thresholdSchema = (subject: Subject) =>
  z
    .number({ error: required(`${subject} threshold is required`, `${subject} threshold must be a number of GB`) })
    .int(`${subject} threshold must be a whole number of GB`)
    .min(0, `${subject} threshold cannot be negative`)
    .max(MAX_THRESHOLD_GB, `${subject} threshold must be at most ${MAX_THRESHOLD_GB.toLocaleString('en-US')} GB`);

/**
 * One word of ASCII letters and digits, stored lowercased. Nothing in it can be a regular
 * expression metacharacter, so the SQL mirror may put it in a pattern as it is.
 */
export const wordSchema = (subject: 'CPU' | 'GPU') =>
  z
    .string({ error: required(`${subject} word is required`, `${subject} word must be text`) })
    .trim()
    .min(1, `${subject} word is required`)
    .max(VALUATION_LIMITS.wordLength, `${subject} word must be at most ${VALUATION_LIMITS.wordLength} characters`)
    .regex(/^[A-Za-z0-9]+$/, `${subject} word must be a single word of letters and digits`)
    .transform(asciiLower);

export const conditionSchema = z.enum(ListingCondition, {
  error: required('Condition is required', `Condition must be one of ${Object.keys(ListingCondition).join(', ')}`),
});

/**
 * A positive decimal string with at most `decimals` fractional digits and at most `max` once
 * scaled, written back by `format`. A negative or zero value is out of range, not malformed.
 */
const positiveDecimal = (
  subject: string,
  decimals: number,
  max: number,
  messages: { format: string; range: string },
  format: (scaled: number) => string,
) =>
  z
    .string({ error: required(`${subject} is required`, `${subject} must be a decimal string`) })
    .transform((text, ctx) => {
      const trimmed = text.trim();
      const negative = trimmed.startsWith('-');
      const scaled = parseScaled(negative ? trimmed.slice(1) : trimmed, decimals);
      if (scaled === null || negative || scaled === 0 || scaled > max) {
        ctx.issues.push({ code: 'custom', input: text, message: scaled === null ? messages.format : messages.range });
        return z.NEVER;
      }
      return format(scaled);
    });

/** 0 < amount ≤ 1,000,000 with at most two decimals; stored with exactly two ("12.50"). */
export const amountSchema = positiveDecimal(
  'Amount',
  2,
  MAX_AMOUNT_CENTS,
  {
    format: 'Amount must be a number with at most two decimal places, like "12.50"',
    range: 'Amount must be more than 0 and at most 1,000,000',
  },
  formatCents,
);

/** 0 < factor ≤ 100 with at most four decimals; stored in its shortest form ("1.1"). */
export const factorSchema = positiveDecimal(
  'Factor',
  4,
  MAX_SCALED_FACTOR,
  {
    format: 'Factor must be a number with at most four decimal places, like "1.1"',
    range: 'Factor must be more than 0 and at most 100',
  },
  formatFactor,
);

export const labelSchema = z
  .string()
  .trim()
  .max(VALUATION_LIMITS.labelLength, `Label must be at most ${VALUATION_LIMITS.labelLength} characters`)
  .transform((label) => label || undefined)
  .optional();

const operatorSchema = <const T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z.enum(values, { error: message });

const whenSchema = z.discriminatedUnion(
  'attribute',
  [
    z.object({
      attribute: z.literal('RAM_GB'),
      operator: operatorSchema(['BELOW', 'ABOVE'], 'A RAM rule compares with BELOW or ABOVE'),
      value: thresholdSchema('RAM'),
    }),
    z.object({
      attribute: z.literal('STORAGE_GB'),
      operator: operatorSchema(['BELOW'], 'A storage rule compares with BELOW'),
      value: thresholdSchema('Storage'),
    }),
    z.object({
      attribute: z.literal('CONDITION'),
      operator: operatorSchema(['EQUALS'], 'A condition rule compares with EQUALS'),
      value: conditionSchema,
    }),
    z.object({
      attribute: z.literal('CPU'),
      operator: operatorSchema(['CONTAINS'], 'A CPU rule compares with CONTAINS'),
      value: wordSchema('CPU'),
    }),
    z.object({
      attribute: z.literal('GPU'),
      operator: operatorSchema(['CONTAINS'], 'A GPU rule compares with CONTAINS'),
      value: wordSchema('GPU'),
    }),
  ],
  { error: `Attribute must be one of ${RULE_ATTRIBUTES.join(', ')}` },
);

const adjustSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.enum(['ADD', 'SUBTRACT']), amount: amountSchema }),
    z.object({ kind: z.literal('MULTIPLY'), factor: factorSchema }),
  ],
  { error: `Adjustment must be one of ${ADJUSTMENT_KINDS.join(', ')}` },
);

/** The stored shape of one rule; parsing also normalises (lowercased word, canonical decimals). */
export const valuationRuleSchema = z.object({ when: whenSchema, adjust: adjustSchema, label: labelSchema });

export const nameSchema = z
  .string({ error: 'Name is required' })
  .trim()
  .min(1, 'Name is required')
  .max(VALUATION_LIMITS.nameLength, `Name must be at most ${VALUATION_LIMITS.nameLength} characters`);

export const rulesSchema = <T extends z.ZodType>(rule: T) =>
  z.array(rule).max(VALUATION_LIMITS.rules, `A ruleset has at most ${VALUATION_LIMITS.rules} rules`);

/** A ruleset in the stored shape; issues carry paths such as `rules.2.when.value`. */
export const rulesetSchema = z.object({ name: nameSchema, rules: rulesSchema(valuationRuleSchema) });

/** The rules of a stored ruleset. Throws when the column holds anything else (only a bug could put it there). */
export function readStoredRules(json: unknown): ValuationRule[] {
  return rulesSchema(valuationRuleSchema).parse(json) as ValuationRule[];
}

// ── evaluation ──────────────────────────────────────────────────────────────────────────────

/** The attributes a rule can look at, price in integer cents. */
export interface ValuedListing {
  priceCents: number;
  condition: ListingCondition;
  cpu: string | null;
  gpu: string | null;
  ramGb: number | null;
  storageGb: number | null;
}

export interface Valuation {
  /** The adjusted value in cents. */
  valueCents: number;
  /** valueCents − priceCents: positive means worth more than asked (a good deal). */
  deltaCents: number;
  /** Indexes (0-based, in rule order) of the rules whose condition matched. */
  applied: number[];
}

/** Lowercases A–Z only: the same in every locale, and the same as the SQL mirror's translate(). */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (letter) => String.fromCharCode(letter.charCodeAt(0) + 32));
}

/**
 * Whether `text` contains `word` as a whole word, ignoring ASCII case: the characters either side
 * of the match are not ASCII letters or digits (or are the ends of the text). "rtx" is in
 * "NVIDIA RTX 3070" and "GeForce-RTX", not in "RTX3070". A word that is not letters and digits
 * (impossible through validation) matches nothing.
 */
export function containsWord(text: string, word: string): boolean {
  const needle = asciiLower(word);
  if (!/^[a-z0-9]+$/.test(needle)) return false;
  return new RegExp(`(?:^|[^a-z0-9])${needle}(?:[^a-z0-9]|$)`).test(asciiLower(text));
}

/** Whether a rule's condition holds for the listing. Unknown (null) attributes never match. */
export function matches(when: RuleCondition, listing: ValuedListing): boolean {
  switch (when.attribute) {
    case 'RAM_GB':
    case 'STORAGE_GB': {
      const gb = when.attribute === 'RAM_GB' ? listing.ramGb : listing.storageGb;
      if (gb === null) return false;
      return when.operator === 'BELOW' ? gb < when.value : gb > when.value;
    }
    case 'CONDITION':
      return listing.condition === when.value;
    case 'CPU':
    case 'GPU': {
      const text = when.attribute === 'CPU' ? listing.cpu : listing.gpu;
      return text !== null && containsWord(text, when.value);
    }
  }
}

/** round(cents × factor), half away from zero, in exact integer arithmetic. */
export function multiplyCents(cents: number, scaledFactor: number): number {
  const product = BigInt(cents) * BigInt(scaledFactor);
  const scale = BigInt(FACTOR_SCALE);
  const magnitude = ((product < 0n ? -product : product) + scale / 2n) / scale;
  return Number(product < 0n ? -magnitude : magnitude);
}

function clamp(cents: number): number {
  return Math.min(Math.max(cents, 0), MAX_VALUE_CENTS);
}

function adjust(cents: number, adjustment: RuleAdjustment): number {
  switch (adjustment.kind) {
    case 'ADD':
      return clamp(cents + centsOf(adjustment.amount));
    case 'SUBTRACT':
      return clamp(cents - centsOf(adjustment.amount));
    case 'MULTIPLY':
      return clamp(multiplyCents(cents, scaledFactorOf(adjustment.factor)));
  }
}

/**
 * The listing's value under `rules`: start at the price, then for each rule in order whose
 * condition matches, add, subtract or multiply, and clamp to [0, MAX_VALUE_CENTS].
 */
export function valueListing(listing: ValuedListing, rules: readonly ValuationRule[]): Valuation {
  let valueCents = listing.priceCents;
  const applied: number[] = [];
  rules.forEach((rule, index) => {
    if (!matches(rule.when, listing)) return;
    valueCents = adjust(valueCents, rule.adjust);
    applied.push(index);
  });
  return { valueCents, deltaCents: valueCents - listing.priceCents, applied };
}

// ── words ───────────────────────────────────────────────────────────────────────────────────

const CONDITION_NAMES: Record<ListingCondition, string> = {
  NEW: 'new',
  LIKE_NEW: 'like new',
  USED: 'used',
  REFURBISHED: 'refurbished',
  FOR_PARTS: 'for parts',
};

function describeCondition(when: RuleCondition): string {
  switch (when.attribute) {
    case 'RAM_GB':
      return `RAM ${when.operator === 'BELOW' ? 'below' : 'above'} ${when.value} GB`;
    case 'STORAGE_GB':
      return `Storage below ${when.value} GB`;
    case 'CONDITION':
      return `Condition is ${CONDITION_NAMES[when.value]}`;
    case 'CPU':
    case 'GPU':
      return `${when.attribute} contains "${when.value}"`;
  }
}

function describeAdjustment(adjustment: RuleAdjustment): string {
  if (adjustment.kind === 'MULTIPLY') return `multiply by ${adjustment.factor}`;
  return `${adjustment.kind === 'ADD' ? 'add' : 'subtract'} ${adjustment.amount}`;
}

/** A rule as a sentence: "RAM below 16 GB: subtract 30.00". */
export function describeRule(rule: ValuationRule): string {
  return `${describeCondition(rule.when)}: ${describeAdjustment(rule.adjust)}`;
}
